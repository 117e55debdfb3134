import { spawn } from 'node:child_process';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Everything a production build depends on; a newer file than the build stamp means the build is stale. The chapters
 * import examples/ and server/apps/ raw (the programs and excerpts they show).
 */
export const BUILD_INPUTS = ['docs', 'i18n', 'src', 'labs', 'core', 'static', 'examples', 'server/apps', 'scripts/diagrams.ts', 'docusaurus.config.ts', 'sidebars.ts', 'package.json', 'package-lock.json'];
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

/**
 * Which build the stamp describes. Every build is minified now (esbuild minifies, see src/plugins/kurento-bundling.ts,
 * so minifying costs a few seconds), and `npm start` and the end-to-end tests share it. Until then the tests built
 * without minifying and stamped `minified: false`; such a build is stale for everyone.
 */
interface BuildStamp {
  builtAt: string;
  minified: boolean;
}

async function stampSaysMinified(file: string): Promise<boolean> {
  const text = await readFile(file, 'utf8');
  try {
    return (JSON.parse(text) as Partial<BuildStamp>).minified !== false;
  } catch {
    // Stamps written before the test build existed hold a bare date; those builds were minified.
    return true;
  }
}

export async function buildState(root: string, buildDir: string): Promise<BuildState> {
  let stampTime: number;
  let minified: boolean;
  try {
    const file = path.join(buildDir, BUILD_STAMP);
    stampTime = (await stat(file)).mtimeMs;
    minified = await stampSaysMinified(file);
  } catch {
    return { fresh: false, reason: 'no production build yet' };
  }
  if (!minified) return { fresh: false, reason: 'the last build is an unminified one of the tests' };
  for (const input of BUILD_INPUTS) {
    if ((await newestMtime(path.join(root, input))) > stampTime) {
      return { fresh: false, reason: `${input} changed since the last build` };
    }
  }
  return { fresh: true, reason: 'up to date' };
}

/**
 * The environment of the build `npm start` makes and serves: the site's connection settings (KMS_URL, ICE_SERVERS)
 * are not baked into it, since the server that serves the build tells pages its own at run time (/labs-runtime.json);
 * a build made by a server started with another KMS_URL (labs:check's own site) would otherwise send the pages of
 * every later `npm start` to that KMS. `npm run build` (a static site for elsewhere) still bakes them in.
 */
export function siteBuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { KMS_URL: _kms, ICE_SERVERS: _ice, ...rest } = env;
  return { ...rest, NODE_ENV: 'production' };
}

/** Runs `docusaurus build` (both locales, minified) and stamps the result. */
export async function buildSite(root: string, buildDir: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const docusaurus = path.join(root, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [docusaurus, 'build', '--out-dir', buildDir], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: siteBuildEnv(process.env),
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`docusaurus build failed (${signal ?? `exit code ${code}`}); see the output above`));
    });
  });
  const stamp: BuildStamp = { builtAt: new Date().toISOString(), minified: true };
  await writeFile(path.join(buildDir, BUILD_STAMP), JSON.stringify(stamp));
  log(`site built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
