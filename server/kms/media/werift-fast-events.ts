/**
 * werift hands every RTP packet on through its own Event class: the UDP socket's data goes to the ICE connection's
 * event, then the DTLS transport's, then the track's. Each `execute` runs the synchronous subscribers and then, always,
 * an async function over the "queuing" subscribers: a promise, an async frame and a `.catch` promise per event, even
 * when no queuing subscriber exists (none does on the RTP path). Profiled with `BENCH_CPU_PROF` and V8's sampling heap
 * profiler on `npm run bench -- kms --sessions 20`, these promises were a large part of the ~11 KB the KMS allocated
 * per forwarded packet, and the garbage collector took a quarter of its busy time.
 *
 * This makes werift construct Events whose `execute` is werift's, except that the async function is started only when
 * a queuing subscriber exists when the event fires (werift's reads the same list at the same moment, so an empty list
 * there means an async function that does nothing). Subscribers, order, errors, completion: unchanged.
 */
import path from 'node:path';

interface Item {
  execute: (...args: unknown[]) => unknown;
}

interface EventInternals {
  ended: boolean;
  event: { stack: Item[]; promiseStack: Item[]; eventId: number };
  onerror: (error: unknown) => void;
  execute: (...args: unknown[]) => void;
}

type EventClass = new () => EventInternals;

const eventModulePath = path.join(path.dirname(require.resolve('werift')), '..', '..', 'common', 'src', 'event.js');

let installed = false;

/** werift's Event class as its modules see it (read through the module's exports at each construction). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const eventModule = require(eventModulePath) as { Event: EventClass };
export const WeriftEvent: EventClass = eventModule.Event;

/** The execute this module installs, for an Event `self` (exported for the unit test that compares the two). */
export function fastExecute(self: EventInternals): (...args: unknown[]) => void {
  return (...args: unknown[]): void => {
    if (self.ended) return;
    for (const item of self.event.stack) item.execute(...args);
    const queued = self.event.promiseStack;
    if (queued.length === 0) return;
    (async () => {
      for (const item of queued) await item.execute(...args);
    })().catch((error: unknown) => self.onerror(error));
  };
}

/** Idempotent; called once by the WebRTC session module before any peer connection exists. */
export function installFastEvents(): void {
  if (installed) return;
  installed = true;
  class FastEvent extends WeriftEvent {
    constructor() {
      super();
      // werift defines execute as an own property in its constructor; this one replaces it the same way.
      Object.defineProperty(this, 'execute', { enumerable: true, configurable: true, writable: true, value: fastExecute(this) });
    }
  }
  eventModule.Event = FastEvent;
}
