/**
 * `npm run bench -- labs [--runs 10]`: in headless Debian chromium against `npm start` (site + embedded KMS), the
 * time from clicking Run in the hello-world lab to the remote video playing (median of N runs, Reset between runs),
 * then the wall time of the whole end-to-end lab suite (tests/e2e/labs.spec.ts).
 *
 * The clock starts at the click event in the page (its timeStamp), not when Playwright is asked to click: Playwright's
 * actionability checks before it dispatches the click took 200-250 ms here, which no learner waits for.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_FLAGS } from '../tests/e2e/browser';
import { median } from './kms-process';
import { ensureBuilt, startSite } from './site-process';

const root = path.resolve(__dirname, '..');

/** Issue 21: the first remote video within 300 ms of the click, median. */
export const FIRST_VIDEO_TARGET_MS = 300;

export interface LabsBenchResult {
  runs: number;
  clickToVideoMs: { median: number; min: number; max: number; all: number[] };
  /** Median time from the click to each mark of bench/labs-phases.js (first occurrence per run), in page order. */
  phases: Array<{ what: string; medianMs: number }>;
  e2eSuiteSeconds: number | undefined;
}

export async function benchLabs(runs: number, withSuite: boolean): Promise<LabsBenchResult> {
  await ensureBuilt();
  const port = 3190;
  const stop = await startSite(port, 8890);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  const page = await (await browser.newContext({ permissions: ['camera', 'microphone'] })).newPage();
  await page.addInitScript({ path: path.join(__dirname, 'labs-phases.js') });
  const times: number[] = [];
  const phaseRuns: Array<Map<string, number>> = [];
  try {
    await page.goto(`http://127.0.0.1:${port}/docs/first-app-javascript`);
    const lab = page.getByTestId('lab-hello-world');
    // A lab loads when its slot comes into view (labs/loaders.ts); while the page hydrates its layout can still move.
    for (let tries = 0; !(await lab.getByTestId('lab-run').isVisible()); tries += 1) {
      if (tries === 40) throw new Error('the hello-world lab did not load within 20 s of scrolling to it');
      await page.getByTestId('lab-slot-hello-world').scrollIntoViewIfNeeded();
      await page.waitForTimeout(500);
    }
    for (let run = 0; run < runs; run += 1) {
      await lab.getByTestId('lab-run').waitFor();
      await page.waitForFunction(() => !document.querySelector('[data-testid="lab-hello-world"] [data-testid="lab-run"]')?.hasAttribute('disabled'));
      await page.evaluate(() => {
        const button = document.querySelector('[data-testid="lab-hello-world"] [data-testid="lab-run"]');
        // Absolute time of the click (ms since the epoch): the lab's page is an iframe with a clock of its own.
        button?.addEventListener('click', (event) => ((window as unknown as { clickedAt: number }).clickedAt = performance.timeOrigin + event.timeStamp), { once: true, capture: true });
        // The frame of the previous run, if still there, is not the one to watch.
        document.querySelector('[data-testid="lab-hello-world"] iframe[data-testid="lab-page"]')?.setAttribute('data-bench-old', '');
        (window as unknown as { __labPhases: unknown[] }).__labPhases.length = 0;
      });
      await lab.getByTestId('lab-run').click();
      const started = await page.evaluate(() => (window as unknown as { clickedAt: number }).clickedAt);
      // Playing: the remote video of the lab's page (its iframe) has decoded frames and its clock advances.
      const playingAt = await page.waitForFunction(
        () => {
          const frame = document.querySelector<HTMLIFrameElement>('[data-testid="lab-hello-world"] iframe[data-testid="lab-page"]:not([data-bench-old])');
          const video = frame?.contentDocument?.querySelector<HTMLVideoElement>('#videoOutput');
          const decoded = (video as (HTMLVideoElement & { webkitDecodedFrameCount?: number }) | null | undefined)?.webkitDecodedFrameCount ?? 0;
          return video && video.currentTime > 0 && decoded > 0 ? performance.timeOrigin + performance.now() : false;
        },
        undefined,
        { timeout: 30000, polling: 'raf' },
      );
      const playing = Number(await playingAt.jsonValue());
      times.push(Math.round(playing - started));
      const marks = await page.evaluate(() => {
        type Marks = Array<{ what: string; at: number }>;
        const frames = [...document.querySelectorAll<HTMLIFrameElement>('[data-testid="lab-hello-world"] iframe[data-testid="lab-page"]:not([data-bench-old])')];
        const windows = [window, ...frames.map((frame) => frame.contentWindow)] as Array<(Window & { __labPhases?: Marks }) | null>;
        return windows.flatMap((win) => win?.__labPhases ?? []).sort((a, b) => a.at - b.at);
      });
      const firsts = new Map<string, number>();
      for (const { what, at } of marks) if (at <= playing && !firsts.has(what)) firsts.set(what, at - started);
      firsts.set('remote video playing', playing - started);
      phaseRuns.push(firsts);
      await page.waitForSelector('[data-testid="lab-hello-world"]:is([data-status="complete"],[data-status="failed"])', { timeout: 60000 });
      await lab.getByTestId('lab-reset').click();
      await page.waitForSelector('[data-testid="lab-hello-world"][data-status="idle"]');
    }
  } finally {
    await browser.close();
    await stop();
  }
  const sorted = [...times].sort((a, b) => a - b);
  let e2eSuiteSeconds: number | undefined;
  if (withSuite) {
    const started = Date.now();
    const result = spawnSync('npx', ['playwright', 'test', 'tests/e2e/labs.spec.ts'], { cwd: root, stdio: 'inherit' });
    e2eSuiteSeconds = result.status === 0 ? Math.round((Date.now() - started) / 100) / 10 : undefined;
  }
  const order = [...(phaseRuns.at(-1)?.entries() ?? [])].sort((a, b) => a[1] - b[1]).map(([what]) => what);
  const phases = order.map((what) => {
    const values = phaseRuns.map((run) => run.get(what)).filter((value): value is number => value !== undefined);
    return { what, medianMs: Math.round(median(values)) };
  });
  return {
    phases,
    runs,
    clickToVideoMs: { median: median(times), min: sorted[0] ?? NaN, max: sorted.at(-1) ?? NaN, all: times },
    e2eSuiteSeconds,
  };
}
