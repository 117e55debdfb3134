/**
 * Sessions as KMS keeps them (MediaSet.cpp, WebSocketTransport.cpp): a session owns references to the objects it
 * created or used, its event subscriptions and a 20 s cache of answered requests; it is bound to at most one
 * connection at a time. Sessions without a connection are garbage-collected after a whole collector period without
 * activity; a connected session is never collected.
 */
import { randomUUID } from 'node:crypto';
import type { JsonRpcResponse } from './jsonrpc';

/** The part of a WebSocket connection a session needs: somewhere to send events. */
export interface EventSink {
  readonly open: boolean;
  sendEvent(text: string): void;
}

/** What one connection may see: a scoped one (a page on another machine) sees only its session's own objects. */
export interface ConnectionScope {
  /** A number unique to the connection, for its duplicate-request cache. */
  readonly serial: number;
  readonly scoped: boolean;
}

export interface Subscription {
  id: string;
  objectId: string;
  event: string;
}

export const REQUEST_CACHE_MS = 20000;

export class Session {
  readonly refs = new Set<string>();
  readonly subscriptions = new Map<string, Subscription>();
  private readonly cache = new Map<string, { response: JsonRpcResponse; expires: number }>();
  connection: EventSink | undefined;
  lastActivity = Date.now();
  /**
   * Made or used by a page from another machine (admitted by its Origin, not by the access token): it sees and drives
   * only the objects it created or was given, never other sessions' ids.
   */
  scoped = false;

  constructor(readonly id: string) {}

  touch(): void {
    this.lastActivity = Date.now();
  }

  isSubscribed(objectId: string, event: string): boolean {
    for (const subscription of this.subscriptions.values()) {
      if (subscription.objectId === objectId && subscription.event === event) return true;
    }
    return false;
  }

  /**
   * The answer to an earlier request with this id on the same connection. KMS keys its cache by session and id only;
   * here a request of another connection never gets (or pre-answers) this one's answers.
   */
  cached(connection: number, requestId: unknown): JsonRpcResponse | undefined {
    const key = `${connection}|${JSON.stringify(requestId)}`;
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      this.cache.delete(key);
      return undefined;
    }
    return entry.response;
  }

  remember(connection: number, requestId: unknown, response: JsonRpcResponse): void {
    const now = Date.now();
    for (const [key, entry] of this.cache) if (entry.expires < now) this.cache.delete(key);
    this.cache.set(`${connection}|${JSON.stringify(requestId)}`, { response, expires: now + REQUEST_CACHE_MS });
  }

  /** Drops subscriptions to an object that no longer exists. */
  forgetObject(objectId: string): void {
    this.refs.delete(objectId);
    for (const [id, subscription] of this.subscriptions) if (subscription.objectId === objectId) this.subscriptions.delete(id);
  }
}

export interface SessionStoreOptions {
  /** Seconds between collections (kurento.conf.json garbageCollectorPeriod, default 240). */
  garbageCollectorPeriod: number;
  /** Releases objects nobody references any more. */
  releaseOrphans: (objectIds: string[]) => Promise<void>;
  log: (message: string) => void;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SessionStoreOptions) {}

  start(): void {
    const period = Math.max(1, this.options.garbageCollectorPeriod) * 1000;
    this.timer = setInterval(() => void this.collect(period), period);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  ids(): string[] {
    return [...this.sessions.keys()];
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** KMS getOrCreateSessionId: any session id a client names is accepted (and created if new). */
  getOrCreate(id: string | undefined): Session {
    const sessionId = id ?? randomUUID();
    let session = this.sessions.get(sessionId);
    if (!session) {
      session = new Session(sessionId);
      this.sessions.set(sessionId, session);
    }
    session.touch();
    return session;
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  /** Binds `connection` to `session`, taking it from any other session (one connection per session and vice versa). */
  bind(session: Session, connection: EventSink): void {
    for (const other of this.sessions.values()) {
      if (other !== session && other.connection === connection) other.connection = undefined;
    }
    session.connection = connection;
    session.touch();
  }

  unbind(connection: EventSink): void {
    for (const session of this.sessions.values()) {
      if (session.connection === connection) {
        session.connection = undefined;
        session.touch();
      }
    }
  }

  forgetObject(objectId: string): void {
    for (const session of this.sessions.values()) session.forgetObject(objectId);
  }

  /** Sessions still referencing `objectId`. */
  holders(objectId: string): Session[] {
    return [...this.sessions.values()].filter((session) => session.refs.has(objectId));
  }

  /**
   * One garbage collection: sessions with no open connection and no activity for `idleMs` are removed; the objects
   * they were the last to reference are released.
   */
  async collect(idleMs: number): Promise<string[]> {
    const now = Date.now();
    const expired: Session[] = [];
    for (const session of this.sessions.values()) {
      if (session.connection?.open) {
        session.touch();
        continue;
      }
      if (now - session.lastActivity >= idleMs) expired.push(session);
    }
    if (expired.length === 0) return [];
    const candidates = new Set<string>();
    for (const session of expired) {
      this.sessions.delete(session.id);
      for (const id of session.refs) candidates.add(id);
    }
    const orphans = [...candidates].filter((id) => this.holders(id).length === 0);
    this.options.log(`garbage collector: ${expired.length} idle session(s) removed, ${orphans.length} object(s) to release`);
    await this.options.releaseOrphans(orphans);
    return expired.map((session) => session.id);
  }

  remove(id: string): Session | undefined {
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    return session;
  }
}
