import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** True when `filename` (a generator's __filename) is the script node was started with. */
export function isExecutedDirectly(filename: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  const resolved = path.resolve(entry);
  return resolved === filename || resolved === filename.replace(/\.ts$/, '');
}

/**
 * A generator's command line: writes `content` to `file`, or with --check exits 1 when the committed file differs
 * (a missing file is out of date). `wrote` is the line printed after writing.
 */
export function writeOrCheck(file: string, content: string, script: string, wrote: (relative: string) => string = (relative) => `wrote ${relative}`): void {
  const relative = path.relative(process.cwd(), file);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // missing: out of date
    }
    if (current !== content) {
      console.error(`${relative} is out of date: run npx tsx ${script}`);
      process.exit(1);
    }
    console.log(`${relative} is up to date`);
  } else {
    writeFileSync(file, content);
    console.log(wrote(relative));
  }
}
