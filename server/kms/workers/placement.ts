/**
 * Which worker a new pipeline goes to.
 *
 * - `fill` (the default): the first worker with room, so that light loads stay on one thread. A worker thread wakes up
 *   for every packet of its pipelines; two half-idle workers wake twice as often as one that carries both halves, and
 *   each has its own garbage collector to keep busy. `bench kms --sessions 10` spent 80–90 µs of CPU per forwarded
 *   packet with the pipelines on one thread and 113–116 µs spread over two. A worker has room while its event loop,
 *   measured (its event-loop utilisation over the last sample) plus what its newest pipelines will add once their
 *   media flows, stays under BUSY; when none has room, the least loaded one.
 * - `spread`: the worker with the fewest pipelines (what the pool did before), for whoever prefers each pipeline's
 *   latency to be as independent of the others' as the cores allow.
 *
 * Pure: the pool passes each worker's figures (tests drive it with their own).
 */
export type Placement = 'fill' | 'spread';

export const PLACEMENTS: readonly Placement[] = ['fill', 'spread'];

/** A worker whose estimated event-loop utilisation reaches this has no room for another pipeline. */
export const BUSY = 0.6;
/** A pipeline is "new" this long after its creation: its media may not show in the measured utilisation yet. */
export const NEW_PIPELINE_MS = 3000;
/**
 * The least a new pipeline is reckoned to add to its worker's utilisation (a WebRTC loopback of 640x480 VP8 and Opus
 * cost about 0.01 of a worker's event loop in `bench kms`); a worker's own measured cost per pipeline wins when larger.
 */
export const MIN_PIPELINE_COST = 0.01;

export interface WorkerFigures {
  /** Pipelines on the worker. */
  pipelines: number;
  /** Of those, created within NEW_PIPELINE_MS. */
  newPipelines: number;
  /** Event-loop utilisation over the last sample, 0 … 1 (undefined before the first sample). */
  utilisation: number | undefined;
}

/** The utilisation a worker is expected to reach with its new pipelines' media flowing. */
export function estimatedLoad(worker: WorkerFigures): number {
  const measured = worker.utilisation ?? 0;
  const settled = worker.pipelines - worker.newPipelines;
  const perPipeline = Math.max(MIN_PIPELINE_COST, settled > 0 ? measured / settled : 0);
  return measured + worker.newPipelines * perPipeline;
}

/** The index of the worker for a new pipeline. */
export function placePipeline(workers: readonly WorkerFigures[], placement: Placement): number {
  if (workers.length === 0) throw new Error('no worker to place a pipeline on');
  if (placement === 'spread') {
    let best = 0;
    workers.forEach((worker, index) => {
      if (worker.pipelines < (workers[best]?.pipelines ?? Infinity)) best = index;
    });
    return best;
  }
  const loads = workers.map(estimatedLoad);
  const roomy = loads.findIndex((load) => load + MIN_PIPELINE_COST < BUSY);
  if (roomy >= 0) return roomy;
  let least = 0;
  loads.forEach((load, index) => {
    if (load < (loads[least] ?? Infinity)) least = index;
  });
  return least;
}
