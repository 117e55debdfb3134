/**
 * `npm run bench -- build [--runs 1]`: the production build of both locales (`docusaurus build`, as `npm start` and the
 * end-to-end tests run it) from clean caches: webpack's persistent cache (node_modules/.cache), Docusaurus' generated
 * files (.docusaurus, .docusaurus-<locale>) and the prebuilt kurento bundles (.generated) are removed before each run,
 * and the site is built into a temporary folder so the project's own build is left alone. That is a fresh clone's first
 * build, so, as there, webpack's persistent cache is not written (server/site/build.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { buildSite, generatedFilesDirName } from '../server/site/build';
import { SITE_LOCALES } from '../core/site-locales';
import { median } from './kms-process';

export const BUILD_TARGET_SECONDS = 60;
const root = path.resolve(__dirname, '..');
export const BUILD_CACHES = ['node_modules/.cache', ...SITE_LOCALES.map(generatedFilesDirName), '.generated'];

export interface BuildRow {
  run: number;
  seconds: number;
  loadAverageAtStart: number;
}

export async function benchBuild(runs: number): Promise<{ rows: BuildRow[]; medianSeconds: number }> {
  const rows: BuildRow[] = [];
  console.log(`build bench: ${cpus().length} cores; caches removed before each run: ${BUILD_CACHES.join(', ')}; a first build, as on a fresh clone (no persistent webpack cache written)`);
  for (let run = 1; run <= runs; run += 1) {
    for (const cache of BUILD_CACHES) rmSync(path.join(root, cache), { recursive: true, force: true });
    const out = mkdtempSync(path.join(tmpdir(), 'build-bench-'));
    const loadAverageAtStart = Math.round((loadavg()[0] ?? 0) * 100) / 100;
    const started = process.hrtime.bigint();
    try {
      await buildSite(root, out, () => undefined);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    rows.push({ run, seconds: Math.round(Number(process.hrtime.bigint() - started) / 1e8) / 10, loadAverageAtStart });
  }
  return { rows, medianSeconds: median(rows.map((row) => row.seconds)) };
}
