/**
 * The embedded KMS in a child process of its own, so that a benchmark measures its CPU and memory alone
 * (/proc/<pid>/stat, and through the V8 inspector), and the small numeric helpers the benchmarks share.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { freePort } from '../tests/helpers/network';

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
  /** The V8 inspector's WebSocket, when started with `inspector: true` (for liveMemory). */
  inspectorUrl?: string;
}

/**
 * Starts `npm run kms` on a free port (with this process' loader flags) and resolves once it listens. With
 * BENCH_CPU_PROF=<dir> the KMS writes a V8 CPU profile there when it exits (open it in Chrome DevTools);
 * BENCH_KMS_NODE_ARGS adds Node flags of your own (space-separated, e.g. `--trace-gc`). With
 * `inspector: true` it also listens for the V8 inspector on a free loopback port, so that the bench can ask for a
 * garbage collection before it reads the memory (nothing is attached in between).
 */
export async function startKmsProcess(extraArgs: readonly string[] = [], { inspector = false }: { inspector?: boolean } = {}): Promise<KmsProcess> {
  const port = await freePort();
  const loader = process.execArgv.length > 0 ? process.execArgv : ['--import', 'tsx'];
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const inspect = inspector ? ['--inspect=127.0.0.1:0'] : [];
  const extra = (process.env.BENCH_KMS_NODE_ARGS ?? '').split(' ').filter((flag) => flag !== '');
  const args = [...loader, ...KMS_NODE_FLAGS, ...profile, ...inspect, ...extra, path.join(root, 'server/kms/cli.ts'), '--port', String(port), '--log-level', 'warn', ...extraArgs];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', inspector ? 'pipe' : 'inherit'] });
  // Whatever ends the bench process (an error, a timeout's process.exit), the KMS does not outlive it.
  const killKms = (): void => void child.kill('SIGKILL');
  process.once('exit', killKms);
  child.once('exit', () => process.removeListener('exit', killKms));
  let inspectorUrl: string | undefined;
  await new Promise<void>((resolve, reject) => {
    let listening = false;
    const ready = (): void => {
      if (listening && (!inspector || inspectorUrl)) resolve();
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      if (/connect to/.test(chunk.toString())) listening = true;
      ready();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(text)?.[1];
      // The inspector's own lines are noise; anything else the KMS says goes on to the bench's stderr.
      const rest = text.replace(/^(Debugger (listening on|attached|ending on)|For help, see:|Waiting for the debugger).*\n?/gm, '');
      if (rest) process.stderr.write(rest);
      ready();
    });
    child.once('exit', (code) => reject(new Error(`the KMS exited (${code})`)));
  });
  return { child, pid: child.pid ?? 0, url: `ws://127.0.0.1:${port}/kurento`, ...(inspectorUrl ? { inspectorUrl } : {}) };
}

export interface LiveMemory {
  /** V8 heap in use plus the memory outside it held by JavaScript objects (Buffers, ArrayBuffers), in MB. */
  liveMb: number;
  /** The process' resident memory at the same moment, in MB. */
  rssMb: number;
  /** The KMS's pipeline worker threads seen (their heaps are counted, as are those of any other thread). */
  pipelineWorkers: number;
}

/**
 * What the KMS process (started with `inspector: true`) holds after a full garbage collection, read inside it with
 * process.memoryUsage() through the inspector protocol. Resident memory alone cannot tell a session's weight: it
 * moves by tens of MB as V8 and malloc keep or return pages, whatever is live.
 */
export async function liveMemory(kms: KmsProcess): Promise<LiveMemory> {
  if (!kms.inspectorUrl) throw new Error('the KMS was started without the inspector');
  const socket = new WebSocket(kms.inspectorUrl);
  type Answer = { result?: unknown; error?: { message: string } };
  type Message = Answer & { id?: number; method?: string; params?: Record<string, unknown> };
  const answers = new Map<string, (message: Answer) => void>();
  /** Worker threads (the KMS's pipeline workers, and module loader threads), by their inspector session: title. */
  const workers = new Map<string, string>();
  const handle = (message: Message, session: string): void => {
    if (message.id !== undefined) answers.get(`${session}:${message.id}`)?.(message);
    if (message.method === 'NodeWorker.attachedToWorker') {
      const info = message.params?.workerInfo as { title?: string } | undefined;
      workers.set(String(message.params?.sessionId), info?.title ?? '');
    }
    if (message.method === 'NodeWorker.receivedMessageFromWorker') handle(JSON.parse(String(message.params?.message)) as Message, String(message.params?.sessionId));
  };
  socket.on('message', (data: Buffer) => handle(JSON.parse(data.toString()) as Message, ''));
  let next = 0;
  /** A call to the main thread (session '') or, through NodeWorker, to one worker thread. */
  const send = (method: string, params: Record<string, unknown> = {}, session = ''): Promise<unknown> => {
    const id = (next += 1);
    return new Promise((resolve, reject) => {
      // A KMS too busy to answer in 10 s fails the bench instead of hanging it.
      const timer = setTimeout(() => reject(new Error(`${method}: no answer from the KMS's inspector within 10 s`)), 10000);
      answers.set(`${session}:${id}`, (message) => {
        clearTimeout(timer);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result);
      });
      const text = JSON.stringify({ id, method, params });
      socket.send(session ? JSON.stringify({ id: (next += 1), method: 'NodeWorker.sendMessageToWorker', params: { sessionId: session, message: text } }) : text);
    });
  };
  const usageOf = async (session: string): Promise<Partial<NodeJS.MemoryUsage>> => {
    await send('HeapProfiler.collectGarbage', {}, session);
    const evaluated = (await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true }, session)) as { result?: { value?: string } };
    return JSON.parse(evaluated.result?.value ?? '{}') as Partial<NodeJS.MemoryUsage>;
  };
  try {
    await once(socket, 'open');
    // Each worker thread has a heap of its own: attach to them all (they announce themselves at once) and add theirs.
    await send('NodeWorker.enable', { waitForDebuggerOnStart: false });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const mb = (bytes: number | undefined): number => (bytes ?? NaN) / 1024 / 1024;
    const main = await usageOf('');
    let liveMb = mb(main.heapUsed) + mb(main.external);
    for (const session of workers.keys()) {
      await send('Runtime.enable', {}, session).catch(() => undefined);
      const usage = await usageOf(session);
      // In a worker, every field but rss is that thread's own (Node's process.memoryUsage documentation).
      liveMb += mb(usage.heapUsed) + mb(usage.external);
    }
    return { liveMb, rssMb: mb(main.rss), pipelineWorkers: [...workers.values()].filter((title) => title.includes('kms-worker')).length };
  } finally {
    socket.close();
  }
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

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : (sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN);
}

export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
