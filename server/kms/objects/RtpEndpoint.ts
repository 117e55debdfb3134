import { KmsError } from '../errors';
import { reachOf } from '../config';
import type { MediaKind, MediaLink, MediaUnit, RtpKind, RtpUnit } from '../media/graph';
import { RtpSession } from '../media/rtp-session';
import { masterLength, suiteOfKmd, type SrtpSuiteName } from '../media/srtp';
import type { StatsEntry } from './MediaElement';
import type { ObjectContext } from './MediaObject';
import { BaseRtpEndpoint } from './SdpEndpoint';
import type { KmsConstructorParams, RtpEndpointEvents } from './kmd-types.generated';

/** Constructor parameters, as the KMD declares them (generated). */
export type RtpEndpointParams = KmsConstructorParams['RtpEndpoint'];

const KEYFRAME_REQUEST_INTERVAL_MS = 500;

/**
 * The SDES settings of the `crypto` constructor parameter, checked as RtpEndpointImpl.cpp checks them: no suite means
 * plain RTP (whatever key is given); a suite without a key means a random one; a key (plain text or base64) must be 30
 * bytes for AES-128 suites and 46 for AES-256 ones, or the create fails with 40107.
 */
export function sdesOf(crypto: RtpEndpointParams['crypto'] | undefined): { suite: SrtpSuiteName; master?: Buffer } | undefined {
  if (!crypto?.crypto) return undefined;
  const suite = suiteOfKmd(crypto.crypto);
  if (!suite) throw new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', 'Invalid crypto suite');
  let master: Buffer;
  if (crypto.key !== undefined) {
    master = Buffer.from(crypto.key, 'utf8');
  } else if (crypto.keyBase64 !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(crypto.keyBase64) || crypto.keyBase64.length % 4 === 1) {
      throw new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', 'Master key is not valid Base64');
    }
    master = Buffer.from(crypto.keyBase64, 'base64');
  } else {
    return { suite };
  }
  if (master.length !== masterLength(suite)) throw new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', 'Master key size is wrong');
  return { suite, master };
}

/**
 * KMD RtpEndpoint: RTP/AVP(F), or SRTP with SDES keys, negotiated with SDP in either role, no ICE (media/rtp-session.ts).
 * It is the gateway between the WebRTC side of a pipeline and tools that speak plain RTP (ffmpeg, GStreamer, SIP
 * gateways): what arrives goes out through the element's source pads, what reaches its sink pads is sent to the peer
 * (through a transcoding branch of the source when the codec is not the negotiated one). Events: MediaSessionStarted,
 * ConnectionStateChanged CONNECTED once both descriptions are known (KMS' RTP connections are connected as soon as
 * their sockets exist), MediaStateChanged with RTCP, MediaFlowIn/Out with packets, OnKeySoftLimit from SRTP.
 */
export class RtpEndpoint extends BaseRtpEndpoint<RtpEndpointEvents> {
  private readonly session: RtpSession;
  private readonly lastKeyframeRequest = new Map<RtpKind, number>();
  private readonly lastSourceSsrc = new Map<RtpKind, number>();
  private readonly mismatchLogged = new Set<MediaLink>();
  readonly dropped = { codecMismatch: 0 };

  constructor(context: ObjectContext, params: RtpEndpointParams) {
    // Checked before the object joins its pipeline: a refused create leaves nothing behind.
    const crypto = sdesOf(params.crypto);
    super(context, 'RtpEndpoint', params.mediaPipeline);
    const config = context.config;
    this.session = new RtpSession(
      {
        reach: reachOf(config),
        ...(config.networkInterfaces ? { networkInterfaces: config.networkInterfaces } : {}),
        minPort: config.minPort,
        maxPort: config.maxPort,
        useIpv6: params.useIpv6 === true,
        ...(crypto ? { crypto } : {}),
        recvBandwidth: () => ({ audio: this.bandwidth.maxAudioRecvBandwidth, video: this.bandwidth.maxVideoRecvBandwidth }),
      },
      {
        rtp: (kind, packet, codec) => this.node.output({ kind, packet, codec }),
        keyframeRequest: (kind) => this.node.requestUpstreamKeyframe(kind),
        mediaState: (connected) => this.setMediaState(connected ? 'CONNECTED' : 'DISCONNECTED'),
        connected: () => this.setConnectionState('CONNECTED'),
        keySoftLimit: (kind) => this.raise('OnKeySoftLimit', { mediaType: kind }),
        failure: (description) => this.raiseError('UNEXPECTED_ELEMENT_ERROR', description, 0),
      },
    );
    this.node.handler = {
      ...this.node.handler,
      onInput: (unit, link) => this.onInput(unit, link),
      onKeyframeRequest: (kind) => this.requestRemoteKeyframe(kind),
    };
  }

  /** The local RTP port of a media type, once negotiated (tests). */
  localPort(kind: RtpKind): number | undefined {
    return this.session.port(kind);
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

  requestKeyframe(): void {
    this.requestRemoteKeyframe('VIDEO', true);
  }

  // Media ---------------------------------------------------------------------------------------------------------------

  private onInput(unit: MediaUnit, link: MediaLink): void {
    if (unit.kind === 'DATA') return;
    const wanted = this.session.codec(unit.kind);
    if (!wanted) return;
    const previous = this.lastSourceSsrc.get(unit.kind);
    if (previous !== unit.packet.header.ssrc) {
      this.lastSourceSsrc.set(unit.kind, unit.packet.header.ssrc);
      // A new source: the receiver needs a key frame of it to decode.
      if (previous !== undefined && unit.kind === 'VIDEO') this.node.requestUpstreamKeyframe('VIDEO');
    }
    const source = this.pipeline.elementOf(link.source);
    if (this.session.sendRtp(unit.kind, unit.packet, unit.codec)) {
      source?.reportTranscoding(unit.kind, false);
      return;
    }
    // Another codec than the negotiated one: through a transcoding branch of the source, as KMS' agnosticbin does.
    const branch = source ? source.transcodeFor(this, unit.kind, unit.codec, wanted) : undefined;
    if (branch) {
      branch.push(unit.packet);
      return;
    }
    this.dropped.codecMismatch += 1;
    if (!this.mismatchLogged.has(link)) {
      this.mismatchLogged.add(link);
      this.context.log.warn(`${unit.kind} from ${link.source.label} is ${unit.codec.name} but ${this.shortId} negotiated ${wanted.name}; no transcoder can make that codec, packets are dropped`);
    }
  }

  override receiveTranscoded(unit: RtpUnit): void {
    this.session.sendRtp(unit.kind, unit.packet, unit.codec);
  }

  private requestRemoteKeyframe(kind: RtpKind, force = false): void {
    if (kind !== 'VIDEO') return;
    const now = Date.now();
    if (!force && now - (this.lastKeyframeRequest.get(kind) ?? 0) < KEYFRAME_REQUEST_INTERVAL_MS) return;
    if (this.session.requestKeyframe(kind)) this.lastKeyframeRequest.set(kind, now);
  }

  // Stats -----------------------------------------------------------------------------------------------------------------

  protected override async collectStats(now: number, mediaType: MediaKind | undefined): Promise<StatsEntry[]> {
    const entries: StatsEntry[] = [];
    for (const kind of ['AUDIO', 'VIDEO'] as const) {
      if (mediaType && mediaType !== kind) continue;
      const codec = this.session.codec(kind);
      const counters = this.session.counters(kind);
      if (!codec || !counters) continue;
      const base = {
        timestampMillis: now,
        isRemote: false,
        mediaTrackId: `${kind.toLowerCase()}-${this.shortId}`,
        transportId: `rtp-${kind.toLowerCase()}`,
        codecId: `codec-${kind.toLowerCase()}-${codec.name}`,
        firCount: 0,
        pliCount: 0,
        nackCount: 0,
        sliCount: 0,
        remb: 0,
        packetsLost: 0,
        fractionLost: 0,
      };
      if (counters.remoteSsrc !== undefined) {
        entries.push({
          __type__: 'RTCInboundRTPStreamStats',
          id: `inbound-${kind.toLowerCase()}-${counters.remoteSsrc}`,
          type: 'inboundrtp',
          ...base,
          ssrc: String(counters.remoteSsrc),
          packetsReceived: counters.inbound.packets,
          bytesReceived: counters.inbound.bytes,
          jitter: 0,
        });
      }
      entries.push({
        __type__: 'RTCOutboundRTPStreamStats',
        id: `outbound-${kind.toLowerCase()}-${counters.ssrc}`,
        type: 'outboundrtp',
        ...base,
        ssrc: String(counters.ssrc),
        packetsSent: counters.outbound.packets,
        bytesSent: counters.outbound.bytes,
        targetBitrate: 0,
        roundTripTime: 0,
      });
    }
    return entries;
  }

  protected override async dispose(): Promise<void> {
    await super.dispose();
    this.session.close();
  }
}
