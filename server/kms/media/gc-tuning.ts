/**
 * When V8 starts marking the old generation. By default V8 (11.3, Node 20) starts incremental marking "soon" whenever
 * the room left below the old generation's limit is smaller than the young generation's capacity, on the theory that
 * one scavenge could promote that much. With the 32 MiB semi-spaces the KMS runs with (package.json) and a steady
 * stream of short-lived RTP objects, that was true right after every mark-compact: the KMS marked its whole heap
 * (about 32 MB: code, modules, sessions) about every 0.6 s, on the main thread and on V8's helper threads, while its
 * old generation hardly grew (a scavenge promoted about 0.3 MB).
 *
 * Measured with `npm run bench -- kms --sessions 30 --seconds 15 --workers 0` on the idle 2-core machine (per-thread
 * CPU from /proc/<pid>/task/<tid>/stat, GC counts from --trace-gc over the process' life): default 77 and 82 µs per
 * forwarded packet, 50 and 52 mark-compacts, V8's helper threads 14 % of a core; with marking started at 80 % of the
 * way to the limit (hard start at 90 %), given on the command line, 61 and 62 µs, 19 mark-compacts, helper threads
 * 5 %; memory per session unchanged (0.99 MB); set at run time as below, 66 and 70 µs in two runs, 20 mark-compacts.
 * The limit itself, and so the heap's size, is V8's as before; only the start of marking moves.
 */
import v8 from 'node:v8';

export const MARKING_SOFT_TRIGGER_PERCENT = 80;
export const MARKING_HARD_TRIGGER_PERCENT = 90;

let tuned = false;

/** Idempotent. V8 flags are per process: every thread of the KMS (workers included) gets the same. */
export function tuneGarbageCollector(): void {
  if (tuned) return;
  tuned = true;
  v8.setFlagsFromString(`--incremental-marking-soft-trigger=${MARKING_SOFT_TRIGGER_PERCENT}`);
  v8.setFlagsFromString(`--incremental-marking-hard-trigger=${MARKING_HARD_TRIGGER_PERCENT}`);
}
