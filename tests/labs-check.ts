/**
 * `npm run labs:check -- --kms ws://host:8888/kurento [--ice '<json>'] [--site http://127.0.0.1:3000] [--jobs N]`: runs
 * every lab in headless Debian chromium against that KMS and prints a table (lab, result, time, first failing step and
 * why). It opens the site's preflight page, the same one a trainer can use with one click.
 *
 * --jobs N runs N labs at a time (default 1): the check ends sooner, and the KMS gets N sessions at once, as in a
 * workshop; each lab's time then includes the others' load.
 *
 * A pool of KMS: repeat --kms; every KMS is checked in turn and gets its own table (with a site of its own each
 * time, unless --site is given: then that site's application servers serve the three-tier labs).
 *
 * Which site: --site; else a running `npm start` on http://127.0.0.1:3000 (its application servers and coturn serve
 * the three-tier and TURN labs); else (or with --own-site) it starts the same services itself (`server/main.ts` with
 * KMS_URL=<--kms>: the site, the application servers using that KMS, coturn when installed) on a free port, and stops
 * them at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { CHROMIUM_FLAGS } from './e2e/browser';
import { freePort } from './helpers/network';

const NPM_START_ORIGIN = 'http://127.0.0.1:3000';

async function answers(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/labs-runtime.json`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** `server/main.ts` against an external KMS; resolves once it prints that it runs (it builds the site when needed). */
async function startServices(kms: string, ice: string | undefined): Promise<{ origin: string; child: ChildProcess }> {
  const root = path.resolve(__dirname, '..');
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'main.ts'), '--port', String(port)], {
    cwd: root,
    env: { ...process.env, KMS_URL: kms, ICE_SERVERS: ice ?? process.env.ICE_SERVERS ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (/Kurento Labs is running/.test(chunk.toString())) resolve();
      else if (/Building|built/.test(chunk.toString())) process.stdout.write(chunk);
    });
    child.once('exit', (code) => reject(new Error(`the site exited (${code ?? 'signal'}) before it ran`)));
  });
  return { origin: `http://127.0.0.1:${port}`, child };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kms: { type: 'string', multiple: true },
      ice: { type: 'string' },
      site: { type: 'string' },
      'own-site': { type: 'boolean', default: false },
      locale: { type: 'string', default: 'en' },
      timeout: { type: 'string', default: '300' },
      jobs: { type: 'string', default: '1' },
    },
    strict: true,
  });
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 8) {
    console.error(`--jobs takes a whole number from 1 to 8 (labs run at a time), not "${values.jobs ?? ''}"`);
    process.exit(2);
  }
  if (!values.kms && !values.site) {
    console.error("usage: npm run labs:check -- --kms ws://host:8888/kurento [--kms ws://other:8888/kurento …] [--ice '<json>'] [--site URL | --own-site] [--jobs N]");
    console.error('       npm run labs:check -- --site https://<workshop address>:3000   (the labs of that site, with its own KMS)');
    process.exit(2);
  }
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    console.error(`Chromium is missing at ${chromiumPath}: sudo apt-get install -y chromium`);
    process.exit(2);
  }
  const pool = values.kms ?? [];
  let failedTotal = 0;
  for (const kms of pool.length > 0 ? pool : [undefined]) {
    if (pool.length > 1) console.log(`\n=== KMS ${kms ?? ''} (${pool.indexOf(kms ?? '') + 1} of ${pool.length}) ===`);
    failedTotal += await checkOne(kms, values, chromiumPath);
  }
  if (pool.length > 1) console.log(`\n${failedTotal === 0 ? `every lab passes on all ${pool.length} KMS` : `${failedTotal} failures over ${pool.length} KMS`}`);
  process.exit(failedTotal === 0 ? 0 : 1);
}

/** Runs every lab against one KMS (or the site's own) and prints its table; resolves with how many labs failed. */
async function checkOne(
  kms: string | undefined,
  values: { ice?: string | undefined; site?: string | undefined; 'own-site'?: boolean | undefined; locale?: string | undefined; timeout?: string | undefined; jobs?: string | undefined },
  chromiumPath: string,
): Promise<number> {
  let services: ChildProcess | undefined;
  let origin = values.site;
  if (!origin && !values['own-site'] && (await answers(NPM_START_ORIGIN))) {
    origin = NPM_START_ORIGIN;
    console.log(`Using the site of npm start at ${origin}.`);
  }
  if (!origin) {
    const started = await startServices(kms ?? '', values.ice);
    services = started.child;
    origin = started.origin;
    console.log(`Started the site, the application servers and coturn (when installed) at ${origin}, using KMS ${kms ?? ''}.`);
  }
  const jobs = Number(values.jobs ?? '1');
  const query = new URLSearchParams({ ...(kms ? { kms } : {}), autorun: '1', ...(jobs > 1 ? { jobs: String(jobs) } : {}) });
  if (values.ice) query.set('ice_servers', values.ice);
  const prefix = values.locale === 'zh-Hans' ? '/zh-Hans' : '';
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS });
  const started = Date.now();
  let rows: Array<{ lab: string; result: string; time: string; why: string }>;
  try {
    // A workshop site (npm start -- --https) has a self-signed certificate: this is the trainer's own machine checking it.
    const page = await (await browser.newContext({ permissions: ['camera', 'microphone'], ignoreHTTPSErrors: true })).newPage();
    await page.goto(`${origin}${prefix}/preflight?${query.toString()}`);
    await page.getByTestId('preflight').and(page.locator('[data-finished="true"]')).waitFor({ timeout: Number(values.timeout ?? '300') * 1000 });
    rows = await page.getByTestId('preflight-table').locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
        return { lab: cells[0] ?? '', result: cells[1] ?? '', time: cells[2] ?? '', why: cells[3] ?? '' };
      }),
    );
  } finally {
    await browser.close();
    if (services && services.exitCode === null) {
      const exited = once(services, 'exit');
      services.kill('SIGTERM');
      await exited;
    }
  }
  const atOnce = jobs > 1 ? `, ${jobs} labs at a time: each time includes the others' load` : '';
  console.log(`Labs against ${kms ?? `the KMS of ${origin}`} (${((Date.now() - started) / 1000).toFixed(1)} s${atOnce}):`);
  console.table(rows);
  const failed = rows.filter((row) => !/^pass$|^通过$/.test(row.result));
  console.log(failed.length === 0 ? `all ${rows.length} labs pass` : `${failed.length} of ${rows.length} labs failed`);
  return failed.length;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
