/**
 * What the four application servers share, in the shape of the Java tutorials' Spring handlers
 * (TextWebSocketHandler: afterConnectionEstablished, handleTextMessage with a switch on `id`,
 * afterConnectionClosed): one BrowserSession per WebSocket, its messages handled one at a time in arrival order,
 * each validated against its route before the handler sees it, and every failure reported to that browser.
 */
import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../kms/logger';
import { KmsConnection } from './kms';
import type { TrafficDirection, TrafficOwner } from './kms-traffic';
import { ProtocolError, describeError, parseMessage, shorten, validate, type Json, type Parsed, type Schema } from './protocol';

/** A logger whose lines start with `[app]`, e.g. `[one2one-call] #3 ← register {"name":"alice"}`. */
export function prefixed(log: Logger, prefix: string): Logger {
  return {
    debug: (message) => log.debug(`[${prefix}] ${message}`),
    info: (message) => log.info(`[${prefix}] ${message}`),
    warn: (message) => log.warn(`[${prefix}] ${message}`),
    error: (message) => log.error(`[${prefix}] ${message}`),
  };
}

/** kmsTraffic messages a session gets at most: a burst of this many, then KMS_TRAFFIC_RATE per second. */
const KMS_TRAFFIC_BURST = 400;
const KMS_TRAFFIC_RATE = 200;
/** Beyond this many bytes waiting in the browser's socket, kmsTraffic messages are dropped (signaling is not). */
const KMS_TRAFFIC_MAX_BUFFERED = 2 * 1024 * 1024;

/** One browser's WebSocket (the WebSocketSession of the Java samples). */
export class BrowserSession implements TrafficOwner {
  /** This browser's work: messages run one after the other, in arrival order, like Spring delivers them. */
  queue: Promise<void> = Promise.resolve();
  closed = false;
  /**
   * Whether the browser asked (`?kmsTraffic=1` on the WebSocket URL) for the app server's own JSON-RPC frames with
   * KMS about this session, as kmsTraffic messages (protocol.ts).
   */
  wantsKmsTraffic = false;
  /** The KMS this browser is assigned (a pool of KMS, server/workshop/kms-pool.ts); the app's default otherwise. */
  kmsUrl: string | undefined;
  private trafficTokens = KMS_TRAFFIC_BURST;
  private trafficRefilled = Date.now();
  private trafficDropped = 0;

  constructor(
    readonly id: number,
    private readonly socket: WebSocket,
    protected readonly log: Logger,
  ) {}

  get label(): string {
    return `#${this.id}`;
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  send(message: Json): void {
    if (!this.open) {
      this.log.debug(`${this.label} → (socket closed, dropped) ${shorten(message)}`);
      return;
    }
    this.log.info(`${this.label} → ${shorten(message)}`);
    this.socket.send(JSON.stringify(message), (error) => {
      if (error) this.log.warn(`${this.label} send failed: ${error.message}`);
    });
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  /**
   * One frame between the app server and KMS about this session's objects (KmsTraffic attributes them). Sent as
   * {id: 'kmsTraffic', direction, frame, truncated?, dropped?} without a log line; beyond the rate or buffer limits
   * frames are dropped, and the next message says how many.
   */
  kmsFrame(direction: TrafficDirection, frame: string, truncated: boolean): void {
    if (!this.wantsKmsTraffic || this.closed || !this.open) return;
    const now = Date.now();
    this.trafficTokens = Math.min(KMS_TRAFFIC_BURST, this.trafficTokens + ((now - this.trafficRefilled) / 1000) * KMS_TRAFFIC_RATE);
    this.trafficRefilled = now;
    if (this.trafficTokens < 1 || this.socket.bufferedAmount > KMS_TRAFFIC_MAX_BUFFERED) {
      this.trafficDropped += 1;
      return;
    }
    this.trafficTokens -= 1;
    const message: Json = { id: 'kmsTraffic', direction, frame };
    if (truncated) message.truncated = true;
    if (this.trafficDropped > 0) message.dropped = this.trafficDropped;
    this.trafficDropped = 0;
    this.socket.send(JSON.stringify(message), (error) => {
      if (error) this.log.debug(`${this.label} kmsTraffic send failed: ${error.message}`);
    });
  }
}

/** How one message id is handled: its fields are validated against `schema` before `handle` runs. */
export interface Route<S> {
  run(session: S, message: Json): Promise<void>;
  /** The Java protocol's answer to this message, sent as {response: 'rejected', message} when it fails. */
  rejectWith?: string;
}

export function route<S, F extends Schema>(
  schema: F,
  handle: (session: S, fields: Parsed<F>) => Promise<void> | void,
  options: { rejectWith?: string } = {},
): Route<S> {
  return {
    run: async (session, message) => handle(session, validate(message, schema)),
    ...(options.rejectWith ? { rejectWith: options.rejectWith } : {}),
  };
}

export interface AppServerOptions {
  /**
   * The KMS the app servers of this process use, e.g. ws://127.0.0.1:8888/kurento; with a pool of KMS, the one used
   * for browsers that have no assignment (each room or call is placed on one KMS: see kmsFor).
   */
  kmsUrl: string;
  log: Logger;
}

export abstract class AppServer<S extends BrowserSession> {
  /** The WebSocket path, e.g. /helloworld. */
  abstract readonly path: string;
  /** Id of the message that reports failures: 'error' in the classic tutorials, 'ERROR' in hello-world. */
  protected abstract readonly errorId: string;
  protected abstract readonly routes: Readonly<Record<string, Route<S>>>;
  protected readonly log: Logger;
  private readonly defaultKmsUrl: string;
  /** One kurento-client per KMS this app uses (one, or the KMS of a pool that browsers were assigned). */
  private readonly kmsConnections = new Map<string, KmsConnection>();
  private readonly sessions = new Set<S>();
  private lock: Promise<void> = Promise.resolve();
  private nextId = 0;

  constructor(
    readonly name: string,
    options: AppServerOptions,
  ) {
    this.log = prefixed(options.log, name);
    this.defaultKmsUrl = options.kmsUrl;
  }

  /** The connection to the KMS at `url` (made on first use). */
  protected kmsAt(url: string): KmsConnection {
    let connection = this.kmsConnections.get(url);
    if (!connection) {
      const made = new KmsConnection(url, this.log, (reason) => this.kmsLost(made, reason));
      this.kmsConnections.set(url, made);
      connection = made;
    }
    return connection;
  }

  /**
   * The KMS where what `session` opens is placed (its pool assignment, or the app's KMS). A room or call stays on the
   * KMS of the browser that opened it: all its members meet there.
   */
  protected kmsFor(session: S): KmsConnection {
    return this.kmsAt(session.kmsUrl ?? this.defaultKmsUrl);
  }

  /** The KMS that holds the session's media objects now (default: its own, when it uses media). */
  protected mediaKms(session: S): KmsConnection | undefined {
    return this.usesMedia(session) ? this.kmsFor(session) : undefined;
  }

  /** Which KMS the sessions' media are on, by URL (how many sessions on each): for tests and the health line. */
  placements(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const session of this.sessions) {
      const url = this.mediaKms(session)?.url;
      if (url) counts.set(url, (counts.get(url) ?? 0) + 1);
    }
    return counts;
  }

  /** A new session object for a browser that just connected. */
  protected abstract createSession(id: number, socket: WebSocket): S;
  /** The browser is gone (its socket closed, or the server stops): release what it owns, tell the others. */
  protected abstract sessionClosed(session: S): Promise<void>;
  /** Whether the session owns KMS objects (it is closed when they are lost with the KMS connection). */
  protected abstract usesMedia(session: S): boolean;

  get connections(): number {
    return this.sessions.size;
  }

  /**
   * Takes a browser's WebSocket (after the upgrade). `kmsTraffic`: the browser asked to see this app server's
   * JSON-RPC frames with KMS about its own media objects.
   */
  accept(socket: WebSocket, remote: string, { kmsTraffic = false, kmsUrl }: { kmsTraffic?: boolean; kmsUrl?: string | undefined } = {}): void {
    this.nextId += 1;
    const session = this.createSession(this.nextId, socket);
    session.wantsKmsTraffic = kmsTraffic;
    session.kmsUrl = kmsUrl;
    this.sessions.add(session);
    this.log.info(`${session.label} connected from ${remote}${kmsTraffic ? ' (with its KMS traffic)' : ''}`);
    socket.on('message', (data: RawData, isBinary: boolean) => this.enqueue(session, () => this.handleFrame(session, data, isBinary)));
    socket.on('close', (code: number) => {
      this.log.info(`${session.label} disconnected (code ${code})`);
      this.enqueue(session, () => this.closeSession(session));
    });
    socket.on('error', (error: Error) => this.log.warn(`${session.label} socket error: ${error.message}`));
  }

  /** Queues work for `session` after what it already has to do (KMS events that change its state use it). */
  protected enqueue(session: S, task: () => Promise<void>): void {
    session.queue = session.queue.then(task).catch((error: unknown) => {
      this.log.error(`${session.label} unexpected failure: ${describeError(error)}`);
    });
  }

  private async handleFrame(session: S, data: RawData, isBinary: boolean): Promise<void> {
    if (session.closed) return;
    const frame = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    let id: string | undefined;
    let selected: Route<S> | undefined;
    try {
      if (isBinary) throw new ProtocolError('binary frames are not part of the protocol: send JSON text');
      const parsed = parseMessage(frame);
      id = parsed.id;
      this.log.info(`${session.label} ← ${shorten(parsed.message)}`);
      // Own keys only: an id such as '__proto__' or 'toString' is as unknown as any other.
      selected = Object.hasOwn(this.routes, id) ? this.routes[id] : undefined;
      if (!selected) throw new ProtocolError(`unknown message id '${id}' (this server takes ${Object.keys(this.routes).join(', ')})`);
      await selected.run(session, parsed.message);
    } catch (error) {
      if (id === undefined) this.log.info(`${session.label} ← ${shorten(frame)}`);
      this.reportFailure(session, id, selected, error);
    }
  }

  /** Tells the browser what went wrong with its message; the session stays usable. */
  private reportFailure(session: S, id: string | undefined, selected: Route<S> | undefined, error: unknown): void {
    const message = describeError(error);
    this.log.warn(`${session.label} ${id ?? '(unreadable message)'} failed: ${message}`);
    if (selected?.rejectWith) session.send({ id: selected.rejectWith, response: 'rejected', message });
    session.send({ id: this.errorId, message });
  }

  /**
   * Runs `task` alone among this app's exclusive tasks (the `synchronized` methods of the Java samples): state shared
   * between browsers (rooms, the presenter, calls) changes in one task at a time.
   */
  protected exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.lock.then(task);
    this.lock = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async closeSession(session: S): Promise<void> {
    if (session.closed) return;
    session.closed = true;
    this.sessions.delete(session);
    try {
      await this.sessionClosed(session);
    } catch (error) {
      this.log.warn(`${session.label} cleanup failed: ${describeError(error)}`);
    }
    for (const connection of this.kmsConnections.values()) connection.traffic.forget(session);
  }

  /** KMS objects are gone: the browsers that had some there are told and disconnected, which releases their state. */
  private kmsLost(connection: KmsConnection, reason: string): void {
    for (const session of this.sessions) {
      if (this.mediaKms(session) !== connection) continue;
      session.send({ id: this.errorId, message: `${reason}; this session's media is gone` });
      session.close(1011, 'KMS connection lost');
    }
  }

  /** Closes every browser socket, releases every KMS object, then closes the kurento-client. */
  async stop(): Promise<void> {
    const sessions = [...this.sessions];
    for (const session of sessions) {
      session.close(1001, 'server shutting down');
      this.enqueue(session, () => this.closeSession(session));
    }
    await Promise.all(sessions.map((session) => session.queue));
    for (const connection of this.kmsConnections.values()) connection.close();
  }
}
