import { KmsError } from '../errors';
import { MediaNode, MEDIA_KINDS, type MediaKind, type MediaLink, type RtpCodec, type RtpKind, type RtpUnit } from '../media/graph';
import { Transcoder, canTranscodeTo } from '../media/ffmpeg/transcoder';
import { MediaObject, type ObjectContext, type PropertyAccess } from './MediaObject';
import { OutputFormat, audioTarget, installFormat, videoTarget, type AudioCaps, type VideoCaps } from './OutputFormat';
import type { MediaPipeline } from './MediaPipeline';
import type { EndpointEvents, FilterEvents, MediaElementEvents } from './kmd-types.generated';

export const DEFAULT_DESCRIPTION = 'default';

export interface ElementConnectionData {
  __type__?: 'ElementConnectionData';
  source: MediaElement;
  sink: MediaElement;
  type: MediaKind;
  sourceDescription: string;
  sinkDescription: string;
}

interface ConnectParams {
  sink: MediaElement;
  mediaType?: MediaKind;
  sourceMediaDescription?: string;
  sinkMediaDescription?: string;
}

/** A KMS stats entry, keyed by its id in getStats' map. */
export type StatsEntry = Record<string, unknown> & { id: string; type: string; timestampMillis: number; __type__: string };

/**
 * Every element of a pipeline: links to other elements per media type, flow and transcoding states, statistics.
 * Semantics follow MediaElementImpl.cpp: connect() without a type links AUDIO, VIDEO and DATA; connecting a new source
 * to a sink pad first disconnects the old one; disconnect() always raises ElementDisconnected.
 */
export abstract class MediaElement<E extends MediaElementEvents = MediaElementEvents> extends MediaObject<E> {
  readonly node: MediaNode;
  readonly mediaPipeline: MediaPipeline;
  private readonly transcoding = new Map<RtpKind, boolean>();
  /** Transcoding branches of this element's output, per media type and codec pair, with the sinks they feed. */
  private readonly branches = new Map<string, { transcoder: Transcoder; consumers: Set<MediaElement> }>();
  /** setVideoFormat / setAudioFormat: the output stage of each media type. */
  private readonly formats = new Map<RtpKind, OutputFormat>();
  private encoderBitrate = 300000;
  private minEncoderBitrate = 0;
  private maxEncoderBitrate = 0;

  protected constructor(context: ObjectContext, type: string, pipeline: MediaPipeline, parent: MediaObject = pipeline) {
    super(context, type, parent);
    this.mediaPipeline = pipeline;
    this.node = new MediaNode(`${type}:${this.shortId}`);
    this.node.handler = {
      onFlowIn: (kind, flowing) => this.raiseFlow('MediaFlowInStateChanged', kind, flowing),
      onFlowOut: (kind, flowing) => this.raiseFlow('MediaFlowOutStateChanged', kind, flowing),
    };
    pipeline.elements.add(this);
  }

  get pipeline(): MediaPipeline {
    return this.mediaPipeline;
  }

  protected override properties(): Record<string, PropertyAccess> {
    const positive = (name: string) => (value: unknown) => {
      if (typeof value !== 'number' || value < 0) throw new KmsError('MARSHALL_ERROR', `'${name}' should be a non-negative integer`);
      return value;
    };
    return {
      ...super.properties(),
      encoderBitrate: { get: () => this.encoderBitrate, set: (v) => void (this.encoderBitrate = positive('encoderBitrate')(v)) },
      minEncoderBitrate: { get: () => this.minEncoderBitrate, set: (v) => void (this.minEncoderBitrate = positive('minEncoderBitrate')(v)) },
      maxEncoderBitrate: { get: () => this.maxEncoderBitrate, set: (v) => void (this.maxEncoderBitrate = positive('maxEncoderBitrate')(v)) },
    };
  }

  private raiseFlow(event: 'MediaFlowInStateChanged' | 'MediaFlowOutStateChanged', kind: RtpKind, flowing: boolean): void {
    this.context.log.debug(`${this.type} ${this.shortId} ${event} ${kind} ${flowing ? 'FLOWING' : 'NOT_FLOWING'}`);
    this.raise(event, { state: flowing ? 'FLOWING' : 'NOT_FLOWING', padName: DEFAULT_DESCRIPTION, mediaType: kind });
  }

  /**
   * Called by the media layer when this element's output of `kind` starts being forwarded as is (false) or through
   * a transcoder (true). Raises MediaTranscodingStateChanged on changes, as the agnosticbin of KMS does.
   */
  reportTranscoding(kind: RtpKind, transcoding: boolean): void {
    // An output format that encodes is what leaves this element: its sinks forwarding that as it is change nothing.
    if (!transcoding && this.formats.get(kind)?.transcoding) return;
    if (this.transcoding.get(kind) === transcoding) return;
    this.transcoding.set(kind, transcoding);
    this.raise('MediaTranscodingStateChanged', {
      state: transcoding ? 'TRANSCODING' : 'NOT_TRANSCODING',
      binName: `${this.shortId}-agnosticbin-${kind.toLowerCase()}`,
      mediaType: kind,
    });
  }

  /**
   * A sink that cannot take this element's `kind` in `from` joins (or makes) the branch that transcodes it to `to`,
   * as KMS' agnosticbin does; MediaTranscodingStateChanged TRANSCODING is raised here, on the source. Returns the
   * branch to push the original packets into, or undefined when no transcoder can make `to`.
   */
  transcodeFor(sink: MediaElement, kind: RtpKind, from: RtpCodec, to: RtpCodec): Transcoder | undefined {
    const key = `${kind}:${from.name}:${to.name}`.toUpperCase();
    const existing = this.branches.get(key);
    if (existing) {
      existing.consumers.add(sink);
      return existing.transcoder;
    }
    if (!canTranscodeTo(to)) return undefined;
    const consumers = new Set<MediaElement>([sink]);
    const transcoder = new Transcoder(kind, from, to, {
      output: (unit) => {
        for (const consumer of consumers) consumer.receiveTranscoded(unit);
      },
      failure: (exit) => {
        this.branches.delete(key);
        this.raiseError('STREAM_ERROR_FAILED', `transcoder ${from.name} → ${to.name} stopped: ${exit.stderr.trim().split('\n').at(-1) ?? `exit ${exit.code}`}`, 0);
      },
    });
    this.branches.set(key, { transcoder, consumers });
    this.context.log.info(`${this.type} ${this.shortId}: transcoding ${kind} ${from.name} → ${to.name} for ${sink.type} ${sink.shortId}`);
    transcoder.start().catch((error: unknown) => this.raiseError('UNEXPECTED_ELEMENT_ERROR', `transcoder did not start: ${String(error)}`, 0));
    // The decoder needs a key frame to start from.
    if (kind === 'VIDEO') this.node.requestKeyframe('VIDEO');
    this.reportTranscoding(kind, true);
    return transcoder;
  }

  /** `sink` no longer takes transcoded media from this element; branches nobody uses stop. */
  leaveTranscoding(sink: MediaElement): void {
    for (const [key, branch] of this.branches) {
      branch.consumers.delete(sink);
      if (branch.consumers.size === 0) {
        this.branches.delete(key);
        void branch.transcoder.stop();
      }
    }
  }

  /** Transcoded media for this element (sinks that send media somewhere override it). */
  receiveTranscoded(_unit: RtpUnit): void {}

  // KMD: setVideoFormat / setAudioFormat --------------------------------------------------------------------------------

  /** The element's video output takes these caps (codec, frame rate), through an encoder when the input differs. */
  async setVideoFormat({ caps }: { caps: VideoCaps }): Promise<void> {
    await this.setFormat('VIDEO', new OutputFormat('VIDEO', videoTarget(caps), this.formatEvents('VIDEO')));
  }

  /** The element's audio output takes these caps (codec, bit rate), through an encoder when the input differs. */
  async setAudioFormat({ caps }: { caps: AudioCaps }): Promise<void> {
    await this.setFormat('AUDIO', new OutputFormat('AUDIO', audioTarget(caps), this.formatEvents('AUDIO')));
  }

  private formatEvents(kind: RtpKind): ConstructorParameters<typeof OutputFormat>[2] {
    return {
      deliver: (unit) => void this.node.deliver(unit),
      transcoding: (transcoding) => this.reportTranscoding(kind, transcoding),
      keyframeNeeded: () => this.node.requestKeyframe('VIDEO'),
      failure: (description) => this.raiseError('STREAM_ERROR_FAILED', description, 0),
    };
  }

  private async setFormat(kind: RtpKind, format: OutputFormat): Promise<void> {
    const previous = this.formats.get(kind);
    this.formats.set(kind, format);
    installFormat(this.node, kind, format);
    this.context.log.info(`${this.type} ${this.shortId}: ${kind} output as ${format.target.codec.name}${format.target.framerate ? ` at ${format.target.framerate} fps` : ''}${format.target.bitrate ? ` at ${format.target.bitrate} bps` : ''}`);
    await previous?.stop();
  }

  // KMD: connect / disconnect -----------------------------------------------------------------------------------------

  connect({ sink, mediaType, sourceMediaDescription = DEFAULT_DESCRIPTION, sinkMediaDescription = DEFAULT_DESCRIPTION }: ConnectParams): void {
    if (sink.mediaPipeline !== this.mediaPipeline) throw new KmsError('CONNECT_ERROR', 'Media elements do not share pipeline');
    const kinds = mediaType ? [mediaType] : MEDIA_KINDS;
    for (const kind of kinds) {
      this.checkCanConnect(sink, kind);
      const previous = sink.node.source(kind);
      if (previous) {
        const previousSource = this.mediaPipeline.elementOf(previous.source);
        previousSource?.disconnect({ sink, mediaType: kind, sourceMediaDescription: previous.sourceDescription, sinkMediaDescription: previous.sinkDescription });
      }
      this.node.link(sink.node, kind, sourceMediaDescription, sinkMediaDescription);
      this.context.log.debug(`connect ${this.shortId} -> ${sink.shortId} ${kind}`);
      this.raise('ElementConnected', { sink: sink.id, mediaType: kind, sourceMediaDescription, sinkMediaDescription });
    }
  }

  /** Elements that cannot link some media type (e.g. a recvonly endpoint as a source) refuse here. */
  protected checkCanConnect(_sink: MediaElement, _kind: MediaKind): void {}

  disconnect({ sink, mediaType, sourceMediaDescription = DEFAULT_DESCRIPTION, sinkMediaDescription = DEFAULT_DESCRIPTION }: ConnectParams): void {
    const kinds = mediaType ? [mediaType] : MEDIA_KINDS;
    for (const kind of kinds) {
      const link = this.node
        .sinks(kind)
        .find((candidate) => candidate.sink === sink.node && candidate.sourceDescription === sourceMediaDescription && candidate.sinkDescription === sinkMediaDescription);
      if (link) this.node.unlink(link);
      this.raise('ElementDisconnected', { sink: sink.id, mediaType: kind, sourceMediaDescription, sinkMediaDescription });
    }
  }

  private connectionData(link: MediaLink): ElementConnectionData | undefined {
    const source = this.mediaPipeline.elementOf(link.source);
    const sink = this.mediaPipeline.elementOf(link.sink);
    if (!source || !sink) return undefined;
    return { source, sink, type: link.kind, sourceDescription: link.sourceDescription, sinkDescription: link.sinkDescription };
  }

  getSourceConnections({ mediaType, description }: { mediaType?: MediaKind; description?: string }): ElementConnectionData[] {
    return this.node
      .allSourceLinks()
      .filter((link) => (!mediaType || link.kind === mediaType) && (description === undefined || link.sinkDescription === description))
      .map((link) => this.connectionData(link))
      .filter((data): data is ElementConnectionData => data !== undefined);
  }

  getSinkConnections({ mediaType, description }: { mediaType?: MediaKind; description?: string }): ElementConnectionData[] {
    return this.node
      .allSinkLinks()
      .filter((link) => (!mediaType || link.kind === mediaType) && (description === undefined || link.sourceDescription === description))
      .map((link) => this.connectionData(link))
      .filter((data): data is ElementConnectionData => data !== undefined);
  }

  isMediaFlowingIn({ mediaType }: { mediaType: MediaKind }): boolean {
    return mediaType !== 'DATA' && this.node.isFlowingIn(mediaType);
  }

  isMediaFlowingOut({ mediaType }: { mediaType: MediaKind }): boolean {
    return mediaType !== 'DATA' && this.node.isFlowingOut(mediaType);
  }

  isMediaTranscoding({ mediaType }: { mediaType: MediaKind }): boolean {
    return mediaType !== 'DATA' && this.transcoding.get(mediaType) === true;
  }

  getGstreamerDot(): string {
    return this.mediaPipeline.getGstreamerDot();
  }

  // Statistics ---------------------------------------------------------------------------------------------------------

  /** getStats: the element's own entry plus whatever the subclass measures (RTP streams, ICE pairs, …). */
  async getStats({ mediaType }: { mediaType?: MediaKind }): Promise<Record<string, StatsEntry>> {
    const now = Date.now();
    const entries = [this.ownStats(now), ...(await this.collectStats(now, mediaType))];
    return Object.fromEntries(entries.map((entry) => [entry.id, entry]));
  }

  protected ownStats(now: number): StatsEntry {
    return { __type__: 'ElementStats', id: this.id, type: 'element', timestampMillis: now, inputLatency: [] };
  }

  protected async collectStats(_now: number, _mediaType: MediaKind | undefined): Promise<StatsEntry[]> {
    return [];
  }

  protected override async dispose(): Promise<void> {
    // Like KMS, releasing an element disconnects it from everything first.
    for (const link of this.node.allSourceLinks()) {
      const source = this.mediaPipeline.elementOf(link.source);
      if (source && !source.released) source.disconnect({ sink: this, mediaType: link.kind, sourceMediaDescription: link.sourceDescription, sinkMediaDescription: link.sinkDescription });
    }
    for (const link of this.node.allSinkLinks()) {
      const sink = this.mediaPipeline.elementOf(link.sink);
      if (sink) this.disconnect({ sink, mediaType: link.kind, sourceMediaDescription: link.sourceDescription, sinkMediaDescription: link.sinkDescription });
    }
    this.node.dispose();
    for (const format of this.formats.values()) await format.stop();
    this.formats.clear();
    for (const branch of this.branches.values()) await branch.transcoder.stop();
    this.branches.clear();
    for (const element of this.mediaPipeline.elements) if (element !== this) element.leaveTranscoding(this);
    this.mediaPipeline.elements.delete(this);
  }
}

/** KMD abstract class of every endpoint; its stats entry is an EndpointStats. */
export abstract class Endpoint<E extends EndpointEvents = EndpointEvents> extends MediaElement<E> {
  protected override ownStats(now: number): StatsEntry {
    return { __type__: 'EndpointStats', id: this.id, type: 'endpoint', timestampMillis: now, inputLatency: [], E2ELatency: [] };
  }
}

/** KMD abstract class of every filter. */
export abstract class Filter<E extends FilterEvents = FilterEvents> extends MediaElement<E> {}
