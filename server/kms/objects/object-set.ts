/**
 * What the protocol layer needs of the live media objects: look-up by id, create, invoke, release, and the events and
 * releases they report. Two implementations: the ObjectRegistry itself (every object in this thread) and the worker
 * pool (server/kms/workers/pool.ts: each pipeline and its elements on one worker thread, the ServerManager here).
 */
import type { KmdRegistry } from './kmd';

/** The protocol layer's view of an object: its id and KMD class. */
export interface ObjectHandle {
  readonly id: string;
  readonly type: string;
}

/**
 * An event as it goes on the wire: `data` already marshalled (objects as ids). `requester`: for events raised while a
 * `create` ran (the ServerManager's ObjectCreated), what that create was given as its requester.
 */
export type WireEventListener = (sourceId: string, event: string, data: Record<string, unknown>, requester?: unknown) => void;

export interface MediaObjectSet {
  readonly kmd: KmdRegistry;
  resolve(id: string): ObjectHandle | undefined;
  /** The object, or 40101 Object not found. */
  get(id: string): ObjectHandle;
  all(): ObjectHandle[];
  /**
   * `create`: the type may be `kurento.`-qualified; constructor params are checked against the KMD. Events raised by
   * the creation reach the listeners with `requester`.
   */
  create(type: string, constructorParams: unknown, requester?: unknown): ObjectHandle | Promise<ObjectHandle>;
  /** `invoke`: the result marshalled for the wire. */
  invoke(id: string, operation: string, operationParams: unknown): Promise<unknown>;
  /** Unknown and already released ids succeed, as in KMS. */
  release(id: string): Promise<void>;
  releaseAll(): Promise<void>;
  onEvent(listener: WireEventListener): () => void;
  onRelease(listener: (id: string) => void): () => void;
}

/** Every string anywhere in request parameters (where the ids of objects they name are: a pipeline, a hub, a sink). */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}
