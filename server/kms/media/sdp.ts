/**
 * SDP as KMS' SDP agent reads and writes it (kmssdpagent.c and its media handlers), for both kinds of SdpEndpoint:
 *
 * - an offer is split into its m-sections; each one is answered by the handler of its media type when that handler
 *   manages the section's protocol, and rejected otherwise (port 0, the offered protocol and formats kept, and its
 *   a=mid when it had one: kmssdprejectmediahandler.c). So is a section offered with port 0, and a second section of a
 *   media type that already has one (KMS: "Cannot handle media … (multiple m= lines?)").
 * - WebRtcEndpoint manages (UDP/TLS/)RTP/SAVP(F) for audio and video and DTLS/SCTP for data; RtpEndpoint manages
 *   RTP/AVP and RTP/AVPF, or RTP/SAVP(F) with SDES keys (kmsrtpendpoint.c).
 * - a=mid is answered only when offered (kmssdpmidext.c: "Remote agent does not support groups"); without mids there is
 *   no BUNDLE group, and every section has its transport.
 *
 * Everything here is text in, text out, with no network, so that it can be checked on its own.
 */

export interface SdpMedia {
  /** Position among the m-sections (sdpMLineIndex). */
  readonly index: number;
  readonly kind: string;
  readonly port: number;
  readonly proto: string;
  readonly formats: readonly string[];
  /** Every line of the section after its m= line. */
  readonly lines: readonly string[];
}

export interface SdpDocument {
  /** The session-level lines (v=, o=, s=, c=, t=, a=…), before the first m= line. */
  readonly session: readonly string[];
  readonly media: readonly SdpMedia[];
}

/** Splits an SDP into its session part and its m-sections (CRLF or LF line ends, empty lines dropped). */
export function parseSdp(sdp: string): SdpDocument {
  const session: string[] = [];
  const media: SdpMedia[] = [];
  let current: { index: number; kind: string; port: number; proto: string; formats: string[]; lines: string[] } | undefined;
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line === '') continue;
    if (line.startsWith('m=')) {
      const [kind = '', port = '0', proto = '', ...formats] = line.slice(2).split(/\s+/);
      current = { index: media.length, kind, port: Number.parseInt(port, 10) || 0, proto, formats, lines: [] };
      media.push(current);
      continue;
    }
    if (current) current.lines.push(line);
    else session.push(line);
  }
  return { session, media };
}

/** The value of the first `a=<name>:<value>` (or `a=<name>` → '') of a list of lines, if any. */
export function attribute(lines: readonly string[], name: string): string | undefined {
  for (const line of lines) {
    if (line === `a=${name}`) return '';
    if (line.startsWith(`a=${name}:`)) return line.slice(name.length + 3);
  }
  return undefined;
}

/** Every value of `a=<name>:<value>` in a list of lines. */
export function attributes(lines: readonly string[], name: string): string[] {
  return lines.filter((line) => line.startsWith(`a=${name}:`)).map((line) => line.slice(name.length + 3));
}

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** The direction of a section (its own attribute, else the session's, else sendrecv, as RFC 4566 says). */
export function directionOf(media: SdpMedia, session: readonly string[] = []): Direction {
  const find = (lines: readonly string[]): Direction | undefined =>
    lines.map((line) => line.slice(2)).find((value): value is Direction => value === 'sendrecv' || value === 'sendonly' || value === 'recvonly' || value === 'inactive');
  return find(media.lines) ?? find(session) ?? 'sendrecv';
}

/** The direction an answer takes for an offered one: what the remote sends we receive, and the other way round. */
export function answerDirection(offered: Direction, local: Direction = 'sendrecv'): Direction {
  const remoteSends = offered === 'sendrecv' || offered === 'sendonly';
  const remoteReceives = offered === 'sendrecv' || offered === 'recvonly';
  const weSend = remoteReceives && (local === 'sendrecv' || local === 'sendonly');
  const weReceive = remoteSends && (local === 'sendrecv' || local === 'recvonly');
  if (weSend && weReceive) return 'sendrecv';
  if (weSend) return 'sendonly';
  if (weReceive) return 'recvonly';
  return 'inactive';
}

/** The connection address of a section (its own c= line, else the session's). */
export function connectionAddress(media: SdpMedia, session: readonly string[]): string | undefined {
  const read = (lines: readonly string[]): string | undefined => {
    const line = lines.find((candidate) => candidate.startsWith('c='));
    return line ? line.split(/\s+/)[2]?.split('/')[0] : undefined;
  };
  return read(media.lines) ?? read(session);
}

export interface OfferedCodec {
  payloadType: number;
  name: string;
  clockRate: number;
  channels?: number;
  parameters?: string;
}

/**
 * Static payload types an offer may use without an a=rtpmap (RFC 3551 table 4 and 5), for the codecs the server can
 * handle: PCMU, PCMA (and G722, which it cannot, so it is left out).
 */
const STATIC_PAYLOAD_TYPES: Record<number, { name: string; clockRate: number; channels?: number; kind: string }> = {
  0: { name: 'PCMU', clockRate: 8000, kind: 'audio' },
  8: { name: 'PCMA', clockRate: 8000, kind: 'audio' },
};

/** The codecs of one section, in the order of its m= line (rtpmap, or the static payload types). */
export function codecsOf(media: SdpMedia): OfferedCodec[] {
  const maps = new Map<number, OfferedCodec>();
  const fmtp = new Map<number, string>();
  for (const line of media.lines) {
    const rtpmap = /^a=rtpmap:(\d+) ([^/\s]+)\/(\d+)(?:\/(\d+))?/.exec(line);
    if (rtpmap) {
      const codec: OfferedCodec = { payloadType: Number(rtpmap[1]), name: String(rtpmap[2]), clockRate: Number(rtpmap[3]) };
      if (rtpmap[4]) codec.channels = Number(rtpmap[4]);
      maps.set(codec.payloadType, codec);
    }
    const parameters = /^a=fmtp:(\d+) (.+)$/.exec(line.trim());
    if (parameters) fmtp.set(Number(parameters[1]), String(parameters[2]));
  }
  const result: OfferedCodec[] = [];
  for (const format of media.formats) {
    const payloadType = Number.parseInt(format, 10);
    if (!Number.isInteger(payloadType)) continue;
    const known = maps.get(payloadType);
    const fixed = STATIC_PAYLOAD_TYPES[payloadType];
    const codec: OfferedCodec | undefined = known ? { ...known } : fixed && fixed.kind === media.kind ? { payloadType, name: fixed.name, clockRate: fixed.clockRate } : undefined;
    if (!codec) continue;
    const parameters = fmtp.get(payloadType);
    if (parameters !== undefined) codec.parameters = parameters;
    result.push(codec);
  }
  return result;
}

/**
 * A rejected section as KMS' reject handler writes it: `m=<media> 0 <offered proto> <offered formats>` (formats kept so
 * that the line stays valid: Kurento/bugtracker#627), with only its a=mid, if it had one.
 */
export function rejectedSection(media: SdpMedia): string[] {
  const formats = media.formats.length > 0 ? media.formats : ['0'];
  const mid = attribute(media.lines, 'mid');
  return [`m=${media.kind} 0 ${media.proto} ${formats.join(' ')}`, ...(mid !== undefined ? [`a=mid:${mid}`] : [])];
}

/** Joins SDP lines with CRLF, with the final CRLF RFC 4566 wants. */
export function joinSdp(lines: readonly string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

/** The protocols each kind of SdpEndpoint manages (kms_sdp_*_media_handler_manage_protocol). */
export const WEBRTC_RTP_PROTO = /^(UDP\/TLS\/)?RTP\/SAVPF?$/;
export const WEBRTC_DATA_PROTO = /^(UDP\/|TCP\/)?DTLS\/SCTP$/;
export const PLAIN_RTP_PROTO = /^RTP\/AVPF?$/;
export const SECURE_RTP_PROTO = /^RTP\/SAVPF?$/;

/** How one offered section is answered. */
export interface SectionPlan {
  readonly media: SdpMedia;
  readonly accepted: boolean;
  /** Why a section was rejected (for logs). */
  readonly reason?: string;
}

/**
 * Decides, section by section, which offered media an endpoint answers: port 0 and unmanaged protocols are rejected,
 * so is a second section of a media type (one handler per type), and so is a section none of whose codecs `usable`
 * accepts.
 */
export function planAnswer(
  offer: SdpDocument,
  manages: (media: SdpMedia) => boolean,
  usable: (media: SdpMedia) => boolean,
): SectionPlan[] {
  const taken = new Set<string>();
  return offer.media.map((media) => {
    if (media.port === 0) return { media, accepted: false, reason: 'offered with port 0' };
    if (!manages(media)) return { media, accepted: false, reason: `no handler for ${media.kind} over ${media.proto}` };
    if (taken.has(media.kind)) return { media, accepted: false, reason: `a second ${media.kind} section (one per media type)` };
    if (!usable(media)) return { media, accepted: false, reason: `no supported codec among ${media.formats.join(' ')}` };
    taken.add(media.kind);
    return { media, accepted: true };
  });
}
