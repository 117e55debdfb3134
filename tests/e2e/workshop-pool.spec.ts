/**
 * A pool of two KMS (`npm run kms` twice) behind one workshop site (KMS_URL=a,b): attendees are spread over both; the
 * members of one group call meet on one KMS whichever KMS each was assigned; a lab runs through the site's /kurento
 * to the attendee's KMS; when one KMS stops, the dashboard says it left the pool and new attendees get the other.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { openLabPage } from './lab-helpers';
import { E2E_KMS_PORT } from './ports';
import { attendeeContext, startScript, startWorkshopSite, stopScript, type Started } from './workshop-helpers';

// This spec's own site and two KMS, on the ports after the Playwright web server's KMS port.
const SITE_PORT = E2E_KMS_PORT + 5;
const KMS_PORTS = [E2E_KMS_PORT + 3, E2E_KMS_PORT + 4] as const;
const KMS_URLS = KMS_PORTS.map((port) => `ws://127.0.0.1:${port}/kurento`);

/** The KMS the site assigned to this attendee's browser (what its /labs-runtime.json says). */
async function assignedKms(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const runtime = (await (await fetch('/labs-runtime.json', { cache: 'no-store' })).json()) as { pool?: { kms?: string | null } };
    return runtime.pool?.kms ?? '';
  });
}

/** Joins `room` of the group-call application server as `name`, from this attendee's page (its cookie goes along). */
async function joinRoom(page: Page, room: string, name: string): Promise<void> {
  const answer = await page.evaluate(
    ({ room, name }) =>
      new Promise<string>((resolve, reject) => {
        const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/groupcall`);
        (window as unknown as { groupSocket: WebSocket }).groupSocket = socket;
        socket.onopen = () => socket.send(JSON.stringify({ id: 'joinRoom', name, room }));
        socket.onmessage = (event) => resolve(String((JSON.parse(String(event.data)) as { id: string }).id));
        socket.onerror = () => reject(new Error('the /groupcall socket failed'));
      }),
    { room, name },
  );
  expect(answer).toBe('existingParticipants');
}

test('a pool of two KMS: spread, group call on one KMS, a KMS that stops leaves the pool', async ({ browser }) => {
  test.setTimeout(240_000);
  const kmsProcesses: Array<Started | undefined> = [];
  let site: Awaited<ReturnType<typeof startWorkshopSite>> | undefined;
  const contexts: BrowserContext[] = [];
  try {
    for (const port of KMS_PORTS) kmsProcesses.push(await startScript('server/kms/cli.ts', ['--port', String(port)], /Kurento clients can connect to/));
    site = await startWorkshopSite(SITE_PORT, [], { KMS_URL: KMS_URLS.join(',') });
    expect(site.output()).toContain('a pool of 2 KMS');
    const trainerContext = await attendeeContext(browser, site.origin);
    contexts.push(trainerContext);
    const trainer = await trainerContext.newPage();
    await trainer.goto(`/trainer?token=${site.token}`);
    const pool = trainer.getByTestId('trainer-pool');
    await expect(pool.locator('[data-testid="trainer-kms"][data-up="true"]')).toHaveCount(2);

    // Four attendees: two on each KMS.
    const attendees: Page[] = [];
    const assigned: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      const context = await attendeeContext(browser, site.origin);
      contexts.push(context);
      const page = await context.newPage();
      await page.goto('/docs/intro');
      attendees.push(page);
      assigned.push(await assignedKms(page));
    }
    // Both KMS run on this machine and sample its CPU alike: the attendees decide the spread (2 and 2, unless the CPU
    // samples differ enough to move one). The dashboard counts the same.
    for (const url of KMS_URLS) {
      const count = assigned.filter((value) => value === url).length;
      expect(count, `attendees on ${url}: ${assigned.join(', ')}`).toBeGreaterThanOrEqual(1);
      await expect(pool.locator(`[data-testid="trainer-kms"][data-url="${url}"]`)).toHaveAttribute('data-attendees', String(count));
    }

    // A group call between an attendee of each KMS: the room lives on the KMS of the one who opened it.
    const opener = attendees[assigned.indexOf(KMS_URLS[0] ?? '')] as Page;
    const joiner = attendees[assigned.indexOf(KMS_URLS[1] ?? '')] as Page;
    expect(await assignedKms(opener)).not.toBe(await assignedKms(joiner));
    await joinRoom(opener, 'pool-e2e', 'opener');
    await joinRoom(joiner, 'pool-e2e', 'joiner');
    const roomKms = await assignedKms(opener);
    const otherKms = KMS_URLS.find((url) => url !== roomKms) ?? '';
    // The dashboard's pipeline counts (ServerManager.getPipelines, polled): one room pipeline, on the opener's KMS.
    await expect(pool.locator(`[data-testid="trainer-kms"][data-url="${roomKms}"] td`).nth(3)).toHaveText('1', { timeout: 15_000 });
    await expect(pool.locator(`[data-testid="trainer-kms"][data-url="${otherKms}"] td`).nth(3)).toHaveText('0');
    for (const page of [opener, joiner]) await page.evaluate(() => (window as unknown as { groupSocket: WebSocket }).groupSocket.close());

    // A lab through the site's /kurento, forwarded to the attendee's KMS.
    const lab = await openLabPage(joiner, 'connection-check');
    await lab.getByTestId('lab-run').click();
    await expect(lab).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });

    // The second KMS stops: the dashboard says it left the pool, and a new attendee gets the first.
    await stopScript(kmsProcesses[1]);
    await expect(pool.locator(`[data-testid="trainer-kms"][data-url="${KMS_URLS[1]}"]`)).toHaveAttribute('data-up', 'false', { timeout: 20_000 });
    await expect(trainer.getByTestId('trainer-notices')).toContainText(`${KMS_URLS[1]} does not answer`);
    const late = await attendeeContext(browser, site.origin);
    contexts.push(late);
    const latePage = await late.newPage();
    await latePage.goto('/docs/intro');
    expect(await assignedKms(latePage)).toBe(KMS_URLS[0]);
    // An attendee of the KMS that left moves on its next page load.
    const moved = attendees[assigned.indexOf(KMS_URLS[1] ?? '')] as Page;
    expect(await assignedKms(moved)).toBe(KMS_URLS[0]);
  } finally {
    for (const context of contexts) await context.close();
    await stopScript(site);
    for (const started of kmsProcesses) await stopScript(started);
  }
});
