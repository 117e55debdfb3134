/**
 * Before Playwright: make sure Debian's Chromium is there (install it with apt-get when running as root, otherwise
 * say exactly what to run), and that the build of the site is up to date: the same minified build `npm start` serves, so
 * Playwright's web server starts at once, and `npm start` after the tests does not build again.
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
  const state = await buildState(root, buildDir);
  if (!state.fresh) {
    console.log(`Building the site for the end-to-end tests (${state.reason})…`);
    await buildSite(root, buildDir, (line) => console.log(line));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
