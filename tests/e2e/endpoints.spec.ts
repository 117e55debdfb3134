/**
 * The labs of the chapter "RTP and HTTP endpoints" in Debian's Chromium against the embedded KMS: the RTP gateway
 * (through the application server /rtpgateway, which runs ffmpeg) shows ffmpeg's test pattern (red, green, blue bands) in the page and gets a
 * recording of the page's camera back from ffmpeg, over plain RTP and over SRTP; the upload lab's viewer shows the
 * recording the browser POSTed, and the URL expires. The tests read what the labs' own checks measured.
 */
import { expect, test } from '@playwright/test';
import { collectErrors, resetLeavesNoPipeline, runLab, stepDetail } from './lab-helpers';

test.describe.configure({ timeout: 150_000 });

for (const [transport, prefix] of [
  ['rtp', ''],
  ['srtp', '/zh-Hans'],
] as const) {
  test(`rtp-gateway (${transport}${prefix ? ', zh-Hans' : ''}): ffmpeg's test pattern reaches the page, ffmpeg records the page's camera`, async ({ page }) => {
    const errors = collectErrors(page);
    const { lab, seconds } = await runLab(page, 'rtp-gateway', { params: { transport }, prefix, timeout: 120_000 });
    const bars = await stepDetail(lab, 'rtp-in');
    expect(bars).toMatch(/✓.*✓.*✓/);
    const recording = await stepDetail(lab, 'stop-recording');
    const duration = Number(/: (\d+(?:\.\d+)?) s, vp8 320x240/.exec(recording)?.[1] ?? 0);
    expect(duration, recording).toBeGreaterThanOrEqual(2);
    for (const id of ['rtpIn:connected', 'rtpIn:flow-out', 'webRtcEp:flow-out', 'rtpOut:flow-in', 'recorded']) {
      await expect(lab.getByTestId(`expected-${id}`)).toHaveAttribute('data-status', 'seen');
    }
    // Both SDPs of each direction are shown in the lab's page.
    const frame = lab.frameLocator('[data-testid="lab-page"]');
    await expect(frame.locator('details pre').filter({ hasText: 'a=direction:active' })).toHaveCount(1);
    await expect(frame.locator('details pre').filter({ hasText: 'a=direction:passive' })).toHaveCount(1);
    await expect(frame.locator('details pre').filter({ hasText: /m=audio 0 / })).toHaveCount(1);
    if (transport === 'srtp') await expect(frame.locator('details pre').filter({ hasText: 'a=crypto:1 AES_CM_128_HMAC_SHA1_80' })).toHaveCount(2);
    console.log(`rtp-gateway ${transport}: ${seconds.toFixed(1)} s: ${bars}; ${recording}`);
    await resetLeavesNoPipeline(lab, 15_000);
    expect(errors).toEqual([]);
  });
}

for (const prefix of ['', '/zh-Hans']) {
  test(`upload${prefix ? ' (zh-Hans)' : ''}: the viewer shows the POSTed recording, EndOfStream, the URL expires`, async ({ page }) => {
    const errors = collectErrors(page);
    const { lab, seconds } = await runLab(page, 'upload', { prefix, timeout: 120_000 });
    const viewer = await stepDetail(lab, 'upload');
    expect(viewer).toMatch(/rgb\(/);
    await expect(lab.getByTestId('expected-eos')).toHaveAttribute('data-status', 'seen');
    await expect(lab.getByTestId('expected-terminated')).toHaveAttribute('data-status', 'seen');
    expect(await stepDetail(lab, 'expiry')).toContain('getUrl() = ""');
    console.log(`upload ${prefix || 'en'}: ${seconds.toFixed(1)} s: ${viewer}`);
    await resetLeavesNoPipeline(lab);
    expect(errors).toEqual([]);
  });
}
