/**
 * Before Playwright: make sure Debian's Chromium is there (install it with apt-get when running as root, otherwise
 * say exactly what to run), and that a build of the site is up to date (unminified when it has to be made here) (Playwright's web server then
 * starts at once).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildSite, buildState } from '../../server/site/build';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function ensureChromium(): void {
  if (existsSync(chromium)) return;
  if (process.getuid?.() !== 0) {
    console.error(`Debian's Chromium is missing at ${chromium}. Install it with:\n  sudo apt-get update && sudo apt-get install -y chromium`);
    process.exit(1);
  }
  console.log('Installing Debian chromium (apt-get)…');
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit' });
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (update.status !== 0 || install.status !== 0 || !existsSync(chromium)) {
    console.error('Could not install chromium with apt-get; install it by hand: apt-get install -y chromium');
    process.exit(1);
  }
}

async function main(): Promise<void> {
  ensureChromium();
  const root = path.resolve(__dirname, '..', '..');
  const buildDir = path.join(root, 'build');
  // A minified build that is up to date serves as well; otherwise build without minifying (faster, same pages).
  const state = await buildState(root, buildDir, { acceptUnminified: true });
  if (!state.fresh) {
    console.log(`Building the site for the end-to-end tests (${state.reason})…`);
    await buildSite(root, buildDir, (line) => console.log(line), { minify: false });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
