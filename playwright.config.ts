import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS } from './tests/e2e/browser';
import { E2E_SITE_PORT, E2E_WORKERS, kmsPort, sitePort } from './tests/e2e/ports';

/**
 * End-to-end tests drive Debian's Chromium (never a downloaded browser) against `npm start` on test ports, with a
 * fake camera and microphone. tests/e2e/prepare.ts installs Chromium when missing and builds the site first.
 *
 * Spec files run in E2E_WORKERS workers (2 by default: most of a lab's time is spent waiting for media, not computing),
 * each against its own `npm start` (tests/e2e/ports.ts): the web servers below, one per worker, started one after the
 * other so their coturns take distinct ports. Each has its own media folder.
 */

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  workers: E2E_WORKERS,
  // One retry: the labs stream real media through GStreamer and ffmpeg workers on a 2-core machine with two workers'
  // browsers and servers, and a filter that starts late can miss a step's timeout (seen once each for qr-codes and
  // magic-mirror in four fresh-clone runs). A test that fails twice fails the run; Playwright lists retried passes as
  // "flaky", so they stay visible.
  retries: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${E2E_SITE_PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS },
    permissions: ['camera', 'microphone'],
    // One browser context and page per worker, reset by Playwright between tests (cookies, HTTP cache, local storage
    // and IndexedDB of the origins visited, extra pages, routes, init scripts, viewport). On a chapter page a new
    // context cost Chromium 1.5 s of CPU per load, a reset one 0.5 s; the whole e2e run took 386 s instead of 457, and
    // in a slower hour 486 s and 888 CPU-seconds instead of 550 s and 1013. Not reset: permissions a test grants
    // (site.spec.ts adds the clipboard's, which no test relies on being absent). Tests that need several users (the
    // workshop specs) make contexts of their own.
    reuseContext: true,
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  webServer: Array.from({ length: E2E_WORKERS }, (_, slot) => ({
    command: `node --max-semi-space-size=32 --import tsx server/main.ts --port ${sitePort(slot)} --kms-port ${kmsPort(slot)}`,
    url: `http://127.0.0.1:${sitePort(slot)}/labs-runtime.json`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    env: { KMS_URL: '', ICE_SERVERS: '', KMS_MEDIA_DIR: slot === 0 ? 'var/media' : `var/media-e2e-${slot}` },
  })),
});
