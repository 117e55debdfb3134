import { expect, test, type Page } from '@playwright/test';
import kurentoClient, { type KurentoClient, type ServerManager } from 'kurento-client';
import { LAB_CHAPTERS } from '../../labs/chapters';
import { call } from '../../labs/framework/kurento';
import { E2E_KMS_PORT } from './ports';

const KMS_URL = `ws://127.0.0.1:${E2E_KMS_PORT}/kurento`;
const LAB_IDS = ['connection-check', 'hello-world', 'webrtc-events', 'data-channels'];

/** Opens the chapter that embeds `id`, runs the lab, and waits for it to complete; returns the lab locator. */
async function runLab(page: Page, id: string, prefix = '') {
  const chapter = LAB_CHAPTERS[id];
  if (!chapter) throw new Error(`no chapter embeds ${id}`);
  await page.goto(`${prefix}${chapter}`);
  const lab = page.getByTestId(`lab-${id}`);
  await expect(lab.getByTestId('lab-run')).toBeEnabled();
  await lab.getByTestId('lab-run').click();
  await expect(lab).toHaveAttribute('data-status', /complete|failed/, { timeout: 60_000 });
  if ((await lab.getAttribute('data-status')) !== 'complete') {
    const error = await lab.getByTestId('lab-error').innerText().catch(() => '(no error box)');
    throw new Error(`lab ${id} did not complete: ${error}`);
  }
  return lab;
}

async function pipelinesOnKms(): Promise<number> {
  const client = await call<KurentoClient>((done) => kurentoClient(KMS_URL, { failAfter: 2 }, done));
  try {
    const manager = await call<ServerManager>((done) => client.getServerManager(done));
    const pipelines = await call<unknown[]>((done) => manager.getPipelines(done));
    return pipelines.length;
  } finally {
    client.close();
  }
}

for (const [locale, prefix] of [
  ['en', ''],
  ['zh-Hans', '/zh-Hans'],
] as const) {
  for (const id of LAB_IDS) {
    test(`${id} completes in ${locale}, with its views populated, and Reset leaves no pipeline`, async ({ page }) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const lab = await runLab(page, id, prefix);
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
        await lab.getByRole('tab', { name: locale === 'en' ? 'Pipeline' : '管道' }).click();
        await expect(lab.getByTestId('graph-element').first()).toBeVisible();
        await lab.getByRole('tab', { name: locale === 'en' ? 'Stats' : '统计' }).click();
        await expect
          .poll(async () => Number((await lab.getByTestId('stats-chart').first().getAttribute('data-points')) ?? 0), { timeout: 10_000 })
          .toBeGreaterThan(1);
      }
      await lab.getByTestId('lab-reset').click();
      await expect(lab).toHaveAttribute('data-status', 'idle');
      await expect.poll(pipelinesOnKms, { timeout: 10_000 }).toBe(0);
      expect(errors).toEqual([]);
    });
  }
}

for (const id of ['connection-check', 'hello-world']) {
  test(`${id} pointed at a dead KMS explains it within 3 s`, async ({ page }) => {
    await page.goto(`${LAB_CHAPTERS[id]}?kms=ws://127.0.0.1:9/kurento`);
    const lab = page.getByTestId(`lab-${id}`);
    await expect(lab.getByTestId('lab-kms-url')).toHaveText('ws://127.0.0.1:9/kurento');
    await expect(lab.getByTestId('lab-run')).toBeEnabled();
    const started = Date.now();
    await lab.getByTestId('lab-run').click();
    await expect(lab.getByTestId('lab-error')).toHaveAttribute('data-code', 'kms-unreachable', { timeout: 3_000 });
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect(lab.getByTestId('lab-error')).toContainText('npm start');
  });
}

test('the wrong path is told apart from an unreachable KMS', async ({ page }) => {
  await page.goto(`${LAB_CHAPTERS['connection-check']}?kms=ws://127.0.0.1:${E2E_KMS_PORT}/kurrento`);
  const lab = page.getByTestId('lab-connection-check');
  const started = Date.now();
  await lab.getByTestId('lab-run').click();
  await expect(lab.getByTestId('lab-error')).toHaveAttribute('data-code', 'kms-wrong-path', { timeout: 3_000 });
  expect(Date.now() - started).toBeLessThan(3_000);
});

test('the settings panel tests the connection and lists the KMS factories', async ({ page }) => {
  await page.goto(LAB_CHAPTERS['connection-check'] ?? '/');
  const lab = page.getByTestId('lab-connection-check');
  await lab.getByRole('button', { name: 'Change KMS settings' }).click();
  await lab.getByTestId('settings-test').click();
  await expect(lab.getByTestId('probe-result')).toHaveAttribute('data-ok', 'true');
  await expect(lab.getByTestId('probe-result')).toContainText('WebRtcEndpoint');
  await lab.getByTestId('kms-url-input').fill('http://nope');
  await expect(lab.getByTestId('settings-save')).toBeDisabled();
});
