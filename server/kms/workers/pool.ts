/**
 * Pipelines on every core: the media objects live on N worker threads (server/kms/workers/worker.ts), each pipeline
 * with all its elements on one worker, chosen when the pipeline is created (placement.ts: the first with room by
 * default, or the one with the fewest pipelines). The
 * protocol layer sees the same MediaObjectSet as with one thread: this pool keeps the index of ids (which worker holds
 * each object), forwards create/invoke/release to the right worker, answers the ServerManager itself, hands the
 * workers' events on, and forwards HTTP requests for HttpEndpoint URLs to the worker that serves them.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { KmsConfig } from '../config';
import { KmsError, kmsErrors } from '../errors';
import type { Logger } from '../logger';
import type { HttpEndpointServer } from '../objects/HttpEndpointServer';
import type { KmdRegistry } from '../objects/kmd';
import { stringsIn, type MediaObjectSet, type ObjectHandle, type WireEventListener } from '../objects/object-set';
import { ObjectRegistry } from '../objects/registry';
import { SERVER_MANAGER_ID } from '../objects/ServerManager';
import type { WorkerCall, WorkerReport, WorkerSetup } from './messages';
import { NEW_PIPELINE_MS, placePipeline, type Placement, type WorkerFigures } from './placement';

/** How often each worker's event-loop utilisation is sampled (for placement). */
const SAMPLE_MS = 1000;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  requester: unknown;
}

type CallBody = WorkerCall extends infer C ? (C extends WorkerCall ? Omit<C, 'call'> : never) : never;

/** One worker thread and the calls waiting for its answer. */
class PipelineWorker {
  readonly thread: Worker;
  readonly pending = new Map<number, Pending>();
  httpPort = 0;
  /** Event-loop utilisation over the last sample (undefined until the first). */
  utilisation: number | undefined;
  /** When each pipeline placed here in the last NEW_PIPELINE_MS was placed. */
  readonly placedAt: number[] = [];
  /** Pipelines placed here whose creation has not answered yet. */
  creating = 0;
  private lastSample: ReturnType<Worker['performance']['eventLoopUtilization']> | undefined;
  private nextCall = 1;

  /** Samples the thread's event-loop utilisation since the last sample. */
  sample(): void {
    const now = this.thread.performance.eventLoopUtilization();
    if (this.lastSample) this.utilisation = this.thread.performance.eventLoopUtilization(now, this.lastSample).utilization;
    this.lastSample = now;
  }

  constructor(readonly index: number, setup: WorkerSetup, onReport: (worker: PipelineWorker, report: WorkerReport) => void, onExit: (worker: PipelineWorker, code: number) => void) {
    const file = path.join(__dirname, `worker${path.extname(__filename)}`);
    // Run from the TypeScript sources (tsx), the worker needs tsx's loader too: workers do not inherit it.
    const execArgv = file.endsWith('.ts') ? ['--require', 'tsx/cjs'] : [];
    this.thread = new Worker(file, { workerData: setup, execArgv, name: `kms-worker-${index}` });
    this.thread.on('message', (report: WorkerReport) => onReport(this, report));
    this.thread.on('error', () => undefined); // 'exit' follows and handles it
    this.thread.on('exit', (code) => onExit(this, code));
  }

  call(body: CallBody, requester?: unknown): Promise<unknown> {
    const call = this.nextCall++;
    return new Promise((resolve, reject) => {
      this.pending.set(call, { resolve, reject, requester });
      this.thread.postMessage({ ...body, call } as WorkerCall);
    });
  }
}

export class WorkerPool implements MediaObjectSet {
  /** The ServerManager, answered in this thread. */
  private readonly home: ObjectRegistry;
  private readonly workers: PipelineWorker[] = [];
  private readonly index = new Map<string, { handle: ObjectHandle; worker: PipelineWorker; pipeline: boolean }>();
  private readonly eventListeners = new Set<WireEventListener>();
  private readonly releaseListeners = new Set<(id: string) => void>();
  private httpBase = '';
  private ready: Promise<void> | undefined;
  private stopping = false;
  private sampler: NodeJS.Timeout | undefined;

  constructor(
    readonly kmd: KmdRegistry,
    private readonly config: KmsConfig,
    private readonly log: Logger,
    sessions: () => string[],
    private readonly http: HttpEndpointServer,
    readonly size: number,
    readonly placement: Placement = 'fill',
  ) {
    this.home = new ObjectRegistry(kmd, config, log, sessions, http, () => [...this.index.values()].filter((entry) => entry.pipeline).map((entry) => entry.handle));
    this.home.onEvent((source, event, data, requester) => this.emit(source, event, data, requester));
  }

  /** Starts the workers; `httpBase` is where HttpEndpoint URLs point (known once the KMS port listens). */
  start(httpBase: string): Promise<void> {
    this.httpBase = httpBase;
    this.stopping = false;
    this.ready ??= Promise.all(Array.from({ length: this.size }, (_, index) => this.spawn(index))).then(() => {
      this.log.info(`pipelines run on ${this.size} worker thread${this.size === 1 ? '' : 's'} (placement: ${this.placement})`);
      this.sampler ??= setInterval(() => {
        for (const worker of this.workers) worker.sample();
      }, SAMPLE_MS);
      this.sampler.unref();
    });
    return this.ready;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = undefined;
    await this.releaseAll().catch(() => undefined);
    await Promise.all(this.workers.map((worker) => worker.thread.terminate()));
    this.workers.length = 0;
    this.ready = undefined;
  }

  private spawn(index: number): Promise<void> {
    const { turnUrlProvider: _provider, ...config } = this.config;
    const worker = new PipelineWorker(index, { index, config, httpBase: this.httpBase }, (from, report) => this.onReport(from, report), (from, code) => this.onExit(from, code));
    this.workers[index] = worker;
    return new Promise((resolve, reject) => {
      const failed = (code: number): void => reject(new Error(`KMS worker ${index} stopped while starting (exit code ${code})`));
      const started = (report: WorkerReport): void => {
        if (report.kind !== 'ready') return;
        worker.thread.off('exit', failed);
        worker.thread.off('message', started);
        resolve();
      };
      worker.thread.once('exit', failed);
      worker.thread.on('message', started);
    });
  }

  private onReport(worker: PipelineWorker, report: WorkerReport): void {
    switch (report.kind) {
      case 'ready':
        worker.httpPort = report.httpPort;
        return;
      case 'reply': {
        const pending = worker.pending.get(report.call);
        if (!pending) return;
        worker.pending.delete(report.call);
        if ('error' in report) {
          const { type, message } = report.error;
          pending.reject(type ? new KmsError(type, message) : new Error(message));
        } else {
          pending.resolve(report.value);
        }
        return;
      }
      case 'created':
        this.index.set(report.id, { handle: { id: report.id, type: report.type }, worker, pipeline: report.pipeline });
        return;
      case 'destroyed':
        this.forget(report.id);
        return;
      case 'event': {
        const requester = report.call === undefined ? undefined : worker.pending.get(report.call)?.requester;
        this.emit(report.source, report.event, report.data, requester);
        return;
      }
      case 'route':
        if (report.add) this.http.route(report.path, (req, res) => forward(worker.httpPort, req, res));
        else this.http.unregister(report.path);
        return;
      case 'log':
        this.log[report.level](`[worker ${worker.index}] ${report.message}`);
        return;
    }
  }

  /** A worker that stops on its own takes its pipelines with it: their calls fail, their ids go; a new one takes its place. */
  private onExit(worker: PipelineWorker, code: number): void {
    if (this.workers[worker.index] !== worker) return;
    for (const pending of worker.pending.values()) pending.reject(new KmsError('UNEXPECTED_ERROR', `The worker thread of this pipeline stopped (exit code ${code})`));
    worker.pending.clear();
    // Their ids are gone for good: whoever watches the ServerManager is told, as for any object destroyed.
    for (const [id, entry] of [...this.index]) {
      if (entry.worker !== worker) continue;
      this.home.serverManager.notifyDestroyed(id);
      this.forget(id);
    }
    // One that never got ready failed to start: start() reports it; starting it again would only loop.
    if (this.stopping || worker.httpPort === 0) return;
    this.log.error(`worker ${worker.index} stopped (exit code ${code}); its pipelines are gone; starting another`);
    this.spawn(worker.index).catch((error: unknown) => this.log.error(String(error)));
  }

  private forget(id: string): void {
    const entry = this.index.get(id);
    if (!entry) return;
    this.index.delete(id);
    for (const listener of this.releaseListeners) listener(id);
  }

  private emit(source: string, event: string, data: Record<string, unknown>, requester: unknown): void {
    for (const listener of this.eventListeners) listener(source, event, data, requester);
  }

  // MediaObjectSet ----------------------------------------------------------------------------------------------------

  resolve(id: string): ObjectHandle | undefined {
    return id === SERVER_MANAGER_ID ? this.home.serverManager : this.index.get(id)?.handle;
  }

  get(id: string): ObjectHandle {
    const handle = this.resolve(id);
    if (!handle) throw kmsErrors.objectNotFound(id);
    return handle;
  }

  all(): ObjectHandle[] {
    return [this.home.serverManager, ...[...this.index.values()].map((entry) => entry.handle)];
  }

  async create(type: string, constructorParams: unknown, requester?: unknown): Promise<ObjectHandle> {
    await this.whenReady();
    // An element goes where the objects it names live (its pipeline, its hub); a pipeline where placement.ts says.
    const owner = stringsIn(constructorParams).map((id) => this.index.get(id)?.worker).find((found) => found !== undefined);
    const worker = owner ?? this.placeNew();
    // A new pipeline counts on its worker while KMS creates it, so that pipelines created at once do not all see room.
    if (!owner) worker.creating += 1;
    try {
      return (await worker.call({ op: 'create', type, params: constructorParams, turnUrl: this.config.turnUrlProvider?.() }, requester)) as ObjectHandle;
    } finally {
      if (!owner) worker.creating -= 1;
    }
  }

  async invoke(id: string, operation: string, operationParams: unknown): Promise<unknown> {
    if (id === SERVER_MANAGER_ID) return this.home.invoke(id, operation, operationParams);
    const entry = this.index.get(id);
    if (!entry) throw kmsErrors.objectNotFound(id);
    const foreign = stringsIn(operationParams).flatMap((name) => {
      const other = this.index.get(name);
      return other && other.worker !== entry.worker ? [other.handle] : [];
    });
    return entry.worker.call({ op: 'invoke', id, operation, params: operationParams, foreign });
  }

  async release(id: string): Promise<void> {
    const entry = this.index.get(id);
    if (!entry) return;
    await entry.worker.call({ op: 'release', id });
  }

  async releaseAll(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.call({ op: 'releaseAll' })));
  }

  onEvent(listener: WireEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onRelease(listener: (id: string) => void): () => void {
    this.releaseListeners.add(listener);
    return () => this.releaseListeners.delete(listener);
  }

  /** Pipelines per worker, in worker order. */
  get load(): number[] {
    return this.workers.map((worker) => this.pipelinesOn(worker));
  }

  /** The worker holding an object (its index), if it is on one. */
  workerOf(id: string): number | undefined {
    return this.index.get(id)?.worker.index;
  }

  /** The thread of worker `index` (its threadId, or to stop it: a worker that ends is replaced). */
  thread(index: number): Worker | undefined {
    return this.workers[index]?.thread;
  }

  private async whenReady(): Promise<void> {
    if (!this.ready) throw new KmsError('UNEXPECTED_ERROR', 'The embedded KMS is not started');
    await this.ready;
  }

  private pipelinesOn(worker: PipelineWorker): number {
    let count = 0;
    for (const entry of this.index.values()) if (entry.pipeline && entry.worker === worker) count += 1;
    return count;
  }

  /** The worker for a new pipeline (placement.ts), with this placement counted in its figures from now on. */
  private placeNew(): PipelineWorker {
    if (this.workers.length === 0) throw new KmsError('UNEXPECTED_ERROR', 'The embedded KMS has no worker running');
    const now = Date.now();
    const figures: WorkerFigures[] = this.workers.map((worker) => {
      while (worker.placedAt.length > 0 && now - (worker.placedAt[0] ?? now) > NEW_PIPELINE_MS) worker.placedAt.shift();
      return { pipelines: this.pipelinesOn(worker) + worker.creating, newPipelines: worker.placedAt.length, utilisation: worker.utilisation };
    });
    const chosen = this.workers[placePipeline(figures, this.placement)];
    if (!chosen) throw new KmsError('UNEXPECTED_ERROR', 'The embedded KMS has no worker running');
    chosen.placedAt.push(now);
    return chosen;
  }

}

/** Headers that concern one connection only (RFC 9110 §7.6.1): never forwarded as they are. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade']);

/**
 * Forwards one HttpEndpoint request (a streamed upload) to the worker that serves the URL, and its answer back. The
 * worker keeps its loopback connection open whatever it answers (worker.ts); when the answer comes before the whole
 * body has been read (413 over the size limit, 415, 409), this side stops sending, and the client's connection
 * closes after the answer, as it does when the endpoint answers in this thread.
 */
function forward(port: number, req: IncomingMessage, res: ServerResponse): void {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
  const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers }, (answer) => {
    const early = !req.complete;
    const back = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name) && name !== 'transfer-encoding'));
    if (early) {
      req.unpipe(upstream);
      back.connection = 'close';
      res.once('close', () => upstream.destroy());
    }
    res.writeHead(answer.statusCode ?? 502, back);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end('The worker serving this HttpEndpoint did not answer\n');
    else res.destroy();
  });
  req.on('aborted', () => upstream.destroy());
  req.pipe(upstream);
}
