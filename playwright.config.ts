import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS } from './tests/e2e/browser';
import { E2E_KMS_PORT, E2E_SITE_PORT } from './tests/e2e/ports';

/**
 * End-to-end tests drive Debian's Chromium (never a downloaded browser) against `npm start` on test ports, with a
 * fake camera and microphone. tests/e2e/prepare.ts installs Chromium when missing and builds the site first.
 */

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${E2E_SITE_PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS },
    permissions: ['camera', 'microphone'],
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `node --max-semi-space-size=32 --import tsx server/main.ts --port ${E2E_SITE_PORT} --kms-port ${E2E_KMS_PORT}`,
    url: `http://127.0.0.1:${E2E_SITE_PORT}/labs-runtime.json`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { KMS_URL: '', ICE_SERVERS: '' },
  },
});
