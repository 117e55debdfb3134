/**
 * "Download as app": the zip a lab exports (with the learner's edit) is unpacked, served by a plain static server
 * (python3 -m http.server), opened in Chromium, and runs to remote video against the embedded KMS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { expect, test, type Download, type Locator } from '@playwright/test';
import { LABS } from '../../labs';
import { openLabPage, releaseAllPipelines, setEditorCode } from './lab-helpers';
import { freePort } from '../helpers/network';

/**
 * Clicks "Download as app" and resolves with the download; fails with the panel's explanation when the app could not
 * be put together (the panel shows one instead of giving a file). One poll watches for both: after a download, no wait
 * is left on the page, which the next test reuses (only when the poll fails does the download wait run out later).
 */
async function downloadApp(lab: Locator): Promise<Download> {
  let download: Download | undefined;
  const downloading = lab.page().waitForEvent('download', { timeout: 30_000 });
  void downloading.then((value) => (download = value)).catch(() => undefined);
  await lab.getByTestId('lab-export-app').click();
  const failure = lab.getByTestId('lab-export-error');
  const outcome = async (): Promise<string> => (download ? 'downloaded' : (await failure.isVisible()) ? `failed: ${await failure.innerText()}` : 'preparing');
  await expect.poll(outcome, { message: 'Download as app gives a file', timeout: 30_000 }).toBe('downloaded');
  return downloading;
}

test('hello-world downloads as an app that runs on its own, edits included', async ({ page, context }) => {
  test.setTimeout(120_000);
  const lab = await openLabPage(page, 'hello-world');
  await lab.getByTestId('edit-loopback').click();
  await setEditorCode(lab, 'loopback', "webRtcEp.connect(webRtcEp, function (error) {\n  if (error) return onError(error);\n  showStatus('Loopback established (edited)');\n});");
  const download = await downloadApp(lab);
  expect(download.suggestedFilename()).toBe('kurento-labs-hello-world.zip');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kurento-labs-export-'));
  let server: ChildProcess | undefined;
  try {
    const zipFile = path.join(dir, 'app.zip');
    await download.saveAs(zipFile);
    execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2])', zipFile, dir]);
    const app = path.join(dir, 'kurento-labs-hello-world');
    expect(readFileSync(path.join(app, 'steps', '08-loopback.js'), 'utf8')).toContain("showStatus('Loopback established (edited)');");
    expect(readFileSync(path.join(app, 'README.md'), 'utf8')).toContain('python3 -m http.server');
    expect(readFileSync(path.join(app, 'README.zh-Hans.md'), 'utf8')).toContain('python3 -m http.server');
    const port = await freePort();
    server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], { cwd: app, stdio: 'ignore' });
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/index.html`).catch(() => undefined))?.status, { timeout: 10_000 }).toBe(200);
    const standalone = await context.newPage();
    const errors: string[] = [];
    standalone.on('pageerror', (error) => errors.push(error.message));
    await standalone.goto(`http://127.0.0.1:${port}/`);
    await expect(standalone.locator('#status')).toContainText('Loopback established (edited)', { timeout: 30_000 });
    await expect
      .poll(() => standalone.evaluate(() => { const video = document.getElementById('videoOutput') as HTMLVideoElement; return video.currentTime > 0.5 && video.videoWidth > 0; }), { timeout: 20_000 })
      .toBe(true);
    await expect(standalone.locator('#status')).toContainText('All 9 steps ran.');
    expect(errors).toEqual([]);
    await standalone.close();
  } finally {
    server?.kill();
    // The exported app has no Stop: release what it built, as KMS would after its session timed out.
    await releaseAllPipelines();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('when the site cannot give the bundles, Download as app says why and what to do, in both languages', async ({ page }) => {
  for (const prefix of ['', '/zh-Hans']) {
    const lab = await openLabPage(page, 'hello-world', { prefix });
    // As when npm start was stopped or the site rebuilt after the page loaded.
    await page.route('**/vendor/kurento-client-*', (route) => route.fulfill({ status: 503, body: 'unavailable' }));
    await lab.getByTestId('lab-export-app').click();
    const failure = lab.getByTestId('lab-export-error');
    await expect(failure).toHaveAttribute('data-code', 'export-failed');
    await expect(failure).toContainText('HTTP 503');
    await expect(failure).toContainText(prefix ? '请刷新页面后重试' : 'reload the page and try again');
    await expect(lab.getByTestId('lab-export-app')).toBeEnabled();
    await page.unrouteAll();
  }
});

test('hello-world on the Chinese page downloads with its Chinese comments, and runs', async ({ page, context }) => {
  test.setTimeout(90_000);
  const lab = await openLabPage(page, 'hello-world', { prefix: '/zh-Hans' });
  const shown = await lab.getByTestId('code-play').getAttribute('data-source');
  expect(shown).toMatch(/^\/\/ .*\p{Script=Han}/u);
  const downloading = downloadApp(lab);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kurento-labs-export-'));
  let server: ChildProcess | undefined;
  try {
    const zipFile = path.join(dir, 'app.zip');
    await (await downloading).saveAs(zipFile);
    execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2])', zipFile, dir]);
    const app = path.join(dir, 'kurento-labs-hello-world');
    // The exported files are the page's text: the step shown, and the declarations with their Chinese comments.
    expect(readFileSync(path.join(app, 'steps', '09-play.js'), 'utf8')).toBe(`${shown ?? ''}\n`);
    const declarations = readFileSync(path.join(app, 'declarations.js'), 'utf8');
    expect(declarations).toContain('// Hello World：浏览器既是 Web 应用，又是 Kurento 客户端。');
    expect(declarations).not.toContain('the browser is both the web app');
    const port = await freePort();
    server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], { cwd: app, stdio: 'ignore' });
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/index.html`).catch(() => undefined))?.status, { timeout: 10_000 }).toBe(200);
    const standalone = await context.newPage();
    const errors: string[] = [];
    standalone.on('pageerror', (error) => errors.push(error.message));
    await standalone.goto(`http://127.0.0.1:${port}/`);
    await expect(standalone.locator('#status')).toContainText('All 9 steps ran.', { timeout: 40_000 });
    expect(await standalone.locator('#status .error').allInnerTexts()).toEqual([]);
    expect(errors).toEqual([]);
    await standalone.close();
  } finally {
    server?.kill();
    await releaseAllPipelines();
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Every other lab (one test each, so that -g <lab id> picks one): its app, downloaded as it is, runs all its steps with no error. runSteps waits for each step's
 * variables and for KMS to answer every request, so the steps keep their order. The three-tier labs' apps talk to the
 * site's application servers (app_uri), which let in local pages on any port.
 */
for (const lab of LABS.filter((candidate) => candidate.id !== 'hello-world')) {
  test(`${lab.id} downloads as an app that runs all its steps`, async ({ page, context }) => {
    test.setTimeout(120_000);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kurento-labs-export-'));
    const port = await freePort();
    const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], { cwd: dir, stdio: 'ignore' });
    try {
      const panel = await openLabPage(page, lab.id);
      const zipFile = path.join(dir, `${lab.id}.zip`);
      await (await downloadApp(panel)).saveAs(zipFile);
      execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2])', zipFile, dir]);
      const standalone = await context.newPage();
      const errors: string[] = [];
      standalone.on('pageerror', (error) => errors.push(error.message));
      const started = Date.now();
      await standalone.goto(`http://127.0.0.1:${port}/kurento-labs-${lab.id}/`);
      await expect(standalone.locator('#status'), lab.id).toContainText(`All ${lab.steps.length} steps ran.`, { timeout: 40_000 });
      test.info().annotations.push({ type: 'exported app', description: `${lab.id} ${((Date.now() - started) / 1000).toFixed(1)} s` });
      const failures = await standalone.locator('#status .error').allInnerTexts();
      expect(failures, `${lab.id}: errors in the app's status`).toEqual([]);
      expect(errors, `${lab.id}: page errors`).toEqual([]);
      // Every video that still has a stream plays (remote ones included), and at least one does.
      const playing = () =>
        standalone.evaluate(() => {
          const attached = [...document.querySelectorAll('video')].filter((video) => video.srcObject instanceof MediaStream && video.srcObject.active);
          return attached.length > 0 && attached.every((video) => video.videoWidth > 0 && video.currentTime > 0.3) ? attached.length : 0;
        });
      if (lab.id !== 'connection-check') await expect.poll(playing, { message: `${lab.id}: every video plays`, timeout: 15_000 }).toBeGreaterThan(0);
      await standalone.close();
    } finally {
      server.kill();
      await releaseAllPipelines();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
