/**
 * The filter labs (chapter "Filters and computer vision") with their sample pictures, in Debian's Chromium: the Magic
 * Mirror draws the hat where the sample photograph's face is (the output is purple there and the input is not, and the
 * picture is unchanged away from it), and the QR codes lab reads back exactly the text the sample code was made from.
 * The tests read what the labs' own checks measured.
 */
import { expect, test } from '@playwright/test';
import { SAMPLE_QR } from '../../labs/framework/pictures';
import { LOCALES, collectErrors, openGraph, resetLeavesNoPipeline, runLab, stepDetail } from './lab-helpers';

test.describe.configure({ timeout: 120_000 });

for (const [locale, prefix] of LOCALES) {
  test(`magic-mirror (${locale}): the hat over the sample face, nothing elsewhere`, async ({ page }) => {
    const errors = collectErrors(page);
    const { lab, seconds } = await runLab(page, 'magic-mirror', { prefix });
    // Before the image: the same picture comes back where the hat will be.
    expect(await stepDetail(lab, 'connect')).toMatch(locale === 'en' ? /the same picture comes back/ : /传回的画面与发送的相同/);
    const hat = await stepDetail(lab, 'hat');
    const gain = Number(/(?:purple|紫色) \+(\d+)/.exec(hat)?.[1] ?? 0);
    expect(gain, hat).toBeGreaterThanOrEqual(45);
    expect(hat).toMatch(locale === 'en' ? /elsewhere unchanged/ : /其他位置没有变化/);
    await expect(lab.getByTestId('expected-faceOverlay:flow-in-VIDEO')).toHaveAttribute('data-status', 'seen');
    const view = await openGraph(lab, locale);
    await expect(view.locator('[data-testid="graph-element"][data-type="FaceOverlayFilter"]')).toHaveCount(1);
    console.log(`magic-mirror ${locale}: ${seconds.toFixed(1)} s: ${hat}`);
    await resetLeavesNoPipeline(lab);
    expect(errors).toEqual([]);
  });
}

test('qr-codes: CodeFound carries the text the sample QR code was made from', async ({ page }) => {
  const errors = collectErrors(page);
  const { lab, seconds } = await runLab(page, 'qr-codes');
  const detail = await stepDetail(lab, 'connect');
  expect(detail).toContain(`QR-Code "${SAMPLE_QR.text}"`);
  await expect(lab.getByTestId('expected-code-found')).toHaveAttribute('data-status', 'seen');
  const events = lab.locator('[data-testid="timeline-event"][data-lane="kms"][data-type="CodeFound"]');
  await expect(events.first()).toBeVisible();
  console.log(`qr-codes: ${seconds.toFixed(1)} s: ${detail}`);
  await resetLeavesNoPipeline(lab);
  expect(errors).toEqual([]);
});
