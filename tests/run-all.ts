/**
 * `npm test`: every check of the project, overlapped where it does not change what is checked.
 *
 *   1. at once: typecheck, lint, unit tests (two files at a time) and the site build the end-to-end tests need
 *      (tests/e2e/prepare.ts);
 *   2. the conformance tests, without other phases: they stream real media in real time and judge what arrives, which a
 *      machine busy with a webpack build and two compilers starves (an RTP recording came out 1 s long instead of 4
 *      that way). Two files run at a time (TEST_CONCURRENCY), each with its own KMS, which puts its pipelines on 2
 *      worker threads (KMS_TEST_WORKERS) as `npm start` does on 2 cores; the unit tests run it in one thread;
 *   3. the end-to-end tests (Playwright; its workers each have their own `npm start`).
 *
 * Each task's output is printed whole when it ends (never interleaved), prefixed by its name, followed by a line with
 * its result and duration; the first failure stops the run. `npm run test:<part>` still runs one part alone.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

interface Task {
  name: string;
  args: string[];
  env?: Record<string, string>;
}

const root = path.resolve(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const FIRST: Task[] = [
  { name: 'typecheck', args: ['run', '--silent', 'typecheck'] },
  { name: 'lint', args: ['run', '--silent', 'lint'] },
  { name: 'unit', args: ['run', '--silent', 'test:unit'], env: { TEST_CONCURRENCY: '2' } },
  { name: 'e2e build', args: ['exec', '--', 'tsx', 'tests/e2e/prepare.ts'] },
];
const THEN: Task[] = [
  { name: 'conformance', args: ['run', '--silent', 'test:conformance'], env: { KMS_TEST_WORKERS: '2', TEST_CONCURRENCY: '2' } },
  { name: 'e2e', args: ['exec', '--', 'playwright', 'test', ...process.argv.slice(2)] },
];

const running = new Set<ReturnType<typeof spawn>>();

function run(task: Task, stream: boolean): Promise<{ task: Task; ok: boolean; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(npm, task.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...task.env } });
    running.add(child);
    const chunks: Buffer[] = [];
    const take = (chunk: Buffer): void => {
      if (stream) process.stdout.write(chunk);
      else chunks.push(chunk);
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.on('close', (code) => {
      running.delete(child);
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      if (!stream) {
        const text = Buffer.concat(chunks).toString();
        process.stdout.write(`\n──── ${task.name} ────\n${text}${text.endsWith('\n') ? '' : '\n'}`);
      }
      console.log(`──── ${task.name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds} s`);
      resolve({ task, ok: code === 0, seconds });
    });
  });
}

function stopAll(): void {
  // Each task runs in its own process group: stop the group (npm, node, Playwright's servers, ffmpeg…).
  for (const child of running) if (child.pid) try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
}

async function main(): Promise<void> {
  const started = Date.now();
  process.on('SIGINT', () => {
    stopAll();
    process.exit(130);
  });
  console.log(`npm test: ${FIRST.map((task) => task.name).join(', ')} at once, then ${THEN.map((task) => task.name).join(', ')}`);
  const first = await new Promise<Array<{ task: Task; ok: boolean; seconds: number }>>((resolve) => {
    const results: Array<{ task: Task; ok: boolean; seconds: number }> = [];
    for (const task of FIRST) {
      void run(task, false).then((result) => {
        results.push(result);
        if (!result.ok) stopAll();
        if (results.length === FIRST.length || !result.ok) resolve(results);
      });
    }
  });
  const failed = first.find((result) => !result.ok);
  if (failed) {
    console.log(`\nnpm test: ${failed.task.name} failed; the other checks were stopped.`);
    process.exit(1);
  }
  for (const task of THEN) {
    const result = await run(task, true);
    if (!result.ok) process.exit(1);
  }
  console.log(`\nnpm test: everything passed in ${Math.round((Date.now() - started) / 1000)} s`);
}

void main();
