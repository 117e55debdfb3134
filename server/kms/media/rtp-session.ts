/**
 * One RtpEndpoint's transport: plain RTP/AVP(F) over UDP, or SRTP with SDES keys (RTP/SAVP(F)), negotiated with SDP in
 * either role, no ICE and no DTLS (kmsrtpendpoint.c). Each media type gets a pair of UDP sockets, RTP on an even port
 * and RTCP on the next one (no rtcp-mux, no BUNDLE: KMS sets both off for this endpoint), bound where the server may
 * be reached (loopback only unless it is reachable from the network) and inside the configured port range.
 *
 * Media is sent to the address and ports the remote SDP names (c=, m= port, a=rtcp); with `a=direction:active`
 * (COMEDIA) the remote address is learnt from the first packet instead. RTCP: a receiver or sender report every second
 * once the remote is known; PLI / FIR received ask the element's source for a key frame; any RTCP heard makes the media
 * state CONNECTED, five silent seconds DISCONNECTED (as for WebRtcEndpoint).
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import os from 'node:os';
import {
  PictureLossIndication,
  RtcpPacketConverter,
  RtcpPayloadSpecificFeedback,
  RtcpReceiverInfo,
  RtcpRrPacket,
  RtcpSenderInfo,
  RtcpSrPacket,
  RtpPacket,
} from 'werift';
import type { RtpCodec, RtpKind } from './graph';
import { StreamRewriter } from './rewriter';
import {
  PLAIN_RTP_PROTO,
  SECURE_RTP_PROTO,
  answerDirection,
  attribute,
  attributes,
  codecsOf,
  connectionAddress,
  directionOf,
  joinSdp,
  parseSdp,
  planAnswer,
  rejectedSection,
  type Direction,
  type OfferedCodec,
  type SdpMedia,
} from './sdp';
import { SrtpContext, SrtpError, formatCrypto, parseCrypto, randomMaster, type SdesCrypto, type SrtpSuiteName } from './srtp';
import { hostAddresses, sameCodec, withRecvBandwidth, type RecvBandwidth } from './webrtc-session';

export interface RtpSessionOptions {
  reach: 'loopback' | 'network';
  networkInterfaces?: string;
  minPort: number;
  maxPort: number;
  useIpv6: boolean;
  /** SDES: the suite, and the master key + salt (random when not given, as KMS does). */
  crypto?: { suite: SrtpSuiteName; master?: Buffer };
  recvBandwidth: () => RecvBandwidth;
}

export interface RtpSessionEvents {
  rtp(kind: RtpKind, packet: RtpPacket, codec: RtpCodec): void;
  /** The remote receiver asked (PLI / FIR) for a key frame of what we send it. */
  keyframeRequest(kind: RtpKind): void;
  /** RTCP heard (true) or silent for MEDIA_STATE_TIMEOUT_MS (false). */
  mediaState(connected: boolean): void;
  /** Both descriptions are known and every accepted section has its sockets (KMS: all RTP connections connected). */
  connected(): void;
  /** An SRTP master key reached its soft limit (OnKeySoftLimit). */
  keySoftLimit(kind: RtpKind): void;
  failure(description: string): void;
}

const MEDIA_STATE_TIMEOUT_MS = 5000;
const RTCP_INTERVAL_MS = 1000;
const VIDEO_FEEDBACK = ['nack', 'nack pli', 'goog-remb', 'ccm fir'];

/** Codecs this endpoint negotiates, in its preference, with the payload types of its own offers. */
const OFFER_CODECS: Record<'audio' | 'video', OfferedCodec[]> = {
  audio: [
    { payloadType: 96, name: 'opus', clockRate: 48000, channels: 2 },
    { payloadType: 0, name: 'PCMU', clockRate: 8000 },
    { payloadType: 8, name: 'PCMA', clockRate: 8000 },
  ],
  video: [
    { payloadType: 97, name: 'VP8', clockRate: 90000 },
    { payloadType: 98, name: 'H264', clockRate: 90000, parameters: 'packetization-mode=1;profile-level-id=42e01f;level-asymmetry-allowed=1' },
    { payloadType: 99, name: 'VP9', clockRate: 90000 },
  ],
};

/** The first offered codec this endpoint can carry (plain RTP peers send H.264 in any packetization mode). */
export function chooseRtpCodec(offered: readonly OfferedCodec[], kind: 'audio' | 'video'): OfferedCodec | undefined {
  const names = OFFER_CODECS[kind].map((codec) => codec.name.toUpperCase());
  return offered.find((codec) => names.includes(codec.name.toUpperCase()));
}

function toRtpCodec(codec: OfferedCodec): RtpCodec {
  const result: RtpCodec = { name: codec.name, clockRate: codec.clockRate };
  if (codec.channels !== undefined) result.channels = codec.channels;
  if (codec.parameters !== undefined) result.parameters = codec.parameters;
  return result;
}

/** Where the sockets are bound and which address the SDP announces (c=). */
export function rtpAddresses(options: Pick<RtpSessionOptions, 'reach' | 'networkInterfaces' | 'useIpv6'>): { bind: string; announce: string; family: 'udp4' | 'udp6' } {
  if (options.useIpv6) {
    if (options.reach === 'loopback') return { bind: '::1', announce: '::1', family: 'udp6' };
    const global = Object.values(os.networkInterfaces())
      .flatMap((infos) => infos ?? [])
      .find((info) => info.family === 'IPv6' && !info.internal && !info.address.startsWith('fe80'));
    return { bind: '::', announce: global?.address ?? '::1', family: 'udp6' };
  }
  const hosts = hostAddresses(options.networkInterfaces, os.networkInterfaces(), options.reach);
  // KMS announces the first address that is not loopback (nice_interfaces_get_local_ips(FALSE)); loopback when that is
  // all the server may be reached on.
  const announce = hosts.addresses.find((address) => !address.startsWith('127.')) ?? hosts.addresses[0] ?? '127.0.0.1';
  return { bind: hosts.bind ?? '0.0.0.0', announce, family: 'udp4' };
}

function bindSocket(family: 'udp4' | 'udp6', address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: family, reuseAddr: false });
    const failed = (error: Error): void => {
      socket.close();
      reject(error);
    };
    socket.once('error', failed);
    socket.bind(port, address, () => {
      socket.off('error', failed);
      resolve(socket);
    });
  });
}

/** An RTP (even) and RTCP (next) socket pair, inside [minPort, maxPort] when a range is set, as KMS' socket utils do. */
export async function bindRtpPair(family: 'udp4' | 'udp6', address: string, minPort: number, maxPort: number): Promise<[Socket, Socket]> {
  const ranged = minPort > 0 && maxPort > minPort;
  for (let attempt = 0; attempt < 64; attempt += 1) {
    let rtp: Socket;
    try {
      if (ranged) {
        const first = minPort % 2 === 0 ? minPort : minPort + 1;
        const slots = Math.floor((maxPort - first) / 2);
        if (slots < 1) break;
        rtp = await bindSocket(family, address, first + 2 * randomInt(0, slots));
      } else {
        rtp = await bindSocket(family, address, 0);
      }
    } catch {
      continue;
    }
    const port = rtp.address().port;
    if (port % 2 !== 0 || port + 1 > (ranged ? maxPort : 65535)) {
      rtp.close();
      continue;
    }
    try {
      return [rtp, await bindSocket(family, address, port + 1)];
    } catch {
      rtp.close();
    }
  }
  throw new Error(ranged ? `no free RTP/RTCP port pair between ${minPort} and ${maxPort}` : 'no free RTP/RTCP port pair');
}

interface Remote {
  address: string;
  rtpPort: number;
  rtcpPort: number;
}

/** One media type of the session: its sockets, the negotiated codec and direction, SRTP, counters. */
class RtpStream {
  codec: RtpCodec | undefined;
  payloadType = 0;
  /** Local direction as negotiated: whether we send, whether we expect media. */
  send = true;
  receive = true;
  remote: Remote | undefined;
  comedia = false;
  remoteSsrc: number | undefined;
  readonly ssrc = randomInt(1, 0xffffffff);
  readonly rewriter: StreamRewriter;
  localCrypto: SdesCrypto | undefined;
  srtpIn: SrtpContext | undefined;
  srtpOut: SrtpContext | undefined;
  readonly inbound = { packets: 0, bytes: 0, highestSequence: 0, lost: 0, dropped: 0 };
  readonly outbound = { packets: 0, bytes: 0, lastTimestamp: 0 };
  private firstSequence: number | undefined;

  constructor(
    readonly kind: RtpKind,
    readonly rtp: Socket,
    readonly rtcp: Socket,
  ) {
    this.rewriter = new StreamRewriter(this.ssrc, 0, kind === 'VIDEO' ? 3000 : 960);
  }

  get media(): 'audio' | 'video' {
    return this.kind === 'AUDIO' ? 'audio' : 'video';
  }

  get port(): number {
    return this.rtp.address().port;
  }

  noteReceived(packet: RtpPacket): void {
    const sequence = packet.header.sequenceNumber;
    this.firstSequence ??= sequence;
    this.inbound.packets += 1;
    this.inbound.bytes += packet.payload.length;
    this.inbound.highestSequence = sequence;
  }

  close(): void {
    for (const socket of [this.rtp, this.rtcp]) {
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
  }
}

function isRtcp(data: Buffer): boolean {
  const type = data[1] ?? 0;
  return data.length >= 8 && type >= 192 && type <= 223;
}

export class RtpSession {
  private readonly streams = new Map<RtpKind, RtpStream>();
  private localSdp: string | undefined;
  private remoteSdp: string | undefined;
  private readonly sessionVersion = Math.floor(Date.now() / 1000) + 2208988800;
  private readonly cname = `user${randomInt(1, 2 ** 31)}@kurento-labs`;
  private readonly addresses: { bind: string; announce: string; family: 'udp4' | 'udp6' };
  private offered: SdpMedia[] = [];
  private rtcpTimer: NodeJS.Timeout | undefined;
  private mediaTimer: NodeJS.Timeout | undefined;
  private lastRtcp = 0;
  private mediaConnected = false;
  private closed = false;
  /** Why offered sections were rejected, for the endpoint's log. */
  rejections: string[] = [];
  /** Packets dropped because they failed SRTP authentication. */
  srtpFailures = 0;

  constructor(private readonly options: RtpSessionOptions, private readonly events: RtpSessionEvents) {
    this.addresses = rtpAddresses(options);
  }

  get localDescription(): string | undefined {
    return this.localSdp;
  }

  get remoteDescription(): string | undefined {
    return this.remoteSdp;
  }

  codec(kind: RtpKind): RtpCodec | undefined {
    return this.streams.get(kind)?.codec;
  }

  canSend(kind: RtpKind): boolean {
    const stream = this.streams.get(kind);
    return stream !== undefined && stream.send && stream.codec !== undefined;
  }

  /** Local RTP port of a media type (tests, logs). */
  port(kind: RtpKind): number | undefined {
    return this.streams.get(kind)?.port;
  }

  private get secure(): boolean {
    return this.options.crypto !== undefined;
  }

  private master(): Buffer {
    const crypto = this.options.crypto;
    if (!crypto) throw new Error('no SDES');
    // One master key for the endpoint, random unless the application gave one (kms_rtp_endpoint_create_new_key).
    crypto.master ??= randomMaster(crypto.suite);
    return crypto.master;
  }

  private async openStream(kind: RtpKind): Promise<RtpStream> {
    const [rtp, rtcp] = await bindRtpPair(this.addresses.family, this.addresses.bind, this.options.minPort, this.options.maxPort);
    const stream = new RtpStream(kind, rtp, rtcp);
    rtp.on('message', (data, from) => this.onRtp(stream, data, from));
    rtcp.on('message', (data, from) => this.onRtcp(stream, data, from));
    for (const socket of [rtp, rtcp]) socket.on('error', (error) => this.events.failure(`RTP socket of the ${stream.media}: ${error.message}`));
    this.streams.set(kind, stream);
    return stream;
  }

  // Negotiation --------------------------------------------------------------------------------------------------------

  /** Answers a remote offer: KMS' RTP handler per media type; sections it cannot take are rejected with port 0. */
  async processOffer(offer: string): Promise<string> {
    const doc = parseSdp(offer);
    const plans = planAnswer(
      doc,
      (media) => (media.kind === 'audio' || media.kind === 'video') && (this.secure ? SECURE_RTP_PROTO : PLAIN_RTP_PROTO).test(media.proto),
      (media) => chooseRtpCodec(codecsOf(media), media.kind === 'audio' ? 'audio' : 'video') !== undefined && (!this.secure || this.remoteKey(media) !== undefined),
    );
    this.rejections = plans.filter((plan) => !plan.accepted).map((plan) => `${plan.media.kind} ${plan.media.proto}: ${plan.reason ?? 'rejected'}`);
    const lines = this.sessionLines();
    for (const plan of plans) {
      const media = plan.media;
      if (!plan.accepted) {
        lines.push(...rejectedSection(media));
        continue;
      }
      const kind: RtpKind = media.kind === 'audio' ? 'AUDIO' : 'VIDEO';
      const stream = await this.openStream(kind);
      const codec = chooseRtpCodec(codecsOf(media), stream.media);
      if (!codec) continue;
      stream.codec = toRtpCodec(codec);
      stream.payloadType = codec.payloadType;
      const direction = answerDirection(directionOf(media, doc.session));
      this.setDirection(stream, direction);
      this.setRemote(stream, media, doc.session);
      if (this.secure) {
        const remoteKey = this.remoteKey(media);
        if (remoteKey) {
          stream.localCrypto = { tag: remoteKey.tag, suite: remoteKey.suite, master: this.master() };
          this.keys(stream, remoteKey);
        }
      }
      lines.push(...this.sectionLines(stream, media.proto, direction, [codec], media));
    }
    this.remoteSdp = offer;
    this.localSdp = withRecvBandwidth(joinSdp(lines), this.options.recvBandwidth());
    this.start();
    return this.localSdp;
  }

  /** KMS as offerer: audio and video over RTP/AVPF (RTP/SAVPF with SDES), every codec it can carry. */
  async generateOffer({ offerToReceiveAudio = true, offerToReceiveVideo = true }: { offerToReceiveAudio?: boolean; offerToReceiveVideo?: boolean }): Promise<string> {
    const lines = this.sessionLines();
    const offered: string[] = [];
    for (const [kind, receive] of [
      ['AUDIO', offerToReceiveAudio],
      ['VIDEO', offerToReceiveVideo],
    ] as const) {
      const stream = await this.openStream(kind);
      const direction: Direction = receive ? 'sendrecv' : 'sendonly';
      this.setDirection(stream, direction);
      if (this.secure) stream.localCrypto = { tag: 1, suite: this.options.crypto?.suite ?? 'AES_CM_128_HMAC_SHA1_80', master: this.master() };
      const section = this.sectionLines(stream, this.secure ? 'RTP/SAVPF' : 'RTP/AVPF', direction, OFFER_CODECS[stream.media]);
      lines.push(...section);
      offered.push(...section);
    }
    this.localSdp = withRecvBandwidth(joinSdp(lines), this.options.recvBandwidth());
    this.offered = [...parseSdp(this.localSdp).media];
    return this.localSdp;
  }

  /** Applies the answer to our offer: codec, direction, remote address and keys of each section; port 0 stops one. */
  async processAnswer(answer: string): Promise<string> {
    const doc = parseSdp(answer);
    for (const ours of this.offered) {
      const kind: RtpKind = ours.kind === 'audio' ? 'AUDIO' : 'VIDEO';
      const stream = this.streams.get(kind);
      const theirs = doc.media[ours.index];
      if (!stream) continue;
      if (!theirs || theirs.port === 0 || theirs.kind !== ours.kind) {
        stream.close();
        this.streams.delete(kind);
        continue;
      }
      const offeredCodecs = codecsOf(ours);
      const chosen = theirs.formats.map((format) => offeredCodecs.find((codec) => String(codec.payloadType) === format)).find((codec) => codec !== undefined);
      if (!chosen) throw new Error(`the answer's ${ours.kind} formats ${theirs.formats.join(' ')} are none of those offered`);
      stream.codec = toRtpCodec(chosen);
      stream.payloadType = chosen.payloadType;
      this.setDirection(stream, answerDirection(directionOf(theirs, doc.session), stream.send && stream.receive ? 'sendrecv' : stream.send ? 'sendonly' : 'recvonly'));
      this.setRemote(stream, theirs, doc.session);
      if (this.secure) {
        const key = this.remoteKey(theirs);
        if (!key || key.tag !== stream.localCrypto?.tag) throw new Error(`the answer's ${ours.kind} has no usable a=crypto for tag ${stream.localCrypto?.tag ?? 1}`);
        this.keys(stream, key);
      }
    }
    this.remoteSdp = answer;
    this.start();
    return this.localSdp ?? '';
  }

  private sessionLines(): string[] {
    const ip = this.addresses.family === 'udp6' ? 'IP6' : 'IP4';
    return ['v=0', `o=- ${this.sessionVersion} ${this.sessionVersion} IN ${ip} ${this.addresses.announce}`, 's=Kurento Media Server', `c=IN ${ip} ${this.addresses.announce}`, 't=0 0'];
  }

  /** One m-section as KMS writes it: direction, a=rtcp, codecs (feedback only over AVPF), keys, mid if offered, SSRC. */
  private sectionLines(stream: RtpStream, proto: string, direction: Direction, codecs: readonly OfferedCodec[], offer?: SdpMedia): string[] {
    const lines = [`m=${stream.media} ${stream.port} ${proto} ${codecs.map((codec) => codec.payloadType).join(' ')}`, `a=${direction}`, `a=rtcp:${stream.rtcp.address().port}`];
    // COMEDIA accepted: KMS answers an offered a=direction:active with passive (it waits for the first packet).
    if (offer && stream.comedia) lines.push('a=direction:passive');
    const feedback = proto.endsWith('F') && stream.kind === 'VIDEO';
    for (const codec of codecs) {
      lines.push(`a=rtpmap:${codec.payloadType} ${codec.name}/${codec.clockRate}${codec.channels ? `/${codec.channels}` : ''}`);
      if (codec.parameters) lines.push(`a=fmtp:${codec.payloadType} ${codec.parameters}`);
      if (feedback) for (const value of VIDEO_FEEDBACK) if (value !== 'goog-remb' || codec.name.toUpperCase() !== 'H264') lines.push(`a=rtcp-fb:${codec.payloadType} ${value}`);
    }
    if (stream.localCrypto) lines.push(`a=crypto:${formatCrypto(stream.localCrypto)}`);
    const mid = offer ? attribute(offer.lines, 'mid') : undefined;
    if (mid !== undefined) lines.push(`a=mid:${mid}`);
    lines.push(`a=ssrc:${stream.ssrc} cname:${this.cname}`);
    return lines;
  }

  private setDirection(stream: RtpStream, direction: Direction): void {
    stream.send = direction === 'sendrecv' || direction === 'sendonly';
    stream.receive = direction === 'sendrecv' || direction === 'recvonly';
  }

  /** The remote's address and ports: c= and m=, a=rtcp when given; COMEDIA (`a=direction:active`) waits for packets. */
  private setRemote(stream: RtpStream, media: SdpMedia, session: readonly string[]): void {
    stream.comedia = attribute(media.lines, 'direction') === 'active';
    const address = connectionAddress(media, session);
    if (stream.comedia || !address || address === '0.0.0.0' || address === '::') return;
    const rtcpAttribute = attribute(media.lines, 'rtcp');
    const rtcpPort = rtcpAttribute !== undefined ? Number.parseInt(rtcpAttribute, 10) : media.port + 1;
    stream.remote = { address, rtpPort: media.port, rtcpPort: Number.isInteger(rtcpPort) && rtcpPort > 0 ? rtcpPort : media.port + 1 };
  }

  /** The first a=crypto of a section in the endpoint's suite (kms_rtp_endpoint_get_supported_key). */
  private remoteKey(media: SdpMedia): SdesCrypto | undefined {
    const suite = this.options.crypto?.suite;
    return attributes(media.lines, 'crypto').map(parseCrypto).find((crypto): crypto is SdesCrypto => crypto !== undefined && crypto.suite === suite);
  }

  private keys(stream: RtpStream, remote: SdesCrypto): void {
    const local = stream.localCrypto;
    if (!local) return;
    const limit = (): void => this.events.keySoftLimit(stream.kind);
    stream.srtpOut = new SrtpContext(local.suite, local.master, limit);
    stream.srtpIn = new SrtpContext(remote.suite, remote.master, limit);
  }

  private start(): void {
    if (this.closed) return;
    this.events.connected();
    this.rtcpTimer ??= setInterval(() => this.sendReports(), RTCP_INTERVAL_MS);
    this.rtcpTimer.unref();
  }

  // Media in -----------------------------------------------------------------------------------------------------------

  private onRtp(stream: RtpStream, data: Buffer, from: RemoteInfo): void {
    if (this.closed) return;
    if (isRtcp(data)) {
      this.onRtcp(stream, data, from);
      return;
    }
    let plain = data;
    if (stream.srtpIn) {
      try {
        plain = stream.srtpIn.unprotectRtp(data);
      } catch (error) {
        if (!(error instanceof SrtpError)) throw error;
        this.srtpFailures += 1;
        return;
      }
    } else if (this.secure) {
      return;
    }
    let packet: RtpPacket;
    try {
      packet = RtpPacket.deSerialize(plain);
    } catch {
      return;
    }
    const codec = stream.codec;
    if (!codec || packet.header.payloadType !== stream.payloadType) {
      stream.inbound.dropped += 1;
      return;
    }
    if (stream.comedia && !stream.remote) stream.remote = { address: from.address, rtpPort: from.port, rtcpPort: from.port + 1 };
    stream.remoteSsrc = packet.header.ssrc;
    stream.noteReceived(packet);
    this.events.rtp(stream.kind, packet, codec);
  }

  private onRtcp(stream: RtpStream, data: Buffer, from: RemoteInfo): void {
    if (this.closed) return;
    let plain = data;
    if (stream.srtpIn) {
      try {
        plain = stream.srtpIn.unprotectRtcp(data);
      } catch (error) {
        if (!(error instanceof SrtpError)) throw error;
        this.srtpFailures += 1;
        return;
      }
    }
    let packets: ReturnType<typeof RtcpPacketConverter.deSerialize>;
    try {
      packets = RtcpPacketConverter.deSerialize(plain);
    } catch {
      return;
    }
    if (stream.comedia && stream.remote && stream.remote.rtcpPort !== from.port && from.address === stream.remote.address) stream.remote.rtcpPort = from.port;
    this.heardRtcp();
    for (const packet of packets) {
      if (packet.type !== RtcpPayloadSpecificFeedback.type) continue;
      const feedback = (packet as RtcpPayloadSpecificFeedback).feedback as { count?: number; mediaSsrc?: number; fir?: Array<{ ssrc: number }> };
      const targets = feedback.count === 4 ? (feedback.fir ?? []).map((entry) => entry.ssrc) : feedback.count === 1 ? [feedback.mediaSsrc] : [];
      if (targets.includes(stream.ssrc)) this.events.keyframeRequest(stream.kind);
    }
  }

  private heardRtcp(): void {
    this.lastRtcp = Date.now();
    if (this.mediaConnected) return;
    this.mediaConnected = true;
    this.events.mediaState(true);
    this.mediaTimer = setInterval(() => {
      if (Date.now() - this.lastRtcp > MEDIA_STATE_TIMEOUT_MS && this.mediaConnected) {
        this.mediaConnected = false;
        this.events.mediaState(false);
        if (this.mediaTimer) clearInterval(this.mediaTimer);
        this.mediaTimer = undefined;
      }
    }, 1000);
    this.mediaTimer.unref();
  }

  // Media out ----------------------------------------------------------------------------------------------------------

  /** Sends one packet of `kind` to the remote; false when its codec is not the negotiated one (transcode or drop). */
  sendRtp(kind: RtpKind, packet: RtpPacket, codec: RtpCodec): boolean {
    const stream = this.streams.get(kind);
    if (!stream?.codec || this.closed) return false;
    if (!sameCodec(stream.codec, codec)) return false;
    if (!stream.send || !stream.remote) return true;
    const out = stream.rewriter.rewrite(packet);
    out.header.payloadType = stream.payloadType;
    let data: Buffer = out.serialize();
    if (stream.srtpOut) {
      try {
        data = stream.srtpOut.protectRtp(data);
      } catch (error) {
        this.events.failure(`SRTP: ${error instanceof Error ? error.message : String(error)}`);
        return true;
      }
    } else if (this.secure) {
      return true;
    }
    stream.outbound.packets += 1;
    stream.outbound.bytes += out.payload.length;
    stream.outbound.lastTimestamp = out.header.timestamp;
    stream.rtp.send(data, stream.remote.rtpPort, stream.remote.address);
    return true;
  }

  /** Asks the remote sender of `kind` for a key frame (RTCP PLI). */
  requestKeyframe(kind: RtpKind): boolean {
    const stream = this.streams.get(kind);
    if (!stream?.remote || stream.remoteSsrc === undefined) return false;
    const pli = new RtcpPayloadSpecificFeedback({ feedback: new PictureLossIndication({ senderSsrc: stream.ssrc, mediaSsrc: stream.remoteSsrc }) });
    this.sendRtcp(stream, pli.serialize());
    return true;
  }

  private sendReports(): void {
    for (const stream of this.streams.values()) {
      if (!stream.remote) continue;
      const reports =
        stream.remoteSsrc !== undefined
          ? [new RtcpReceiverInfo({ ssrc: stream.remoteSsrc, fractionLost: 0, packetsLost: 0, highestSequence: stream.inbound.highestSequence, jitter: 0, lsr: 0, dlsr: 0 })]
          : [];
      const packet =
        stream.outbound.packets > 0
          ? new RtcpSrPacket({
              ssrc: stream.ssrc,
              senderInfo: new RtcpSenderInfo({ ntpTimestamp: ntpNow(), rtpTimestamp: stream.outbound.lastTimestamp, packetCount: stream.outbound.packets, octetCount: stream.outbound.bytes }),
              reports,
            })
          : new RtcpRrPacket({ ssrc: stream.ssrc, reports });
      this.sendRtcp(stream, packet.serialize());
    }
  }

  private sendRtcp(stream: RtpStream, data: Buffer): void {
    const remote = stream.remote;
    if (!remote || this.closed) return;
    let out = data;
    if (stream.srtpOut) out = stream.srtpOut.protectRtcp(data);
    else if (this.secure) return;
    stream.rtcp.send(out, remote.rtcpPort, remote.address);
  }

  // Stats and life cycle -------------------------------------------------------------------------------------------------

  counters(kind: RtpKind): { inbound: RtpStream['inbound']; outbound: RtpStream['outbound']; ssrc: number; remoteSsrc: number | undefined } | undefined {
    const stream = this.streams.get(kind);
    return stream ? { inbound: stream.inbound, outbound: stream.outbound, ssrc: stream.ssrc, remoteSsrc: stream.remoteSsrc } : undefined;
  }

  get isMediaConnected(): boolean {
    return this.mediaConnected;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.rtcpTimer) clearInterval(this.rtcpTimer);
    if (this.mediaTimer) clearInterval(this.mediaTimer);
    for (const stream of this.streams.values()) stream.close();
    this.streams.clear();
  }
}

/** NTP time now (RFC 3550 SR), as werift's sender info takes it. */
function ntpNow(): bigint {
  const now = Date.now();
  const seconds = BigInt(Math.floor(now / 1000) + 2208988800);
  const fraction = BigInt(Math.floor(((now % 1000) / 1000) * 2 ** 32));
  return (seconds << 32n) | fraction;
}
