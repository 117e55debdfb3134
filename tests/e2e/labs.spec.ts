import { expect, test } from '@playwright/test';
import { E2E_KMS_PORT } from './ports';
import { LOCALES, collectErrors, openLabPage, openGraph, pipelinesOnKms, resetLeavesNoPipeline, runLab, setEditorCode } from './lab-helpers';

const LAB_IDS = ['connection-check', 'hello-world', 'webrtc-events', 'data-channels', 'bandwidth'];

for (const [locale, prefix] of LOCALES) {
  for (const id of LAB_IDS) {
    test(`${id} completes in ${locale}, with its views populated, and Reset leaves no pipeline`, async ({ page }) => {
      const errors = collectErrors(page);
      const { lab } = await runLab(page, id, { prefix });
      if (locale === 'zh-Hans') {
        // The program's comments are Chinese on the Chinese page, in the code shown, which runLab proved is the code run.
        const sources = await lab.locator('[data-source]:not([data-testid="code-settings"])').evaluateAll((blocks) => blocks.map((block) => block.getAttribute('data-source') ?? ''));
        // A comment: consecutive `//` lines (a paragraph the translation may break into several lines).
        const comments = sources.flatMap((code) => code.replace(/^[ \t]*\/\/.*(\n[ \t]*\/\/.*)*/gm, (paragraph) => `\u0000${paragraph.replace(/\n/g, ' ')}\u0000`).split('\u0000').filter((part) => /^\s*\/\//.test(part)));
        expect(comments.length, 'the program has comments').toBeGreaterThan(0);
        expect(comments.filter((comment) => !/\p{Script=Han}/u.test(comment)), 'comments left in English').toEqual([]);
      }
      await expect(lab.getByTestId('timeline-event').first()).toBeVisible();
      const events = await lab.getByTestId('timeline-event').count();
      expect(events).toBeGreaterThan(0);
      const expected = lab.locator('[data-testid^="expected-"]');
      for (const item of await expected.all()) {
        const status = await item.getAttribute('data-status');
        expect(['seen', 'waiting', 'overdue']).toContain(status);
      }
      // JSON-RPC inspector: frames between kurento-client and KMS, requests paired with responses.
      await lab.getByRole('tab', { name: /JSON-RPC/ }).click();
      await expect(lab.getByTestId('rpc-row').first()).toBeVisible();
      if (id !== 'connection-check') {
        await openGraph(lab, locale);
        await lab.getByRole('tab', { name: locale === 'en' ? 'Stats' : '统计' }).click();
        await expect
          .poll(async () => Number((await lab.getByTestId('stats-chart').first().getAttribute('data-points')) ?? 0), { timeout: 10_000 })
          .toBeGreaterThan(1);
      }
      if (id === 'hello-world') {
        // The lab's page loads the bundles by URLs with their content hash, which the browser may keep: a later run
        // asks the server for nothing (src/plugins/kurento-vendor.ts).
        const scripts = await lab.locator('iframe[data-testid="lab-page"]').evaluate((frame) => [...((frame as HTMLIFrameElement).contentDocument?.querySelectorAll('script[src]') ?? [])].map((script) => script.getAttribute('src') ?? ''));
        const bundles = scripts.filter((src) => src.startsWith('/vendor/'));
        expect(bundles).toHaveLength(2);
        for (const src of bundles) {
          expect(src).toMatch(/\.min\.js\?v=[0-9a-f]{12}$/);
          expect((await page.request.get(src)).headers()['cache-control']).toBe('public, max-age=31536000, immutable');
        }
        // Round-trip time from both sides: KMS' outboundrtp and the browser's own RTCP / ICE measurement.
        const rtt = lab.locator('[data-testid="stats-chart"][data-metric="rtt"]');
        await expect(rtt.locator('g[data-series^="browser:"]').first()).toBeAttached({ timeout: 10_000 });
        await expect(rtt.locator('g[data-series^="kms:"]').first()).toBeAttached({ timeout: 10_000 });
      }
      if (id === 'bandwidth') {
        // The check's own measurement: the browser's outbound video bitrate before and after the limit was lowered.
        const detail = await lab.getByTestId('lab-step-low').innerText();
        expect(detail).toMatch(/before the change \d+ kbps, now \d+ kbps/);
        console.log(`bandwidth ${locale}: ${detail.replace(/\s+/g, ' ')}`);
      }
      if (id === 'hello-world' && locale === 'en') {
        // Once the run has ended, the page for the next one loads below it, out of sight.
        await expect(lab.locator('iframe[data-testid="lab-page-prepared"]')).toBeAttached({ timeout: 10_000 });
        await expect(lab.locator('iframe[data-testid="lab-page-prepared"]')).toBeHidden();
        await expect(lab.locator('iframe[data-testid="lab-page"]')).toBeVisible();
      }
      await resetLeavesNoPipeline(lab);
      if (id === 'hello-world' && locale === 'en') {
        // While the lab is idle its next page loads ahead, hidden; a page of the other color mode is replaced, and the
        // next run takes the prepared page (session.ts, preparePage) and completes in it.
        const prepared = lab.locator('iframe[data-testid="lab-page-prepared"]');
        await expect(prepared).toBeAttached({ timeout: 10_000 });
        await expect(prepared).toBeHidden();
        const darkBody = (): Promise<boolean> => prepared.evaluate((frame) => (frame as HTMLIFrameElement).contentDocument?.body.classList.contains('dark') ?? false);
        expect(await darkBody()).toBe(false);
        const html = page.locator('html');
        const toggle = page.getByRole('button', { name: /mode/i }).first();
        for (let i = 0; i < 3 && (await html.getAttribute('data-theme')) !== 'dark'; i += 1) await toggle.click();
        await expect.poll(darkBody, { timeout: 10_000 }).toBe(true);
        await expect(prepared).toHaveCount(1);
        await prepared.evaluate((frame) => frame.setAttribute('data-marked', ''));
        await lab.getByTestId('lab-run').click();
        await expect(lab).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
        await expect(lab.locator('iframe[data-testid="lab-page"]')).toHaveAttribute('data-marked', '');
        await expect(lab.locator('iframe[data-testid="lab-page"]')).toBeVisible();
        await resetLeavesNoPipeline(lab);
        // Scrolled out of sight, the lab gives its prepared page back; back in sight, it prepares one again.
        await expect(prepared).toHaveCount(1, { timeout: 10_000 });
        await page.evaluate(() => window.scrollTo(0, 0));
        await expect(prepared).toHaveCount(0, { timeout: 10_000 });
        await lab.scrollIntoViewIfNeeded();
        await expect(prepared).toHaveCount(1, { timeout: 10_000 });
      }
      expect(errors).toEqual([]);
    });
  }
}

for (const id of ['connection-check', 'hello-world']) {
  // A refused connection is reported as soon as kurento-client gives up (a second, give or take), not after a step's
  // timeout: the bound leaves room for a loaded machine and is still far below any timeout of the lab.
  test(`${id} pointed at a dead KMS explains it at once`, async ({ page }) => {
    const lab = await openLabPage(page, id, { query: '?kms=ws://127.0.0.1:9/kurento' });
    await expect(lab.getByTestId('lab-kms-url')).toHaveText('ws://127.0.0.1:9/kurento');
    await expect(lab.getByTestId('lab-run')).toBeEnabled();
    await lab.getByTestId('lab-run').click();
    await expect(lab.getByTestId('lab-error')).toHaveAttribute('data-code', 'kms-unreachable', { timeout: 8_000 });
    await expect(lab.getByTestId('lab-error')).toContainText('npm start');
  });
}

test('the wrong path is told apart from an unreachable KMS', async ({ page }) => {
  const lab = await openLabPage(page, 'connection-check', { query: `?kms=ws://127.0.0.1:${E2E_KMS_PORT}/kurrento` });
  const started = Date.now();
  await lab.getByTestId('lab-run').click();
  await expect(lab.getByTestId('lab-error')).toHaveAttribute('data-code', 'kms-wrong-path', { timeout: 3_000 });
  expect(Date.now() - started).toBeLessThan(3_000);
});

test('on a page that is not a secure context the connection test says why the camera labs will fail', async ({ page }) => {
  // As on http://<LAN address>:3000 in a workshop: the KMS answers, but the browser gives no camera there.
  await page.addInitScript(() => Object.defineProperty(window, 'isSecureContext', { value: false }));
  const lab = await openLabPage(page, 'connection-check');
  await lab.getByRole('button', { name: 'Change KMS settings' }).click();
  await lab.getByTestId('settings-test').click();
  await expect(lab.getByTestId('probe-result')).toHaveAttribute('data-ok', 'true');
  await expect(lab.getByTestId('probe-context')).toHaveAttribute('data-code', 'insecure-context');
  await expect(lab.getByTestId('probe-context')).toContainText('not a secure context');
  await expect(lab.getByTestId('probe-context')).toContainText('--https');
});

test('the settings panel tests the connection and lists the KMS factories', async ({ page }) => {
  const lab = await openLabPage(page, 'connection-check');
  await lab.getByRole('button', { name: 'Change KMS settings' }).click();
  await lab.getByTestId('settings-test').click();
  await expect(lab.getByTestId('probe-result')).toHaveAttribute('data-ok', 'true');
  await expect(lab.getByTestId('probe-result')).toContainText('WebRtcEndpoint');
  await expect(lab.getByTestId('probe-context')).toHaveCount(0);
  await lab.getByTestId('kms-url-input').fill('http://nope');
  await expect(lab.getByTestId('settings-save')).toBeDisabled();
});

test('webrtc-events groups the observed events by the KMD class that defines them, and a name filters the list', async ({ page }) => {
  const { lab } = await runLab(page, 'webrtc-events');
  const classes = lab.getByTestId('event-classes');
  await expect(classes.getByTestId('event-class-WebRtcEndpoint')).toBeVisible();
  const candidates = Number(await classes.getByTestId('event-count-IceCandidateFound').getAttribute('data-count'));
  expect(candidates).toBeGreaterThan(0);
  await expect(classes.getByTestId('event-class-BaseRtpEndpoint').getByTestId('event-count-MediaStateChanged')).not.toHaveAttribute('data-count', '0');
  await expect(classes.getByTestId('event-class-MediaElement').getByTestId('event-count-ElementConnected')).not.toHaveAttribute('data-count', '0');
  await classes.getByTestId('event-count-IceCandidateFound').click();
  await expect(lab.getByTestId('timeline-filter')).toHaveValue('IceCandidateFound');
  const rows = lab.getByTestId('timeline-event');
  await expect(rows.first()).toHaveAttribute('data-type', 'IceCandidateFound');
  expect(await rows.count()).toBe(candidates);
  await resetLeavesNoPipeline(lab);
});

test('what an edited step creates shows in the views, and is released when the page closes', async ({ page }) => {
  const errors = collectErrors(page);
  const lab = await openLabPage(page, 'hello-world');
  await lab.getByTestId('edit-loopback').click();
  // The learner's own idea: a second pipeline of their own, with an element in it, besides the loopback.
  await setEditorCode(
    lab,
    'loopback',
    "webRtcEp.connect(webRtcEp, onError);\nclient.create('MediaPipeline', function (error, extra) {\n  if (error) return onError(error);\n  extra.create('PassThrough', function (error, passThrough) {\n    if (error) return onError(error);\n    console.log('extra', passThrough.id);\n  });\n});",
  );
  await lab.getByTestId('lab-run').click();
  await expect(lab).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
  // The timeline and the graph watch kurento-client, so the learner's objects show up as well.
  await openGraph(lab);
  await expect(lab.getByTestId('pipeline-graph').getByTestId('graph-element').filter({ hasText: 'PassThrough' })).toBeVisible();
  await expect.poll(pipelinesOnKms).toBe(2);
  expect(errors).toEqual([]);
  // The learner closes the tab.
  await page.close();
  await expect.poll(pipelinesOnKms, { timeout: 10_000 }).toBe(0);
});
