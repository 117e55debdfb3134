/**
 * The media routing graph under the KMD objects: one MediaNode per MediaElement, links per media type, RTP and data
 * units pushed from sources to sinks. Flow monitors turn real packet arrival into the FLOWING / NOT_FLOWING states
 * KMS reports (first buffer → FLOWING; a 2000 ms periodic check that finds none → NOT_FLOWING, as kmselement.c).
 */
import type { RtpPacket } from 'werift';

export type MediaKind = 'AUDIO' | 'VIDEO' | 'DATA';
export const MEDIA_KINDS: readonly MediaKind[] = ['AUDIO', 'VIDEO', 'DATA'];
export type RtpKind = Exclude<MediaKind, 'DATA'>;

/** A negotiated RTP codec: `name` as in a=rtpmap (VP8, H264, opus), plus clock rate and fmtp. */
export interface RtpCodec {
  name: string;
  clockRate: number;
  channels?: number;
  parameters?: string;
}

export interface RtpUnit {
  kind: RtpKind;
  packet: RtpPacket;
  codec: RtpCodec;
}

export interface DataUnit {
  kind: 'DATA';
  data: Buffer | string;
  /** SCTP stream id of the data channel it came from, when it came from one. */
  channelId?: number;
}

export type MediaUnit = RtpUnit | DataUnit;

export const FLOW_CHECK_INTERVAL_MS = 2000;

/** Tracks one direction of one media type; reports transitions only. */
export class FlowMonitor {
  private flowing = false;
  private seen = false;
  private timer: NodeJS.Timeout | undefined;
  packets = 0;
  bytes = 0;

  constructor(private readonly onChange: (flowing: boolean) => void, private readonly intervalMs = FLOW_CHECK_INTERVAL_MS) {}

  get isFlowing(): boolean {
    return this.flowing;
  }

  hit(bytes: number): void {
    this.packets += 1;
    this.bytes += bytes;
    this.seen = true;
    if (this.flowing) return;
    this.flowing = true;
    this.timer = setInterval(() => this.check(), this.intervalMs);
    this.timer.unref();
    this.onChange(true);
  }

  private check(): void {
    if (this.seen) {
      this.seen = false;
      return;
    }
    this.stopTimer();
    this.flowing = false;
    this.onChange(false);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stopTimer();
  }
}

/** A connection between two nodes for one media type, with the descriptions KMS keeps (normally "default"). */
export interface MediaLink {
  readonly source: MediaNode;
  readonly sink: MediaNode;
  readonly kind: MediaKind;
  readonly sourceDescription: string;
  readonly sinkDescription: string;
  /** Units delivered over this link. */
  delivered: number;
}

/** What an element's media implementation provides to its node. All hooks are optional. */
export interface MediaNodeHandler {
  /** A unit arrived from upstream. */
  onInput?(unit: MediaUnit, link: MediaLink): void;
  /** A downstream sink (or the graph itself, on a new link) wants a key frame for `kind`. */
  onKeyframeRequest?(kind: RtpKind): void;
  /** The set of links changed (for elements that start/stop work when linked). */
  onLinksChanged?(): void;
  onFlowIn?(kind: RtpKind, flowing: boolean): void;
  onFlowOut?(kind: RtpKind, flowing: boolean): void;
}

export class MediaNode {
  private readonly upstream = new Map<MediaKind, MediaLink>();
  private readonly downstream = new Map<MediaKind, Set<MediaLink>>();
  private readonly flowIn = new Map<RtpKind, FlowMonitor>();
  private readonly flowOut = new Map<RtpKind, FlowMonitor>();
  handler: MediaNodeHandler = {};
  /**
   * What an element's output of a media type goes through before its sinks get it (setVideoFormat / setAudioFormat:
   * a conversion to the caps set); it hands what leaves it to deliver().
   */
  readonly outputStage: Partial<Record<RtpKind, (unit: RtpUnit) => void>> = {};

  constructor(readonly label: string) {
    for (const kind of ['AUDIO', 'VIDEO'] as const) {
      this.flowIn.set(kind, new FlowMonitor((flowing) => this.handler.onFlowIn?.(kind, flowing)));
      this.flowOut.set(kind, new FlowMonitor((flowing) => this.handler.onFlowOut?.(kind, flowing)));
    }
  }

  /** The link feeding this node with `kind`, if any (KMS allows one source per sink pad). */
  source(kind: MediaKind): MediaLink | undefined {
    return this.upstream.get(kind);
  }

  sinks(kind: MediaKind): MediaLink[] {
    return [...(this.downstream.get(kind) ?? [])];
  }

  allSourceLinks(): MediaLink[] {
    return [...this.upstream.values()];
  }

  allSinkLinks(): MediaLink[] {
    return [...this.downstream.values()].flatMap((links) => [...links]);
  }

  isFlowingIn(kind: RtpKind): boolean {
    return this.flowIn.get(kind)?.isFlowing ?? false;
  }

  isFlowingOut(kind: RtpKind): boolean {
    return this.flowOut.get(kind)?.isFlowing ?? false;
  }

  counters(direction: 'in' | 'out', kind: RtpKind): { packets: number; bytes: number } {
    const monitor = (direction === 'in' ? this.flowIn : this.flowOut).get(kind);
    return { packets: monitor?.packets ?? 0, bytes: monitor?.bytes ?? 0 };
  }

  /** Links this node to `sink`. The caller (MediaElement) has already removed a previous source of `sink`. */
  link(sink: MediaNode, kind: MediaKind, sourceDescription: string, sinkDescription: string): MediaLink {
    const link: MediaLink = { source: this, sink, kind, sourceDescription, sinkDescription, delivered: 0 };
    let set = this.downstream.get(kind);
    if (!set) this.downstream.set(kind, (set = new Set()));
    set.add(link);
    sink.upstream.set(kind, link);
    this.handler.onLinksChanged?.();
    sink.handler.onLinksChanged?.();
    // A sink that joins late needs a key frame to start decoding.
    if (kind === 'VIDEO') this.requestKeyframe('VIDEO');
    return link;
  }

  unlink(link: MediaLink): void {
    const set = this.downstream.get(link.kind);
    if (!set?.delete(link)) return;
    if (link.sink.upstream.get(link.kind) === link) link.sink.upstream.delete(link.kind);
    this.handler.onLinksChanged?.();
    link.sink.handler.onLinksChanged?.();
  }

  /**
   * Pushes a unit produced by this node to every sink linked for its kind (through the output stage of its kind, when
   * there is one). Returns how many sinks are linked for it.
   */
  output(unit: MediaUnit): number {
    if (unit.kind !== 'DATA') {
      const stage = this.outputStage[unit.kind];
      if (stage) {
        stage(unit);
        return this.downstream.get(unit.kind)?.size ?? 0;
      }
    }
    return this.deliver(unit);
  }

  /** Pushes a unit to every sink linked for its kind, as it is. Returns how many sinks got it. */
  deliver(unit: MediaUnit): number {
    const links = this.downstream.get(unit.kind);
    if (!links || links.size === 0) return 0;
    if (unit.kind !== 'DATA') this.flowOut.get(unit.kind)?.hit(unit.packet.payload.length);
    for (const link of links) {
      link.delivered += 1;
      link.sink.input(unit, link);
    }
    return links.size;
  }

  private input(unit: MediaUnit, link: MediaLink): void {
    if (unit.kind !== 'DATA') this.flowIn.get(unit.kind)?.hit(unit.packet.payload.length);
    this.handler.onInput?.(unit, link);
  }

  /** Asks whoever feeds this node with `kind` for a key frame (sinks call this on their own node). */
  requestUpstreamKeyframe(kind: RtpKind): void {
    this.upstream.get(kind)?.source.requestKeyframe(kind);
  }

  requestKeyframe(kind: RtpKind): void {
    this.handler.onKeyframeRequest?.(kind);
  }

  dispose(): void {
    for (const link of this.allSinkLinks()) this.unlink(link);
    for (const link of this.allSourceLinks()) link.source.unlink(link);
    for (const monitor of [...this.flowIn.values(), ...this.flowOut.values()]) monitor.dispose();
    this.handler = {};
  }
}
