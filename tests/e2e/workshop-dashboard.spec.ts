/**
 * Workshop mode with its trainer dashboard: three attendees (browser contexts of their own) run labs, one of them into
 * a failure; the trainer's /trainer page (opened with the token npm start printed) shows each one's progress and the
 * failure with its message, live; the trainer's banner reaches every attendee's page. Both locales.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { openLabPage } from './lab-helpers';
import { E2E_KMS_PORT } from './ports';
import { attendeeContext, startWorkshopSite, stopScript } from './workshop-helpers';

// This spec's own site and KMS, on the ports after the Playwright web server's KMS port.
const SITE_PORT = E2E_KMS_PORT + 1;
const KMS_PORT = E2E_KMS_PORT + 2;
/** Where nothing listens: the failing attendee's KMS. */
const DEAD_KMS = `ws://127.0.0.1:${E2E_KMS_PORT + 9}/kurento`;

test('three attendees and a trainer: the grid shows progress and a failure with its message; the banner reaches attendees', async ({ browser }) => {
  test.setTimeout(240_000);
  const site = await startWorkshopSite(SITE_PORT, ['--kms-port', String(KMS_PORT)]);
  const contexts: BrowserContext[] = [];
  try {
    // Without the token the dashboard is refused; with it, the token is swapped for a cookie and the page opens.
    const stranger = await attendeeContext(browser, site.origin);
    contexts.push(stranger);
    expect((await (await stranger.newPage()).goto('/trainer'))?.status()).toBe(403);
    const trainerContext = await attendeeContext(browser, site.origin);
    contexts.push(trainerContext);
    const trainer = await trainerContext.newPage();
    await trainer.goto(`/trainer?token=${site.token}`);
    await expect(trainer).toHaveURL(/\/trainer$/);
    const dashboard = trainer.getByTestId('trainer-dashboard');
    await expect(dashboard).toHaveAttribute('data-connection', 'live');

    const attendees: Page[] = [];
    for (const name of ['Ada', 'Grace', 'Linus']) {
      const context = await attendeeContext(browser, site.origin);
      contexts.push(context);
      const page = await context.newPage();
      await page.goto('/docs/intro');
      // The attendee page says the trainer sees their progress, and takes a display name.
      const bar = page.getByTestId('workshop-notice');
      await expect(bar).toContainText('your trainer sees the progress of your labs');
      await page.getByTestId('workshop-name-change').click();
      await page.getByTestId('workshop-name-input').fill(name);
      await page.getByTestId('workshop-name-save').click();
      await expect(page.getByTestId('workshop-name')).toHaveText(name);
      attendees.push(page);
    }
    await expect(dashboard.getByTestId('trainer-row')).toHaveCount(3);

    const [ada, grace, linus] = attendees as [Page, Page, Page];
    // Ada and Grace run labs to completion; Linus points his lab at a KMS that is not there.
    const runs = [
      (async () => {
        const lab = await openLabPage(ada, 'hello-world');
        await lab.getByTestId('lab-run').click();
        await expect(lab).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
      })(),
      (async () => {
        const lab = await openLabPage(grace, 'connection-check');
        await lab.getByTestId('lab-run').click();
        await expect(lab).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
      })(),
    ];
    const linusLab = await openLabPage(linus, 'connection-check', { query: `?kms=${DEAD_KMS}` });
    await linusLab.getByTestId('lab-run').click();
    await expect(linusLab).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
    const code = await linusLab.getByTestId('lab-error').getAttribute('data-code');
    await Promise.all(runs);

    const row = (name: string) => dashboard.locator(`[data-testid="trainer-row"][data-name="${name}"]`);
    await expect(row('Ada').locator('[data-testid="trainer-cell"][data-state="complete"]')).toHaveCount(1);
    await expect(row('Grace').locator('[data-testid="trainer-cell"][data-state="complete"]')).toHaveCount(1);
    const failure = row('Linus').getByTestId('trainer-error');
    await expect(failure).toHaveAttribute('data-code', code ?? '');
    await expect(failure).not.toBeEmpty();
    // Per lab: how many finished, and the median time.
    await expect(dashboard.locator('[data-testid="trainer-summary"] [data-lab="hello-world"]')).toHaveAttribute('data-finished', '1');
    // The "failed" filter leaves Linus alone.
    await trainer.getByTestId('trainer-filter-failed').check();
    await expect(dashboard.getByTestId('trainer-row')).toHaveCount(1);
    await expect(row('Linus')).toBeVisible();
    await trainer.getByTestId('trainer-filter-failed').uncheck();

    // The banner reaches every attendee's page, live.
    await trainer.getByTestId('trainer-banner-input').fill('Everyone: open the recording lab');
    await trainer.getByTestId('trainer-banner-send').click();
    for (const page of attendees) await expect(page.getByTestId('workshop-banner')).toHaveText(/Everyone: open the recording lab/);
    await trainer.getByTestId('trainer-banner-clear').click();
    for (const page of attendees) await expect(page.getByTestId('workshop-banner')).toHaveCount(0);

    // The Chinese dashboard, with the same grid.
    await trainer.goto('/zh-Hans/trainer');
    await expect(trainer.getByRole('heading', { level: 1 })).toHaveText('讲师面板');
    await expect(trainer.getByTestId('trainer-row')).toHaveCount(3);
    await expect(trainer.locator('[data-testid="trainer-row"][data-name="Linus"] [data-testid="trainer-error"]')).toHaveAttribute('data-code', code ?? '');
  } finally {
    for (const context of contexts) await context.close();
    await stopScript(site);
  }
});
