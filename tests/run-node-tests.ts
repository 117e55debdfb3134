/**
 * Runs the node:test files (`*.test.ts`) under the given folders (or the files given) with tsx, sequentially, and fails when there are none:
 * an empty suite would pass silently.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function collect(dir: string): string[] {
  if (statSync(dir).isFile()) return dir.endsWith('.test.ts') ? [dir] : [];
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) files.push(...collect(full));
    else if (entry.endsWith('.test.ts')) files.push(full);
  }
  return files;
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: tsx tests/run-node-tests.ts <dir|file.test.ts> [...]');
  process.exit(2);
}
const files = dirs.flatMap(collect);
if (files.length === 0) {
  console.error(`no *.test.ts files under ${dirs.join(', ')}`);
  process.exit(1);
}
// TEST_CONCURRENCY: test files run at once (default 1; `npm test` runs the unit and the conformance files two at a
// time: conformance files wait on real-time media most of the time, and each has its own KMS on its own ports and files).
const concurrency = Number(process.env.TEST_CONCURRENCY ?? 1);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`TEST_CONCURRENCY must be a positive integer, not "${process.env.TEST_CONCURRENCY}"`);
  process.exit(2);
}
// --test-force-exit: kurento-client keeps its 60 s ping timer in module-global state, and with several clients in one
// process a timer can outlive every client; the tests' own hooks release everything they create.
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-force-exit', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
