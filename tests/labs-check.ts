/**
 * `npm run labs:check -- --kms ws://host:8888/kurento [--ice '<json>'] [--site http://127.0.0.1:3000]`: runs every lab
 * in headless Debian chromium against that KMS and prints a table (lab, result, time, first failing step and why).
 * It opens the site's preflight page, the same one a trainer can use with one click. Without --site it serves the
 * production build itself (building it when needed), without starting the embedded KMS.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { buildSite, buildState } from '../server/site/build';
import { SiteService } from '../server/site/site-service';
import { CHROMIUM_FLAGS } from './e2e/browser';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kms: { type: 'string' },
      ice: { type: 'string' },
      site: { type: 'string' },
      locale: { type: 'string', default: 'en' },
      timeout: { type: 'string', default: '300' },
    },
    strict: true,
  });
  if (!values.kms) {
    console.error("usage: npm run labs:check -- --kms ws://host:8888/kurento [--ice '<json>'] [--site URL]");
    process.exit(2);
  }
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    console.error(`Chromium is missing at ${chromiumPath}: sudo apt-get install -y chromium`);
    process.exit(2);
  }
  let site: SiteService | undefined;
  let origin = values.site;
  if (!origin) {
    const root = path.resolve(__dirname, '..');
    const buildDir = path.join(root, 'build');
    if (!(await buildState(root, buildDir)).fresh) await buildSite(root, buildDir, (line) => console.log(line));
    site = new SiteService({ root, buildDir, host: '127.0.0.1', port: 0, log: () => undefined });
    site.setRuntimeConfig({ kmsUrl: values.kms, iceServers: values.ice ?? '' });
    await site.start();
    origin = site.origin;
  }
  const query = new URLSearchParams({ kms: values.kms, autorun: '1' });
  if (values.ice) query.set('ice_servers', values.ice);
  const prefix = values.locale === 'zh-Hans' ? '/zh-Hans' : '';
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_FLAGS });
  const page = await (await browser.newContext({ permissions: ['camera', 'microphone'] })).newPage();
  const started = Date.now();
  await page.goto(`${origin}${prefix}/preflight?${query.toString()}`);
  await page.getByTestId('preflight').and(page.locator('[data-finished="true"]')).waitFor({ timeout: Number(values.timeout) * 1000 });
  const rows = await page.getByTestId('preflight-table').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
      return { lab: cells[0] ?? '', result: cells[1] ?? '', time: cells[2] ?? '', why: cells[3] ?? '' };
    }),
  );
  await browser.close();
  await site?.stop();
  console.log(`Labs against ${values.kms} (${((Date.now() - started) / 1000).toFixed(1)} s):`);
  console.table(rows);
  const failed = rows.filter((row) => !/^pass$|^通过$/.test(row.result));
  console.log(failed.length === 0 ? `all ${rows.length} labs pass` : `${failed.length} of ${rows.length} labs failed`);
  process.exit(failed.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
