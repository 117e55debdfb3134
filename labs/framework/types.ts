/**
 * The lab model. A lab is a program (labs/programs/<id>.js: real JavaScript, shown and run as it is, step by step)
 * plus UI-free TypeScript around it: metadata, the page the program runs in, what each step sets, the checks that
 * prove a step worked (judged from what the lab observed: events, the pipeline, media, never from the code's text),
 * the events it expects KMS, the browser and the application server to emit, and its completion rule. A host (the
 * site, in an iframe of its own per lab) runs the program; the checks read it through a LabView.
 */
import type { Locale, Localized } from '../../core/localized';
import type { IceServer, TurnSettings } from '../../core/settings';
import type { Explanation } from './explain';

export type { Locale, Localized };
export { localize } from '../../core/localized';

/** Where an event comes from: KMS (through kurento-client), the browser's WebRTC peer, or an application server. */
export type Lane = 'kms' | 'browser' | 'app';

export interface LabEvent {
  /** Milliseconds since the run started. */
  t: number;
  lane: Lane;
  /**
   * Who raised it, as the program names it: the variable that holds the KMS object or the browser peer
   * (`webRtcEp`, `presenter`), an application server's path, or `Type#n` for an object no variable holds.
   */
  source: string;
  type: string;
  data: Record<string, unknown>;
  /** The KMS object id, for KMS events. */
  objectId?: string;
}

export type FrameDirection = 'in' | 'out';

/** One JSON-RPC frame between a kurento-client (or an application server) and its peer. */
export interface LabFrame {
  t: number;
  /**
   * Which connection: `kms` for the program's kurento-client (`kms:2` for a second one), `app:/helloworld` for the
   * page's socket to an application server, `app-kms:/helloworld` for that application server's own frames with KMS.
   */
  channel: string;
  /** 'out' = sent by the page (or, on an `app-kms:` channel, by the application server to KMS). */
  direction: FrameDirection;
  text: string;
  /** The application server shortened the frame's long strings before forwarding it. */
  truncated?: boolean;
  /** Frames the application server left out just before this one (its rate limit). */
  dropped?: number;
  /** Sent by the lab itself (the subscriptions that feed the event timeline), not by the program. */
  observer?: boolean;
}

export interface StatsSample {
  t: number;
  /** `kms:<name>` for KMS getStats of an endpoint, `browser:<name>` for RTCPeerConnection.getStats of a peer. */
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
  /** Only events from this source (a program variable, or an application server's path) count. */
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
  /** Why it is not ok yet, in plain words with what to change (exercises show it as their hint). */
  hint?: Localized;
  /**
   * The hint follows from what KMS has already answered (the parameters of a created object, the SDP answer, an error
   * reply, a media type connected): waiting for media will not change it, so an exercise gives its verdict after a
   * short grace (SETTLED_HINT_MS) instead of the full settle time. Leave it unset for anything still on its way.
   */
  settled?: boolean;
}

export interface LabParamSpec {
  /** Also the name of the program variable that holds the value. */
  id: string;
  label: Localized;
  kind: 'number' | 'choice';
  default: number | string;
  min?: number;
  max?: number;
  choices?: ReadonlyArray<{ value: string; label: Localized }>;
}

export type LabParams = Record<string, number | string>;

/** A <video> of the lab's page. */
export interface PageVideo {
  /** The element id the program uses (`document.getElementById('videoOutput')`). */
  id: string;
  label: Localized;
  /** Local previews are muted (and so is every video of a page that plays synthetic tones). */
  muted?: boolean;
}

/** What the page the program runs in contains, besides the runtime (lab-runtime.js). */
export interface LabPage {
  videos: readonly PageVideo[];
}

/** The learner's settings, as the program's settings section and the checks see them. */
export interface LabSettings {
  kmsUrl: string;
  iceServers: IceServer[];
  turn?: TurnSettings;
  turnStatus?: { available: boolean; reason?: string };
  /** The embedded KMS's media directory and the site's download path for it, when the lab uses that KMS. */
  media?: { directory: string; downloadBase: string };
  /** The site's own origin, e.g. http://127.0.0.1:3000 (sample media for players are served there). */
  siteOrigin: string;
}

export interface ObservedMedia {
  id: string;
  /** Seconds of media played so far (HTMLMediaElement.currentTime). */
  currentTime: number;
  framesDecoded: number;
  width: number;
  height: number;
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
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

/** The pipeline graph as the lab sees it (ElementConnected / ElementDisconnected, MediaFlow events). */
export interface GraphView {
  elements: readonly GraphElement[];
  links: ReadonlyArray<{ source: ElementRole; sink: ElementRole; mediaType: 'AUDIO' | 'VIDEO' | 'DATA' }>;
}

/** What a check may read: the run as observed, never the code's text. */
export interface LabView {
  readonly locale: Locale;
  readonly params: LabParams;
  readonly settings: LabSettings;
  /** Milliseconds since the run started. */
  now(): number;
  /** A global of the lab's page: a variable the program set (undefined when it does not exist). */
  read(name: string): unknown;
  /** Events recorded so far that match the filter. */
  recorded(filter: EventFilter): LabEvent[];
  /** What a <video> (or <audio>) of the page plays. */
  media(id: string): ObservedMedia;
  /** The average colour around a point of a video (coordinates 0..1; 0.5, 0.5 is the centre). */
  sampleColorAt(id: string, relX: number, relY: number): Rgb | undefined;
  /** The strongest frequency (Hz) in the audio a media element plays, or undefined when it plays none. */
  dominantFrequency(id: string): Promise<number | undefined>;
  graph(): GraphView;
  frames(): readonly LabFrame[];
  stats(): readonly StatsSample[];
  /** The errors the program reported (its onError calls and uncaught exceptions), oldest first. */
  errors(): readonly ProgramError[];
}

/** An error of the program: a syntax error, an exception, or an error its code passed to onError. */
export interface ProgramError {
  kind: 'syntax' | 'exception' | 'reported';
  /** The section it came from (a step id, `declarations` or `settings`), when it is known. */
  section?: string;
  /** 1-based line and column in that section's code, when known. */
  line?: number;
  column?: number;
  message: string;
  /** A KMS error code (40000–49999) or a JSON-RPC one, when the error came from KMS. */
  code?: number;
  /** The KMS error type (data.type), e.g. MEDIA_OBJECT_NOT_FOUND. */
  type?: string;
  name?: string;
  /** When it happened, in ms since the run started. */
  t: number;
  /** The lab's own explanation, when the lab understood the failure (no KMS, no camera, an application server error). */
  explanation?: Explanation;
}

export interface LabStep {
  id: string;
  title: Localized;
  /** What the step does and why, in a few sentences. */
  explain: Localized;
  /**
   * Variables of the page the step's code sets, usually in a callback: the step has done its part once they are
   * defined (kurento-client answers in callbacks, so returning from the script is not the end of the step).
   */
  sets?: readonly string[];
  /** Expected events (ids of `expected`) the step brings about: it is done when they are seen too. */
  expects?: readonly string[];
  /** Proof from what the lab observed; the runner retries it until `timeout`. */
  check?: (view: LabView) => CheckResult | Promise<CheckResult>;
  /** How long the step may take to set its variables, bring its events and pass its check (default 15 s). */
  timeout?: number;
}

/** Text of a lab's program file (labs/programs/<id>.js), loaded when needed. */
export type ProgramSource = () => Promise<string>;

export interface LabDefinition {
  id: string;
  title: Localized;
  summary: Localized;
  /** KMS classes the lab uses (shown as tags, and used by the preflight to explain a 40108). */
  elements: readonly string[];
  params?: readonly LabParamSpec[];
  program: ProgramSource;
  page: LabPage;
  /** The steps, in the order of the program's `// @step` sections (a test checks they match). */
  steps: readonly LabStep[];
  expected: readonly ExpectedEvent[];
  /** What "complete" means, in words; the rule itself is: every step passed and every required expectation seen. */
  completion: Localized;
  /** For labs about events: which KMD class defines which event, shown next to the observed counts. */
  eventClasses?: Readonly<Record<string, readonly string[]>>;
  /**
   * Extra variables of the settings section, from the learner's settings (e.g. the recordings folder, the site's
   * origin for sample media).
   */
  settingsVars?: (settings: LabSettings) => Record<string, unknown>;
  /**
   * Why the lab cannot run with these settings and options (e.g. there is no TURN server), checked before anything
   * runs: the learner gets this explanation rather than an error in the middle of the program.
   */
  unavailable?: (settings: LabSettings, params: LabParams) => Explanation | undefined;
  /**
   * Three-tier labs: timeline events an application server's message stands for (a KMS event it forwards, a KMS
   * candidate it relays), besides the message itself in the app lane.
   */
  appEvents?: (path: string, message: Record<string, unknown>) => TimelineEvent[] | undefined;
}

/** An event for the timeline that a lab derives from something it observed. */
export interface TimelineEvent {
  lane: Lane;
  source: string;
  type: string;
  data: Record<string, unknown>;
}

export type AnyLab = LabDefinition;

/** Where recordings go: the embedded KMS' media directory, or /tmp/kurento-labs on another KMS. */
export function recordingsUri(media: { directory: string } | undefined): string {
  return `file://${media ? `${media.directory.replace(/\/+$/, '')}/recordings` : '/tmp/kurento-labs'}`;
}

/** An exercise: a task on a lab's program, a starting state, and a check judged from what the run observed. */
export interface Exercise {
  id: string;
  /** The lab whose program the exercise starts from. */
  lab: string;
  title: Localized;
  task: Localized;
  /** The step the learner is asked to change (its editor opens first). */
  step: string;
  /**
   * The last step the exercise's run goes through (default: the lab's last). The steps after it do not run: a later
   * step of the lab would undo what the task asks (another route to the viewer, a participant leaving).
   */
  until?: string;
  /** Options of the lab for this exercise, fixed: the learner changes the code, not these. */
  params?: LabParams;
  /** The starting code of `step` when it differs from the lab's (undefined: the lab's own). */
  start?: string;
  /** The hints, revealed one at a time. */
  hints: readonly Localized[];
  /** A code of `step` that does the task (Playwright types it in and the check passes). */
  solution: string;
  /** Judges the run: ok only when the learner's change did the task; otherwise the hint that fits what it saw. */
  check: (view: LabView) => CheckResult | Promise<CheckResult>;
  /** How long the check may wait for the run to show the result (default 15 s). */
  timeout?: number;
}
