/**
 * The three-tier labs (chapters /docs/three-tier-hello-world, -one2one, -one2many and -group-call): the page talks only to the application servers of `npm start`
 * (server/apps), which drive the embedded KMS. Each lab must complete, its timeline must show the three lanes
 * (browser, application server, KMS), and Reset must leave no pipeline on KMS.
 */
import { expect, test, type Locator } from '@playwright/test';
import { collectErrors, resetLeavesNoPipeline, runLab } from './lab-helpers';

/** Each lab and the application server path its page talks to. */
const LABS: ReadonlyArray<readonly [id: string, path: string]> = [
  ['three-tier-hello-world', '/helloworld'],
  ['three-tier-one2one', '/call'],
  ['three-tier-one2many', '/one2many'],
  ['three-tier-group-call', '/groupcall'],
];
const LANES = ['browser', 'app', 'kms'] as const;

/** The timeline has events in every lane, and every expectation is seen (or still allowed to come). */
async function expectThreeLanes(lab: Locator): Promise<void> {
  for (const lane of LANES) {
    await expect(lab.locator(`[data-testid="timeline-event"][data-lane="${lane}"]`).first()).toBeVisible();
  }
  for (const item of await lab.locator('[data-testid^="expected-"]').all()) {
    expect(['seen', 'waiting', 'overdue']).toContain(await item.getAttribute('data-status'));
  }
}

/**
 * The application server's own JSON-RPC frames with KMS (kmsTraffic, server/apps/kms-traffic.ts) are in the
 * inspector, on the app-kms:<path> channel and marked as the application server ↔ KMS lane: the pipeline's create,
 * and KMS events.
 */
async function expectAppKmsFrames(lab: Locator, path: string, lane: RegExp = /application server ↔ KMS/): Promise<void> {
  await lab.getByRole('tab', { name: /JSON-RPC/ }).click();
  await lab.getByTestId('rpc-channel').selectOption(`app-kms:${path}`);
  const rows = (method = ''): Locator => lab.locator(`[data-testid="rpc-row"][data-lane="app-kms"]${method}`);
  await expect(rows('[data-method="create MediaPipeline"]').first()).toBeVisible();
  await expect(rows('[data-method="create WebRtcEndpoint"]').first()).toBeVisible();
  await expect(rows('[data-method="invoke processOffer"]').first()).toHaveAttribute('data-status', 'ok');
  await expect(rows('[data-method^="onEvent "]').first()).toBeVisible();
  await expect(rows().first().getByTestId('rpc-lane')).toHaveText(lane);
  // Each answer pairs with its request: a frame forwarded to two sockets of the page (a call's pipeline) shows once.
  await expect(rows('[data-method="(response)"]')).toHaveCount(0);
  // Only this page's frames: no row of the browser ↔ application server channel is left under this filter.
  await expect(lab.locator('[data-testid="rpc-row"][data-lane="browser-app"]')).toHaveCount(0);
  await expect(lab.getByTestId('rpc-app-kms-note')).toBeVisible();
  await lab.getByTestId('rpc-channel').selectOption('');
}

/** Reset closes the page's sockets; the application servers then release every pipeline. */
const APP_RELEASE_TIMEOUT = 15_000;

for (const [id, path] of LABS) {
  test(`${id} completes in en, with the browser, application-server and KMS lanes`, async ({ page }) => {
    const errors = collectErrors(page);
    const { lab } = await runLab(page, id);
    await expectThreeLanes(lab);
    // The signaling frames of the app:<path> channel are in the inspector.
    await lab.getByRole('tab', { name: /JSON-RPC/ }).click();
    await expect(lab.getByTestId('rpc-row').filter({ hasText: `app:${path}` }).first()).toBeVisible();
    await expectAppKmsFrames(lab, path);
    await resetLeavesNoPipeline(lab, APP_RELEASE_TIMEOUT);
    expect(errors).toEqual([]);
  });
}

test('three-tier-one2one completes in zh-Hans, in Chinese', async ({ page }) => {
  const errors = collectErrors(page);
  const { lab } = await runLab(page, 'three-tier-one2one', { prefix: '/zh-Hans' });
  await expect(lab.getByTestId('lab-step-register')).toContainText('两个浏览器分别注册');
  await expect(lab.getByTestId('expected-accepted')).toContainText('发给主叫');
  await expectThreeLanes(lab);
  await expectAppKmsFrames(lab, '/call', /应用服务器 ↔ KMS/);
  await resetLeavesNoPipeline(lab, APP_RELEASE_TIMEOUT);
  expect(errors).toEqual([]);
});

test('the hello-world lab records the KMS events the application server forwards', async ({ page }) => {
  const { lab } = await runLab(page, 'three-tier-hello-world');
  for (const type of ['IceComponentStateChanged', 'MediaFlowInStateChanged']) {
    await expect(lab.locator(`[data-testid="timeline-event"][data-lane="kms"][data-type="${type}"]`).first()).toBeVisible();
  }
  await expect(lab.locator('[data-testid="timeline-event"][data-lane="app"][data-type="KMS_EVENT"]').first()).toBeVisible();
  await expect(lab.getByTestId('expected-webRtcEndpoint:connected')).toHaveAttribute('data-status', 'seen');
  await expect(lab.getByTestId('expected-webRtcEndpoint:flow-in-VIDEO')).toHaveAttribute('data-status', 'seen');
  await resetLeavesNoPipeline(lab, APP_RELEASE_TIMEOUT);
});
