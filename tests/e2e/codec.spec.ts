/**
 * The labs whose media the embedded KMS decodes or writes (recording, player, transcoding, mixing), in Debian's
 * Chromium with a fake camera. Each must complete, and the tests read what the labs' own checks measured: the
 * recorded file is served and is a real WebM or MP4, the player seeks where it was told, the receiver decodes H.264
 * made from VP8, and every cell of the Composite's grid shows the participant that belongs there.
 */
import { expect, test, type Locator } from '@playwright/test';
import { LOCALES, collectErrors, openGraph, resetLeavesNoPipeline, runLab, stepDetail } from './lab-helpers';

test.describe.configure({ timeout: 150_000 });

/** The download link of the recording lab must serve the file it names, with the container's magic bytes. */
async function expectDownload(lab: Locator, magic: RegExp, minBytes = 10_000): Promise<void> {
  const link = lab.getByTestId('lab-step-download-link');
  const href = await link.getAttribute('href');
  expect(href, 'the download step links to the recording').toBeTruthy();
  const response = await lab.page().request.get(href ?? '');
  expect(response.status()).toBe(200);
  const body = await response.body();
  expect(body.length).toBeGreaterThan(minBytes);
  expect(body.subarray(0, 12).toString('hex')).toMatch(magic);
}

for (const [profile, magic] of [
  ['WEBM', /^1a45dfa3/],
  ['MP4', /^.{8}66747970/],
] as const) {
  test(`recording (${profile}): recorded, served for download, played back to EndOfStream`, async ({ page }) => {
    const errors = collectErrors(page);
    const { lab } = await runLab(page, 'recording', { params: { profile, seconds: '3' } });
    expect(await stepDetail(lab, 'record')).toMatch(/\b[3-9]\.\d s\b/);
    await expectDownload(lab, magic);
    for (const id of ['recording', 'stopped', 'end-of-stream']) await expect(lab.getByTestId(`expected-${id}`)).toHaveAttribute('data-status', 'seen');
    await resetLeavesNoPipeline(lab);
    expect(errors).toEqual([]);
  });
}

test('recording in zh-Hans, audio only (WEBM_AUDIO_ONLY)', async ({ page }) => {
  const errors = collectErrors(page);
  const { lab } = await runLab(page, 'recording', { params: { profile: 'WEBM_AUDIO_ONLY', seconds: '2' }, prefix: '/zh-Hans' });
  // Two seconds of Opus are a few kB.
  await expectDownload(lab, /^1a45dfa3/, 4_000);
  await resetLeavesNoPipeline(lab);
  expect(errors).toEqual([]);
});

for (const [locale, prefix] of LOCALES) {
  test(`player (${locale}): duration, position, seek while paused, EndOfStream`, async ({ page }) => {
    const errors = collectErrors(page);
    const { lab } = await runLab(page, 'player', { prefix });
    expect(await stepDetail(lab, 'info')).toMatch(/\d+\.\d s/);
    expect(await stepDetail(lab, 'play')).toMatch(/position \d+ ms/);
    expect(await stepDetail(lab, 'pause')).toMatch(/paused at \d+ ms, now \d+ ms/);
    await expect(lab.getByTestId('expected-eos')).toHaveAttribute('data-status', 'seen');
    await resetLeavesNoPipeline(lab);
    expect(errors).toEqual([]);
  });
}

test('transcoding: VP8 from the sender, H.264 decoded by the receiver, TRANSCODING for VIDEO only', async ({ page }) => {
  const errors = collectErrors(page);
  const { lab } = await runLab(page, 'transcoding');
  expect(await stepDetail(lab, 'sender')).toContain('video: VP8');
  expect(await stepDetail(lab, 'receiver')).toMatch(/video: H264(, H264)*( |$)/);
  expect(await stepDetail(lab, 'connect')).toMatch(/MediaTranscodingStateChanged VIDEO TRANSCODING, AUDIO NOT_TRANSCODING; receiver framesDecoded [1-9]\d*/);
  expect(await stepDetail(lab, 'cost')).toMatch(/isMediaTranscoding VIDEO true, AUDIO false; receiver framesDecoded [1-9]\d*/);
  await expect(lab.getByTestId('expected-video-transcoding')).toHaveAttribute('data-status', 'seen');
  await expect(lab.getByTestId('expected-audio-not-transcoding')).toHaveAttribute('data-status', 'seen');
  await expect(lab.locator('[data-testid="timeline-event"][data-lane="kms"][data-type="MediaTranscodingStateChanged"]').first()).toBeVisible();
  await resetLeavesNoPipeline(lab);
  expect(errors).toEqual([]);
});

for (const participants of ['3', '4'] as const) {
  test(`mixing with ${participants} participants: every cell of the grid shows the right source, the grid shrinks when one leaves`, async ({ page }) => {
    const errors = collectErrors(page);
    const { lab } = await runLab(page, 'mixing', { params: { participants }, timeout: 120_000 });
    expect(await stepDetail(lab, 'two')).toContain('alice-grid 2x1: ① ✓ red ② ✓ green');
    const more = await stepDetail(lab, 'more');
    expect(more).toContain(
      participants === '3' ? 'alice-grid 2x2: ① ✓ red ② ✓ green ③ ✓ blue ④ ✓ black' : 'alice-grid 2x2: ① ✓ red ② ✓ green ③ ✓ blue ④ ✓ amber',
    );
    // Everybody receives the same grid.
    const everyone = await stepDetail(lab, 'everyone');
    for (const name of ['alice', 'bob', 'carol']) expect(everyone).toContain(`${name}-grid 2x2: ① ✓ red ② ✓ green ③ ✓ blue`);
    expect(everyone).not.toContain('✗');
    const leave = await stepDetail(lab, 'leave');
    expect(leave).toContain(participants === '3' ? 'alice-grid 2x1: ① ✓ red ② ✓ green' : 'alice-grid 2x2: ① ✓ red ② ✓ green ③ ✓ blue ④ ✓ black');
    const view = await openGraph(lab);
    await expect(view.locator('[data-testid="graph-element"][data-type="Composite"]')).toHaveCount(1);
    await resetLeavesNoPipeline(lab);
    expect(errors).toEqual([]);
  });
}
