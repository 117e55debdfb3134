import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, openLabPage, resetLeavesNoPipeline, runLab } from './lab-helpers';

/**
 * The TURN relay lab against the coturn that `npm start` runs: relay candidates on both sides and media back through
 * the relay over UDP and over TCP, and the 401 of a wrong password.
 */
const LAB_ID = 'turn-relay';

interface Runtime {
  turn?: { urls: string } | null;
  turnStatus?: { available: boolean; reason?: string } | null;
}

/** npm start without coturn installed is a supported setup (the lab explains it); anything else must work. */
async function requireCoturn(page: Page): Promise<Runtime> {
  const response = await page.request.get('/labs-runtime.json');
  const runtime = (await response.json()) as Runtime;
  const reason = runtime.turnStatus?.reason ?? '';
  test.skip(runtime.turnStatus?.available === false && /not installed/.test(reason), `coturn is not installed here (${reason})`);
  expect(runtime.turn, `npm start should run coturn: ${reason || 'no turn in /labs-runtime.json'}`).toBeTruthy();
  return runtime;
}

async function runTurnLab(page: Page, params: { transport: 'udp' | 'tcp'; credentials: 'right' | 'wrong' }): Promise<Locator> {
  return (await runLab(page, LAB_ID, { params })).lab;
}

async function openCandidates(lab: Locator): Promise<Locator> {
  await lab.getByRole('tab', { name: /Candidates|候选/ }).click();
  const table = lab.getByTestId('candidate-table');
  await expect(table).toBeVisible();
  return table;
}

test.describe('TURN relay lab', () => {
  test.describe.configure({ timeout: 120_000 });

  for (const transport of ['udp', 'tcp'] as const) {
    test(`completes over ${transport}: relay candidates on both sides, media back through the relay, Reset leaves no pipeline`, async ({ page }) => {
      const errors = collectErrors(page);
      await requireCoturn(page);
      const lab = await runTurnLab(page, { transport, credentials: 'right' });

      await expect(lab.getByTestId('lab-step-browser-gather')).toHaveAttribute('data-status', 'passed');
      await expect(lab.getByTestId('lab-step-browser-gather')).toContainText(`?transport=${transport}`);
      await expect(lab.getByTestId('lab-step-kms-gather')).toContainText('typ relay');
      const loopback = lab.getByTestId('lab-step-relay-loopback');
      await expect(loopback).toHaveAttribute('data-status', 'passed');
      await expect(loopback).toContainText(`relayed through turn:`);
      await expect(loopback).toContainText(`?transport=${transport}`);
      await expect(loopback).toContainText(`relayProtocol ${transport}`);
      await expect
        .poll(async () => lab.frameLocator('[data-testid="lab-page"]').locator('#videoOutput').evaluate((video) => (video as HTMLVideoElement).currentTime), { timeout: 10_000 })
        .toBeGreaterThan(0);

      const table = await openCandidates(lab);
      await expect(table.locator('[data-testid="candidate-row"][data-side="browser"][data-type="relay"]').first()).toBeVisible();
      await expect(table.locator('[data-testid="candidate-row"][data-side="kms"][data-type="relay"]').first()).toBeVisible();
      await expect(table.locator('[data-testid="candidate-row"][data-side="browser"][data-type="relay"]').first()).toContainText(`?transport=${transport}`);
      await expect(table.getByTestId('candidate-error')).toHaveCount(0);

      await resetLeavesNoPipeline(lab);
      expect(errors).toEqual([]);
    });
  }

  test('with a wrong password the browser shows icecandidateerror 401, explained, and no relay candidate', async ({ page }) => {
    const errors = collectErrors(page);
    await requireCoturn(page);
    const lab = await runTurnLab(page, { transport: 'udp', credentials: 'wrong' });

    await expect(lab.getByTestId('lab-step-browser-gather')).toContainText('401');
    await expect(lab.getByTestId('lab-step-relay-loopback')).toHaveAttribute('data-status', 'passed');
    const table = await openCandidates(lab);
    const unauthorized = table.locator('[data-testid="candidate-error"][data-code="401"]').first();
    await expect(unauthorized).toBeVisible();
    await expect(unauthorized).toContainText(/credentials|凭据/);
    await expect(table.locator('[data-testid="candidate-row"][data-type="relay"]')).toHaveCount(0);
    await expect(table.locator('[data-testid="candidate-row"][data-side="browser"]').first()).toBeVisible();

    await resetLeavesNoPipeline(lab);
    expect(errors).toEqual([]);
  });

  test('the Chinese page runs it too', async ({ page }) => {
    await requireCoturn(page);
    const { lab } = await runLab(page, LAB_ID, { prefix: '/zh-Hans' });
    const table = await openCandidates(lab);
    await expect(table.locator('[data-testid="candidate-row"][data-type="relay"]').first()).toBeVisible();
    await resetLeavesNoPipeline(lab);
  });

  test('the labs index and the coturn chapter say which TURN server the labs use', async ({ page }) => {
    const runtime = await requireCoturn(page);
    await page.goto('/labs');
    await expect(page.getByTestId('turn-status')).toHaveAttribute('data-state', 'available');
    await expect(page.getByTestId('turn-status')).toContainText(runtime.turn?.urls ?? 'turn:');
    await page.goto('/zh-Hans/docs/coturn');
    await expect(page.getByTestId('turn-status')).toHaveAttribute('data-state', 'available');
    await expect(page.getByTestId('turn-status')).toContainText('实验所用的 TURN');
  });
});

test('without coturn the labs index says so and how to install it, in both languages', async ({ page }) => {
  // What `npm start` serves on a machine without coturn (server/turn/coturn.ts: COTURN_NOT_INSTALLED).
  await page.route('**/labs-runtime.json', async (route) => {
    const response = await route.fetch();
    const runtime = (await response.json()) as Record<string, unknown>;
    await route.fulfill({
      response,
      json: { ...runtime, turn: null, turnStatus: { available: false, reason: 'coturn is not installed: sudo apt-get install coturn' } },
    });
  });
  await page.goto('/labs');
  await expect(page.getByTestId('turn-status')).toHaveAttribute('data-state', 'missing');
  await expect(page.getByTestId('turn-status')).toContainText('coturn is not installed');
  await expect(page.getByTestId('turn-status')).toContainText('sudo apt-get install coturn');
  await page.goto('/zh-Hans/docs/coturn');
  await expect(page.getByTestId('turn-status')).toHaveAttribute('data-state', 'missing');
  await expect(page.getByTestId('turn-status')).toContainText('没有安装');
});

test('without a TURN server the lab stops before it runs anything, and says how to get one', async ({ page }) => {
  await page.route('**/labs-runtime.json', async (route) => {
    const response = await route.fetch();
    const runtime = (await response.json()) as Record<string, unknown>;
    await route.fulfill({
      response,
      json: { ...runtime, turn: null, turnStatus: { available: false, reason: 'coturn is not installed: sudo apt-get install coturn' } },
    });
  });
  const lab = await openLabPage(page, LAB_ID);
  await lab.getByTestId('lab-run').click();
  await expect(lab.getByTestId('lab-error')).toHaveAttribute('data-code', 'turn-missing');
  await expect(lab.getByTestId('lab-error')).toContainText('sudo apt-get install coturn');
  await expect(lab.getByTestId('lab-step-browser-gather')).toHaveAttribute('data-status', 'skipped');
});
