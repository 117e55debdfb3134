/**
 * The application servers' side of the Kurento protocol: one kurento-client per app server, connected on first use
 * and made again after a disconnect, and small wrappers that call KMS in kurento-client's callback form. Its promise
 * form swallows errors (a failed call logs console.trace and resolves undefined); the callback form reports them.
 */
import kurentoClient, { type KurentoClient, type MediaElement, type MediaObject, type MediaPipeline, type WebRtcEndpoint } from 'kurento-client';
import { call, create } from '../../core/kurento';
import type { Logger } from '../kms/logger';
import { KmsTraffic, type TrafficOwner } from './kms-traffic';
import { ProtocolError, candidate as candidateField, describeError, type CandidateMessage, type Json } from './protocol';

/** How many failed reconnection attempts kurento-client makes before it gives up and emits 'disconnect'. */
const FAIL_AFTER = 3;
/** A release that KMS does not answer in this time is logged and given up (KMS' own garbage collector remains). */
const RELEASE_TIMEOUT_MS = 5000;

export class KmsConnection {
  private connecting: Promise<KurentoClient> | undefined;
  /** The client of the current connection, as kurentoClient() returned it (its events come from this object). */
  private current: object | undefined;
  /** Bumped whenever the KMS objects made so far are lost with the connection. */
  private generation = 0;
  private readonly born = new WeakMap<MediaObject, number>();
  /** The frames of this connection, attributed to the browser sessions they concern (see kms-traffic.ts). */
  readonly traffic = new KmsTraffic();

  /**
   * @param url the KMS WebSocket, e.g. ws://127.0.0.1:8888/kurento
   * @param onLost called when the KMS objects made through this connection are gone (disconnect, or a reconnection
   *   into a session KMS no longer knows)
   */
  constructor(
    readonly url: string,
    private readonly log: Logger,
    private readonly onLost: (reason: string) => void,
  ) {}

  /** The connected client; the first call connects, later calls share it until it disconnects. */
  client(): Promise<KurentoClient> {
    this.connecting ??= this.connect();
    return this.connecting;
  }

  private connect(): Promise<KurentoClient> {
    this.log.info(`connecting kurento-client to ${this.url}`);
    const attempt = new Promise<KurentoClient>((resolve, reject) => {
      const created = kurentoClient(this.url, { failAfter: FAIL_AFTER, socket: { onFrame: this.traffic.tap } }, (error, client) => {
        if (error || !client) {
          reject(new Error(`cannot reach KMS at ${this.url}: ${describeError(error)}`));
          return;
        }
        this.current = created;
        this.log.info(`kurento-client connected to ${this.url}`);
        resolve(client);
      });
      created.on('disconnect', () => this.lost(created, `lost the connection to KMS at ${this.url}`, true));
      created.on('reconnected', (sameSession) => {
        // A warning, not news: KMS events sent while the socket was down are lost, and a lab waiting for one of them
        // fails later with nothing else in a warnings-only log to say why.
        if (sameSession) this.log.warn('kurento-client lost its connection to KMS and reconnected into the same session; events KMS sent in between are lost');
        else this.lost(created, 'kurento-client reconnected, but KMS no longer knows its session: the media objects are gone', false);
      });
    });
    attempt.catch(() => {
      // The next call tries again.
      this.connecting = undefined;
    });
    return attempt;
  }

  private lost(client: object, reason: string, disconnected: boolean): void {
    if (this.current !== client) return;
    this.generation += 1;
    this.traffic.reset();
    if (disconnected) {
      this.current = undefined;
      this.connecting = undefined;
    }
    this.log.warn(`${reason}; the next request connects again`);
    this.onLost(reason);
  }

  private track<T extends MediaObject>(object: T): T {
    this.born.set(object, this.generation);
    return object;
  }

  /** A MediaPipeline whose KMS frames `owners` see (the sessions it is made for). */
  async createPipeline(owners: Iterable<TrafficOwner>): Promise<MediaPipeline> {
    const client = await this.client();
    return this.track(await this.traffic.as(owners, () => call<MediaPipeline>((done) => client.create('MediaPipeline', done))));
  }

  /**
   * A WebRtcEndpoint in `pipeline` whose KMS frames `owners` see; failures kurento-client reports on it later go to
   * `report`.
   */
  async createWebRtcEndpoint(pipeline: MediaPipeline, report: (message: string) => void, owners: Iterable<TrafficOwner>): Promise<WebRtcEndpoint> {
    const endpoint = this.track(await this.traffic.as(owners, () => call<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done))));
    guardErrors(endpoint, report);
    return endpoint;
  }

  /**
   * A media element of any class in `pipeline` (`params` as KMS' constructor takes them), as the real kurento-client
   * object (it can be passed to connect()); its KMS frames `owners` see, later failures go to `report`.
   */
  async createElement<T extends MediaElement>(pipeline: MediaPipeline, type: string, params: Json, report: (message: string) => void, owners: Iterable<TrafficOwner>): Promise<T> {
    const factory = pipeline as unknown as { create(type: string, params: Json, callback: (error: unknown) => void): T };
    const [element] = await this.traffic.as(owners, () => create<T>((done) => factory.create(type, params, done)));
    this.track(element);
    guardErrors(element, report);
    return element;
  }

  /**
   * Releases a media object; never rejects (a failure, or no answer within 5 s, is logged). Objects lost with an
   * earlier connection are not released again.
   */
  async release(object: MediaObject | undefined, what: string): Promise<void> {
    if (!object) return;
    const born = this.born.get(object);
    if (born !== undefined && born !== this.generation) {
      this.log.info(`${what}: nothing to release, it was lost with the KMS connection`);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), RELEASE_TIMEOUT_MS);
    });
    try {
      const released = call<void>((done) => object.release((error) => done(error, undefined))).then(() => 'released' as const);
      const outcome = await Promise.race([released, timeout]);
      if (outcome === 'timeout') this.log.warn(`release of ${what} got no answer within ${RELEASE_TIMEOUT_MS / 1000} s`);
      else this.log.info(`released ${what}`);
    } catch (error) {
      this.log.warn(`release of ${what} failed: ${describeError(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the client (pending requests are answered first). */
  close(): void {
    const client = this.current as KurentoClient | undefined;
    this.current = undefined;
    this.connecting = undefined;
    if (!client) return;
    try {
      client.close();
    } catch (error) {
      this.log.debug(`closing kurento-client: ${describeError(error)}`);
    }
  }
}

/**
 * kurento-client subscribes on KMS when a listener is added, and reports a failed subscription (say, the object was
 * released meanwhile) by emitting 'error' on the media object. It refuses 'error' listeners itself ('error' is not a
 * KMD event), so EventEmitter throws that error inside kurento-client's promise chain: an unhandled rejection, which
 * ends a Node process. The listener is therefore put straight into the object's listener table, which the copy
 * kurento-client hands out shares with the original object (the one that emits).
 */
export function guardErrors(object: MediaObject, report: (message: string) => void): void {
  const table = (object as unknown as { _events?: Record<string, unknown> })._events;
  if (table === undefined || table.error !== undefined) return;
  table.error = (error: unknown): void => report(`kurento-client: ${describeError(error)}`);
}

/**
 * Listens to a KMS event of `object` (subscribing on KMS). The listener never throws into kurento-client: a failure
 * in it is reported. Events the class does not have are reported too (kurento-client refuses them).
 */
export function listen(object: MediaObject, event: string, listener: (data: Json) => void, report: (message: string) => void): void {
  const emitter = object as unknown as { on(name: string, handler: (data: Json | undefined) => void): unknown };
  const safe = (data: Json | undefined): void => {
    try {
      listener(data ?? {});
    } catch (error) {
      report(`${event} listener failed: ${describeError(error)}`);
    }
  };
  try {
    emitter.on(event, safe);
  } catch (error) {
    report(`cannot subscribe to ${event}: ${describeError(error)}`);
  }
}

export function processOffer(endpoint: WebRtcEndpoint, offer: string): Promise<string> {
  return call<string>((done) => endpoint.processOffer(offer, done));
}

export function gatherCandidates(endpoint: WebRtcEndpoint): Promise<void> {
  return call<void>((done) => endpoint.gatherCandidates((error) => done(error, undefined)));
}

export function connect(source: MediaElement, sink: MediaElement): Promise<void> {
  return call<void>((done) => source.connect(sink, (error) => done(error, undefined)));
}

export function addIceCandidate(endpoint: WebRtcEndpoint, candidate: CandidateMessage): Promise<void> {
  return call<void>((done) => endpoint.addIceCandidate(candidate, (error) => done(error, undefined)));
}

/**
 * Calls `send` with each local candidate KMS finds (IceCandidateFound), as the browser takes it: {candidate, sdpMid,
 * sdpMLineIndex}, without KMS' __module__/__type__ markers.
 */
export function onIceCandidateFound(endpoint: WebRtcEndpoint, send: (candidate: CandidateMessage) => void, report: (message: string) => void): void {
  listen(endpoint, 'IceCandidateFound', (data) => send(candidateField(data.candidate, 'IceCandidateFound.candidate')), report);
}

/**
 * Remote candidates that arrive before their endpoint exists (the Java samples keep them in UserSession's
 * candidateList). Bounded: a browser that floods candidates without ever negotiating gets an error instead.
 */
export class CandidateQueue {
  private static readonly MAX = 200;
  private readonly queued: CandidateMessage[] = [];

  /** Adds one; false when the queue is full. */
  push(candidate: CandidateMessage): boolean {
    if (this.queued.length >= CandidateQueue.MAX) return false;
    this.queued.push(candidate);
    return true;
  }

  /** Hands every queued candidate to `endpoint` (in arrival order) and empties the queue. */
  async flushTo(endpoint: WebRtcEndpoint): Promise<void> {
    const pending = this.queued.splice(0);
    for (const candidate of pending) await addIceCandidate(endpoint, candidate);
  }

  clear(): void {
    this.queued.length = 0;
  }
}

/**
 * A remote candidate from the browser: to its endpoint when it exists, else into `queue` until it does. The empty
 * end-of-candidates marker is skipped.
 */
export async function addRemoteCandidate(endpoint: WebRtcEndpoint | undefined, queue: CandidateQueue, candidate: CandidateMessage): Promise<void> {
  if (candidate.candidate === '') return;
  if (endpoint) {
    await addIceCandidate(endpoint, candidate);
    return;
  }
  if (!queue.push(candidate)) throw new ProtocolError('too many ICE candidates before an endpoint exists for them');
}
