import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from '@docusaurus/types';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Text assets worth compressing (fonts and media are compressed already). */
const TEXT = /\.(js|mjs|css|html|json|svg|xml|txt|map)$/;
/** Smaller files are not worth a round of negotiation. */
const MIN_BYTES = 1024;

async function files(dir: string): Promise<string[]> {
  const result: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) result.push(...(await files(full)));
    else if (TEXT.test(entry.name)) result.push(full);
  }
  return result;
}

/**
 * Writes `<file>.br` and `<file>.gz` beside every text asset of a build, once, so the site's server sends compressed
 * bytes without compressing on each request (server/site/static-files.ts picks the variant a client accepts). Brotli
 * at quality 10 and gzip at level 9: zlib runs them on its thread pool, several files at once.
 */
export async function precompress(outDir: string): Promise<{ files: number; bytes: number; brotli: number; gzip: number }> {
  const list = [];
  for (const file of await files(outDir)) if ((await stat(file)).size >= MIN_BYTES) list.push(file);
  const totals = { files: list.length, bytes: 0, brotli: 0, gzip: 0 };
  const queue = [...list];
  const worker = async (): Promise<void> => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const data = await readFile(file);
      const [br, gzipped] = await Promise.all([
        brotli(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 10, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
        gz(data, { level: 9 }),
      ]);
      await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gzipped)]);
      totals.bytes += data.length;
      totals.brotli += br.length;
      totals.gzip += gzipped.length;
    }
  };
  await Promise.all(Array.from({ length: 4 }, () => worker()));
  return totals;
}

export default function precompressPlugin(): Plugin {
  return {
    name: 'kurento-labs-precompress',
    async postBuild({ outDir }) {
      const started = Date.now();
      const totals = await precompress(outDir);
      const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
      console.log(`[precompress] ${totals.files} files, ${mb(totals.bytes)} MB → brotli ${mb(totals.brotli)} MB, gzip ${mb(totals.gzip)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
  };
}
