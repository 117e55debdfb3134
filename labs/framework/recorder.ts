/**
 * Everything a run observes — events per lane, JSON-RPC frames, stats samples, the pipeline graph — kept in one
 * place, exportable as JSON. Pure data: the UI renders it, the tests read it.
 */
import type { ElementRole, GraphElement, LabEvent, LabFrame, Lane, StatsSample } from './types';

export type FlowState = 'FLOWING' | 'NOT_FLOWING' | 'UNKNOWN';

export interface GraphLink {
  source: ElementRole;
  sink: ElementRole;
  mediaType: 'AUDIO' | 'VIDEO' | 'DATA';
}

export interface GraphState {
  elements: GraphElement[];
  links: GraphLink[];
  /** Flow per element and media type, from MediaFlowIn/OutStateChanged. */
  flowIn: Record<string, FlowState>;
  flowOut: Record<string, FlowState>;
}

export interface RunExport {
  lab: string;
  startedAt: string;
  settings: { kmsUrl: string };
  events: LabEvent[];
  frames: LabFrame[];
  stats: StatsSample[];
  graph: GraphState;
}

const MAX_FRAMES = 5000;
const MAX_EVENTS = 5000;
const MAX_STATS = 20000;

export function flowKey(role: ElementRole, mediaType: string): string {
  return `${role}:${mediaType}`;
}

export class RunRecorder {
  readonly startedAt = Date.now();
  readonly events: LabEvent[] = [];
  readonly frames: LabFrame[] = [];
  readonly stats: StatsSample[] = [];
  readonly graph: GraphState = { elements: [], links: [], flowIn: {}, flowOut: {} };
  private readonly listeners = new Set<() => void>();
  private readonly roleById = new Map<string, ElementRole>();
  /** Objects still named `Type#n` (no variable held them yet when they appeared). */
  private readonly provisional = new Set<string>();
  private readonly counters = new Map<string, number>();
  private resolver: (id: string) => ElementRole | undefined = () => undefined;
  private notifyScheduled = false;
  /** Changes since the last notification; the UI re-renders at most once per animation frame. */
  version = 0;

  constructor(private readonly clock: () => number = () => Date.now()) {}

  now(): number {
    return this.clock() - this.startedAt;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.version += 1;
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    });
  }

  /**
   * How objects get their names: the host looks the id up among the program's variables. An object no variable
   * holds yet is `Type#n` until one does; then its earlier events, graph node and links take the variable's name.
   */
  setRoleResolver(resolver: (id: string) => ElementRole | undefined): void {
    this.resolver = resolver;
  }

  roleOf(id: string): ElementRole | undefined {
    if (this.provisional.has(id)) this.resolveRole(id);
    return this.roleById.get(id);
  }

  /** The name of an object for its events and its graph node (see setRoleResolver). */
  nameObject(id: string, type: string): ElementRole {
    const known = this.roleOf(id);
    if (known) return known;
    const resolved = this.resolver(id);
    if (resolved) {
      this.roleById.set(id, resolved);
      return resolved;
    }
    const n = (this.counters.get(type) ?? 0) + 1;
    this.counters.set(type, n);
    const role = `${type}#${n}`;
    this.roleById.set(id, role);
    this.provisional.add(id);
    return role;
  }

  private resolveRole(id: string): void {
    const resolved = this.resolver(id);
    const old = this.roleById.get(id);
    if (!resolved || !old || resolved === old) return;
    this.provisional.delete(id);
    this.roleById.set(id, resolved);
    for (const event of this.events) if (event.objectId === id) event.source = resolved;
    for (const element of this.graph.elements) {
      if (element.id === id) element.role = resolved;
      if (element.parentRole === old) element.parentRole = resolved;
    }
    for (const link of this.graph.links) {
      if (link.source === old) link.source = resolved;
      if (link.sink === old) link.sink = resolved;
    }
    for (const flow of [this.graph.flowIn, this.graph.flowOut]) {
      for (const key of Object.keys(flow)) {
        if (!key.startsWith(`${old}:`)) continue;
        flow[`${resolved}${key.slice(old.length)}`] = flow[key] ?? 'UNKNOWN';
        delete flow[key];
      }
    }
    this.changed();
  }

  /** Gives provisional names another chance (the program may have stored the object since). */
  refreshRoles(): void {
    for (const id of [...this.provisional]) this.resolveRole(id);
  }

  addElement(element: GraphElement): void {
    if (!this.graph.elements.some((existing) => existing.id === element.id)) this.graph.elements.push(element);
    this.roleById.set(element.id, element.role);
    this.changed();
  }

  removeElementsOf(idPrefix: string): void {
    const gone = new Set(this.graph.elements.filter((element) => element.id.startsWith(idPrefix)).map((element) => element.role));
    this.graph.elements = this.graph.elements.filter((element) => !gone.has(element.role));
    this.graph.links = this.graph.links.filter((link) => !gone.has(link.source) && !gone.has(link.sink));
    this.changed();
  }

  /** An event of a KMS object, named after the variable that holds it. */
  addObjectEvent(objectId: string, objectType: string, type: string, data: Record<string, unknown>): LabEvent {
    return this.addEvent('kms', this.nameObject(objectId, objectType), type, data, objectId);
  }

  addEvent(lane: Lane, source: string, type: string, data: Record<string, unknown>, objectId?: string): LabEvent {
    const event: LabEvent = { t: this.now(), lane, source, type, data, ...(objectId ? { objectId } : {}) };
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    if (lane === 'kms') this.applyToGraph(source, type, data);
    this.changed();
    return event;
  }

  private applyToGraph(source: ElementRole, type: string, data: Record<string, unknown>): void {
    const mediaType = data.mediaType as GraphLink['mediaType'] | undefined;
    switch (type) {
      case 'ElementConnected':
      case 'ElementDisconnected': {
        const sink = typeof data.sink === 'string' ? this.roleOf(data.sink) : undefined;
        if (!sink || !mediaType) return;
        // A sink pad has one source: a new connection replaces the old one, as in KMS.
        this.graph.links = this.graph.links.filter(
          (link) => !(link.sink === sink && link.mediaType === mediaType && (type === 'ElementConnected' || link.source === source)),
        );
        if (type === 'ElementConnected') this.graph.links.push({ source, sink, mediaType });
        return;
      }
      case 'MediaFlowInStateChanged':
        if (mediaType) this.graph.flowIn[flowKey(source, mediaType)] = data.state === 'FLOWING' ? 'FLOWING' : 'NOT_FLOWING';
        return;
      case 'MediaFlowOutStateChanged':
        if (mediaType) this.graph.flowOut[flowKey(source, mediaType)] = data.state === 'FLOWING' ? 'FLOWING' : 'NOT_FLOWING';
        return;
    }
  }

  addFrame(channel: string, direction: LabFrame['direction'], text: string, extra: Pick<LabFrame, 'truncated' | 'dropped' | 'observer'> = {}): void {
    this.frames.push({ t: this.now(), channel, direction, text, ...extra });
    if (this.frames.length > MAX_FRAMES) this.frames.splice(0, this.frames.length - MAX_FRAMES);
    this.changed();
  }

  addStats(samples: StatsSample[]): void {
    if (samples.length === 0) return;
    this.stats.push(...samples);
    if (this.stats.length > MAX_STATS) this.stats.splice(0, this.stats.length - MAX_STATS);
    this.changed();
  }

  toJSON(lab: string, kmsUrl: string): RunExport {
    return {
      lab,
      startedAt: new Date(this.startedAt).toISOString(),
      settings: { kmsUrl },
      events: this.events,
      frames: this.frames,
      stats: this.stats,
      graph: this.graph,
    };
  }
}

/**
 * Who talks on a channel: the page with KMS (`kms`, `kms:<name>`: the lab's own kurento-client), the page with an
 * application server (`app:<path>`), or that application server with KMS on the page's behalf (`app-kms:<path>`).
 */
export type ChannelKind = 'browser-kms' | 'browser-app' | 'app-kms';

const APP_KMS_PREFIX = 'app-kms:';

/** The channel of the frames the application server at `path` exchanged with KMS for this page. */
export function appKmsChannel(path: string): string {
  return `${APP_KMS_PREFIX}${path}`;
}

export function channelKind(channel: string): ChannelKind {
  if (channel.startsWith(APP_KMS_PREFIX)) return 'app-kms';
  if (channel.startsWith('app:')) return 'browser-app';
  return 'browser-kms';
}

export interface RpcPair {
  id: string;
  channel: string;
  method: string;
  request?: LabFrame;
  response?: LabFrame;
  /** Server-to-client notifications (onEvent) and frames without id stand alone. */
  notification?: LabFrame;
  error?: { code: number; message: string };
  /** Milliseconds between request and response. */
  latency?: number;
}

/** Pairs JSON-RPC requests with their responses (by channel and id), keeping notifications in order. */
export function pairFrames(frames: readonly LabFrame[]): RpcPair[] {
  const pairs: RpcPair[] = [];
  const open = new Map<string, RpcPair>();
  for (const frame of frames) {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(frame.text) as Record<string, unknown>;
    } catch {
      pairs.push({ id: `raw-${pairs.length}`, channel: frame.channel, method: '(unparsable)', notification: frame });
      continue;
    }
    const hasId = message.id !== undefined && message.id !== null;
    const key = `${frame.channel}|${frame.direction === 'out' ? 'c' : 's'}|${String(message.id)}`;
    if (typeof message.method === 'string') {
      if (!hasId) {
        const value = (message.params as { value?: { type?: string } } | undefined)?.value;
        pairs.push({ id: `n-${pairs.length}`, channel: frame.channel, method: value?.type ? `${message.method} ${value.type}` : message.method, notification: frame });
        continue;
      }
      const pair: RpcPair = { id: `r-${pairs.length}`, channel: frame.channel, method: describeRequest(message), request: frame };
      pairs.push(pair);
      open.set(key, pair);
      continue;
    }
    // A response travels the other way: look for the request sent in the opposite direction.
    const requestKey = `${frame.channel}|${frame.direction === 'in' ? 'c' : 's'}|${String(message.id)}`;
    const pair = open.get(requestKey);
    if (pair) {
      open.delete(requestKey);
      pair.response = frame;
      pair.latency = frame.t - (pair.request?.t ?? frame.t);
      const error = message.error as { code?: number; message?: string } | undefined;
      if (error) pair.error = { code: Number(error.code), message: String(error.message) };
    } else {
      pairs.push({ id: `u-${pairs.length}`, channel: frame.channel, method: '(response)', notification: frame });
    }
  }
  return pairs;
}

function describeRequest(message: Record<string, unknown>): string {
  const params = (message.params ?? {}) as Record<string, unknown>;
  if (message.method === 'invoke' && typeof params.operation === 'string') return `invoke ${params.operation}`;
  if (message.method === 'create' && typeof params.type === 'string') return `create ${params.type}`;
  if (message.method === 'subscribe' && typeof params.type === 'string') return `subscribe ${params.type}`;
  return String(message.method);
}
