/**
 * The hub labs (broadcasting, group call, routing) in Debian's Chromium against the embedded KMS. Several synthetic
 * sources of distinct colours share one page; the labs' own checks sample the colour of every tile, and these tests
 * read the details of those checks (`viewer-1 ✓ red #d32f2f rgb(…)`) to prove which source each tile shows. After
 * Reset, no pipeline may be left on the KMS.
 */
import { expect, test } from '@playwright/test';
import { LOCALES, collectErrors, openGraph, resetLeavesNoPipeline, runLab, stepDetail } from './lab-helpers';

const RED = '#d32f2f';
const GREEN = '#2e7d32';
const BLUE = '#1565c0';

/** `slot ✓ <colour name> <hex>` for each slot, as colourCheck writes it. */
function expectColours(detail: string, wanted: Record<string, string>): void {
  for (const [slot, hex] of Object.entries(wanted)) {
    expect(detail, `${slot} should show ${hex}`).toMatch(new RegExp(`(^|[ ;—-])${slot} ✓ \\S+ ${hex} rgb\\(`));
  }
}

test('broadcasting, direct: every viewer shows the presenter, one leaves, the others play on', async ({ page }) => {
  const errors = collectErrors(page);
  const { lab } = await runLab(page, 'broadcasting', { params: { variant: 'direct' } });
  expectColours(await stepDetail(lab, 'presenter'), { presenter: RED });
  expectColours(await stepDetail(lab, 'colours'), { 'viewer-1': RED, 'viewer-2': RED, 'viewer-3': RED });
  // viewer-2 left; viewer-1 and viewer-3 kept decoding frames of the presenter.
  const leave = await stepDetail(lab, 'leave');
  expectColours(leave, { 'viewer-1': RED, 'viewer-3': RED });
  expect(leave).not.toContain('viewer-2 ✓');
  expect(await stepDetail(lab, 'fanout')).toContain('presenterEp → viewerEps.viewer-1, viewerEps.viewer-3 (VIDEO)');
  const view = await openGraph(lab);
  // The fan-out: presenterEp → each remaining viewer's endpoint, VIDEO.
  await expect(view.locator('[data-testid="graph-link"][data-source="presenterEp"][data-media="VIDEO"]')).toHaveCount(2);
  await resetLeavesNoPipeline(lab);
  expect(errors).toEqual([]);
});

test('broadcasting, DispatcherOneToMany with four viewers', async ({ page }) => {
  const errors = collectErrors(page);
  const { lab } = await runLab(page, 'broadcasting', { params: { variant: 'dispatcher', viewers: '4' } });
  expectColours(await stepDetail(lab, 'colours'), { 'viewer-1': RED, 'viewer-2': RED, 'viewer-3': RED, 'viewer-4': RED });
  expectColours(await stepDetail(lab, 'leave'), { 'viewer-1': RED, 'viewer-3': RED, 'viewer-4': RED });
  const fanout = await stepDetail(lab, 'fanout');
  expect(fanout).toContain('presenterEp → presenterPort');
  for (const index of [1, 3, 4]) expect(fanout).toContain(`viewerPorts.viewer-${index} → viewerEps.viewer-${index}`);
  const view = await openGraph(lab);
  await expect(view.locator('[data-testid="graph-element"][data-type="DispatcherOneToMany"]')).toHaveCount(1);
  await expect(view.locator('[data-testid="graph-link"][data-source="presenterEp"][data-sink="presenterPort"][data-media="VIDEO"]')).toHaveCount(1);
  for (const index of [1, 3, 4]) {
    await expect(view.locator(`[data-testid="graph-link"][data-source="viewerPorts.viewer-${index}"][data-sink="viewerEps.viewer-${index}"][data-media="VIDEO"]`)).toHaveCount(1);
  }
  await resetLeavesNoPipeline(lab);
  expect(errors).toEqual([]);
});

test('group call: every tile shows the right participant; muting stops one media type; a participant leaves', async ({ page }) => {
  const errors = collectErrors(page);
  const { lab } = await runLab(page, 'group-call', { params: { participants: '3' } });
  expectColours(await stepDetail(lab, 'tiles'), {
    'bob-to-alice': GREEN,
    'carol-to-alice': BLUE,
    'alice-to-bob': RED,
    'carol-to-bob': BLUE,
    'alice-to-carol': RED,
    'bob-to-carol': GREEN,
  });
  const muted = await stepDetail(lab, 'mute-video');
  expect(muted).toMatch(/alice-to-bob VIDEO NOT_FLOWING \+\d/);
  expect(muted).toMatch(/alice-to-carol VIDEO NOT_FLOWING \+\d/);
  expectColours(await stepDetail(lab, 'unmute-video'), { 'alice-to-bob': RED, 'alice-to-carol': RED });
  expect(await stepDetail(lab, 'mute-audio')).toMatch(/bob-to-alice AUDIO NOT_FLOWING \+\d/);
  expect(await stepDetail(lab, 'unmute-audio')).toMatch(/bob-to-alice AUDIO FLOWING \+\d/);
  // carol left: alice and bob still see each other.
  const leave = await stepDetail(lab, 'leave');
  expectColours(leave, { 'bob-to-alice': GREEN, 'alice-to-bob': RED });
  expect(leave).not.toContain('carol-to-');
  const view = await openGraph(lab);
  await expect(view.locator('[data-testid="graph-link"][data-source="outgoing.alice"][data-sink="incoming.alice-to-bob"][data-media="VIDEO"]')).toHaveCount(1);
  await resetLeavesNoPipeline(lab);
  expect(errors).toEqual([]);
});

for (const [locale, prefix] of LOCALES) {
  test(`routing (${locale}): Dispatcher routes and switches, DispatcherOneToMany switches everybody, audio and video from two sources`, async ({ page }) => {
    const errors = collectErrors(page);
    const { lab } = await runLab(page, 'routing', { prefix });
    expectColours(await stepDetail(lab, 'members'), { red: RED, green: GREEN, blue: BLUE });
    expectColours(await stepDetail(lab, 'dispatcher'), { 'viewer-1': RED, 'viewer-2': GREEN });
    expectColours(await stepDetail(lab, 'dispatcher-switch'), { 'viewer-1': BLUE, 'viewer-2': RED });
    expectColours(await stepDetail(lab, 'one-to-many'), { 'viewer-1': GREEN, 'viewer-2': GREEN });
    expectColours(await stepDetail(lab, 'one-to-many-switch'), { 'viewer-1': BLUE, 'viewer-2': BLUE });
    const byType = await stepDetail(lab, 'by-media-type');
    expect(byType).toContain('viewer-1 getSourceConnections: AUDIO ← sources.red, VIDEO ← sources.green');
    expectColours(byType, { 'viewer-1': GREEN, 'viewer-2': BLUE });
    const view = await openGraph(lab, locale);
    await expect(view.locator('[data-testid="graph-link"][data-source="sources.red"][data-sink="viewers.viewer-1"][data-media="AUDIO"]')).toHaveCount(1);
    await expect(view.locator('[data-testid="graph-link"][data-source="sources.green"][data-sink="viewers.viewer-1"][data-media="VIDEO"]')).toHaveCount(1);
    await expect(view.locator('[data-testid="graph-link"][data-source="oneToManyPorts.viewer-2"][data-sink="viewers.viewer-2"][data-media="VIDEO"]')).toHaveCount(1);
    await resetLeavesNoPipeline(lab);
    expect(errors).toEqual([]);
  });
}
