/**
 * Workshop end-to-end tests start their own `npm start -- --https` (and, for a pool, their own `npm run kms`
 * processes) on the ports E2E_KMS_PORT+1 to +9: the Playwright web server stays the plain one the other specs use.
 * Attendees are browser contexts of their own (own cookies, own localStorage), as separate machines would be.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect, type Browser, type BrowserContext } from '@playwright/test';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Started {
  child: ChildProcess;
  output: () => string;
}

/** A Node script of the project as a child process, resolved once its output matches `ready`. */
export async function startScript(script: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}, timeout = 120_000): Promise<Started> {
  const child = spawn(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(() => {
    throw new Error(`${script} exited before it was ready:\n${output.slice(-3000)}`);
  });
  await Promise.race([expect.poll(() => output, { timeout }).toMatch(ready), exited]);
  return { child, output: () => output };
}

export async function stopScript(started: Started | undefined): Promise<void> {
  const child = started?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** `npm start -- --https --port <port>` with a fresh workshop state; resolves with the trainer token it printed. */
export async function startWorkshopSite(port: number, extraArgs: string[], env: NodeJS.ProcessEnv = {}): Promise<Started & { token: string; origin: string }> {
  rmSync(path.join(ROOT, 'var', `workshop-${port}`), { recursive: true, force: true });
  const started = await startScript('server/main.ts', ['--https', '--port', String(port), ...extraArgs], /Press Ctrl\+C to stop/, { KMS_URL: '', ICE_SERVERS: '', ...env });
  const token = /\/trainer\?token=([A-Za-z0-9_-]+)/.exec(started.output())?.[1];
  if (!token) throw new Error(`no trainer token in the output:\n${started.output()}`);
  return { ...started, token, origin: `https://127.0.0.1:${port}` };
}

/** A browser context as one attendee's machine (self-signed workshop certificate accepted, fake camera allowed). */
export function attendeeContext(browser: Browser, origin: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL: origin, ignoreHTTPSErrors: true, permissions: ['camera', 'microphone'] });
}
