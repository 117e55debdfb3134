/**
 * `npm run bench -- pages [--runs 3] [--only first-app,labs]`: Lighthouse 12.2.3 (npm, run through npx; mobile preset with its simulated
 * throttling) in Debian chromium against `npm start`, on the pages a newcomer meets first: the intro, the first-app
 * chapter and the labs index, in English and in Chinese. Per page, the median of N runs of the performance and
 * accessibility scores and of the metrics behind them, and the JavaScript the page loads (bytes over the wire and
 * uncompressed), from Lighthouse's own network record.
 *
 * Lighthouse simulates a slow phone from a trace of this machine: on a busy machine (other processes on the cores) its
 * blocking-time estimate grows, so the bench says what else was running is not its business but the reader's.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { median } from './kms-process';
import { ensureBuilt, startSite } from './site-process';

export const LIGHTHOUSE_VERSION = '12.2.3';
export const PAGES_TARGET = { performance: 95, accessibility: 95 } as const;

export const BENCH_PAGES: ReadonlyArray<{ name: string; path: string }> = [
  { name: 'intro (en)', path: '/docs/intro' },
  { name: 'first app (en)', path: '/docs/first-app-javascript' },
  { name: 'labs index (en)', path: '/labs' },
  { name: 'intro (zh-Hans)', path: '/zh-Hans/docs/intro' },
  { name: 'first app (zh-Hans)', path: '/zh-Hans/docs/first-app-javascript' },
  { name: 'labs index (zh-Hans)', path: '/zh-Hans/labs' },
];

export interface PageRow {
  page: string;
  performance: number;
  accessibility: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  /** JavaScript over the wire (compressed) and decoded, in KB (1000 bytes). */
  jsTransferKB: number;
  jsDecodedKB: number;
  met: boolean;
}

/** The parts of a Lighthouse result (LHR) the bench reads. */
interface Lhr {
  runtimeError?: { code: string; message: string };
  categories: Record<'performance' | 'accessibility', { score: number | null }>;
  audits: Record<string, { numericValue?: number; details?: { items?: Array<Record<string, unknown>> } }>;
}

/** One page's row from a Lighthouse result: scores as 0-100, metrics in ms, scripts from the network record. */
export function pageRow(name: string, lhr: Lhr): Omit<PageRow, 'met'> {
  const metric = (id: string): number => Math.round(lhr.audits[id]?.numericValue ?? Number.NaN);
  const requests = lhr.audits['network-requests']?.details?.items ?? [];
  const scripts = requests.filter((item) => item.resourceType === 'Script');
  const sum = (key: string): number => scripts.reduce((total, item) => total + (typeof item[key] === 'number' ? (item[key] as number) : 0), 0);
  return {
    page: name,
    performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
    accessibility: Math.round((lhr.categories.accessibility.score ?? 0) * 100),
    fcpMs: metric('first-contentful-paint'),
    lcpMs: metric('largest-contentful-paint'),
    tbtMs: metric('total-blocking-time'),
    cls: Math.round((lhr.audits['cumulative-layout-shift']?.numericValue ?? 0) * 1000) / 1000,
    jsTransferKB: Math.round(sum('transferSize') / 1000),
    jsDecodedKB: Math.round(sum('resourceSize') / 1000),
  };
}

/** The median row of several runs of one page (each figure's own median). */
export function medianRow(rows: ReadonlyArray<Omit<PageRow, 'met'>>): PageRow {
  const first = rows[0];
  if (!first) throw new Error('no runs');
  const pick = (key: Exclude<keyof PageRow, 'page' | 'met'>): number => median(rows.map((row) => row[key]));
  const row = {
    page: first.page,
    performance: pick('performance'),
    accessibility: pick('accessibility'),
    fcpMs: pick('fcpMs'),
    lcpMs: pick('lcpMs'),
    tbtMs: pick('tbtMs'),
    cls: pick('cls'),
    jsTransferKB: pick('jsTransferKB'),
    jsDecodedKB: pick('jsDecodedKB'),
  };
  return { ...row, met: row.performance >= PAGES_TARGET.performance && row.accessibility >= PAGES_TARGET.accessibility };
}

async function lighthouse(url: string, outputFile: string): Promise<Lhr> {
  const args = [
    '--yes',
    `lighthouse@${LIGHTHOUSE_VERSION}`,
    url,
    '--output=json',
    `--output-path=${outputFile}`,
    '--only-categories=performance,accessibility',
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
    '--quiet',
  ];
  const child = spawn('npx', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`lighthouse failed on ${url} (exit ${code}): ${errors.trim().slice(-800)}`);
  const lhr = JSON.parse(readFileSync(outputFile, 'utf8')) as Lhr;
  // A page Lighthouse could not measure (an interstitial, no paint) has no metrics: say why rather than print NaN.
  if (lhr.runtimeError) throw new Error(`lighthouse could not measure ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  return lhr;
}

/** The bench's pages, or those whose path contains one of `only` (`--only first-app,labs`). */
export function selectPages(only?: readonly string[]): ReadonlyArray<{ name: string; path: string }> {
  if (!only || only.length === 0) return BENCH_PAGES;
  return BENCH_PAGES.filter((page) => only.some((part) => page.path.includes(part)));
}

export async function benchPages(runs: number, onRow: (row: PageRow) => void, only?: readonly string[]): Promise<PageRow[]> {
  const pages = selectPages(only);
  if (pages.length === 0) throw new Error(`no bench page matches ${only?.join(', ')}`);
  await ensureBuilt();
  // Other ports than the defaults let two checkouts measure at once (as the e2e specs' E2E_SITE_PORT does).
  const port = Number(process.env.BENCH_SITE_PORT ?? 3191);
  const stop = await startSite(port, Number(process.env.BENCH_KMS_PORT ?? 8891));
  const dir = mkdtempSync(path.join(tmpdir(), 'pages-bench-'));
  const rows: PageRow[] = [];
  try {
    console.log(`pages bench: Lighthouse ${LIGHTHOUSE_VERSION}, mobile preset, ${runs} run(s) per page; ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(2)} at the start`);
    for (const { name, path: pagePath } of pages) {
      const perRun: Array<Omit<PageRow, 'met'>> = [];
      for (let run = 0; run < runs; run += 1) {
        perRun.push(pageRow(name, await lighthouse(`http://127.0.0.1:${port}${pagePath}`, path.join(dir, `${rows.length}-${run}.json`))));
      }
      const row = medianRow(perRun);
      rows.push(row);
      onRow(row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await stop();
  }
  return rows;
}
