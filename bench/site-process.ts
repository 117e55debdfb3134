/**
 * `npm start` (the site, the embedded KMS and coturn) in a child process for the benches that measure pages or labs in
 * a browser, built first when its build is stale (as the end-to-end tests do).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildSite, buildState } from '../server/site/build';
import { KMS_NODE_FLAGS } from './kms-process';

const root = path.resolve(__dirname, '..');

/** Builds the site when its sources changed since the last build, printing why. */
export async function ensureBuilt(): Promise<void> {
  const buildDir = path.join(root, 'build');
  const state = await buildState(root, buildDir);
  if (state.fresh) return;
  console.log(`Building the site first (${state.reason})…`);
  await buildSite(root, buildDir, (line) => console.log(line));
}

/** Starts `npm start` on the given ports and resolves once it serves; the result stops it. */
export async function startSite(port: number, kmsPort: number): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, [...KMS_NODE_FLAGS, '--import', 'tsx', 'server/main.ts', '--port', String(port), '--kms-port', String(kmsPort), '--log-level', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, KMS_URL: '' },
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => /Press Ctrl\+C/.test(chunk.toString()) && resolve());
    child.once('exit', (code) => reject(new Error(`npm start exited (${code})`)));
  });
  return async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
}
