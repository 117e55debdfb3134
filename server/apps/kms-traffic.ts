/**
 * The JSON-RPC frames an application server exchanges with KMS, handed to the browser sessions they were sent for.
 *
 * One kurento-client (server/apps/kms.ts) serves every browser session of an app server, so its frame tap
 * (packages/reconnect-ws `onFrame`) sees everybody's traffic. Each frame is attributed by the KMS objects it is about:
 *
 *   - a `create` request belongs to the owners given to `as()` around the kurento-client call that made it (an
 *     AsyncLocalStorage: kurento-client sends after a few promise turns, and the context follows them); its answer
 *     carries the new object id, which from then on belongs to the same owners;
 *   - `invoke`, `subscribe`, `unsubscribe`, `release`, `describe` belong to the owners of `params.object`, except
 *     `connect`/`disconnect`, which belong to the owners of the sink (the side that receives the media);
 *   - answers follow their request (by JSON-RPC id); `onEvent` belongs to the owners of `params.value.object`.
 *
 * Anything else (ping, connect with a sessionId, ServerManager calls, objects nobody owns) goes to nobody, so a
 * session sees its own frames and never another session's. This is the app server's own tap: it works the same with
 * a real KMS 7.x. Memory is bounded (maps capped, entries dropped on release and when an owner goes).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type TrafficDirection = 'sent' | 'received';

/** Whoever can receive frames: a browser session that asked for them. */
export interface TrafficOwner {
  /** Called with each frame attributed to this owner (already capped in size); must not throw. */
  kmsFrame(direction: TrafficDirection, frame: string, truncated: boolean): void;
}

/** Frames longer than this are shortened: strings beyond LONG_STRING characters are cut (SDPs are a few kB). */
export const MAX_FRAME_CHARS = 32 * 1024;
const LONG_STRING = 4096;
const MAX_OBJECTS = 5000;
const MAX_REQUESTS = 2000;

interface PendingRequest {
  owners: Set<TrafficOwner>;
  /** The request creates an object: its answer's value is the new id. */
  creates: boolean;
  /** The request releases this object: its entries go when the answer comes. */
  releases?: string;
}

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** A frame within MAX_FRAME_CHARS, still valid JSON when it was: long strings cut with their length noted. */
export function capFrame(text: string, max = MAX_FRAME_CHARS): { frame: string; truncated: boolean } {
  if (text.length <= max) return { frame: text, truncated: false };
  try {
    const shortened = JSON.stringify(JSON.parse(text), (_key, value: unknown) =>
      typeof value === 'string' && value.length > LONG_STRING ? `${value.slice(0, LONG_STRING)}…(${value.length} chars)` : value,
    );
    if (shortened.length <= max) return { frame: shortened, truncated: true };
  } catch {
    // Not JSON: cut it as text below.
  }
  return { frame: `${text.slice(0, max)}…(${text.length} chars)`, truncated: true };
}

export class KmsTraffic {
  private readonly context = new AsyncLocalStorage<ReadonlySet<TrafficOwner>>();
  /** KMS object id → the sessions whose frames about it they see. */
  private readonly objects = new Map<string, Set<TrafficOwner>>();
  /** JSON-RPC id of a request in flight → where its answer goes. */
  private readonly requests = new Map<string, PendingRequest>();

  /**
   * Runs `task` (which calls kurento-client) with `owners` as the owners of the objects it creates. Without owners
   * the objects belong to nobody and their frames are not forwarded.
   */
  as<T>(owners: Iterable<TrafficOwner>, task: () => T): T {
    return this.context.run(new Set(owners), task);
  }

  /** Lets `owner` see the frames about `objectId` too (e.g. a newcomer to a room whose pipeline it shares). */
  share(objectId: string, owner: TrafficOwner): void {
    this.objects.get(objectId)?.add(owner);
  }

  /** `owner` is gone: nothing is attributed to it any more. */
  forget(owner: TrafficOwner): void {
    for (const [id, owners] of this.objects) {
      owners.delete(owner);
      if (owners.size === 0) this.objects.delete(id);
    }
    for (const [id, pending] of this.requests) {
      pending.owners.delete(owner);
      if (pending.owners.size === 0) this.requests.delete(id);
    }
  }

  /** The KMS connection is gone, and with it every object and request in flight. */
  reset(): void {
    this.objects.clear();
    this.requests.clear();
  }

  /** How many objects and requests are tracked (for tests: it must go back to zero). */
  get size(): { objects: number; requests: number } {
    return { objects: this.objects.size, requests: this.requests.size };
  }

  /** The frame tap of kurento-client's socket: 'out' = sent to KMS, 'in' = received from KMS. Never throws. */
  readonly tap = (direction: 'in' | 'out', text: string): void => {
    let message: Json | undefined;
    try {
      message = record(JSON.parse(text));
    } catch {
      return;
    }
    if (!message) return;
    const owners = direction === 'out' ? this.sent(message) : this.received(message);
    if (!owners || owners.size === 0) return;
    const { frame, truncated } = capFrame(text);
    const label: TrafficDirection = direction === 'out' ? 'sent' : 'received';
    for (const owner of owners) {
      try {
        owner.kmsFrame(label, frame, truncated);
      } catch {
        // A session that cannot take a frame loses that frame, nothing else.
      }
    }
  };

  private ownersOf(id: unknown): Set<TrafficOwner> | undefined {
    return typeof id === 'string' ? this.objects.get(id) : undefined;
  }

  private sent(message: Json): ReadonlySet<TrafficOwner> | undefined {
    if (typeof message.method !== 'string' || message.id === undefined || message.id === null) return undefined;
    const params = record(message.params) ?? {};
    let owners: ReadonlySet<TrafficOwner> | undefined;
    let creates = false;
    let releases: string | undefined;
    switch (message.method) {
      case 'create':
        owners = this.context.getStore();
        creates = true;
        break;
      case 'invoke': {
        const operation = params.operation;
        const sink = record(params.operationParams)?.sink;
        owners = (operation === 'connect' || operation === 'disconnect') && typeof sink === 'string' ? this.ownersOf(sink) : this.ownersOf(params.object);
        break;
      }
      case 'release':
        owners = this.ownersOf(params.object);
        if (typeof params.object === 'string') releases = params.object;
        break;
      case 'subscribe':
      case 'unsubscribe':
      case 'describe':
        owners = this.ownersOf(params.object);
        break;
      default:
        // ping, connect (session), transaction: not about one session's objects.
        return undefined;
    }
    if (!owners || owners.size === 0) return undefined;
    this.requests.set(String(message.id), { owners: new Set(owners), creates, ...(releases !== undefined ? { releases } : {}) });
    trim(this.requests, MAX_REQUESTS);
    return new Set(owners);
  }

  private received(message: Json): ReadonlySet<TrafficOwner> | undefined {
    if (message.method === 'onEvent') {
      const value = record(record(message.params)?.value);
      return this.ownersOf(value?.object);
    }
    if (typeof message.method === 'string' || message.id === undefined || message.id === null) return undefined;
    const key = String(message.id);
    const pending = this.requests.get(key);
    if (!pending) return undefined;
    this.requests.delete(key);
    const result = record(message.result);
    if (pending.creates && typeof result?.value === 'string') {
      this.objects.set(result.value, new Set(pending.owners));
      trim(this.objects, MAX_OBJECTS);
    }
    if (pending.releases !== undefined && message.error === undefined) this.dropObject(pending.releases);
    return pending.owners;
  }

  /** A released object goes, with its children (`<id>/…`) when it is a pipeline or a hub. */
  private dropObject(id: string): void {
    this.objects.delete(id);
    const prefix = `${id}/`;
    for (const other of this.objects.keys()) if (other.startsWith(prefix)) this.objects.delete(other);
  }
}

/** Keeps the newest `max` entries of an insertion-ordered map. */
function trim<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}
