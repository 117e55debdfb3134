/**
 * The complete programs the chapters show (examples/) run as a learner runs them, against the embedded KMS of the test
 * site: the browser-only hello world copied to a folder with the two bundles downloaded from the site's /vendor/,
 * served by a plain static server; the TypeScript application server of the three-tier chapter started with tsx. Each
 * must bring the remote video to play. And the chapters, in both languages, show exactly those files.
 *
 * The other application servers the three-tier chapter shows excerpts of (server/apps) are run to remote video by
 * three-tier.spec.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { extractRegion } from '../../src/components/CodeFile/region';
import { E2E_KMS_PORT, E2E_SITE_PORT } from './ports';
import { freePort } from '../helpers/network';

const ROOT = path.resolve(__dirname, '..', '..');
const SITE = `http://127.0.0.1:${E2E_SITE_PORT}`;
const KMS_URL = `ws://127.0.0.1:${E2E_KMS_PORT}/kurento`;

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Starts a process and resolves once its output contains `ready`. */
async function start(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }, ready: string | RegExp): Promise<Started> {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await expect.poll(() => output, { timeout: 30_000, message: `${command} ${args.join(' ')} starts` }).toMatch(ready);
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** Uncaught errors of the page, and what it logs with console.error. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/favicon|404 \(/.test(message.text())) errors.push(message.text());
  });
  return errors;
}

/** The video has a picture and its time advances: the media made the round trip through KMS. */
async function expectPlaying(video: Locator): Promise<void> {
  await expect.poll(() => video.evaluate((element: HTMLVideoElement) => element.videoWidth), { timeout: 30_000 }).toBeGreaterThan(0);
  const start = await video.evaluate((element: HTMLVideoElement) => element.currentTime);
  await expect.poll(() => video.evaluate((element: HTMLVideoElement) => element.currentTime), { timeout: 15_000 }).toBeGreaterThan(start + 1);
}

test('examples/first-app: served as plain files with the /vendor/ bundles, the remote video plays', async ({ page }) => {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'kurento-labs-first-app-'));
  let server: Started | undefined;
  try {
    // What the chapter tells a learner to do: the two files, and the bundles of the site in vendor/.
    await cp(path.join(ROOT, 'examples', 'first-app'), folder, { recursive: true, filter: (source) => !source.includes('.zh-Hans.') });
    const html = await readFile(path.join(folder, 'index.html'), 'utf8');
    const bundles = [...html.matchAll(/<script src="vendor\/([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(bundles).toEqual(['kurento-client-7.3.0.min.js', 'kurento-utils-7.3.0.min.js']);
    await mkdir(path.join(folder, 'vendor'));
    for (const bundle of bundles) {
      const response = await fetch(`${SITE}/vendor/${bundle}`);
      expect(response.status, `${SITE}/vendor/${bundle}`).toBe(200);
      await writeFile(path.join(folder, 'vendor', bundle), Buffer.from(await response.arrayBuffer()));
    }

    const port = await freePort();
    server = await start('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], { cwd: folder, env: { PYTHONUNBUFFERED: '1' } }, /Serving HTTP/);
    const errors = collectErrors(page);
    await page.goto(`http://127.0.0.1:${port}/?ws_uri=${KMS_URL}`);
    await page.getByRole('button', { name: 'Start' }).click();
    await expectPlaying(page.locator('#videoOutput'));
    await expect(page.locator('#console')).toContainText('Loopback established');
    await expect(page.locator('#console')).toContainText('VIDEO into the endpoint: FLOWING');

    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
    await expect.poll(() => page.locator('#videoInput').evaluate((element: HTMLVideoElement) => element.srcObject)).toBeNull();
    expect(errors).toEqual([]);
  } finally {
    if (server) await stop(server.child);
    await rm(folder, { recursive: true, force: true });
  }
});

test('examples/three-tier-hello-world: the TypeScript application server brings the remote video to the page', async ({ page }) => {
  const port = await freePort();
  const server = await start(
    process.execPath,
    ['--import', 'tsx', 'examples/three-tier-hello-world/server.ts'],
    { cwd: ROOT, env: { KMS_URL, PORT: String(port), PLAIN_HTTP: '1' } },
    `Open http://127.0.0.1:${port}/`,
  );
  try {
    expect(server.output()).toContain(`Connected to KMS at ${KMS_URL}`);
    const errors = collectErrors(page);
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByRole('button', { name: 'Start' }).click();
    await expectPlaying(page.locator('#remote'));
    await expect.poll(server.output).toMatch(/MediaFlowInStateChanged \{[^\n]*"state":"FLOWING"[^\n]*"mediaType":"VIDEO"/);

    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(server.output).toContain('releasing the pipeline');
    expect(errors).toEqual([]);
  } finally {
    await stop(server.child);
  }
});

/** The text of the code block titled `title` on the page, with any KMS URL made neutral (KmsCode shows the learner's). */
async function codeBlockText(page: Page, title: string): Promise<string> {
  const block = page.locator('.theme-code-block').filter({ has: page.locator('[class*="codeBlockTitle"]', { hasText: new RegExp(`^${title.replace(/[.()]/g, '\\$&')}$`) }) });
  await expect(block).toHaveCount(1);
  const lines = await block.locator('pre code .token-line').allTextContents();
  return neutral(lines.join('\n'));
}

function neutral(code: string): string {
  return code.replace(/ws:\/\/127\.0\.0\.1:\d+\/kurento/g, 'ws://<kms>/kurento').trimEnd();
}

const text = (file: string): Promise<string> => readFile(path.join(ROOT, file), 'utf8');

for (const [locale, prefix, twin] of [['en', '', ''], ['zh-Hans', '/zh-Hans', '.zh-Hans']] as const) {
  test(`the chapters (${locale}) show the example files as they are`, async ({ page }) => {
    await page.goto(`${SITE}${prefix}/docs/first-app-javascript`);
    expect(await codeBlockText(page, 'js/index.js')).toBe(neutral(await text(`examples/first-app/js/index${twin}.js`)));
    expect(await codeBlockText(page, 'index.html')).toBe(neutral(await text(`examples/first-app/index${twin}.html`)));

    await page.goto(`${SITE}${prefix}/docs/three-tier-hello-world`);
    await page.getByRole('tab', { name: /TypeScript/ }).first().click();
    expect(await codeBlockText(page, 'server.ts')).toBe(neutral(await text(`examples/three-tier-hello-world/server${twin}.ts`)));
    expect(await codeBlockText(page, 'app.js')).toBe(neutral(await text(`examples/three-tier-hello-world/public/app${twin}.js`)));
    await page.goto(`${SITE}${prefix}/docs/three-tier-group-call`);
    await page.getByRole('tab', { name: /TypeScript/ }).first().click();
    const excerpt = prefix ? 'server/apps/group-call.ts（节选）' : 'server/apps/group-call.ts (excerpt)';
    expect(await codeBlockText(page, excerpt)).toBe(neutral(extractRegion(await text('server/apps/group-call.ts'), 'three-tier')));
  });
}
