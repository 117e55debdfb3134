import { spawn } from 'node:child_process';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Everything a production build depends on; a newer file than the build stamp means the build is stale. */
const BUILD_INPUTS = ['docs', 'i18n', 'src', 'labs', 'static', 'docusaurus.config.ts', 'sidebars.ts', 'package.json', 'package-lock.json'];
export const BUILD_STAMP = '.kurento-labs-build';

async function newestMtime(entry: string): Promise<number> {
  let info;
  try {
    info = await stat(entry);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const child of await readdir(entry)) {
    newest = Math.max(newest, await newestMtime(path.join(entry, child)));
  }
  return newest;
}

export interface BuildState {
  fresh: boolean;
  reason: string;
}

export async function buildState(root: string, buildDir: string): Promise<BuildState> {
  let stampTime: number;
  try {
    stampTime = (await stat(path.join(buildDir, BUILD_STAMP))).mtimeMs;
  } catch {
    return { fresh: false, reason: 'no production build yet' };
  }
  for (const input of BUILD_INPUTS) {
    if ((await newestMtime(path.join(root, input))) > stampTime) {
      return { fresh: false, reason: `${input} changed since the last build` };
    }
  }
  return { fresh: true, reason: 'up to date' };
}

/** Runs `docusaurus build` (both locales) and stamps the result. */
export async function buildSite(root: string, buildDir: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const docusaurus = path.join(root, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [docusaurus, 'build', '--out-dir', buildDir], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`docusaurus build failed (${signal ?? `exit code ${code}`}); see the output above`));
    });
  });
  await writeFile(path.join(buildDir, BUILD_STAMP), new Date().toISOString());
  log(`site built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
