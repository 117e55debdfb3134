import { KmsError } from '../errors';
import { parseTurnUrl, reachOf } from '../config';
import type { MediaKind, MediaLink, MediaUnit, RtpKind, RtpUnit } from '../media/graph';
import { WebRtcSession, sameCodec, type DtlsState, type IceCandidateInit, type IceComponentState } from '../media/webrtc-session';
import type { StatsEntry } from './MediaElement';
import type { ObjectContext, PropertyAccess } from './MediaObject';
import { BaseRtpEndpoint } from './SdpEndpoint';
import { isKeyframeStart } from '../media/rewriter';
import type { KmsConstructorParams, WebRtcEndpointEvents } from './kmd-types.generated';


/** Constructor parameters, as the KMD declares them (generated). */
export type WebRtcEndpointParams = KmsConstructorParams['WebRtcEndpoint'];

/** Keyframe requests towards the browser are merged: at most one PLI per this many ms. */
const KEYFRAME_REQUEST_INTERVAL_MS = 500;
/** REMB towards the browser: one a second, as KMS' RTCP interval (and at once when a limit changes). */
const REMB_INTERVAL_MS = 1000;
/** KMS never asks for less than this when minVideoRecvBandwidth is 0 (kmsremb.c). */
const REMB_FLOOR_BPS = 30_000;
/**
 * With maxVideoRecvBandwidth 0 KMS sends its own estimate, which follows what arrives and keeps climbing while nothing
 * is lost, so it never holds a healthy sender back. The embedded KMS has no estimator: it sends a value that does not
 * limit a browser's encoder either.
 */
const REMB_UNCAPPED_BPS = 10_000_000;
const STREAM_ID = '1';
const COMPONENT_ID = 1;

/**
 * KMD WebRtcEndpoint on a werift session. Media received from the browser leaves through the element's source pads
 * to whatever it is connected to; media reaching its sink pads is sent to the browser when the codec matches the
 * negotiated one. Every event comes from the session's real transport state.
 */
export class WebRtcEndpoint extends BaseRtpEndpoint<WebRtcEndpointEvents> {
  private readonly session: WebRtcSession;
  private readonly ice: {
    stunServerAddress: string;
    stunServerPort: number;
    turnUrl: string;
    externalIPv4: string;
    externalIPv6: string;
    networkInterfaces: string;
    iceTcp: boolean;
  };
  private readonly dtlsStates = new Map<string, DtlsState>();
  private iceState: IceComponentState = 'DISCONNECTED';
  private lastKeyframeRequest = new Map<RtpKind, number>();
  /** SSRC of the stream last forwarded per media type: a change means a new source (through a hub or a reconnect). */
  private readonly lastSourceSsrc = new Map<RtpKind, number>();
  private readonly mismatchLogged = new Set<MediaLink>();
  readonly dropped = { codecMismatch: 0, beforeKeyframe: 0 };
  /** Set after a switch of the video source: its packets are held back until one starts a key frame. */
  private awaitingKeyframeSince: number | undefined;
  private lastKeyframeAsk = 0;
  private readonly useDataChannels: boolean;
  private rembTimer: NodeJS.Timeout | undefined;
  /** The last REMB sent to the browser, in bps (0: none yet), reported as `remb` in the inbound video stats. */
  private rembSent = 0;

  constructor(context: ObjectContext, params: WebRtcEndpointParams) {
    super(context, 'WebRtcEndpoint', params.mediaPipeline);
    const config = context.config;
    this.ice = {
      stunServerAddress: config.stunServerAddress ?? '',
      stunServerPort: config.stunServerPort,
      turnUrl: config.turnUrlProvider?.() ?? config.turnUrl ?? '',
      externalIPv4: config.externalIPv4 ?? '',
      externalIPv6: '',
      networkInterfaces: config.networkInterfaces ?? '',
      iceTcp: config.iceTcp,
    };
    this.useDataChannels = params.useDataChannels === true;
    this.session = new WebRtcSession(
      {
        recvonly: params.recvonly === true,
        sendonly: params.sendonly === true,
        useDataChannels: this.useDataChannels,
        recvBandwidth: () => ({ audio: this.bandwidth.maxAudioRecvBandwidth, video: this.bandwidth.maxVideoRecvBandwidth }),
        ice: () => ({
          stunServerAddress: this.ice.stunServerAddress || undefined,
          stunServerPort: this.ice.stunServerPort,
          turnUrl: this.ice.turnUrl || undefined,
          externalIPv4: this.ice.externalIPv4 || undefined,
          networkInterfaces: this.ice.networkInterfaces || undefined,
          iceTcp: this.ice.iceTcp,
          reach: reachOf(config),
          minPort: config.minPort,
          maxPort: config.maxPort,
        }),
      },
      {
        candidate: (candidate) => this.raise('IceCandidateFound', { candidate: { __type__: 'IceCandidate', ...candidate } }),
        gatheringDone: () => this.raise('IceGatheringDone'),
        iceState: (state) => {
          this.iceState = state;
          this.raise('IceComponentStateChanged', { streamId: Number(STREAM_ID), componentId: COMPONENT_ID, state });
        },
        selectedPair: (localCandidate, remoteCandidate) =>
          this.raise('NewCandidatePairSelected', {
            candidatePair: { __type__: 'IceCandidatePair', streamId: STREAM_ID, componentId: COMPONENT_ID, localCandidate, remoteCandidate },
          }),
        dtlsState: (state) => {
          this.dtlsStates.set(STREAM_ID, state);
          this.raise('DtlsConnectionStateChange', { streamId: STREAM_ID, componentId: String(COMPONENT_ID), connectionId: STREAM_ID, state });
        },
        connectionState: (connected) => this.setConnectionState(connected ? 'CONNECTED' : 'DISCONNECTED'),
        mediaState: (connected) => this.setMediaState(connected ? 'CONNECTED' : 'DISCONNECTED'),
        rtp: (kind, packet, codec) => this.node.output({ kind, packet, codec }),
        keyframeRequest: (kind) => this.node.requestUpstreamKeyframe(kind),
        // KMS 7.x raises DataChannelOpened / DataChannelClosed twice per channel (WebRtcEndpointImpl.cpp emits each
        // signal from two identical blocks); learners see what a real KMS sends.
        dataChannelOpened: (channelId) => {
          this.raise('DataChannelOpened', { channelId });
          this.raise('DataChannelOpened', { channelId });
        },
        dataChannelClosed: (channelId) => {
          this.raise('DataChannelClosed', { channelId });
          this.raise('DataChannelClosed', { channelId });
        },
        dataMessage: (channelId, data) => this.node.output({ kind: 'DATA', data, channelId }),
        failure: (description) => this.raiseError('UNEXPECTED_ELEMENT_ERROR', description, 0),
      },
    );
    this.rembTimer = setInterval(() => this.sendRemb(), REMB_INTERVAL_MS);
    this.rembTimer.unref();
    this.node.handler = {
      ...this.node.handler,
      onInput: (unit, link) => this.onInput(unit, link),
      onKeyframeRequest: (kind) => this.requestBrowserKeyframe(kind),
    };
  }

  protected override properties(): Record<string, PropertyAccess> {
    const text = (key: 'stunServerAddress' | 'turnUrl' | 'externalIPv4' | 'externalIPv6' | 'networkInterfaces', check?: (value: string) => void): PropertyAccess => ({
      get: () => this.ice[key],
      set: (value) => {
        const next = String(value);
        check?.(next);
        this.ice[key] = next;
      },
    });
    return {
      ...super.properties(),
      stunServerAddress: text('stunServerAddress', (value) => {
        if (value !== '' && !/^[0-9.]+$/.test(value) && !value.includes(':')) {
          throw new KmsError('MARSHALL_ERROR', `'stunServerAddress' must be an IP address, not '${value}' (KMS does not resolve names)`);
        }
      }),
      stunServerPort: {
        get: () => this.ice.stunServerPort,
        set: (value) => {
          if (typeof value !== 'number' || value < 1 || value > 65535) throw new KmsError('MARSHALL_ERROR', `'stunServerPort' must be a port number`);
          this.ice.stunServerPort = value;
        },
      },
      turnUrl: text('turnUrl', (value) => {
        if (value !== '' && !parseTurnUrl(value)) {
          throw new KmsError('MARSHALL_ERROR', `'turnUrl' must look like user:password@address:port?transport=udp, not '${value}'`);
        }
      }),
      externalIPv4: text('externalIPv4'),
      externalIPv6: text('externalIPv6'),
      networkInterfaces: text('networkInterfaces'),
      iceTcp: { get: () => this.ice.iceTcp, set: (value) => void (this.ice.iceTcp = Boolean(value)) },
      ICECandidatePairs: {
        get: () => {
          const pair = this.session.selectedPair;
          return pair ? [{ __type__: 'IceCandidatePair', streamId: STREAM_ID, componentId: COMPONENT_ID, localCandidate: pair.local, remoteCandidate: pair.remote }] : [];
        },
      },
      IceConnectionState: {
        get: () => (this.iceState === 'DISCONNECTED' ? [] : [{ __type__: 'IceConnection', streamId: STREAM_ID, componentId: COMPONENT_ID, state: this.iceState }]),
      },
      DtlsConnectionState: {
        get: () =>
          [...this.dtlsStates].map(([streamId, state]) => ({ __type__: 'DtlsConnection', streamId, componentId: String(COMPONENT_ID), connectionId: streamId, state })),
      },
    };
  }

  // Negotiation (SdpEndpoint hooks) --------------------------------------------------------------------------------------

  protected async negotiateOffer(offer: string): Promise<string> {
    const answer = await this.session.processOffer(offer);
    for (const rejection of this.session.rejections) this.context.log.info(`${this.type} ${this.shortId}: offered ${rejection}; answered with port 0`);
    return answer;
  }

  protected createOffer(options: { offerToReceiveAudio?: boolean; offerToReceiveVideo?: boolean }): Promise<string> {
    return this.session.generateOffer(options);
  }

  protected negotiateAnswer(answer: string): Promise<string> {
    return this.session.processAnswer(answer);
  }

  protected localSdp(): string | undefined {
    return this.session.localDescription;
  }

  protected remoteSdp(): string | undefined {
    return this.session.remoteDescription;
  }

  // KMD methods -------------------------------------------------------------------------------------------------------

  async gatherCandidates(): Promise<boolean> {
    if (!this.session.localDescription) {
      // As KMS: without a negotiated session there is no ICE stream to gather for (Kurento/bugtracker#600).
      this.context.log.debug(`gatherCandidates on ${this.shortId} before any SDP negotiation: nothing to gather`);
      return true;
    }
    try {
      await this.session.gatherCandidates();
    } catch (error) {
      this.context.log.warn(`gatherCandidates failed on ${this.shortId}: ${String(error)}`);
      throw new KmsError('ICE_GATHER_CANDIDATES_ERROR', 'Error gathering candidates');
    }
    return true;
  }

  async addIceCandidate({ candidate }: { candidate: { candidate?: string; sdpMid?: string; sdpMLineIndex?: number } }): Promise<void> {
    const init: IceCandidateInit = {
      candidate: candidate.candidate ?? '',
      // Peers without a=mid send an empty (or no) sdpMid: the session finds the section by sdpMLineIndex then.
      sdpMid: candidate.sdpMid ?? '',
      sdpMLineIndex: candidate.sdpMLineIndex ?? 0,
    };
    if (init.candidate !== '' && !/^(candidate:)?\S+ \d+ (udp|tcp|UDP|TCP) \d+ \S+ \d+ typ \S+/.test(init.candidate)) {
      throw new KmsError('ICE_ADD_CANDIDATE_ERROR', 'Error adding candidate');
    }
    try {
      await this.session.addIceCandidate(init);
    } catch (error) {
      this.context.log.warn(`addIceCandidate failed on ${this.shortId}: ${String(error)}`);
      throw new KmsError('ICE_ADD_CANDIDATE_ERROR', 'Error adding candidate');
    }
  }

  createDataChannel(params: { label: string; ordered: boolean; maxPacketLifeTime: number; maxRetransmits: number; protocol: string }): void {
    // As WebRtcEndpointImpl.cpp: first whether the negotiated session has an SCTP association at all (no
    // useDataChannels, no m=application accepted, or no negotiation yet: 40111), then the W3C rule that a channel is
    // either lifetime- or retransmit-limited, never both (40107).
    this.requireDataChannels();
    const maxPacketLifeTime = params.maxPacketLifeTime < 0 ? -1 : Math.min(params.maxPacketLifeTime, 0xffff);
    const maxRetransmits = params.maxRetransmits < 0 ? -1 : Math.min(params.maxRetransmits, 0xffff);
    if (maxPacketLifeTime !== -1 && maxRetransmits !== -1) throw new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', 'Syntax error');
    try {
      this.session.createDataChannel({ ...params, maxPacketLifeTime, maxRetransmits });
    } catch (error) {
      this.context.log.warn(`createDataChannel failed on ${this.shortId}: ${String(error)}`);
      throw new KmsError('UNEXPECTED_ERROR', 'Can not create data channel');
    }
  }

  closeDataChannel({ channelId }: { channelId: number }): void {
    this.requireDataChannels();
    if (!this.session.closeDataChannel(channelId)) {
      this.context.log.debug(`closeDataChannel ${channelId} on ${this.shortId}: no such open channel`);
    }
  }

  private requireDataChannels(): void {
    if (!this.useDataChannels || !this.session.dataChannelsNegotiated) {
      throw new KmsError('MEDIA_OBJECT_OPERATION_NOT_SUPPORTED', 'Data channels are not supported');
    }
  }

  requestKeyframe(): void {
    this.requestBrowserKeyframe('VIDEO', true);
  }

  // Media ---------------------------------------------------------------------------------------------------------------

  private onInput(unit: MediaUnit, link: MediaLink): void {
    if (unit.kind === 'DATA') {
      this.session.sendData(unit.data, unit.channelId !== undefined && this.session.openChannelCount > 1 ? unit.channelId : undefined);
      return;
    }
    if (!this.session.canSend(unit.kind)) return;
    const ssrc = unit.packet.header.ssrc;
    const previous = this.lastSourceSsrc.get(unit.kind);
    if (previous !== ssrc) {
      // A new source for this pad: keep the receiver's sequence numbers and timestamps continuous, start on a key frame.
      if (previous !== undefined) {
        this.session.markSourceChange(unit.kind);
        if (unit.kind === 'VIDEO') {
          // The receiver's decoder still holds the old source's pictures: a delta frame of the new one would show as
          // garbage. Hold its packets back until a key frame starts, and ask for one.
          this.awaitingKeyframeSince = Date.now();
          this.askUpstreamKeyframe(true);
        }
      }
      this.lastSourceSsrc.set(unit.kind, ssrc);
    }
    const source = this.pipeline.elementOf(link.source);
    const negotiatedVideo = unit.kind === 'VIDEO' ? this.session.codec('VIDEO') : undefined;
    // Only what is forwarded as it is waits here; a transcoding branch decodes, and its encoder starts with a key frame.
    if (this.awaitingKeyframeSince !== undefined && negotiatedVideo && sameCodec(negotiatedVideo, unit.codec)) {
      if (!isKeyframeStart(unit.codec.name, unit.packet.payload)) {
        this.dropped.beforeKeyframe += 1;
        this.askUpstreamKeyframe(false);
        return;
      }
      this.context.log.debug(`${this.shortId}: new video source starts with a key frame after ${Date.now() - this.awaitingKeyframeSince} ms`);
      this.awaitingKeyframeSince = undefined;
    }
    if (this.session.sendRtp(unit.kind, unit.packet, unit.codec)) {
      source?.reportTranscoding(unit.kind, false);
      return;
    }
    // Another codec than the browser negotiated: through a transcoding branch of the source, as KMS does.
    const wanted = this.session.codec(unit.kind);
    const branch = source && wanted ? source.transcodeFor(this, unit.kind, unit.codec, wanted) : undefined;
    if (branch) {
      branch.push(unit.packet);
      return;
    }
    this.dropped.codecMismatch += 1;
    if (!this.mismatchLogged.has(link)) {
      this.mismatchLogged.add(link);
      this.context.log.warn(
        `${unit.kind} from ${link.source.label} is ${unit.codec.name} but ${this.shortId} negotiated ${wanted?.name ?? 'nothing'}; ` +
          'no transcoder can make that codec, packets are dropped',
      );
    }
  }

  override receiveTranscoded(unit: RtpUnit): void {
    this.session.sendRtp(unit.kind, unit.packet, unit.codec);
  }

  /** Asks the upstream source for a key frame, again every KEYFRAME_REQUEST_INTERVAL_MS while one is awaited. */
  private askUpstreamKeyframe(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastKeyframeAsk < KEYFRAME_REQUEST_INTERVAL_MS) return;
    this.lastKeyframeAsk = now;
    this.node.requestUpstreamKeyframe('VIDEO');
  }

  private requestBrowserKeyframe(kind: RtpKind, force = false): void {
    if (kind !== 'VIDEO') return;
    const now = Date.now();
    const last = this.lastKeyframeRequest.get(kind) ?? 0;
    if (!force && now - last < KEYFRAME_REQUEST_INTERVAL_MS) return;
    if (this.session.requestKeyframe(kind)) this.lastKeyframeRequest.set(kind, now);
  }

  // Bandwidth (REMB) -------------------------------------------------------------------------------------------------------

  /**
   * The receive limits reach the browser as REMB, the way KMS' kmsremb does it: the value is capped by
   * maxVideoRecvBandwidth (kbps) when it is set, and never below minVideoRecvBandwidth (or 30 kbps when that is 0).
   * Sent only when goog-remb is negotiated and the browser's video SSRC is known. Unlike KMS 7.3, which reads
   * maxVideoRecvBandwidth once when the video session starts, a change applies at once.
   */
  private sendRemb(): void {
    const ssrc = this.session.rembTarget();
    if (ssrc === undefined) return;
    const { maxVideoRecvBandwidth: max, minVideoRecvBandwidth: min } = this.bandwidth;
    let bitrate = max > 0 ? max * 1000 : REMB_UNCAPPED_BPS;
    bitrate = Math.max(bitrate, min > 0 ? min * 1000 : REMB_FLOOR_BPS);
    if (this.session.sendRemb(ssrc, bitrate)) this.rembSent = bitrate;
  }

  protected override onBandwidthChanged(): void {
    this.sendRemb();
  }

  // Stats -----------------------------------------------------------------------------------------------------------------

  protected override async collectStats(now: number, mediaType: MediaKind | undefined): Promise<StatsEntry[]> {
    const entries: StatsEntry[] = [];
    const measured = await this.session.transportStats();
    for (const kind of ['AUDIO', 'VIDEO'] as const) {
      if (mediaType && mediaType !== kind) continue;
      const codec = this.session.codec(kind);
      if (!codec) continue;
      const inbound = this.node.counters('out', kind);
      const outbound = this.session.sent[kind];
      const remoteSsrc = this.session.remoteSsrc(kind);
      const localSsrc = this.session.senderSsrc(kind);
      const base = {
        timestampMillis: now,
        isRemote: false,
        mediaTrackId: `${kind.toLowerCase()}-${this.shortId}`,
        transportId: 'transport-1',
        codecId: `codec-${kind.toLowerCase()}-${codec.name}`,
        firCount: 0,
        pliCount: 0,
        nackCount: 0,
        sliCount: 0,
        remb: 0,
        packetsLost: 0,
        fractionLost: 0,
      };
      if (remoteSsrc !== undefined) {
        entries.push({
          __type__: 'RTCInboundRTPStreamStats',
          id: `inbound-${kind.toLowerCase()}-${remoteSsrc}`,
          type: 'inboundrtp',
          ...base,
          ssrc: String(remoteSsrc),
          pliCount: kind === 'VIDEO' ? this.session.counters.pliOut : 0,
          remb: kind === 'VIDEO' ? this.rembSent : 0,
          packetsLost: measured.inbound.get(kind)?.packetsLost ?? 0,
          packetsReceived: inbound.packets,
          bytesReceived: inbound.bytes,
          jitter: measured.inbound.get(kind)?.jitter ?? 0,
        });
      }
      if (localSsrc !== undefined) {
        entries.push({
          __type__: 'RTCOutboundRTPStreamStats',
          id: `outbound-${kind.toLowerCase()}-${localSsrc}`,
          type: 'outboundrtp',
          ...base,
          ssrc: String(localSsrc),
          pliCount: kind === 'VIDEO' ? this.session.counters.pliIn : 0,
          firCount: kind === 'VIDEO' ? this.session.counters.firIn : 0,
          nackCount: this.session.counters.nackIn,
          packetsLost: measured.outbound.get(kind)?.packetsLost ?? 0,
          fractionLost: measured.outbound.get(kind)?.fractionLost ?? 0,
          packetsSent: outbound.packets,
          bytesSent: outbound.bytes,
          targetBitrate: 0,
          roundTripTime: measured.outbound.get(kind)?.roundTripTime ?? 0,
        });
      }
    }
    const pair = this.session.selectedPair;
    if (pair && !mediaType) {
      entries.push({
        __type__: 'RTCIceCandidatePairStats',
        id: 'candidatepair-1',
        type: 'candidatepair',
        timestampMillis: now,
        transportId: 'transport-1',
        localCandidateId: pair.local.split(' ')[0]?.replace('candidate:', '') ?? '',
        remoteCandidateId: pair.remote.split(' ')[0]?.replace('candidate:', '') ?? '',
        state: 'succeeded',
        priority: 0,
        nominated: true,
        writable: true,
        readable: true,
        bytesSent: this.session.bytesSent,
        bytesReceived: this.session.counters.bytesIn,
        roundTripTime: measured.pairRoundTripTime ?? 0,
        availableOutgoingBitrate: 0,
        availableIncomingBitrate: 0,
      });
    }
    return entries;
  }

  protected override async dispose(): Promise<void> {
    if (this.rembTimer) clearInterval(this.rembTimer);
    this.rembTimer = undefined;
    await super.dispose();
    await this.session.close();
  }
}
