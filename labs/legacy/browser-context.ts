/**
 * The LabContext of the site: real kurento-client and kurento-utils, real <video> elements, the learner's settings.
 * Everything a lab creates is tracked, so that Stop, Reset and leaving the page release the pipelines, dispose the
 * peers and close the sockets.
 */
import type { KurentoClient, MediaObject } from 'kurento-client';
import { explain, LabError } from '@site/labs/framework/explain';
import { call } from '@site/core/kurento';
import { appKmsChannel, type RunRecorder } from '@site/labs/framework/recorder';
import {
  eventMatches,
  type AppSocket,
  type EventFilter,
  type ElementRole,
  type LabContext,
  type LabEvent,
  type LabParams,
  type Lane,
  type Locale,
  type ObservedMedia,
  type PeerOptions,
  type TestSourceOptions,
  type StatsSample,
  type WebRtcPeer,
} from '@site/labs/framework/types';
import type { KurentoModules } from '@site/src/kurento/load';
import { probeKms } from '@site/src/kurento/probe';

/** Events the graph needs from every element (only subscribed where the class has them). */
const GRAPH_EVENTS = ['ElementConnected', 'ElementDisconnected', 'MediaFlowInStateChanged', 'MediaFlowOutStateChanged'];
const CONNECT_TIMEOUT_MS = 8000;
/** App server ↔ KMS frames remembered to show a frame forwarded to several sockets of the page once. */
const MAX_KMS_FRAMES_SEEN = 500;

export interface BrowserContextOptions {
  locale: Locale;
  settings: LabContext['settings'];
  params: LabParams;
  modules: KurentoModules;
  recorder: RunRecorder;
  /** The <video> element of a slot; the UI creates one tile per slot on demand. */
  video: (slot: string) => HTMLVideoElement;
  signal: AbortSignal;
}

interface ObservedEndpoint {
  role: ElementRole;
  object: MediaObject;
}

function typeFromId(id: string): string {
  const match = /_kurento\.(\w+)$/.exec(id);
  return match?.[1] ?? 'MediaObject';
}

export class BrowserLabContext implements LabContext {
  readonly locale: Locale;
  readonly settings: LabContext['settings'];
  readonly params: LabParams;
  readonly kurentoClient: KurentoModules['kurentoClient'];
  readonly kurentoUtils: KurentoModules['kurentoUtils'];
  readonly signal: AbortSignal;
  private readonly recorder: RunRecorder;
  private readonly video: (slot: string) => HTMLVideoElement;
  private readonly clients: KurentoClient[] = [];
  private readonly owned: MediaObject[] = [];
  private readonly peers = new Map<string, WebRtcPeer>();
  private readonly endpoints: ObservedEndpoint[] = [];
  private readonly cleanups: Array<() => void | Promise<void>> = [];
  private readonly sockets: WebSocket[] = [];
  /**
   * The latest app server ↔ KMS frames, by channel, direction and text: a frame about an object two sockets of this
   * page share (the pipeline of a call between two of its browsers) comes once per socket, and is shown once.
   */
  private readonly kmsFramesSeen = new Set<string>();
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private disposed = false;

  constructor(options: BrowserContextOptions) {
    this.locale = options.locale;
    this.settings = options.settings;
    this.params = options.params;
    this.kurentoClient = options.modules.kurentoClient;
    this.kurentoUtils = options.modules.kurentoUtils;
    this.recorder = options.recorder;
    this.video = options.video;
    this.signal = options.signal;
    this.statsTimer = setInterval(() => void this.sampleStats(), 1000);
  }

  now(): number {
    return this.recorder.now();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.signal.aborted) {
        reject(new Error('stopped'));
        return;
      }
      const timer = setTimeout(resolve, ms);
      this.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(new Error('stopped'));
        },
        { once: true },
      );
    });
  }

  /**
   * kurento-client connects while a raw probe of the same URL runs beside it: the probe tells the failures apart
   * (unreachable, wrong path, not a KMS, mixed content) in plain words, and costs nothing on the way to a working
   * connection because the two run in parallel.
   */
  async connect(name = 'kms'): Promise<KurentoClient> {
    const url = this.settings.kmsUrl;
    // The browser would refuse the socket outright (and kurento-client would only retry it).
    if (window.location.protocol === 'https:' && url.startsWith('ws://')) throw new LabError(explain.mixedContent(url));
    const probing = probeKms(url, { timeoutMs: 3000 });
    let created: KurentoClient | undefined;
    const connecting = new Promise<KurentoClient>((resolve, reject) => {
      const timer = setTimeout(() => reject(new LabError(explain.kmsUnreachable(url, `no connection within ${CONNECT_TIMEOUT_MS} ms`))), CONNECT_TIMEOUT_MS);
      created = this.kurentoClient(
        url,
        {
          failAfter: 3,
          socket: { onFrame: (direction, text) => this.recorder.addFrame(name, direction, text) },
        },
        (error, connected) => {
          clearTimeout(timer);
          if (error || !connected) reject(new LabError(explain.kmsUnreachable(url, String(error))));
          else resolve(connected);
        },
      ) as unknown as KurentoClient;
      // Keep a handle even if the callback never comes, so cleanup can close the socket.
      this.clients.push(created);
    });
    // Its failure is reported below, after the probe's more precise one.
    connecting.catch(() => undefined);
    const probe = await probing;
    if (!probe.ok) {
      created?.close();
      switch (probe.failure) {
        case 'mixed-content':
          throw new LabError(explain.mixedContent(url));
        case 'origin-refused':
          throw new LabError(explain.kmsOriginRefused(url, probe.detail || window.location.origin));
        case 'refused':
          throw new LabError(explain.kmsRefused(url, probe.detail));
        case 'wrong-path':
          throw new LabError(explain.kmsWrongPath(url));
        case 'not-a-kms':
          throw new LabError(explain.notAKms(url, probe.detail));
        default:
          throw new LabError(explain.kmsUnreachable(url, probe.detail));
      }
    }
    const client = await connecting;
    client.on('disconnect', () => this.record('kms', name, 'disconnect', {}));
    client.on('reconnected', (sameSession: boolean) => this.record('kms', name, 'reconnected', { sameSession }));
    return client;
  }

  own<T extends MediaObject>(object: T): T {
    this.owned.push(object);
    return object;
  }

  async observe(object: MediaObject, role: ElementRole, events: readonly string[] = [], parentRole?: ElementRole): Promise<void> {
    const id = object.id;
    const type = typeFromId(id);
    // The graph shows media elements and hubs; the ServerManager and the pipeline itself are not nodes of it.
    if (type !== 'ServerManager' && type !== 'MediaPipeline') this.recorder.addElement({ role, type, id, ...(parentRole ? { parentRole } : {}) });
    const wanted = new Set([...events, ...GRAPH_EVENTS]);
    const listen = object as unknown as { on(event: string, listener: (data: Record<string, unknown>) => void): void };
    for (const event of wanted) {
      try {
        listen.on(event, (data) => this.recorder.addEvent('kms', role, event, data ?? {}));
      } catch {
        // The class does not have this event (kurento-client checks it): nothing to subscribe.
      }
    }
    if (/Endpoint$/.test(type) || type === 'HubPort') this.endpoints.push({ role, object });
  }

  async peer(role: string, options: PeerOptions): Promise<WebRtcPeer> {
    if (!window.isSecureContext) throw new LabError(explain.insecureContext(window.location.origin));
    const factory =
      options.mode === 'sendrecv'
        ? this.kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv
        : options.mode === 'sendonly'
          ? this.kurentoUtils.WebRtcPeer.WebRtcPeerSendonly
          : this.kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly;
    const configuration: RTCConfiguration = { iceServers: (options.iceServers ?? this.settings.iceServers) as RTCIceServer[] };
    if (options.iceTransportPolicy) configuration.iceTransportPolicy = options.iceTransportPolicy;
    const peer = await new Promise<WebRtcPeer>((resolve, reject) => {
      const created: WebRtcPeer = factory(
        {
          localVideo: options.localVideo ? this.video(options.localVideo) : undefined,
          remoteVideo: options.remoteVideo ? this.video(options.remoteVideo) : undefined,
          videoStream: options.videoStream,
          mediaConstraints: { audio: options.audio ?? true, video: options.video ?? { width: 640, height: 480, frameRate: 30 } },
          dataChannels: options.dataChannels,
          configuration,
        },
        (error) => {
          if (!error) {
            resolve(created);
            return;
          }
          created.dispose();
          const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
          reject(new LabError(explain.noCamera(String(error), name)));
        },
      );
      this.peers.set(role, created);
    });
    const pc = peer.peerConnection;
    if (options.videoCodecs && typeof RTCRtpReceiver !== 'undefined') {
      const capabilities = RTCRtpReceiver.getCapabilities('video')?.codecs ?? [];
      const preferred = capabilities.filter((codec) => options.videoCodecs?.includes(codec.mimeType) || /rtx|red|ulpfec/.test(codec.mimeType));
      // A recvonly WebRtcPeer adds its transceivers inside generateOffer(), right before createOffer(): the
      // preferences are applied there, to every video transceiver that exists by then.
      const createOffer = pc.createOffer.bind(pc) as () => Promise<RTCSessionDescriptionInit>;
      pc.createOffer = (() => {
        for (const transceiver of pc.getTransceivers()) {
          if (transceiver.receiver.track.kind === 'video') transceiver.setCodecPreferences(preferred);
        }
        return createOffer();
      }) as RTCPeerConnection['createOffer'];
    }
    const record = (type: string, data: Record<string, unknown>): void => this.record('browser', role, type, data);
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
    if (peer.dataChannel) {
      const channel = peer.dataChannel;
      channel.addEventListener('open', () => record('datachannel-open', { label: channel.label }));
      channel.addEventListener('close', () => record('datachannel-close', { label: channel.label }));
      channel.addEventListener('message', (event) => record('datachannel-message', { data: String(event.data) }));
    }
    return peer;
  }

  record(lane: Lane, source: string, type: string, data: Record<string, unknown> = {}): void {
    if (this.disposed) return;
    this.recorder.addEvent(lane, source, type, data);
  }

  recorded(filter: EventFilter): LabEvent[] {
    return this.recorder.events.filter((event) => eventMatches(filter, event));
  }

  waitForEvent(filter: EventFilter, timeout = 10000): Promise<LabEvent> {
    const test = (event: LabEvent): boolean => eventMatches(filter, event);
    const seen = this.recorder.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new LabError(explain.timeout({ en: filter.type, 'zh-Hans': filter.type }, Math.round(timeout / 1000))));
      }, timeout);
      const unsubscribe = this.recorder.subscribe(() => {
        const found = this.recorder.events.find(test);
        if (!found) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(found);
      });
    });
  }

  media(slot: string): ObservedMedia {
    const video = this.video(slot);
    const quality = typeof video.getVideoPlaybackQuality === 'function' ? video.getVideoPlaybackQuality() : undefined;
    const decoded = (video as HTMLVideoElement & { webkitDecodedFrameCount?: number }).webkitDecodedFrameCount;
    return {
      slot,
      currentTime: video.currentTime,
      framesDecoded: decoded ?? quality?.totalVideoFrames ?? 0,
      width: video.videoWidth,
      height: video.videoHeight,
    };
  }

  async waitForPlayback(slot: string, timeout = 15000): Promise<ObservedMedia> {
    const deadline = Date.now() + timeout;
    const video = this.video(slot);
    let start: number | undefined;
    for (;;) {
      if (video.paused && video.srcObject) void video.play().catch(() => undefined);
      const media = this.media(slot);
      start ??= media.currentTime;
      if (media.currentTime > start + 0.2 && media.framesDecoded > 0 && media.width > 0) return media;
      if (Date.now() > deadline) throw new LabError(explain.timeout({ en: `Video "${slot}" playing`, 'zh-Hans': `视频“${slot}”开始播放` }, Math.round(timeout / 1000)));
      await this.sleep(25);
    }
  }

  testSource({ color, label, frequency = 440, width = 320, height = 240 }: TestSourceOptions): MediaStream {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context2d = canvas.getContext('2d');
    let frame = 0;
    const draw = (): void => {
      if (!context2d) return;
      context2d.fillStyle = color;
      context2d.fillRect(0, 0, width, height);
      // Motion at the edges keeps the encoder producing frames; the centre stays one solid colour.
      context2d.fillStyle = 'rgba(255,255,255,0.85)';
      context2d.fillRect((frame * 4) % width, height - 16, 40, 12);
      context2d.font = '16px sans-serif';
      context2d.fillText(label, 8, 22);
      frame += 1;
    };
    draw();
    const timer = setInterval(draw, 1000 / 30);
    const stream = canvas.captureStream(30);
    const AudioContextClass = window.AudioContext;
    const audio = new AudioContextClass();
    const oscillator = audio.createOscillator();
    oscillator.frequency.value = frequency;
    const gain = audio.createGain();
    gain.gain.value = 0.05;
    const destination = audio.createMediaStreamDestination();
    oscillator.connect(gain).connect(destination);
    oscillator.start();
    for (const track of destination.stream.getAudioTracks()) stream.addTrack(track);
    this.onCleanup(() => {
      clearInterval(timer);
      oscillator.stop();
      void audio.close();
      for (const track of stream.getTracks()) track.stop();
    });
    return stream;
  }

  sampleColor(slot: string): { r: number; g: number; b: number } | undefined {
    return this.sampleColorAt(slot, 0.5, 0.5);
  }

  /** Averages a patch a quarter of the picture wide and high around (relX, relY): inside one cell of a 3x3 grid. */
  sampleColorAt(slot: string, relX: number, relY: number): { r: number; g: number; b: number } | undefined {
    const video = this.video(slot);
    if (video.videoWidth === 0) return undefined;
    const canvas = document.createElement('canvas');
    canvas.width = 16;
    canvas.height = 16;
    const context2d = canvas.getContext('2d', { willReadFrequently: true });
    if (!context2d) return undefined;
    const w = video.videoWidth;
    const h = video.videoHeight;
    const patchW = w / 4;
    const patchH = h / 4;
    const x = Math.min(Math.max(0, relX * w - patchW / 2), w - patchW);
    const y = Math.min(Math.max(0, relY * h - patchH / 2), h - patchH);
    context2d.drawImage(video, x, y, patchW, patchH, 0, 0, 16, 16);
    const { data } = context2d.getImageData(0, 0, 16, 16);
    let r = 0;
    let g = 0;
    let b = 0;
    for (let i = 0; i < data.length; i += 4) {
      r += data[i] ?? 0;
      g += data[i + 1] ?? 0;
      b += data[i + 2] ?? 0;
    }
    const n = data.length / 4;
    return { r: Math.round(r / n), g: Math.round(g / n), b: Math.round(b / n) };
  }

  onCleanup(task: () => void | Promise<void>): void {
    this.cleanups.push(task);
  }

  appSocket(path: string): Promise<AppSocket> {
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${path}`;
    const channel = `app:${path}`;
    const kmsChannel = appKmsChannel(path);
    // ?kmsTraffic=1: the application server also forwards its own JSON-RPC frames with KMS about this page's media
    // objects (kmsTraffic messages, server/apps/protocol.ts); they go to the inspector's app-kms channel.
    const socket = new WebSocket(`${url}${path.includes('?') ? '&' : '?'}kmsTraffic=1`);
    this.sockets.push(socket);
    const listeners = new Map<string, Set<(message: Record<string, unknown>) => void>>();
    socket.addEventListener('message', (event) => {
      const text = String(event.data);
      let message: Record<string, unknown> | undefined;
      try {
        message = JSON.parse(text) as Record<string, unknown>;
      } catch {
        message = undefined;
      }
      if (message?.id === 'kmsTraffic' && typeof message.frame === 'string') {
        const direction = message.direction === 'sent' ? 'out' : 'in';
        const key = `${kmsChannel}|${direction}|${message.frame}`;
        if (this.kmsFramesSeen.has(key)) return;
        this.kmsFramesSeen.add(key);
        if (this.kmsFramesSeen.size > MAX_KMS_FRAMES_SEEN) this.kmsFramesSeen.delete(this.kmsFramesSeen.values().next().value as string);
        const dropped = typeof message.dropped === 'number' && message.dropped > 0 ? message.dropped : undefined;
        this.recorder.addFrame(kmsChannel, direction, message.frame, {
          ...(message.truncated === true ? { truncated: true } : {}),
          ...(dropped !== undefined ? { dropped } : {}),
        });
        return;
      }
      this.recorder.addFrame(channel, 'in', text);
      if (!message) return;
      const id = String(message.id ?? '');
      this.record('app', path, id, message);
      for (const listener of listeners.get(id) ?? []) listener(message);
    });
    const api: AppSocket = {
      send: (message) => {
        const text = JSON.stringify(message);
        this.recorder.addFrame(channel, 'out', text);
        this.record('browser', path, `send ${String(message.id ?? '')}`, message);
        socket.send(text);
      },
      on: (id, listener) => {
        let set = listeners.get(id);
        if (!set) listeners.set(id, (set = new Set()));
        set.add(listener);
        return () => set?.delete(listener);
      },
      next: (id, timeout = 10000) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            stop();
            reject(new LabError(explain.timeout({ en: `Message "${id}"`, 'zh-Hans': `消息“${id}”` }, Math.round(timeout / 1000))));
          }, timeout);
          const stop = api.on(id, (message) => {
            clearTimeout(timer);
            stop();
            resolve(message);
          });
        }),
      close: () => socket.close(),
    };
    return new Promise((resolve, reject) => {
      socket.addEventListener('open', () => resolve(api), { once: true });
      socket.addEventListener('error', () => reject(new LabError(explain.kmsUnreachable(url))), { once: true });
    });
  }

  private async sampleStats(): Promise<void> {
    if (this.disposed) return;
    const t = this.recorder.now();
    const samples: StatsSample[] = [];
    for (const [role, peer] of this.peers) {
      const pc = peer.peerConnection;
      if (!pc || pc.signalingState === 'closed') continue;
      const report = await pc.getStats().catch(() => undefined);
      // Round-trip times as the browser measures them: per sent stream from the receiver's RTCP reports
      // (remote-inbound-rtp, the counterpart of KMS' outboundrtp roundTripTime), else from the ICE consent checks
      // of the selected candidate pair (currentRoundTripTime), which a receive-only peer has too.
      const reportRtt = new Map<string, number>();
      let selectedPair: string | undefined;
      const pairs = new Map<string, number>();
      let hasOutbound = false;
      report?.forEach((stat: Record<string, unknown> & { type: string }) => {
        if (stat.type === 'remote-inbound-rtp' && typeof stat.localId === 'string' && typeof stat.roundTripTime === 'number') reportRtt.set(stat.localId, stat.roundTripTime);
        else if (stat.type === 'transport' && typeof stat.selectedCandidatePairId === 'string') selectedPair = stat.selectedCandidatePairId;
        else if (stat.type === 'candidate-pair' && typeof stat.currentRoundTripTime === 'number') pairs.set(String(stat.id), stat.currentRoundTripTime);
        else if (stat.type === 'outbound-rtp') hasOutbound = true;
      });
      const pairRtt = selectedPair !== undefined ? pairs.get(selectedPair) : undefined;
      report?.forEach((stat: Record<string, unknown> & { type: string }) => {
        if (stat.type !== 'inbound-rtp' && stat.type !== 'outbound-rtp') return;
        const kind = stat.kind === 'audio' ? 'audio' : 'video';
        const inbound = stat.type === 'inbound-rtp';
        const roundTripTime = inbound ? (hasOutbound || kind !== 'video' ? undefined : pairRtt) : (reportRtt.get(String(stat.id)) ?? pairRtt);
        samples.push({
          t,
          series: `browser:${role}`,
          kind,
          direction: inbound ? 'inbound' : 'outbound',
          packets: Number(inbound ? stat.packetsReceived : stat.packetsSent) || 0,
          bytes: Number(inbound ? stat.bytesReceived : stat.bytesSent) || 0,
          packetsLost: Number(stat.packetsLost) || 0,
          ...(inbound && kind === 'video' ? { framesDecoded: Number(stat.framesDecoded) || 0 } : {}),
          ...(roundTripTime !== undefined ? { roundTripTime } : {}),
        });
      });
    }
    for (const { role, object } of this.endpoints) {
      if (!typeFromId(object.id).endsWith('RtcEndpoint')) continue;
      const stats = await call<Record<string, Record<string, unknown>>>((done) =>
        (object as unknown as { getStats(callback: (error: unknown, stats: Record<string, Record<string, unknown>>) => void): void }).getStats(done),
      ).catch(() => undefined);
      for (const stat of Object.values(stats ?? {})) {
        if (stat.type !== 'inboundrtp' && stat.type !== 'outboundrtp') continue;
        const inbound = stat.type === 'inboundrtp';
        samples.push({
          t,
          series: `kms:${role}`,
          kind: /audio/i.test(String(stat.id) + String(stat.codecId ?? '')) ? 'audio' : 'video',
          direction: inbound ? 'inbound' : 'outbound',
          packets: Number(inbound ? stat.packetsReceived : stat.packetsSent) || 0,
          bytes: Number(inbound ? stat.bytesReceived : stat.bytesSent) || 0,
          packetsLost: Number(stat.packetsLost) || 0,
          roundTripTime: typeof stat.roundTripTime === 'number' ? stat.roundTripTime : undefined,
        });
      }
    }
    if (!this.disposed) this.recorder.addStats(samples);
  }

  /** Stop / Reset / page leave: release pipelines, dispose peers, close sockets and clients. Never throws. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.statsTimer) clearInterval(this.statsTimer);
    for (const task of this.cleanups.reverse()) {
      try {
        await task();
      } catch {
        // cleanup goes on
      }
    }
    for (const peer of this.peers.values()) {
      try {
        peer.dispose();
      } catch {
        // already disposed
      }
    }
    this.peers.clear();
    await Promise.all(
      this.owned.map((object) =>
        Promise.race([
          call<void>((done) => (object as unknown as { release(callback: (error: unknown) => void): void }).release((error) => done(error, undefined))).catch(() => undefined),
          new Promise((resolve) => setTimeout(resolve, 3000)),
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
