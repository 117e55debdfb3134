/**
 * The labs against the project's own standalone KMS (`npm run kms`), as a trainer would use it: with its default
 * options, the trainer preflight (`npm run labs:check`, which starts a site of its own) passes every lab; and a KMS
 * that refuses this page's Origin is told apart from a KMS that is not there, with the option that fixes it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { LABS } from '../../labs';
import { openLabPage } from './lab-helpers';
import { E2E_SITE_PORT } from './ports';
import { freePort } from '../helpers/network';

const ROOT = path.resolve(__dirname, '..', '..');
/** Labs run at a time by the labs:check test. */
const LABS_CHECK_JOBS = 2;

/** `npm run kms -- …args` (the same script), resolved once it prints where clients connect. */
async function standaloneKms(args: string[]): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server', 'kms', 'cli.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await expect.poll(() => output, { timeout: 20_000 }).toContain('Kurento clients can connect to');
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

test('a KMS that refuses this page is told apart from one that is not there, with the option to start it with', async ({ page }) => {
  const port = await freePort();
  const { child } = await standaloneKms(['--port', String(port), '--allow-origin', 'http://trainer.example:3000']);
  try {
    const lab = await openLabPage(page, 'connection-check', { query: `?kms=ws://127.0.0.1:${port}/kurento` });
    await lab.getByTestId('lab-run').click();
    const error = lab.getByTestId('lab-error');
    await expect(error).toHaveAttribute('data-code', 'kms-origin-refused', { timeout: 5_000 });
    await expect(error).toContainText(`--allow-origin http://127.0.0.1:${E2E_SITE_PORT}`);
  } finally {
    await stop(child);
  }
  // The same address with nothing listening any more.
  const lab = await openLabPage(page, 'connection-check', { query: `?kms=ws://127.0.0.1:${port}/kurento` });
  await lab.getByTestId('lab-run').click();
  await expect(lab.getByTestId('lab-error')).toHaveAttribute('data-code', 'kms-unreachable', { timeout: 5_000 });
});

test('labs:check against `npm run kms` with its default options: every lab passes', async () => {
  test.setTimeout(300_000);
  const port = await freePort();
  const kms = await standaloneKms(['--port', String(port)]);
  try {
    // Two labs at a time (labs:check --jobs 2): the KMS serves two sessions at once, as in a workshop.
    const args = [path.join(ROOT, 'tests', 'labs-check.ts'), '--kms', `ws://127.0.0.1:${port}/kurento`, '--own-site', '--jobs', String(LABS_CHECK_JOBS)];
    const check = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    check.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    check.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(check, 'exit')) as [number | null];
    console.log(output.split('\n').slice(-25).join('\n'));
    if (code !== 0) {
      // What the KMS said meanwhile (its warnings, and its filters' and workers' lines), for the failure's cause.
      const said = kms.output().split('\n').filter((line) => /WARN|ERROR|Filter|detector|worker|stopped/.test(line));
      console.log(`npm run kms said (${said.length} lines of warnings, filters and workers; the last 80):\n${said.slice(-80).join('\n')}`);
    }
    expect(output).toContain(`all ${LABS.length} labs pass`);
    expect(code).toBe(0);
    expect(kms.output()).not.toMatch(/refused a WebSocket/);
  } finally {
    await stop(kms.child);
  }
});
