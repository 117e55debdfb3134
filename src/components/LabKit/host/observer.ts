/**
 * What lets the lab see what a program does, without the program doing anything for it: the kurentoClient,
 * kurentoUtils and WebSocket of the lab's page are the real ones, observed.
 *
 * - kurentoClient: the same function (a Proxy), called with the program's own arguments plus a frame tap (for the
 *   JSON-RPC inspector) and `failAfter: 3` unless the program set it (kurento-client retries forever otherwise). Every
 *   media object the client registers is shown in the pipeline graph, named after the program variable that holds
 *   it, and the lab subscribes to each of its events before the program's callback runs, so that the timeline misses
 *   none (the inspector marks those subscribe frames as the lab's; a later `.on()` of the program reuses them, as
 *   kurento-client sends one subscribe per event and object).
 * - kurentoUtils: WebRtcPeer's constructors, observed: the browser lane records the peer's ICE and connection events,
 *   the stats view samples its RTCPeerConnection, a camera error is explained.
 * - WebSocket: sockets to an application server of the site are tapped for the inspector, and ask the server to copy
 *   its own JSON-RPC frames with KMS (`?kmsTraffic=1`, which the server answers with kmsTraffic messages the lab takes
 *   for the inspector and does not hand to the program).
 */
import type { TimelineEvent } from '@site/labs/framework/types';
import type { RunRecorder } from '@site/labs/framework/recorder';
import { appKmsChannel } from '@site/labs/framework/recorder';
import { explain, type Explanation } from '@site/labs/framework/explain';
import { probeKms, type ProbeResult } from '@site/src/kurento/probe';

/** What the observer reports to its host. */
export interface ObserverSink {
  recorder: RunRecorder;
  /** A failure the observer already understood (no KMS, no camera, an application server error). */
  failure(explanation: Explanation, message: string): void;
  /** Maps an application server's message to timeline events (the lab's own rules), or undefined for none. */
  appEvents?: (path: string, message: Record<string, unknown>) => TimelineEvent[] | undefined;
  /** The application server paths of the site (/helloworld, /call, …): sockets to them are tapped. */
  appPaths: readonly string[];
}

/** Application server ↔ KMS frames remembered to show a frame forwarded to several sockets of the page once. */
const MAX_KMS_FRAMES_SEEN = 500;

/** A kurento-client media object, as far as the observer uses it. */
interface MediaObjectLike {
  id: string;
  constructor: { events?: readonly string[] };
  on(event: string, listener: (data: Record<string, unknown>) => void): unknown;
  listeners(event: string): unknown[];
  release(callback?: (error: unknown) => void): unknown;
  getStats?(callback: (error: unknown, stats: Record<string, Record<string, unknown>>) => void): unknown;
}

interface KurentoClientLike {
  close(): void;
  on?(event: string, listener: (...args: unknown[]) => void): unknown;
}

type KurentoClientFactory = ((...args: unknown[]) => KurentoClientLike) & {
  register?: { abstracts?: Record<string, { prototype: { emit: (...args: unknown[]) => boolean } }> };
};

/** kurento-utils peers, as far as the observer uses them. */
export interface PeerLike {
  peerConnection?: RTCPeerConnection;
  dataChannel?: RTCDataChannel;
  dispose(): void;
}

function typeFromId(id: string): string {
  if (id === 'manager_ServerManager') return 'ServerManager';
  return /_kurento\.(\w+)$/.exec(id)?.[1] ?? 'MediaObject';
}

/** Events kurento-client emits on objects for its own bookkeeping, not KMS events. */
const CLIENT_EVENTS = new Set(['newListener', 'removeListener', 'release', 'error']);

/** Object ids named by a JSON-RPC value (create results, getChildren, …). */
function idsIn(value: unknown): string[] {
  if (typeof value === 'string') return /_kurento\.\w+$/.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(idsIn);
  return [];
}

/** Registration hooks per kurento-client module (one per page): '_id' is emitted once an object has its id. */
const registrationHooks = new WeakMap<object, Set<(object: MediaObjectLike, id: string) => void>>();
/** The observer's tap of each observed object: every KMS event the object emits (whoever subscribed it). */
const eventTaps = new WeakMap<object, (event: string, data: Record<string, unknown>) => void>();

function onRegistered(module: KurentoClientFactory, hook: (object: MediaObjectLike, id: string) => void): () => void {
  let hooks = registrationHooks.get(module);
  if (!hooks) {
    hooks = new Set();
    registrationHooks.set(module, hooks);
    const base = module.register?.abstracts?.['kurento.MediaObject'];
    if (!base) throw new Error('kurento-client has no kurento.MediaObject class to observe');
    const emit = base.prototype.emit;
    const set = hooks;
    // kurento-client registers every object it creates or describes with emit('_id', null, id), right before it
    // calls the program's callback: subscriptions made here go out before anything the callback sends.
    base.prototype.emit = function observedEmit(this: MediaObjectLike, ...args: unknown[]): boolean {
      const [name] = args;
      if (name === '_id' && args[1] === null && typeof args[2] === 'string') {
        for (const registered of set) {
          try {
            registered(this, args[2]);
          } catch (error) {
            console.error('kurento-labs observer:', error);
          }
        }
      } else if (typeof name === 'string' && !name.startsWith('_') && !CLIENT_EVENTS.has(name)) {
        const data = args[1];
        eventTaps.get(this)?.(name, typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {});
      }
      return emit.apply(this, args);
    };
  }
  hooks.add(hook);
  return () => hooks?.delete(hook);
}

export class Observer {
  private readonly clients: KurentoClientLike[] = [];
  private readonly objects = new Map<string, MediaObjectLike>();
  private readonly claimed = new Set<string>();
  /** Object ids whose subscribe frames the lab sent, by `${id}|${event}`. */
  private readonly observerSubscriptions = new Set<string>();
  /** HubPort id → its hub's id, from the create requests. */
  private readonly parents = new Map<string, string>();
  private readonly pendingCreates = new Map<string, { channel: string; hub?: string }>();
  /** Objects the program created (answers to its create requests), as opposed to objects it only looked up. */
  private readonly created = new Set<string>();
  /** The channel (kms, kms:2…) each created object came from, and the session id KMS gave each channel. */
  private readonly createdOn = new Map<string, string>();
  private readonly sessionOf = new Map<string, string>();
  /** The page's WebSockets that are not to an application server: kurento-client's (and any the program opens). */
  private readonly otherSockets: WebSocket[] = [];
  readonly peers = new Map<PeerLike, string>();
  private readonly sockets: WebSocket[] = [];
  private readonly unhooks: Array<() => void> = [];
  private peerCount = 0;
  private disposed = false;
  /** The KMS URL each channel connected to, to explain its failures. */
  private readonly urls = new Map<string, string>();
  /**
   * The latest application server ↔ KMS frames, by channel, direction and text: a frame about an object two sockets of
   * the page share (the pipeline of a call between two of its browsers) comes once per socket, and is shown once.
   */
  private readonly kmsFramesSeen = new Set<string>();

  constructor(private readonly sink: ObserverSink) {}

  /** The KMS endpoints to sample stats from, with their names. */
  endpoints(): Array<{ role: string; object: MediaObjectLike }> {
    return [...this.objects.values()]
      .filter((object) => /RtcEndpoint$/.test(typeFromId(object.id)))
      .map((object) => ({ role: this.sink.recorder.nameObject(object.id, typeFromId(object.id)), object }));
  }

  /** Instruments the page's globals; call before any program code runs. */
  instrument(win: Window & Record<string, unknown>): void {
    const realClient = win.kurentoClient as KurentoClientFactory | undefined;
    if (typeof realClient === 'function') {
      this.unhooks.push(onRegistered(realClient, (object, id) => this.registered(object, id)));
      win.kurentoClient = new Proxy(realClient, { apply: (target, thisArg, args: unknown[]) => this.createClient(target, thisArg, args) });
    }
    const realUtils = win.kurentoUtils as { WebRtcPeer?: Record<string, unknown> } | undefined;
    if (realUtils?.WebRtcPeer) win.kurentoUtils = this.observeUtils(realUtils);
    win.WebSocket = this.observeWebSocket(win);
  }

  // kurento-client ---------------------------------------------------------------------------------------------------

  private createClient(target: KurentoClientFactory, thisArg: unknown, args: unknown[]): KurentoClientLike {
    const [url, second, third] = args;
    const callback = typeof second === 'function' ? second : typeof third === 'function' ? third : undefined;
    const given = typeof second === 'object' && second !== null ? (second as Record<string, unknown>) : {};
    const channel = this.clients.length === 0 ? 'kms' : `kms:${this.clients.length + 1}`;
    const address = String(url);
    this.urls.set(channel, address);
    if (typeof window !== 'undefined' && window.location.protocol === 'https:' && address.startsWith('ws://')) {
      this.sink.failure(explain.mixedContent(address), `mixed content: ${address}`);
    }
    const socket = (given.socket ?? {}) as Record<string, unknown>;
    const options = {
      failAfter: 3,
      ...given,
      socket: { ...socket, onFrame: (direction: 'in' | 'out', text: string) => this.frame(channel, direction, text) },
    };
    // kurento-client says only "Connection error", and on a wrong path (the socket opens, then KMS closes it) it
    // reconnects without ever calling back: a probe of the same URL runs beside it and tells the failures apart. The
    // program's callback gets its error once the lab has explained it, so the explanation is the run's first error.
    let connected = false;
    const explained = probeKms(address, { timeoutMs: 3000 }).then((probe) => {
      if (probe.ok || connected) return false;
      this.explainProbe(address, probe, probe.detail ?? '');
      // Stop kurento-client's reconnections: this URL will not work as it is.
      try {
        client.close();
      } catch {
        // not connected
      }
      return true;
    });
    const observedCallback = (error: unknown, connection: unknown): void => {
      const call = (): void => {
        if (callback) (callback as (error: unknown, client: unknown) => void)(error, connection);
      };
      if (!error) {
        connected = true;
        call();
        return;
      }
      void explained.then((done) => {
        if (!done) this.sink.failure(explain.kmsUnreachable(address, error instanceof Error ? error.message : String(error)), String(error));
        call();
      });
    };
    const client = target.apply(thisArg, [url, options, observedCallback]) as KurentoClientLike;
    this.clients.push(client);
    try {
      client.on?.('disconnect', () => this.sink.recorder.addEvent('kms', channel, 'disconnect', {}));
      client.on?.('reconnected', (...values: unknown[]) => this.sink.recorder.addEvent('kms', channel, 'reconnected', { sameSession: values[0] }));
    } catch {
      // an older client without these events
    }
    return client;
  }

  /** A failed probe of the KMS URL, in plain words (nothing listens, refused, wrong path…). */
  private explainProbe(url: string, probe: Exclude<ProbeResult, { ok: true }>, message: string): void {
    switch (probe.failure) {
      case 'mixed-content':
        this.sink.failure(explain.mixedContent(url), message);
        return;
      case 'origin-refused':
        this.sink.failure(explain.kmsOriginRefused(url, probe.detail || window.location.origin), message);
        return;
      case 'refused':
        this.sink.failure(explain.kmsRefused(url, probe.detail), message);
        return;
      case 'wrong-path':
        this.sink.failure(explain.kmsWrongPath(url), message);
        return;
      case 'not-a-kms':
        this.sink.failure(explain.notAKms(url, probe.detail), message);
        return;
      default:
        this.sink.failure(explain.kmsUnreachable(url, probe.detail ?? message), message);
    }
  }

  /** Every frame of a client: recorded, and read for the ids of the objects this client owns. */
  private frame(channel: string, direction: 'in' | 'out', text: string): void {
    let message: { id?: unknown; method?: string; params?: Record<string, unknown>; result?: { value?: unknown; sessionId?: unknown } } | undefined;
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      message = undefined;
    }
    let observer = false;
    if (message && direction === 'out') {
      const params = message.params ?? {};
      if (message.method === 'subscribe' && typeof params.object === 'string' && typeof params.type === 'string') {
        const key = `${params.object}|${params.type}`;
        observer = this.observerSubscriptions.delete(key);
      }
      // describe registers an existing object (the ServerManager, an object found by id): it is this client's too.
      if (message.method === 'describe' && typeof params.object === 'string') this.claimed.add(params.object);
      if (message.method === 'create' && message.id !== undefined) {
        const constructorParams = (params.constructorParams ?? {}) as Record<string, unknown>;
        this.pendingCreates.set(`${channel}|${String(message.id)}`, { channel, ...(typeof constructorParams.hub === 'string' ? { hub: constructorParams.hub } : {}) });
      }
    }
    if (message && direction === 'in' && message.result) {
      if (typeof message.result.sessionId === 'string') this.sessionOf.set(channel, message.result.sessionId);
      for (const id of idsIn(message.result.value)) this.claimed.add(id);
      const pending = this.pendingCreates.get(`${channel}|${String(message.id)}`);
      if (pending) {
        this.pendingCreates.delete(`${channel}|${String(message.id)}`);
        const id = idsIn(message.result.value)[0];
        if (id) {
          this.created.add(id);
          this.createdOn.set(id, channel);
        }
        if (id && pending.hub) this.parents.set(id, pending.hub);
      }
    }
    this.sink.recorder.addFrame(channel, direction, text, observer ? { observer: true } : {});
  }

  /** An object kurento-client registered: if one of this page's clients made it, show it and subscribe its events. */
  private registered(object: MediaObjectLike, id: string): void {
    if (this.disposed || !this.claimed.has(id) || this.objects.has(id)) return;
    this.objects.set(id, object);
    const type = typeFromId(id);
    const recorder = this.sink.recorder;
    const role = recorder.nameObject(id, type);
    const hub = this.parents.get(id);
    if (type !== 'ServerManager' && type !== 'MediaPipeline') {
      recorder.addElement({ role, type, id, ...(hub ? { parentRole: recorder.nameObject(hub, typeFromId(hub)) } : {}) });
    }
    // Every event the object emits is recorded (the tap), whoever subscribed it.
    eventTaps.set(object, (event, data) => {
      if (!this.disposed) recorder.addObjectEvent(id, type, event, data);
    });
    // The ServerManager tells about every object of the server: its events are recorded only when the program
    // subscribes to them itself. Every other object: the lab subscribes to each of its events.
    if (type === 'ServerManager') return;
    for (const event of object.constructor.events ?? []) {
      this.observerSubscriptions.add(`${id}|${event}`);
      try {
        object.on(event, () => undefined);
      } catch {
        // kurento-client refused the event for this class: nothing to subscribe
        this.observerSubscriptions.delete(`${id}|${event}`);
      }
    }
  }

  // kurento-utils ----------------------------------------------------------------------------------------------------

  private observeUtils(utils: { WebRtcPeer?: Record<string, unknown> } & Record<string, unknown>): unknown {
    const peerNamespace = utils.WebRtcPeer as Record<string, unknown>;
    const observedPeers: Record<string, unknown> = {};
    for (const name of ['WebRtcPeerSendrecv', 'WebRtcPeerSendonly', 'WebRtcPeerRecvonly']) {
      const real = peerNamespace[name];
      if (typeof real !== 'function') continue;
      observedPeers[name] = new Proxy(real, {
        apply: (target, thisArg, args: unknown[]) => this.createPeer(target as (...a: unknown[]) => PeerLike, thisArg, args),
        construct: (target, args: unknown[]) => this.createPeer(target as (...a: unknown[]) => PeerLike, undefined, args),
      });
    }
    const namespace = new Proxy(peerNamespace, { get: (target, key, receiver) => (typeof key === 'string' && key in observedPeers ? observedPeers[key] : Reflect.get(target, key, receiver)) });
    return new Proxy(utils, { get: (target, key, receiver) => (key === 'WebRtcPeer' ? namespace : Reflect.get(target, key, receiver)) });
  }

  private createPeer(target: (...args: unknown[]) => PeerLike, thisArg: unknown, args: unknown[]): PeerLike {
    const [options, callback] = args;
    this.peerCount += 1;
    const provisional = `peer#${this.peerCount}`;
    const sink = this.sink;
    // kurento-utils calls the callback with the peer as `this`: keep it.
    const observedCallback = function (this: unknown, error: unknown): void {
      if (error) {
        const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
        sink.failure(explain.noCamera(String(error), name), String(error));
      }
      if (typeof callback === 'function') (callback as (this: unknown, error: unknown) => void).call(this, error);
    };
    const peer = Reflect.apply(target, thisArg, [options, observedCallback]) as PeerLike;
    this.peers.set(peer, provisional);
    this.watchPeer(peer);
    return peer;
  }

  /** The name of a peer in the browser lane: the variable that holds it, once one does. */
  peerName(peer: PeerLike, resolve: (value: unknown) => string | undefined): string {
    const known = this.peers.get(peer) ?? 'peer';
    if (!known.startsWith('peer#')) return known;
    const found = resolve(peer);
    if (found) this.peers.set(peer, found);
    return found ?? known;
  }

  /** Resolver for peers' names, set by the host (it knows the page's variables). */
  resolvePeer: (value: unknown) => string | undefined = () => undefined;

  private watchPeer(peer: PeerLike): void {
    const pc = peer.peerConnection;
    if (!pc) return;
    const record = (type: string, data: Record<string, unknown>): void => {
      if (this.disposed) return;
      this.sink.recorder.addEvent('browser', this.peerName(peer, this.resolvePeer), type, data);
    };
    pc.addEventListener('iceconnectionstatechange', () => record('iceconnectionstatechange', { state: pc.iceConnectionState }));
    pc.addEventListener('connectionstatechange', () => record('connectionstatechange', { state: pc.connectionState }));
    pc.addEventListener('icegatheringstatechange', () => record('icegatheringstatechange', { state: pc.iceGatheringState }));
    pc.addEventListener('icecandidate', (event) => {
      const ice = event.candidate;
      const candidate = ice?.candidate;
      if (!ice || !candidate) return;
      // The STUN/TURN server a candidate came from: RTCIceCandidate.url (Chromium), or the older event.url.
      const url = (ice as RTCIceCandidate & { url?: string | null }).url || (event as RTCPeerConnectionIceEvent & { url?: string | null }).url || undefined;
      record('icecandidate', {
        candidate,
        type: /typ (\w+)/.exec(candidate)?.[1] ?? '',
        url,
        protocol: ice.protocol ?? undefined,
        address: ice.address ?? undefined,
        port: ice.port ?? undefined,
        priority: ice.priority ?? undefined,
        relatedAddress: ice.relatedAddress ?? undefined,
        relatedPort: ice.relatedPort ?? undefined,
      });
    });
    pc.addEventListener('icecandidateerror', (event) => {
      const failure = event as RTCPeerConnectionIceErrorEvent;
      record('icecandidateerror', { errorCode: failure.errorCode, errorText: failure.errorText, url: failure.url });
    });
    pc.addEventListener('track', (event) => record('track', { kind: event.track.kind }));
    pc.addEventListener('datachannel', (event) => this.watchChannel(event.channel, record));
    // kurento-utils creates its data channel in the constructor.
    queueMicrotask(() => {
      if (peer.dataChannel) this.watchChannel(peer.dataChannel, record);
    });
  }

  private watchChannel(channel: RTCDataChannel, record: (type: string, data: Record<string, unknown>) => void): void {
    channel.addEventListener('open', () => record('datachannel-open', { label: channel.label }));
    channel.addEventListener('close', () => record('datachannel-close', { label: channel.label }));
    channel.addEventListener('message', (event) => record('datachannel-message', { data: String(event.data) }));
  }

  // WebSocket to application servers ----------------------------------------------------------------------------------

  private observeWebSocket(win: Window & Record<string, unknown>): typeof WebSocket {
    const Real = win.WebSocket as typeof WebSocket;
    const appPaths = this.sink.appPaths;
    const sockets = this.sockets;
    const otherSockets = this.otherSockets;
    const recorder = this.sink.recorder;
    const appMessage = (path: string, channel: string, event: MessageEvent): void => this.appMessage(path, channel, event);
    return class ObservedWebSocket extends Real {
      constructor(url: string | URL, protocols?: string | string[]) {
        const parsed = new URL(String(url), win.location.href);
        const path = parsed.pathname;
        const toApp = parsed.host === win.location.host && appPaths.includes(path);
        if (toApp && !parsed.searchParams.has('kmsTraffic')) parsed.searchParams.set('kmsTraffic', '1');
        super(toApp ? parsed.toString() : url, protocols);
        if (!toApp) {
          otherSockets.push(this);
          return;
        }
        sockets.push(this);
        const channel = `app:${path}`;
        const send = this.send.bind(this);
        this.send = (data: string | ArrayBufferLike | Blob | ArrayBufferView): void => {
          if (typeof data === 'string') {
            recorder.addFrame(channel, 'out', data);
            const parsedMessage = parseJson(data);
            if (parsedMessage) recorder.addEvent('browser', path, `send ${String(parsedMessage.id ?? '')}`, parsedMessage);
          }
          send(data);
        };
        // Registered first, so it runs before the program's handlers: kmsTraffic messages stop here.
        this.addEventListener('message', (event: MessageEvent) => appMessage(path, channel, event));
      }
    } as unknown as typeof WebSocket;
  }

  private appMessage(path: string, channel: string, event: MessageEvent): void {
    const text = String(event.data);
    const message = parseJson(text);
    if (message?.id === 'kmsTraffic' && typeof message.frame === 'string') {
      event.stopImmediatePropagation();
      const direction = message.direction === 'sent' ? 'out' : 'in';
      const key = `${path}|${direction}|${message.frame}`;
      if (this.kmsFramesSeen.has(key)) return;
      this.kmsFramesSeen.add(key);
      if (this.kmsFramesSeen.size > MAX_KMS_FRAMES_SEEN) this.kmsFramesSeen.delete(this.kmsFramesSeen.values().next().value as string);
      const dropped = typeof message.dropped === 'number' && message.dropped > 0 ? message.dropped : undefined;
      this.sink.recorder.addFrame(appKmsChannel(path), direction, message.frame, {
        ...(message.truncated === true ? { truncated: true } : {}),
        ...(dropped !== undefined ? { dropped } : {}),
      });
      return;
    }
    this.sink.recorder.addFrame(channel, 'in', text);
    if (!message) return;
    const id = String(message.id ?? '');
    this.sink.recorder.addEvent('app', path, id, message);
    for (const mapped of this.sink.appEvents?.(path, message) ?? []) this.sink.recorder.addEvent(mapped.lane, mapped.source, mapped.type, mapped.data);
    if (id === 'error' || id === 'ERROR') {
      const text2 = String(message.message ?? id);
      this.sink.failure(appServerError(path, text2), text2);
    }
    if (message.response !== undefined && message.response !== 'accepted') {
      const text2 = `${String(message.response)}: ${String(message.message ?? '')}`;
      this.sink.failure(appServerError(path, text2), text2);
    }
  }

  // cleanup ---------------------------------------------------------------------------------------------------------

  /**
   * The page is going away: release the pipelines the program created now, in this task. kurento-client would send
   * its release requests a few promise turns later, and a page being unloaded may lose all but the first; here each
   * is one frame, written straight to the open sockets to the client's KMS URL (whoever answers, nobody listens).
   */
  releaseNow(): void {
    if (this.disposed) return;
    let next = 0;
    for (const id of this.created) {
      if (typeFromId(id) !== 'MediaPipeline') continue;
      const channel = this.createdOn.get(id) ?? 'kms';
      const url = this.urls.get(channel);
      const sessionId = this.sessionOf.get(channel);
      const frame = JSON.stringify({ jsonrpc: '2.0', id: `kurento-labs-leave-${next++}`, method: 'release', params: { object: id, ...(sessionId ? { sessionId } : {}) } });
      for (const socket of this.otherSockets) {
        if (socket.readyState !== WebSocket.OPEN || (url !== undefined && socket.url !== new URL(url).href)) continue;
        try {
          socket.send(frame);
        } catch {
          // closing already
        }
      }
    }
  }

  /** Releases what the program built (its pipelines), disposes its peers, closes its sockets and clients. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const unhook of this.unhooks) unhook();
    for (const peer of this.peers.keys()) {
      try {
        peer.dispose();
      } catch {
        // already disposed
      }
    }
    // Only the pipelines the program created: getPipelines() makes every pipeline of the KMS known to the page, and
    // those belong to other pages (a trainer's connection check must not release the workshop's pipelines).
    const pipelines = [...this.objects.values()].filter((object) => typeFromId(object.id) === 'MediaPipeline' && this.created.has(object.id));
    await Promise.all(
      pipelines.map((pipeline) =>
        Promise.race([
          new Promise<void>((resolve) => {
            try {
              pipeline.release(() => resolve());
            } catch {
              resolve();
            }
          }),
          new Promise<void>((resolve) => setTimeout(resolve, 3000)),
        ]),
      ),
    );
    for (const socket of this.sockets) socket.close();
    for (const client of this.clients) {
      try {
        client.close();
      } catch {
        // not connected
      }
    }
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The application server refused a message or reported an error. */
export function appServerError(path: string, message: string): Explanation {
  return {
    code: 'app-server-error',
    title: {
      en: `The application server at ${path} answered: ${message}`,
      'zh-Hans': `${path} 上的应用服务器回答：${message}`,
    },
    fix: {
      en: `The JSON-RPC inspector lists every message of the channel app:${path}; the terminal running npm start logs one line per message, and the KMS error when there is one. Press Reset and run again.`,
      'zh-Hans': `JSON-RPC 检查器列出了 app:${path} 通道上的每一条消息；运行 npm start 的终端为每条消息记录一行日志，出错时还会记录 KMS 的错误。点击“重置”后再运行一次。`,
    },
  };
}
