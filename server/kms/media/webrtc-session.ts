/**
 * One WebRtcEndpoint's WebRTC transport, on werift: SDP negotiation, ICE, DTLS-SRTP, RTP in and out, RTCP
 * keep-alive, data channels. It reports transport facts through `WebRtcSessionEvents`; the WebRtcEndpoint object
 * turns them into Kurento events. Nothing here is timed to look like KMS: every callback follows a werift state change
 * or a packet.
 *
 * Kurento behaviour reproduced on top of werift:
 * - ICE starts at gatherCandidates(), not at processOffer(): the local description is applied (and werift's gathering
 *   started) only then; remote candidates received earlier are kept and added afterwards (kmswebrtcsession.c).
 * - The SDP returned by processOffer/generateOffer carries no candidates (trickle ICE), and one codec per media type,
 *   the first of the offer that the server supports.
 * - Candidates are reported once per m-line (sdpMid/sdpMLineIndex of each), as KMS' bundled sessions do.
 */
import {
  CandidatePairState,
  MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  ReceiverEstimatedMaxBitrate,
  RtcpPayloadSpecificFeedback,
  type RTCDataChannel,
  type RTCRtpTransceiver,
  type RtpRouter,
  type RTCSessionDescription,
  type RtpPacket,
} from 'werift';
import os from 'node:os';
import { parseTurnUrl } from '../config';
import type { RtpCodec, RtpKind } from './graph';
import { installFastRtpClone } from './werift-fast-clone';
import { tuneGarbageCollector } from './gc-tuning';
import { installFastEvents } from './werift-fast-events';
import { installFastGcm } from './werift-fast-gcm';
import { fastRouting, installFastSrtpState } from './werift-fast-inbound';
import { installEarlyDtls } from './werift-dtls-early';
import { installFastRtpParse } from './werift-fast-parse';
import { installFastRtpHandling, installFastRtpReceive } from './werift-fast-receive';
import { installFastRtpSend, sendRtpNow } from './werift-fast-send';
import { installFastUdpLookup } from './werift-fast-udp';
import { installRtcpLoopGuard } from './werift-rtcp-loop';
import { installIceSocketBuffers } from './werift-socket-buffers';
import { installNoDefaultStun } from './werift-no-default-stun';
import { installTurnRefusal } from './werift-turn-refusal';
import { WEBRTC_DATA_PROTO, WEBRTC_RTP_PROTO, attribute, attributes, codecsOf, joinSdp, parseSdp, planAnswer, rejectedSection, type OfferedCodec, type SdpDocument, type SectionPlan } from './sdp';

tuneGarbageCollector();
installFastEvents();
installFastSrtpState();
installFastRtpClone();
installFastRtpParse();
installFastRtpReceive();
installFastRtpHandling();
installFastRtpSend();
installIceSocketBuffers();
installFastUdpLookup();
installRtcpLoopGuard();
installFastGcm();
installEarlyDtls();
// No STUN server configured means host candidates only, as in KMS (werift would ask Google's).
installNoDefaultStun();
// A TURN server's 401 to our credentials ends the allocation at once, as in KMS and browsers (werift waited 13 s).
installTurnRefusal();

export type IceComponentState = 'DISCONNECTED' | 'GATHERING' | 'CONNECTING' | 'CONNECTED' | 'READY' | 'FAILED';
export type DtlsState = 'NEW' | 'CLOSED' | 'FAILED' | 'CONNECTING' | 'CONNECTED';

export interface IceCandidateInit {
  candidate: string;
  sdpMid: string;
  sdpMLineIndex: number;
}

export interface WebRtcSessionEvents {
  candidate(candidate: IceCandidateInit): void;
  gatheringDone(): void;
  iceState(state: IceComponentState): void;
  selectedPair(local: string, remote: string): void;
  dtlsState(state: DtlsState): void;
  /** All ICE + DTLS connections up (true) or one of them lost (false). */
  connectionState(connected: boolean): void;
  /** RTCP heard from the remote peer (true) or silent for MEDIA_STATE_TIMEOUT_MS (false). */
  mediaState(connected: boolean): void;
  rtp(kind: RtpKind, packet: RtpPacket, codec: RtpCodec): void;
  /** The remote peer asked, by PLI or FIR, for a key frame of what we send it. */
  keyframeRequest(kind: RtpKind): void;
  dataChannelOpened(channelId: number): void;
  dataChannelClosed(channelId: number): void;
  dataMessage(channelId: number, data: Buffer | string): void;
  /** A failure with no better place to report (logged and raised as an Error event). */
  failure(description: string): void;
}

export interface IceSettings {
  stunServerAddress?: string;
  stunServerPort?: number;
  turnUrl?: string;
  externalIPv4?: string;
  networkInterfaces?: string;
  iceTcp?: boolean;
  minPort?: number;
  maxPort?: number;
  /** Who can reach this KMS: a loopback-only KMS gathers (and binds) loopback only. */
  reach?: 'loopback' | 'network';
}

export interface WebRtcSessionOptions {
  recvonly: boolean;
  sendonly: boolean;
  useDataChannels: boolean;
  ice: () => IceSettings;
  /** maxAudioRecvBandwidth / maxVideoRecvBandwidth as they are when the SDP is made. */
  recvBandwidth: () => RecvBandwidth;
}

/**
 * Where the endpoint's media sockets listen, and the host candidates they announce. KMS' networkInterfaces setting
 * (comma-separated interface names, as in WebRtcEndpoint.conf.ini) names the interfaces: their IPv4 addresses, loopback
 * only when `lo` is named. Unset, it follows who can reach this KMS: loopback only (the default) gathers and binds
 * 127.0.0.1 alone, so nothing on the network reaches a media port; a KMS reachable from the network (a workshop, a
 * KMS of a pool) gathers every IPv4 interface plus loopback (for a browser on the same machine). One address is bound
 * exactly; several share one wildcard socket per candidate (werift binds all of an agent's sockets alike).
 */
export function hostAddresses(
  setting: string | undefined,
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>,
  reach: 'loopback' | 'network' = 'network',
): { addresses: string[]; bind: string | undefined; unknown: string[] } {
  const names = (setting ?? '').split(/[\s,]+/).filter(Boolean);
  const unknown: string[] = [];
  let addresses: string[] = [];
  for (const name of names) {
    const ipv4 = (interfaces[name] ?? []).filter((info) => info.family === 'IPv4');
    if (ipv4.length === 0) unknown.push(name);
    for (const info of ipv4) addresses.push(info.address);
  }
  if (addresses.length === 0) {
    if (reach === 'loopback') {
      addresses = ['127.0.0.1'];
    } else {
      const external = Object.values(interfaces).flatMap((infos) => (infos ?? []).filter((info) => info.family === 'IPv4' && !info.internal).map((info) => info.address));
      addresses = [...external, '127.0.0.1'];
    }
  }
  addresses = [...new Set(addresses)];
  return { addresses, bind: addresses.length === 1 ? addresses[0] : undefined, unknown };
}

/** Video codecs the server negotiates, in its own preference when it makes the offer. */
const VIDEO_CODECS = ['VP8', 'H264', 'VP9'];
const AUDIO_CODECS = ['OPUS', 'PCMU', 'PCMA'];
const MEDIA_STATE_TIMEOUT_MS = 5000;

const VIDEO_FEEDBACK = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }, { type: 'goog-remb' }];


/** Whether a video section of `sdp` lists the RTCP feedback `type` (`a=rtcp-fb:<pt> <type>`, or `*`). */
function videoFeedback(sdp: string, type: string): boolean {
  let video = false;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) video = line.startsWith('m=video') && !line.startsWith('m=video 0 ');
    else if (video && line.startsWith('a=rtcp-fb:') && line.split(/\s+/)[1] === type) return true;
  }
  return false;
}

/** Reads the codecs of each m-line of an SDP: `{ audio: [...], video: [...] }` in offer order. */
export function parseSdpCodecs(sdp: string): Map<string, OfferedCodec[]> {
  const result = new Map<string, OfferedCodec[]>();
  let kind: string | undefined;
  let list: OfferedCodec[] = [];
  let fmtp = new Map<number, string>();
  const flush = (): void => {
    if (kind && !result.has(kind)) result.set(kind, list.map((codec) => ({ ...codec, parameters: fmtp.get(codec.payloadType) })));
  };
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      flush();
      kind = line.slice(2).split(' ')[0];
      list = [];
      fmtp = new Map();
      continue;
    }
    const rtpmap = /^a=rtpmap:(\d+) ([^/\s]+)\/(\d+)(?:\/(\d+))?/.exec(line);
    if (rtpmap) {
      const codec: OfferedCodec = { payloadType: Number(rtpmap[1]), name: String(rtpmap[2]), clockRate: Number(rtpmap[3]) };
      if (rtpmap[4]) codec.channels = Number(rtpmap[4]);
      list.push(codec);
    }
    const parameters = /^a=fmtp:(\d+) (.+)$/.exec(line.trim());
    if (parameters) fmtp.set(Number(parameters[1]), String(parameters[2]));
  }
  flush();
  return result;
}

function h264Acceptable(codec: OfferedCodec): boolean {
  const parameters = codec.parameters ?? '';
  // Packetization mode 1 with a baseline / constrained-baseline profile: what every browser can decode.
  return /packetization-mode=1/.test(parameters) && /profile-level-id=42/i.test(parameters);
}

/** The first codec of the offer that the server supports, for one media type. */
export function chooseCodec(offered: OfferedCodec[], kind: 'audio' | 'video'): OfferedCodec | undefined {
  const supported = kind === 'video' ? VIDEO_CODECS : AUDIO_CODECS;
  return offered.find((codec) => {
    const name = codec.name.toUpperCase();
    if (!supported.includes(name)) return false;
    if (name === 'H264') return h264Acceptable(codec);
    return true;
  });
}

function toWeriftCodec(kind: 'audio' | 'video', codec: OfferedCodec): RTCRtpCodecParameters {
  return new RTCRtpCodecParameters({
    mimeType: `${kind}/${codec.name}`,
    clockRate: codec.clockRate,
    channels: codec.channels,
    payloadType: codec.payloadType,
    parameters: codec.parameters,
    rtcpFeedback: kind === 'video' ? VIDEO_FEEDBACK : [],
  });
}

function defaultCodecs(): { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] } {
  return {
    audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111, parameters: 'minptime=10;useinbandfec=1' })],
    video: [
      new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96, rtcpFeedback: VIDEO_FEEDBACK }),
      new RTCRtpCodecParameters({
        mimeType: 'video/H264',
        clockRate: 90000,
        payloadType: 102,
        rtcpFeedback: VIDEO_FEEDBACK,
        parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
      }),
    ],
  };
}

/** Removes candidates from an SDP (KMS answers without them; they arrive through IceCandidateFound). */
export function stripCandidates(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') && line !== 'a=end-of-candidates')
    .join('\r\n');
}

/** Receive limits in kbps per media type; 0 = unlimited. */
export interface RecvBandwidth {
  audio: number;
  video: number;
}

/**
 * Writes KMS' receive limits into a local SDP the way KMS' SDP agent does: one `b=AS:<kbps>` in each accepted audio or
 * video m-section whose limit is above 0 (what the peer offered is not carried over), placed where RFC 8866 wants it,
 * after the section's i= and c= lines and before its attributes.
 */
export function withRecvBandwidth(sdp: string, limits: RecvBandwidth): string {
  const lines = sdp.split('\r\n');
  const out: string[] = [];
  let limit = 0;
  let pending = false;
  const flush = (): void => {
    if (pending && limit > 0) out.push(`b=AS:${limit}`);
    pending = false;
  };
  for (const line of lines) {
    if (line.startsWith('m=')) {
      flush();
      const [, media, port] = /^m=(\S+) (\d+)/.exec(line) ?? [];
      limit = port !== '0' && (media === 'audio' || media === 'video') ? limits[media] : 0;
      pending = limit > 0;
      out.push(line);
      continue;
    }
    if (pending && (line.startsWith('i=') || line.startsWith('c='))) {
      out.push(line);
      continue;
    }
    flush();
    if (limit > 0 && line.startsWith('b=AS:')) continue;
    out.push(line);
  }
  flush();
  return out.join('\r\n');
}

/**
 * Rejects every m-section of `media` in a local answer as KMS' SDP agent does for media it has no handler for (e.g.
 * m=application without useDataChannels): port 0, the offered protocol and formats, only the a=mid kept, and the mid
 * left out of the BUNDLE group.
 */
export function rejectMedia(sdp: string, media: string): string {
  const lines = sdp.split('\r\n');
  const rejectedMids: string[] = [];
  const out: string[] = [];
  let rejecting = false;
  for (const line of lines) {
    if (line.startsWith('m=')) {
      rejecting = line.startsWith(`m=${media} `);
      if (rejecting) {
        const [, , ...rest] = line.split(' ');
        out.push([`m=${media}`, '0', ...rest].join(' '));
        continue;
      }
    }
    if (rejecting) {
      const mid = /^a=mid:(\S+)/.exec(line);
      if (mid?.[1]) {
        rejectedMids.push(mid[1]);
        out.push(line);
      } else if (line === '') {
        out.push(line);
      }
      continue;
    }
    out.push(line);
  }
  return out
    .map((line) => {
      if (!line.startsWith('a=group:BUNDLE')) return line;
      const [head, ...mids] = line.split(' ');
      return [head, ...mids.filter((mid) => !rejectedMids.includes(mid))].join(' ');
    })
    .join('\r\n');
}

/** One offered section, as the WebRtcEndpoint answers it. */
export interface WebRtcSectionPlan extends SectionPlan {
  /** Its a=mid in the offer, if it had one. */
  readonly mid: string | undefined;
  /** The mid werift knows it by (the offered one, or one made up for a section without). */
  readonly weriftMid: string;
}

export interface WebRtcOfferPlan {
  readonly offer: SdpDocument;
  readonly sections: readonly WebRtcSectionPlan[];
  /** The offer werift negotiates: the accepted sections only, each with a mid; undefined when none is accepted. */
  readonly weriftOffer: string | undefined;
}

/** The mids of the BUNDLE group of an SDP. */
export function bundleOf(sdp: string): Set<string> {
  const group = attributes(parseSdp(sdp).session, 'group').find((value) => value.startsWith('BUNDLE'));
  return new Set(group ? group.split(/\s+/).slice(1) : []);
}

/**
 * Which sections of an offer a WebRtcEndpoint answers (KMS: an RTP/SAVPF handler per media type, an SCTP handler for
 * data with useDataChannels), and the offer werift gets for them. Offers without a=mid (old peers, hand-made SDP)
 * and sections werift cannot take (plain RTP/AVP, no common codec, port 0) are what this adds over werift, which
 * refuses such offers as a whole.
 */
export function planWebRtcOffer(offer: string, useDataChannels: boolean): WebRtcOfferPlan {
  const doc = parseSdp(offer);
  const plans = planAnswer(
    doc,
    (media) => {
      if (media.kind === 'audio' || media.kind === 'video') return WEBRTC_RTP_PROTO.test(media.proto);
      if (media.kind === 'application') return useDataChannels && WEBRTC_DATA_PROTO.test(media.proto);
      return false;
    },
    (media) => media.kind === 'application' || chooseCodec(codecsOf(media), media.kind === 'audio' ? 'audio' : 'video') !== undefined,
  );
  const used = new Set(doc.media.map((media) => attribute(media.lines, 'mid')).filter((mid): mid is string => mid !== undefined));
  const sections = plans.map((plan): WebRtcSectionPlan => {
    const mid = attribute(plan.media.lines, 'mid');
    let weriftMid = mid;
    if (weriftMid === undefined) {
      let n = plan.media.index;
      while (used.has(`kms${n}`)) n += 1;
      weriftMid = `kms${n}`;
      used.add(weriftMid);
    }
    return { ...plan, mid, weriftMid };
  });
  const accepted = sections.filter((section) => section.accepted);
  if (accepted.length === 0) return { offer: doc, sections, weriftOffer: undefined };
  const acceptedMids = new Set(accepted.map((section) => section.weriftMid));
  const lines: string[] = [];
  for (const line of doc.session) {
    if (!line.startsWith('a=group:BUNDLE')) {
      lines.push(line);
      continue;
    }
    const mids = line.split(/\s+/).slice(1).filter((mid) => acceptedMids.has(mid));
    if (mids.length > 0) lines.push(['a=group:BUNDLE', ...mids].join(' '));
  }
  for (const section of accepted) {
    const media = section.media;
    lines.push(`m=${media.kind} ${media.port} ${media.proto} ${media.formats.join(' ')}`, ...media.lines);
    if (section.mid === undefined) lines.push(`a=mid:${section.weriftMid}`);
  }
  return { offer: doc, sections, weriftOffer: joinSdp(lines) };
}

/**
 * The answer the peer gets: werift's answer to the accepted sections, in the offered order, with the rejected ones
 * between them as KMS writes them, and the mids werift needed but the offer did not have taken out again. Without any
 * accepted section there is no werift answer: a session header and the rejected sections.
 */
export function mergeWebRtcAnswer(plan: WebRtcOfferPlan, weriftAnswer: string | undefined): string[] {
  const synthetic = new Set(plan.sections.filter((section) => section.mid === undefined).map((section) => section.weriftMid));
  const answer = weriftAnswer ? parseSdp(weriftAnswer) : undefined;
  const lines: string[] = [];
  if (answer) {
    for (const line of answer.session) {
      if (!line.startsWith('a=group:BUNDLE')) {
        lines.push(line);
        continue;
      }
      const mids = line.split(/\s+/).slice(1).filter((mid) => !synthetic.has(mid));
      if (mids.length > 0) lines.push(['a=group:BUNDLE', ...mids].join(' '));
    }
  } else {
    const version = Math.floor(Date.now() / 1000) + 2208988800;
    lines.push('v=0', `o=- ${version} ${version} IN IP4 0.0.0.0`, 's=Kurento Media Server', 't=0 0');
  }
  let next = 0;
  for (const section of plan.sections) {
    if (!section.accepted) {
      lines.push(...rejectedSection(section.media));
      continue;
    }
    const answered = answer?.media[next];
    next += 1;
    if (!answered) {
      lines.push(...rejectedSection(section.media));
      continue;
    }
    // KMS answers in the protocol of the offer (kms_sdp_rtp_avp_media_handler_init_answer): RTP/SAVPF stays so.
    lines.push(`m=${answered.kind} ${answered.port} ${section.media.proto} ${answered.formats.join(' ')}`);
    lines.push(...answered.lines.filter((line) => !(section.mid === undefined && line === `a=mid:${section.weriftMid}`)));
  }
  return lines;
}

/** An answer whose sections carry no a=mid gets those of our offer, section by section (for werift). */
export function withOfferMids(answer: string, offer: string): string {
  const theirs = parseSdp(answer);
  const ours = parseSdp(offer).media;
  if (theirs.media.every((media) => attribute(media.lines, 'mid') !== undefined)) return answer;
  const lines = [...theirs.session];
  for (const media of theirs.media) {
    lines.push(`m=${media.kind} ${media.port} ${media.proto} ${media.formats.join(' ')}`, ...media.lines);
    const mid = attribute(ours[media.index]?.lines ?? [], 'mid');
    if (attribute(media.lines, 'mid') === undefined && mid !== undefined) lines.push(`a=mid:${mid}`);
  }
  return joinSdp(lines);
}

/**
 * werift's ICE servers from KMS' settings: stunServerAddress/stunServerPort, and turnURL
 * (`user:password@ip:port?transport=udp|tcp|tls`; TLS is a `turns:` URL for werift).
 */
export function iceServerConfig(ice: IceSettings): {
  iceServers: Array<{ urls: string; username?: string; credential?: string }>;
  turnTransport: 'udp' | 'tcp' | 'tls' | undefined;
} {
  const iceServers: Array<{ urls: string; username?: string; credential?: string }> = [];
  if (ice.stunServerAddress) iceServers.push({ urls: `stun:${ice.stunServerAddress}:${ice.stunServerPort ?? 3478}` });
  const turn = ice.turnUrl ? parseTurnUrl(ice.turnUrl) : undefined;
  if (turn) {
    const urls = turn.transport === 'tls' ? `turns:${turn.address}:${turn.port}?transport=tcp` : `turn:${turn.address}:${turn.port}?transport=${turn.transport}`;
    iceServers.push({ urls, username: turn.user, credential: turn.password });
  }
  return { iceServers, turnTransport: turn?.transport };
}

/**
 * A remote candidate learnt from a connectivity check (typ prflx) that the peer also signaled (trickled late, e.g. its
 * relay candidate) is named by the signaled line, as libnice updates a peer-reflexive remote candidate to the signaled
 * type (RFC 8445 §7.3.1.3); anything else is returned unchanged.
 */
export function signaledMatch(remote: string, signaled: readonly string[]): string {
  if (!/ typ prflx\b/.test(remote)) return remote;
  const endpoint = (line: string): string => {
    const parts = line.replace(/^(a=)?candidate:/, '').trim().split(/\s+/);
    return `${(parts[2] ?? '').toLowerCase()} ${parts[4] ?? ''} ${parts[5] ?? ''}`;
  };
  const wanted = endpoint(remote);
  return signaled.find((line) => endpoint(line) === wanted && !/ typ prflx\b/.test(line)) ?? remote;
}

/**
 * Whether a candidate pair no longer keeps ICE from concluding, once `nominated` is nominated. RFC 8445 §8.1.2: the
 * Waiting and Frozen pairs of the component are removed, and checks in progress on pairs of lower priority cease (one
 * of equal priority cannot beat it either). werift fails the Waiting and Frozen pairs there are at the nomination, but
 * a pair made by a remote candidate that comes later stays Waiting for ever, as no check runs after it (seen under
 * load: the peer's prflx pair succeeded before its signaled candidates arrived, and READY never came).
 */
export function pairConcluded(pair: { state: number; priority: number }, nominated: { priority: number }): boolean {
  if (pair.state === CandidatePairState.SUCCEEDED || pair.state === CandidatePairState.FAILED) return true;
  if (pair.state === CandidatePairState.WAITING || pair.state === CandidatePairState.FROZEN) return true;
  return pair.state === CandidatePairState.IN_PROGRESS && pair.priority <= nominated.priority;
}

function mapIceState(state: string): IceComponentState | undefined {
  switch (state) {
    case 'checking':
      return 'CONNECTING';
    case 'connected':
      return 'CONNECTED';
    case 'completed':
      return 'READY';
    case 'failed':
      return 'FAILED';
    case 'disconnected':
    case 'closed':
      return 'DISCONNECTED';
    default:
      return undefined;
  }
}

function mapDtlsState(state: string): DtlsState {
  switch (state) {
    case 'connecting':
      return 'CONNECTING';
    case 'connected':
      return 'CONNECTED';
    case 'failed':
      return 'FAILED';
    case 'closed':
      return 'CLOSED';
    default:
      return 'NEW';
  }
}

export type SessionRole = 'answerer' | 'offerer';

export interface TransportStats {
  inbound: Map<RtpKind, { packetsLost: number; jitter: number }>;
  outbound: Map<RtpKind, { roundTripTime: number; fractionLost: number; packetsLost: number }>;
  pairRoundTripTime: number | undefined;
}

export class WebRtcSession {
  private pc: RTCPeerConnection | undefined;
  private role: SessionRole | undefined;
  private localSdp: string | undefined;
  private remoteSdp: string | undefined;
  private localApplied = false;
  /** The description created by processOffer/generateOffer, applied to werift only when ICE may start. */
  private pendingAnswer: RTCSessionDescription | undefined;
  private pendingOffer: RTCSessionDescription | undefined;
  private gatheringRequested = false;
  private gatheringDoneReported = false;
  private readonly pendingRemoteCandidates: IceCandidateInit[] = [];
  /** Every remote candidate line signaled through addIceCandidate (to name a peer-reflexive match, as libnice does). */
  private readonly signaledRemote: string[] = [];
  /** The negotiated sections with a transport: their index and mid in the SDP the peer sees, and werift's mid. */
  private sections: Array<{ index: number; mid: string; weriftMid: string; weriftIndex: number }> = [];
  /** werift mids of the BUNDLE group of the negotiated session (empty: every section has its own transport). */
  private bundle = new Set<string>();
  /** Why offered sections were rejected, for the endpoint's log. */
  rejections: string[] = [];
  private readonly codecs = new Map<RtpKind, RtpCodec>();
  private readonly senders = new Map<RtpKind, RTCRtpTransceiver>();
  private readonly remoteSsrcs = new Map<RtpKind, number>();
  private iceState: IceComponentState = 'DISCONNECTED';
  private reachedConnected = false;
  private selectedPairKey = '';
  private dtlsConnected = false;
  private lastRtcp = 0;
  private mediaConnected = false;
  private mediaTimer: NodeJS.Timeout | undefined;
  private readonly channels = new Map<number, RTCDataChannel>();
  private closed = false;
  readonly counters = { rtpIn: 0, bytesIn: 0, pliIn: 0, firIn: 0, pliOut: 0, nackIn: 0 };
  /** RTP really handed to werift's sender per media kind (what outboundrtp reports; dropped packets are not in it). */
  readonly sent: Record<RtpKind, { packets: number; bytes: number }> = { AUDIO: { packets: 0, bytes: 0 }, VIDEO: { packets: 0, bytes: 0 } };

  constructor(private readonly options: WebRtcSessionOptions, private readonly events: WebRtcSessionEvents) {}

  get negotiated(): boolean {
    return this.localSdp !== undefined && this.remoteSdp !== undefined;
  }

  get localDescription(): string | undefined {
    return this.localSdp;
  }

  get remoteDescription(): string | undefined {
    return this.remoteSdp;
  }

  get hasOffered(): boolean {
    return this.role === 'offerer';
  }

  codec(kind: RtpKind): RtpCodec | undefined {
    return this.codecs.get(kind);
  }

  /** Whether this endpoint sends `kind` to its remote peer (negotiated and not recvonly on our side). */
  canSend(kind: RtpKind): boolean {
    return this.senders.has(kind);
  }

  private direction(): 'sendrecv' | 'recvonly' | 'sendonly' {
    if (this.options.recvonly) return 'recvonly';
    if (this.options.sendonly) return 'sendonly';
    return 'sendrecv';
  }

  private createPeerConnection(codecs: { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] }): RTCPeerConnection {
    const ice = this.options.ice();
    const { iceServers, turnTransport } = iceServerConfig(ice);
    const hosts = hostAddresses(ice.networkInterfaces, os.networkInterfaces(), ice.reach);
    if (hosts.unknown.length > 0) this.events.failure(`networkInterfaces names no IPv4 interface of this machine: ${hosts.unknown.join(', ')}`);
    const pc = new RTCPeerConnection({
      codecs,
      iceServers,
      // werift's own host-address discovery (every non-loopback interface) is off (iceUseIpv4 only feeds it): the
      // candidates are exactly these addresses, and with one address every socket is bound to it (udp4).
      iceAdditionalHostAddresses: hosts.addresses,
      icePortRange: ice.minPort && ice.maxPort && ice.maxPort > ice.minPort ? [ice.minPort, ice.maxPort] : undefined,
      iceUseIpv4: false,
      iceUseIpv6: false,
      iceUseTcp: ice.iceTcp ?? false,
      iceInterfaceAddresses: hosts.bind ? { udp4: hosts.bind } : undefined,
      turnTransport,
      bundlePolicy: 'max-bundle',
      headerExtensions: { audio: [], video: [] },
    });
    fastRouting((pc as unknown as { router: RtpRouter }).router);
    this.wire(pc);
    return pc;
  }

  private wire(pc: RTCPeerConnection): void {
    pc.onIceCandidate.subscribe((candidate) => {
      if (this.closed) return;
      if (!candidate) {
        this.reportGatheringDone();
        return;
      }
      const text = candidate.candidate ?? '';
      if (!text) return;
      const line = text.startsWith('candidate:') ? text : `candidate:${text}`;
      const external = this.options.ice().externalIPv4;
      const rewritten = external ? line.replace(/^(candidate:\S+ \d+ \S+ \d+ )(\S+)( \d+ typ host)/, `$1${external}$3`) : line;
      // A candidate belongs to the transport of one werift mid: with BUNDLE that transport carries every bundled
      // section (reported once per m-line, as KMS' bundled sessions do); without, only its own.
      const owner = candidate.sdpMid ?? '';
      const bundled = this.bundle.has(owner) || (this.bundle.size > 0 && owner === '');
      for (const section of this.sections) {
        if (bundled ? this.bundle.has(section.weriftMid) : section.weriftMid === owner || (owner === '' && this.sections.length === 1)) {
          this.events.candidate({ candidate: rewritten, sdpMid: section.mid, sdpMLineIndex: section.index });
        }
      }
    });
    pc.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') this.reportGatheringDone();
    });
    pc.iceConnectionStateChange.subscribe((state) => this.onIceState(state));
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected' && !this.dtlsConnected) {
        this.dtlsConnected = true;
        this.events.connectionState(true);
      } else if ((state === 'failed' || state === 'closed' || state === 'disconnected') && this.dtlsConnected) {
        this.dtlsConnected = false;
        this.events.connectionState(false);
      }
    });
    pc.onTransceiverAdded.subscribe((transceiver) => this.watchTransceiver(transceiver));
    pc.onRemoteTransceiverAdded.subscribe((transceiver) => this.watchTransceiver(transceiver));
    pc.onDataChannel.subscribe((channel) => this.watchChannel(channel));
  }

  private reportGatheringDone(): void {
    if (this.gatheringDoneReported || !this.gatheringRequested) return;
    this.gatheringDoneReported = true;
    this.events.gatheringDone();
  }

  private onIceState(state: string): void {
    if (this.closed) return;
    // werift reports a spurious "completed" when gathering ends, before any check: only READY after CONNECTED.
    if (state === 'completed' && !this.reachedConnected) return;
    const mapped = mapIceState(state);
    if (!mapped || mapped === this.iceState) return;
    if (mapped === 'CONNECTED' || mapped === 'READY') {
      this.reportSelectedPair();
      if (!this.reachedConnected && mapped === 'READY') {
        // werift may skip "connected" and go straight to "completed": KMS always reports CONNECTED first.
        this.reachedConnected = true;
        this.setIceState('CONNECTED');
      }
      this.reachedConnected = true;
    }
    this.setIceState(mapped);
  }

  private setIceState(state: IceComponentState): void {
    if (state === this.iceState) return;
    this.iceState = state;
    this.events.iceState(state);
    if (state === 'CONNECTED') this.watchForReady();
    else this.stopReadyWatch();
  }

  private readyTimer: NodeJS.Timeout | undefined;

  /**
   * werift has no post-check "completed" state, so READY (libnice: gathering done, checks concluded, a pair
   * selected) is read off the ICE agent: a nominated pair, local gathering finished, and every pair concluded.
   */
  private watchForReady(): void {
    this.stopReadyWatch();
    const check = (): void => {
      const connection = this.pc?.iceTransports[0]?.connection as
        | { nominated?: { priority: number }; localCandidatesEnd?: boolean; checkList?: Array<{ state: number; priority: number }> }
        | undefined;
      if (!connection || this.iceState !== 'CONNECTED') return;
      const nominated = connection.nominated;
      if (!nominated || !connection.localCandidatesEnd) return;
      if ((connection.checkList ?? []).every((pair) => pairConcluded(pair, nominated))) {
        this.reportSelectedPair();
        this.setIceState('READY');
      }
    };
    this.readyTimer = setInterval(check, 100);
    this.readyTimer.unref();
    check();
  }

  private stopReadyWatch(): void {
    if (this.readyTimer) clearInterval(this.readyTimer);
    this.readyTimer = undefined;
  }

  private reportSelectedPair(): void {
    const pair = this.pc?.iceTransports[0]?.getSelectedCandidatePair();
    if (!pair) return;
    const local = pair.local.candidate ?? '';
    const remote = signaledMatch(pair.remote.candidate ?? '', this.signaledRemote);
    const key = `${local}|${remote}`;
    if (!local || key === this.selectedPairKey) return;
    this.selectedPairKey = key;
    const prefix = (line: string): string => (line.startsWith('candidate:') ? line : `candidate:${line}`);
    this.events.selectedPair(prefix(local), prefix(remote));
  }

  private readonly watchedTransceivers = new WeakSet<RTCRtpTransceiver>();

  private watchTransceiver(transceiver: RTCRtpTransceiver): void {
    // werift announces remote transceivers through two events; subscribe once.
    if (this.watchedTransceivers.has(transceiver)) return;
    this.watchedTransceivers.add(transceiver);
    transceiver.onTrack.subscribe((track) => this.watchTrack(track));
  }

  private watchTrack(track: MediaStreamTrack): void {
    const kind: RtpKind = track.kind === 'audio' ? 'AUDIO' : 'VIDEO';
    track.onReceiveRtp.subscribe((packet) => {
      if (this.closed) return;
      const codec = this.codecs.get(kind);
      if (!codec) return;
      this.remoteSsrcs.set(kind, packet.header.ssrc);
      this.counters.rtpIn += 1;
      this.counters.bytesIn += packet.payload.length;
      this.events.rtp(kind, packet, codec);
    });
  }

  private watchDtls(pc: RTCPeerConnection): void {
    const dtls = pc.dtlsTransports[0];
    if (!dtls) return;
    let previous: DtlsState = 'NEW';
    dtls.onStateChange.subscribe((state) => {
      if (this.closed) return;
      const mapped = mapDtlsState(state);
      if (mapped === previous) return;
      previous = mapped;
      this.events.dtlsState(mapped);
    });
    // Without BUNDLE every section has its own DTLS transport: RTCP (PLI of the video, reports) comes on each. Their
    // states are reported as one connection, the first's (werift's connectionState above covers them all).
    for (const transport of pc.dtlsTransports) transport.onRtcp.subscribe((packet) => this.onRtcp(packet));
  }

  private onRtcp(packet: { type: number }): void {
    if (this.closed) return;
    this.lastRtcp = Date.now();
    if (!this.mediaConnected) {
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
    if (packet.type === RtcpPayloadSpecificFeedback.type) {
      const feedback = (packet as RtcpPayloadSpecificFeedback).feedback as { count?: number; mediaSsrc?: number; fir?: Array<{ ssrc: number }> };
      const isPli = feedback.count === 1;
      const isFir = feedback.count === 4;
      if (!isPli && !isFir) return;
      const targets = isFir ? (feedback.fir ?? []).map((entry) => entry.ssrc) : [feedback.mediaSsrc];
      for (const [kind, transceiver] of this.senders) {
        if (targets.includes(transceiver.sender.ssrc)) {
          if (isPli) this.counters.pliIn += 1;
          else this.counters.firIn += 1;
          this.events.keyframeRequest(kind);
        }
      }
    } else if (packet.type === 205) {
      this.counters.nackIn += 1;
    }
  }

  private watchChannel(channel: RTCDataChannel): void {
    const id = channel.id;
    const open = (): void => {
      this.channels.set(id, channel);
      this.events.dataChannelOpened(id);
    };
    if (channel.readyState === 'open') open();
    else channel.stateChanged.subscribe((state) => state === 'open' && open());
    channel.stateChanged.subscribe((state) => {
      if (state === 'closed' && this.channels.delete(id)) this.events.dataChannelClosed(id);
    });
    channel.onMessage.subscribe((data) => this.events.dataMessage(id, data));
  }

  /** The sections of an SDP werift made itself (our offer): its mids are the ones the peer sees. */
  private recordSections(sdp: string): void {
    const doc = parseSdp(sdp);
    this.sections = doc.media
      .filter((media) => media.port !== 0)
      .map((media) => ({ index: media.index, mid: attribute(media.lines, 'mid') ?? '', weriftMid: attribute(media.lines, 'mid') ?? '', weriftIndex: media.index }));
    this.bundle = bundleOf(sdp);
  }

  private recordCodecs(sdp: string): void {
    for (const media of parseSdp(sdp).media) {
      const kind = media.kind;
      // A rejected section (port 0) negotiates nothing.
      if ((kind !== 'audio' && kind !== 'video') || media.port === 0) continue;
      const first = codecsOf(media)[0];
      if (!first) continue;
      const codec: RtpCodec = { name: first.name, clockRate: first.clockRate };
      if (first.channels !== undefined) codec.channels = first.channels;
      if (first.parameters !== undefined) codec.parameters = first.parameters;
      this.codecs.set(kind === 'audio' ? 'AUDIO' : 'VIDEO', codec);
    }
  }

  private collectSenders(pc: RTCPeerConnection): void {
    for (const transceiver of pc.getTransceivers()) {
      const kind: RtpKind = transceiver.kind === 'audio' ? 'AUDIO' : 'VIDEO';
      const direction = transceiver.currentDirection ?? transceiver.direction;
      if (direction === 'sendrecv' || direction === 'sendonly') this.senders.set(kind, transceiver);
    }
  }

  /**
   * Answers a remote offer as KMS' SDP agent does (media/sdp.ts): each section werift can take (audio or video over
   * (UDP/TLS/)RTP/SAVPF with a supported codec, data with useDataChannels) is answered, anything else is rejected with
   * port 0. werift sees only the accepted sections, each with an a=mid (one is made up for a section that had none,
   * and taken out of the answer again). The answer is returned at once; ICE starts with gatherCandidates().
   */
  async processOffer(offer: string): Promise<string> {
    const plan = planWebRtcOffer(offer, this.options.useDataChannels);
    this.role = 'answerer';
    this.remoteSdp = offer;
    this.rejections = plan.sections.filter((section) => !section.accepted).map((section) => `${section.media.kind}: ${section.reason ?? 'rejected'}`);
    if (!plan.weriftOffer) {
      // Nothing the endpoint can take: every section is rejected and there is no transport at all.
      this.localSdp = joinSdp(mergeWebRtcAnswer(plan, undefined));
      this.sections = [];
      return this.localSdp;
    }
    const accepted = plan.sections.filter((section) => section.accepted);
    const chosen = (kind: 'audio' | 'video'): RTCRtpCodecParameters[] => {
      const media = accepted.find((section) => section.media.kind === kind)?.media;
      const codec = media ? chooseCodec(codecsOf(media), kind) : undefined;
      return codec ? [toWeriftCodec(kind, codec)] : [];
    };
    const pc = this.createPeerConnection({ audio: chosen('audio'), video: chosen('video') });
    this.pc = pc;
    await pc.setRemoteDescription({ type: 'offer', sdp: plan.weriftOffer });
    for (const transceiver of pc.getTransceivers()) {
      transceiver.setDirection(this.direction());
      if (!this.options.recvonly) {
        // A sending transceiver needs a track for werift to negotiate an SSRC; media is written with sendRtp().
        transceiver.sender.registerTrack(new MediaStreamTrack({ kind: transceiver.kind }));
      }
    }
    const answer = await pc.createAnswer();
    this.localSdp = withRecvBandwidth(joinSdp(mergeWebRtcAnswer(plan, stripCandidates(answer.sdp))), this.options.recvBandwidth());
    this.sections = accepted.map((section, weriftIndex) => ({ index: section.media.index, mid: section.mid ?? '', weriftMid: section.weriftMid, weriftIndex }));
    this.bundle = bundleOf(this.localSdp);
    this.recordCodecs(this.localSdp);
    this.pendingAnswer = answer;
    this.collectSenders(pc);
    return this.localSdp;
  }

  /** KMS as offerer: audio + video (+ data channel) in the server's codec preference. */
  async generateOffer({ offerToReceiveAudio = true, offerToReceiveVideo = true }: { offerToReceiveAudio?: boolean; offerToReceiveVideo?: boolean }): Promise<string> {
    const pc = this.createPeerConnection(defaultCodecs());
    this.pc = pc;
    this.role = 'offerer';
    const wanted: Array<['audio' | 'video', boolean]> = [
      ['audio', offerToReceiveAudio],
      ['video', offerToReceiveVideo],
    ];
    for (const [kind, receive] of wanted) {
      if (this.options.recvonly && !receive) continue;
      const direction = this.options.recvonly ? 'recvonly' : this.options.sendonly || !receive ? 'sendonly' : 'sendrecv';
      const transceiver = pc.addTransceiver(kind, { direction });
      if (!this.options.recvonly) transceiver.sender.registerTrack(new MediaStreamTrack({ kind }));
    }
    if (this.options.useDataChannels) pc.createDataChannel('kurento-labs-negotiation', { negotiated: false });
    const offer = await pc.createOffer();
    this.pendingOffer = offer;
    this.localSdp = withRecvBandwidth(stripCandidates(offer.sdp), this.options.recvBandwidth());
    this.recordSections(this.localSdp);
    return this.localSdp;
  }

  /** Applies the remote answer to our offer. */
  async processAnswer(answer: string): Promise<string> {
    const pc = this.pc;
    if (!pc || !this.pendingOffer) throw new Error('no offer was generated');
    await this.applyLocal();
    // A peer that does not use mids (they are answered only when offered, but some answer without them) gets ours,
    // section by section, so that werift can match its sections.
    await pc.setRemoteDescription({ type: 'answer', sdp: withOfferMids(answer, this.localSdp ?? '') });
    this.remoteSdp = answer;
    this.recordCodecs(answer);
    this.collectSenders(pc);
    await this.flushRemoteCandidates();
    return this.localSdp ?? '';
  }

  private async applyLocal(): Promise<void> {
    const pc = this.pc;
    if (!pc || this.localApplied) return;
    const description = this.pendingAnswer ?? this.pendingOffer;
    if (!description) return;
    this.localApplied = true;
    await pc.setLocalDescription(description);
    this.watchDtls(pc);
  }

  /** Starts ICE: applies the local description (werift gathers then), then the remote candidates kept so far. */
  async gatherCandidates(): Promise<void> {
    // Every offered section rejected: no ICE stream to gather for.
    if (this.gatheringRequested || !this.pc) return;
    this.gatheringRequested = true;
    this.setIceState('GATHERING');
    // setStunServerAddress/setStunServerPort/setTurnUrl may come after processOffer/generateOffer, as long as they come
    // before gatherCandidates (as in KMS): hand werift the servers as they are now. It applies them to the transports
    // that have not gathered yet, which is all of them until applyLocal() below.
    if (this.pc && !this.localApplied) this.pc.setConfiguration(iceServerConfig(this.options.ice()));
    await this.applyLocal();
    if (this.pc?.iceGatheringState === 'complete') this.reportGatheringDone();
    await this.flushRemoteCandidates();
  }

  async addIceCandidate(candidate: IceCandidateInit): Promise<void> {
    if (candidate.candidate.trim() === '') return; // end-of-candidates: KMS ignores it
    this.signaledRemote.push(candidate.candidate);
    this.pendingRemoteCandidates.push(candidate);
    await this.flushRemoteCandidates();
  }

  private async flushRemoteCandidates(): Promise<void> {
    const pc = this.pc;
    if (!pc || !this.gatheringRequested || !this.localApplied || !pc.remoteDescription) return;
    while (this.pendingRemoteCandidates.length > 0) {
      const candidate = this.pendingRemoteCandidates.shift();
      if (!candidate) break;
      const target = this.weriftTarget(candidate);
      if (!target) {
        // A candidate for a section that was rejected (or does not exist): that section has no ICE stream.
        continue;
      }
      if (this.iceState === 'GATHERING') this.setIceState('CONNECTING');
      await pc.addIceCandidate({ candidate: candidate.candidate, sdpMid: target.sdpMid, sdpMLineIndex: target.sdpMLineIndex });
    }
  }

  /**
   * The section of werift's session a remote candidate belongs to: by its sdpMid when the peer uses mids, else by its
   * sdpMLineIndex (KMS' own way for sections without a=mid).
   */
  private weriftTarget(candidate: IceCandidateInit): { sdpMid: string; sdpMLineIndex: number } | undefined {
    const byMid = candidate.sdpMid ? this.sections.find((section) => section.mid === candidate.sdpMid) : undefined;
    const section = byMid ?? this.sections.find((entry) => entry.index === candidate.sdpMLineIndex);
    if (!section) return undefined;
    return { sdpMid: section.weriftMid, sdpMLineIndex: section.weriftIndex };
  }

  /**
   * Sends one RTP packet of `kind` to the remote peer. Returns false when the packet's codec is not the negotiated
   * one (the caller decides: transcode, or count it as dropped).
   */
  sendRtp(kind: RtpKind, packet: RtpPacket, codec: RtpCodec): boolean {
    const transceiver = this.senders.get(kind);
    const negotiated = this.codecs.get(kind);
    if (!transceiver || !negotiated || this.closed) return false;
    if (!sameCodec(negotiated, codec)) return false;
    this.sent[kind].packets += 1;
    this.sent[kind].bytes += packet.payload.length;
    // werift's sender clones the packet before it rewrites SSRC, payload type, sequence number, timestamp and header
    // extensions: the packet shared by every sink of a fan-out is never modified, and needs no copy here.
    sendRtpNow(transceiver.sender, packet);
    return true;
  }

  /** A new source starts feeding `kind`: keep sequence numbers and timestamps continuous for the receiver. */
  markSourceChange(kind: RtpKind): void {
    const transceiver = this.senders.get(kind);
    transceiver?.sender.replaceRTP({ sequenceNumber: 0, timestamp: 0 }, true);
  }

  /** Asks the remote sender of `kind` for a key frame (RTCP PLI). */
  requestKeyframe(kind: RtpKind): boolean {
    const ssrc = this.remoteSsrcs.get(kind);
    const transceiver = this.pc?.getTransceivers().find((t) => (t.kind === 'audio' ? 'AUDIO' : 'VIDEO') === kind);
    if (ssrc === undefined || !transceiver) return false;
    this.counters.pliOut += 1;
    void transceiver.receiver.sendRtcpPLI(ssrc).catch(() => undefined);
    return true;
  }

  /**
   * The browser's video SSRC a REMB applies to, when both SDPs list goog-remb for video (undefined otherwise, or
   * before the first video packet arrived).
   */
  rembTarget(): number | undefined {
    if (this.closed || !this.remoteSdp || !this.localSdp) return undefined;
    // Both descriptions are set once per endpoint: read them once, not at every REMB.
    if (this.rembNegotiated?.remote !== this.remoteSdp || this.rembNegotiated.local !== this.localSdp) {
      const negotiated = videoFeedback(this.remoteSdp, 'goog-remb') && videoFeedback(this.localSdp, 'goog-remb');
      this.rembNegotiated = { remote: this.remoteSdp, local: this.localSdp, negotiated };
    }
    return this.rembNegotiated.negotiated ? this.remoteSsrcs.get('VIDEO') : undefined;
  }

  private rembNegotiated: { remote: string; local: string; negotiated: boolean } | undefined;

  /** Sends the browser an RTCP REMB (PSFB, FMT 15) of `bitrate` bps for its video stream `ssrc`. */
  sendRemb(ssrc: number, bitrate: number): boolean {
    const transceiver = this.pc?.getTransceivers().find((t) => t.kind === 'video');
    if (!transceiver || this.closed) return false;
    // Mantissa of 18 bits, exponent of 6: the largest exponent that keeps the mantissa exact enough.
    let exponent = 0;
    let mantissa = Math.max(0, Math.round(bitrate));
    while (mantissa >= 1 << 18) {
      mantissa = Math.floor(mantissa / 2);
      exponent += 1;
    }
    const remb = new ReceiverEstimatedMaxBitrate({
      senderSsrc: transceiver.receiver.rtcpSsrc,
      mediaSsrc: 0,
      ssrcNum: 1,
      brExp: exponent,
      brMantissa: mantissa,
      bitrate: BigInt(mantissa) << BigInt(exponent),
      ssrcFeedbacks: [ssrc],
    });
    void transceiver.receiver.dtlsTransport.sendRtcp([new RtcpPayloadSpecificFeedback({ feedback: remb })]).catch(() => undefined);
    return true;
  }

  createDataChannel(options: { label: string; ordered: boolean; maxPacketLifeTime: number; maxRetransmits: number; protocol: string }): void {
    const pc = this.pc;
    if (!pc) throw new Error('the endpoint has not negotiated a session yet');
    const channel = pc.createDataChannel(options.label, {
      ordered: options.ordered,
      maxPacketLifeTime: options.maxPacketLifeTime >= 0 ? options.maxPacketLifeTime : undefined,
      maxRetransmits: options.maxRetransmits >= 0 ? options.maxRetransmits : undefined,
      protocol: options.protocol,
    });
    this.watchChannel(channel);
  }

  closeDataChannel(channelId: number): boolean {
    const channel = this.channels.get(channelId);
    if (!channel) return false;
    channel.close();
    return true;
  }

  sendData(data: Buffer | string, channelId?: number): number {
    let sent = 0;
    for (const [id, channel] of this.channels) {
      if (channelId !== undefined && id !== channelId) continue;
      if (channel.readyState !== 'open') continue;
      channel.send(data);
      sent += 1;
    }
    return sent;
  }

  /** Whether the negotiated session has a data section both sides accepted (KMS: the session has an SCTP data session). */
  get dataChannelsNegotiated(): boolean {
    const accepted = (sdp: string | undefined): boolean => sdp !== undefined && /^m=application [1-9]/m.test(sdp);
    return this.pc !== undefined && accepted(this.localSdp) && accepted(this.remoteSdp);
  }

  /** RTP payload bytes sent, both media kinds. */
  get bytesSent(): number {
    return this.sent.AUDIO.bytes + this.sent.VIDEO.bytes;
  }

  get openChannelCount(): number {
    return this.channels.size;
  }

  get selectedPair(): { local: string; remote: string } | undefined {
    const [local, remote] = this.selectedPairKey.split('|');
    return local && remote ? { local, remote } : undefined;
  }

  get currentIceState(): IceComponentState {
    return this.iceState;
  }

  get isDtlsConnected(): boolean {
    return this.dtlsConnected;
  }

  get isMediaConnected(): boolean {
    return this.mediaConnected;
  }

  senderSsrc(kind: RtpKind): number | undefined {
    return this.senders.get(kind)?.sender.ssrc;
  }

  remoteSsrc(kind: RtpKind): number | undefined {
    return this.remoteSsrcs.get(kind);
  }

  localCandidates(): string[] {
    return (this.pc?.iceTransports[0]?.getLocalCandidates() ?? []).map((candidate) => candidate.candidate ?? '').filter(Boolean);
  }

  remoteCandidates(): string[] {
    return (this.pc?.iceTransports[0]?.getRemoteCandidates() ?? []).map((candidate) => candidate.candidate ?? '').filter(Boolean);
  }

  /** Loss, jitter and round-trip time as werift measured them from RTCP, per media type. */
  async transportStats(): Promise<TransportStats> {
    const result: TransportStats = { inbound: new Map(), outbound: new Map(), pairRoundTripTime: undefined };
    const pc = this.pc;
    if (!pc) return result;
    const report = await pc.getStats().catch(() => undefined);
    if (!report) return result;
    for (const stat of report.values()) {
      const record = stat as unknown as Record<string, unknown>;
      const kind: RtpKind | undefined = record.kind === 'audio' ? 'AUDIO' : record.kind === 'video' ? 'VIDEO' : undefined;
      if (stat.type === 'inbound-rtp' && kind) {
        result.inbound.set(kind, { packetsLost: Number(record.packetsLost ?? 0), jitter: Number(record.jitter ?? 0) });
      } else if (stat.type === 'remote-inbound-rtp' && kind) {
        result.outbound.set(kind, { roundTripTime: Number(record.roundTripTime ?? 0), fractionLost: Number(record.fractionLost ?? 0), packetsLost: Number(record.packetsLost ?? 0) });
      } else if (stat.type === 'candidate-pair' && record.nominated) {
        result.pairRoundTripTime = Number(record.currentRoundTripTime ?? 0);
      }
    }
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.mediaTimer) clearInterval(this.mediaTimer);
    this.mediaTimer = undefined;
    this.stopReadyWatch();
    const pc = this.pc;
    this.pc = undefined;
    if (pc) await pc.close().catch(() => undefined);
  }
}

/** Whether RTP of `codec` can be forwarded unchanged to a receiver that negotiated `negotiated`. */
export function sameCodec(negotiated: RtpCodec, codec: RtpCodec): boolean {
  // Called for every packet forwarded: the names are compared without making upper-case copies when they are equal.
  if (negotiated.clockRate !== codec.clockRate) return false;
  if (negotiated.name !== codec.name && negotiated.name.toUpperCase() !== codec.name.toUpperCase()) return false;
  if (/^h264$/i.test(negotiated.name)) {
    const mode = (parameters: string | undefined): string => /packetization-mode=(\d)/.exec(parameters ?? '')?.[1] ?? '0';
    return mode(negotiated.parameters) === mode(codec.parameters);
  }
  return true;
}
