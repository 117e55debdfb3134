import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_LOCALE, SITE_LOCALES } from '../../core/site-locales';

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

/**
 * Docusaurus' generated files of a locale's build (it keeps the current locale's routes and data there, so two builds
 * at once need a folder each): the default locale keeps Docusaurus' own `.docusaurus`.
 */
export function generatedFilesDirName(locale: string): string {
  return locale === DEFAULT_LOCALE ? '.docusaurus' : `.docusaurus-${locale}`;
}

interface LocaleBuild {
  locale: string;
  child: ChildProcess;
  done: Promise<void>;
}

function startLocaleBuild(root: string, locale: string, outDir: string, persistentCache: boolean, log: (line: string) => void): LocaleBuild {
  const docusaurus = path.join(root, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
  const env: NodeJS.ProcessEnv = { ...siteBuildEnv(process.env), DOCUSAURUS_GENERATED_FILES_DIR_NAME: generatedFilesDirName(locale) };
  if (!persistentCache) env.DOCUSAURUS_NO_PERSISTENT_CACHE = 'true';
  const child = spawn(process.execPath, [docusaurus, 'build', '--locale', locale, '--out-dir', outDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
  // Both builds print at once: each line goes out whole, with its locale in front.
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => log(`[${locale}] ${line}`));
  }
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`docusaurus build of ${locale} failed (${signal ?? `exit code ${code}`}); see the lines marked [${locale}] above`));
    });
  });
  return { locale, child, done };
}

/**
 * Runs `docusaurus build` for every locale (core/site-locales.ts) at once, minified, each in a process of its own, and
 * stamps the result. The default locale's build writes the root of `buildDir` (emptying it first); every other locale
 * builds into a folder beside it and moves into `<buildDir>/<locale>` once every build has succeeded. If one fails,
 * the others are stopped. Webpack's persistent cache is per locale already. Webpack spends most of a build in one
 * thread, so on a 2-core machine both locales together take about 60 % longer than one alone.
 *
 * Webpack's persistent cache (node_modules/.cache/webpack) makes a rebuild after a small change take a third of the
 * time, but writing it costs a first build about 8 s per locale (measured on the 2-core machine). The first build into
 * `buildDir` (a fresh clone's `npm start` or `npm test`) does without it; every later one writes and uses it.
 */
export async function buildSite(root: string, buildDir: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const persistentCache = existsSync(path.join(buildDir, BUILD_STAMP));
  const aside = `${buildDir}.locales`;
  await rm(aside, { recursive: true, force: true });
  const builds = SITE_LOCALES.map((locale) => startLocaleBuild(root, locale, locale === DEFAULT_LOCALE ? buildDir : aside, persistentCache, log));
  try {
    await Promise.all(builds.map((build) => build.done));
  } catch (error) {
    for (const build of builds) if (build.child.exitCode === null) build.child.kill('SIGTERM');
    await Promise.allSettled(builds.map((build) => build.done));
    await rm(aside, { recursive: true, force: true });
    throw error;
  }
  for (const locale of SITE_LOCALES) {
    if (locale === DEFAULT_LOCALE) continue;
    await rm(path.join(buildDir, locale), { recursive: true, force: true });
    await rename(path.join(aside, locale), path.join(buildDir, locale));
  }
  await rm(aside, { recursive: true, force: true });
  const stamp: BuildStamp = { builtAt: new Date().toISOString(), minified: true };
  await writeFile(path.join(buildDir, BUILD_STAMP), JSON.stringify(stamp));
  log(`site built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
