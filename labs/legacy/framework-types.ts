/**
 * The lab model. A lab is UI-free TypeScript: metadata, ordered steps (each with the code shown to the learner and a
 * check that proves it worked), the events it expects KMS, the browser and the application server to emit, and its
 * completion rule. It runs against an injected LabContext, so the same definition runs in the site and in Playwright.
 */
import type { KurentoClient, MediaObject } from 'kurento-client';
import type { WebRtcPeer as KurentoUtilsPeer } from 'kurento-utils';
import type { KurentoClientFactory, KurentoUtils } from '../../core/modules';
import type { IceServer, TurnSettings } from '../../core/settings';

import type { Locale, Localized } from '../../core/localized';

export type { Locale, Localized };

/** Where an event comes from: KMS (through kurento-client), the browser's WebRTC peer, or an application server. */
export type Lane = 'kms' | 'browser' | 'app';

export interface LabEvent {
  /** Milliseconds since the run started. */
  t: number;
  lane: Lane;
  /** The role of the object that raised it, as the lab named it (e.g. `webRtcEndpoint`, `presenter`). */
  source: string;
  type: string;
  data: Record<string, unknown>;
}

export type FrameDirection = 'in' | 'out';

/** One JSON-RPC frame between a kurento-client (or an application server) and its peer. */
export interface LabFrame {
  t: number;
  /**
   * Which connection: `kms` for the lab's own kurento-client, `app:/helloworld` for the page's socket to an
   * application server, `app-kms:/helloworld` for that application server's own frames with KMS (three-tier labs).
   */
  channel: string;
  /** 'out' = sent by the page (or, on an `app-kms:` channel, by the application server to KMS). */
  direction: FrameDirection;
  text: string;
  /** The application server shortened the frame's long strings before forwarding it. */
  truncated?: boolean;
  /** Frames the application server left out just before this one (its rate limit). */
  dropped?: number;
}

export interface StatsSample {
  t: number;
  /** `kms:<role>` for KMS getStats of an endpoint, `browser:<role>` for RTCPeerConnection.getStats of a peer. */
  series: string;
  kind: 'audio' | 'video';
  direction: 'inbound' | 'outbound';
  packets: number;
  bytes: number;
  packetsLost: number;
  /** Seconds, when measured. */
  roundTripTime?: number;
  framesDecoded?: number;
}

export type ElementRole = string;

/** A node of the live pipeline graph. */
export interface GraphElement {
  role: ElementRole;
  type: string;
  id: string;
  /** Set when the element lives inside a hub (HubPorts). */
  parentRole?: ElementRole;
}

export interface ExpectedEvent {
  id: string;
  /** What the checklist shows, e.g. "IceComponentStateChanged → CONNECTED". */
  label: Localized;
  lane: Lane;
  type: string;
  /** Only events from the object of this role count (any object when absent). */
  source?: ElementRole;
  /** Fields the event data must have (compared with ===), e.g. `{ state: 'CONNECTED' }`. */
  where?: Readonly<Record<string, unknown>>;
  /** Expectations that must have been seen before this one counts (the partial order). */
  after?: readonly string[];
  /** How long after its prerequisites (or the run start) the event should arrive before the hint shows, in ms. */
  within?: number;
  /** Plain words on what to check when it does not arrive in time. */
  hint?: Localized;
  /** Shown, but not needed to complete the lab. */
  optional?: boolean;
}

export interface CheckResult {
  ok: boolean;
  /** What was measured (shown next to the step), e.g. "framesDecoded 42". */
  detail?: string;
}

export interface LabParamSpec {
  id: string;
  label: Localized;
  kind: 'number' | 'choice';
  default: number | string;
  min?: number;
  max?: number;
  choices?: ReadonlyArray<{ value: string; label: Localized }>;
}

export type LabParams = Record<string, number | string>;

/** The learner's current settings, as code samples must show them. */
export interface CodeSettings {
  kmsUrl: string;
  iceServers: IceServer[];
  params: LabParams;
  /** Folder for recordings as a file:// URI prefix (the embedded KMS' media directory, or /tmp/kurento-labs). */
  recordingsUri: string;
  siteOrigin: string;
  /** The TURN server the labs use, when there is one. */
  turn?: TurnSettings;
}

/** Where recordings go: the embedded KMS' media directory, or /tmp/kurento-labs on another KMS. */
export function recordingsUri(media: { directory: string } | undefined): string {
  return `file://${media ? `${media.directory.replace(/\/+$/, '')}/recordings` : '/tmp/kurento-labs'}`;
}

export interface LabStep<State> {
  id: string;
  title: Localized;
  /** What the step does and why, in a few sentences. */
  explain: Localized;
  /** The code the step runs, as shown to the learner, written with their settings. */
  code: (settings: CodeSettings) => string;
  run: (context: LabContext, state: State) => Promise<void>;
  /** Proof that the step worked; the runner retries it until `checkTimeout` (default 10 s). */
  check?: (context: LabContext, state: State) => Promise<CheckResult> | CheckResult;
  checkTimeout?: number;
}

export interface LabDefinition<State = Record<string, unknown>> {
  id: string;
  title: Localized;
  summary: Localized;
  /** KMS classes the lab uses (shown as tags, and used by the preflight to explain a 40108). */
  elements: readonly string[];
  params?: readonly LabParamSpec[];
  createState: () => State;
  steps: ReadonlyArray<LabStep<State>>;
  expected: readonly ExpectedEvent[];
  /** What "complete" means, in words; the rule itself is: every step passed and every required expectation seen. */
  completion: Localized;
  /** For labs about events: which KMD class defines which event, shown next to the observed counts. */
  eventClasses?: Readonly<Record<string, readonly string[]>>;
}

/** Any lab, whatever its state type (for registries and runners). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLab = LabDefinition<any>;

export interface PeerOptions {
  mode: 'sendrecv' | 'sendonly' | 'recvonly';
  /** Video slot for the local preview (none for receive-only peers). */
  localVideo?: string;
  /** Video slot for the remote stream. */
  remoteVideo?: string;
  dataChannels?: boolean;
  /** Extra constraints, e.g. a canvas stream instead of the camera. */
  videoStream?: MediaStream;
  audio?: boolean;
  video?: boolean;
  /** Restrict the browser's codecs for this peer (e.g. ['video/H264']). */
  videoCodecs?: string[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  iceServers?: IceServer[];
}

/** kurento-utils' WebRtcPeer as the labs use it (typed in src/kurento/types/kurento-utils.d.ts). */
export type WebRtcPeer = KurentoUtilsPeer;

export interface TestSourceOptions {
  /** CSS colour of the picture, e.g. '#d32f2f'. */
  color: string;
  label: string;
  /** Tone frequency in Hz (default 440). */
  frequency?: number;
  width?: number;
  height?: number;
}

export interface ObservedMedia {
  slot: string;
  /** Seconds of video played so far (HTMLVideoElement.currentTime). */
  currentTime: number;
  framesDecoded: number;
  width: number;
  height: number;
}

/** Everything a lab may touch. The site and the Playwright checks provide it; labs never reach for globals. */
export interface LabContext {
  readonly locale: Locale;
  readonly settings: {
    kmsUrl: string;
    iceServers: IceServer[];
    turn?: TurnSettings;
    turnStatus?: { available: boolean; reason?: string };
    /** The embedded KMS' media directory and the site's download path for it (undefined with another KMS). */
    media?: { directory: string; downloadBase: string };
    /** The site's own origin, e.g. http://127.0.0.1:3000 (sample media for players are served there). */
    siteOrigin: string;
  };
  readonly params: LabParams;
  readonly kurentoClient: KurentoClientFactory;
  readonly kurentoUtils: KurentoUtils;
  readonly signal: AbortSignal;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A kurento-client connected to the learner's KMS, with its frames tapped for the JSON-RPC inspector. */
  connect(name?: string): Promise<KurentoClient>;
  /** Remembers a pipeline (or any object) so that Stop/Reset/leaving the page releases it. */
  own<T extends MediaObject>(object: T): T;
  /**
   * Shows `object` in the graph under `role` and records its events (the listed ones, plus ElementConnected,
   * ElementDisconnected and the MediaFlow events the graph needs) in the KMS lane. Subscribe before acting.
   */
  observe(object: MediaObject, role: ElementRole, events?: readonly string[], parentRole?: ElementRole): Promise<void>;
  /** A kurento-utils WebRtcPeer with the learner's ICE servers; its browser-side events are recorded. */
  peer(role: string, options: PeerOptions): Promise<WebRtcPeer>;
  /** Records an event in a lane (application-server messages, browser-side facts). */
  record(lane: Lane, source: string, type: string, data?: Record<string, unknown>): void;
  /** Events recorded so far that match the filter. */
  recorded(filter: EventFilter): LabEvent[];
  /** Waits until an observed event matching the filter arrives (or was already seen); rejects after `timeout`. */
  waitForEvent(filter: EventFilter, timeout?: number): Promise<LabEvent>;
  /** What a video slot is playing. */
  media(slot: string): ObservedMedia;
  /** Waits until a video slot plays (currentTime advancing, frames decoded). */
  waitForPlayback(slot: string, timeout?: number): Promise<ObservedMedia>;
  /**
   * A synthetic source a test (and a learner) can tell apart from others: a canvas of one colour with its label and a
   * moving bar, at 30 fps, plus a tone at `frequency` Hz. Used by labs with several senders in one page.
   */
  testSource(options: TestSourceOptions): MediaStream;
  /** The average colour of the centre of a video slot, to tell sources apart. */
  sampleColor(slot: string): { r: number; g: number; b: number } | undefined;
  /**
   * The average colour around a point of a video slot, in coordinates relative to the picture (0..1; 0.5, 0.5 is the
   * centre): reads one cell of a grid such as a Composite's.
   */
  sampleColorAt(slot: string, relX: number, relY: number): { r: number; g: number; b: number } | undefined;
  /** Registers cleanup work (closing sockets, stopping tracks) for Stop/Reset. */
  onCleanup(task: () => void | Promise<void>): void;
  /** A WebSocket to an application server of `npm start` (three-tier labs), its messages recorded in the app lane. */
  appSocket(path: string): Promise<AppSocket>;
}

export interface EventFilter {
  lane?: Lane;
  source?: string;
  type: string;
  where?: Readonly<Record<string, unknown>>;
}

export function eventMatches(filter: EventFilter, event: LabEvent): boolean {
  return (
    event.type === filter.type &&
    (filter.lane === undefined || event.lane === filter.lane) &&
    (filter.source === undefined || event.source === filter.source) &&
    Object.entries(filter.where ?? {}).every(([key, value]) => event.data[key] === value)
  );
}

export interface AppSocket {
  send(message: Record<string, unknown>): void;
  /** Resolves with the next message with this id (or rejects after `timeout`). */
  next(id: string, timeout?: number): Promise<Record<string, unknown>>;
  on(id: string, listener: (message: Record<string, unknown>) => void): () => void;
  close(): void;
}

export { localize } from '../../core/localized';
