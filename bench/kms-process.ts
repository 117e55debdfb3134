/**
 * The embedded KMS in a child process of its own, so that a benchmark measures its CPU and memory alone
 * (/proc/<pid>/stat and /proc/<pid>/status), and the small numeric helpers the benchmarks share.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
/** USER_HZ: the unit of utime and stime in /proc/<pid>/stat on Linux. */
const CLOCK_TICKS = 100;

/**
 * The V8 flag `npm start`, `npm run kms` and the e2e web server give the process that runs the KMS (package.json,
 * playwright.config.ts), so that the benches measure what they run: a young generation of up to 32 MiB semi-spaces
 * (V8's default is 16). Every forwarded RTP packet leaves a few short-lived objects behind. On `npm run bench -- kms
 * --sessions 30`, 15 s windows: without it the KMS used 97.8, 99.4, 101.4 and 101.7 % of a core; with it, on the KMS
 * alone, 92.3 and 96.2 %, and on the KMS and the bench's peers, 92.3 and 91.1 %. `npm run bench` gives the peers the
 * same flag.
 */
export const KMS_NODE_FLAGS = ['--max-semi-space-size=32'];

export interface KmsProcess {
  child: ChildProcess;
  pid: number;
  url: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `npm run kms` on a free port (with this process' loader flags) and resolves once it listens. With
 * BENCH_CPU_PROF=<dir> the KMS writes a V8 CPU profile there when it exits (open it in Chrome DevTools).
 */
export async function startKmsProcess(extraArgs: readonly string[] = []): Promise<KmsProcess> {
  const port = await freePort();
  const loader = process.execArgv.length > 0 ? process.execArgv : ['--import', 'tsx'];
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const args = [...loader, ...KMS_NODE_FLAGS, ...profile, path.join(root, 'server/kms/cli.ts'), '--port', String(port), '--log-level', 'warn', ...extraArgs];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => /connect to/.test(chunk.toString()) && resolve());
    child.once('exit', (code) => reject(new Error(`the KMS exited (${code})`)));
  });
  return { child, pid: child.pid ?? 0, url: `ws://127.0.0.1:${port}/kurento` };
}

/** SIGTERM, then waits (up to 10 s) for the KMS to release everything and exit, so that no ffmpeg outlives it. */
export async function stopKmsProcess(kms: KmsProcess): Promise<void> {
  if (kms.child.exitCode !== null || kms.child.signalCode !== null) return;
  const exited = once(kms.child, 'exit');
  kms.child.kill('SIGTERM');
  const timer = setTimeout(() => kms.child.kill('SIGKILL'), 10000);
  await exited;
  clearTimeout(timer);
}

function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU time of a process so far, in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export function parentPid(pid: number): number {
  return Number(statFields(pid)[1]);
}

/** Resident memory of a process, in MB. */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? '';
  return Number(/(\d+)/.exec(line)?.[1] ?? 0) / 1024;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : (sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN);
}

export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
