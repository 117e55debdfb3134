/**
 * The pure parts of the RTP gateway application server (rtp-gateway.ts): the SDP it writes for ffmpeg's side, what it
 * reads from KMS' SDP (where ffmpeg must send, which payload type to record), the ffmpeg and ffprobe argument lists it
 * builds itself, and ffprobe's answer. Nothing here comes from the browser: addresses and ports come from the SDP KMS
 * negotiated, and only when they are this machine's own; file names are made by the server.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';

/**
 * The test pattern ffmpeg sends: rgbtestsrc, three full-width bands (red, green, blue from the top), wide enough for
 * the lab to check each band's colour where it must be.
 */
export const SENDER_PICTURE = { size: '320x240', rate: 30 } as const;
/** The SRTP suite of the sender, in ffmpeg's and SDES' spelling (KMS' AES_128_CM_HMAC_SHA1_80). */
export const SRTP_SUITE = 'AES_CM_128_HMAC_SHA1_80';
/** The dynamic payload type the sender's offer gives VP8. */
export const SENDER_PAYLOAD_TYPE = 96;

/** One m= section of an SDP: its kind, port, protocol, formats and the attribute lines under it. */
export interface SdpSection {
  kind: string;
  port: number;
  proto: string;
  formats: string[];
  lines: string[];
}

/** The session-level c= address and the media sections of an SDP. */
export function parseSections(sdp: string): { address: string | undefined; sections: SdpSection[] } {
  let address: string | undefined;
  const sections: SdpSection[] = [];
  for (const line of sdp.split(/\r?\n/)) {
    const media = /^m=(\w+) (\d+)(?:\/\d+)? (\S+)((?: \S+)*)$/.exec(line);
    if (media) {
      sections.push({ kind: media[1] ?? '', port: Number(media[2]), proto: media[3] ?? '', formats: (media[4] ?? '').trim().split(' ').filter(Boolean), lines: [] });
      continue;
    }
    const current = sections[sections.length - 1];
    const connection = /^c=IN IP[46] (\S+)/.exec(line);
    if (connection) {
      if (current) current.lines.push(line);
      else address = connection[1];
      continue;
    }
    if (current && line.startsWith('a=')) current.lines.push(line);
  }
  return { address, sections };
}

/** Every address of this machine's interfaces (loopback included). */
export function localAddresses(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): Set<string> {
  const addresses = new Set(['127.0.0.1', '::1']);
  for (const infos of Object.values(interfaces)) for (const info of infos ?? []) addresses.add(info.address);
  return addresses;
}

/** The offer the application server makes for ffmpeg the sender: VP8 only, COMEDIA, SRTP with `key` when given. */
export function senderOffer(key?: string): string {
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=ffmpeg sender (Kurento Labs RTP gateway)',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    // Port 9 (discard) and a=direction:active: COMEDIA, KMS learns ffmpeg's address and port from its first packet.
    `m=video 9 ${key ? 'RTP/SAVP' : 'RTP/AVP'} ${SENDER_PAYLOAD_TYPE}`,
    `a=rtpmap:${SENDER_PAYLOAD_TYPE} VP8/90000`,
    ...(key ? [`a=crypto:1 ${SRTP_SUITE} inline:${key}`] : []),
    'a=sendonly',
    'a=direction:active',
    '',
  ].join('\r\n');
}

/** A random SDES master key and salt (30 bytes) in base64, for the sender's a=crypto and ffmpeg's srtp_out_params. */
export function randomSrtpKey(): string {
  return randomBytes(30).toString('base64');
}

export interface RtpTarget {
  address: string;
  rtpPort: number;
  rtcpPort: number;
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1024 && port <= 65535;
}

/**
 * Where ffmpeg sends, from KMS' answer to the sender's offer: the video section's c= (or the session's) and its ports.
 * Refused unless the address is one of this machine's (`local`): ffmpeg only ever sends to the KMS the server uses, and
 * only when that KMS runs here.
 */
export function senderTarget(answer: string, local: ReadonlySet<string>): RtpTarget {
  const { address, sections } = parseSections(answer);
  const video = sections.find((section) => section.kind === 'video');
  if (!video || video.port === 0) throw new Error('KMS rejected the video of the sender\'s offer (port 0 in its answer)');
  const own = video.lines.map((line) => /^c=IN IP[46] (\S+)/.exec(line)?.[1]).find(Boolean) ?? address;
  if (!own) throw new Error('KMS\' answer names no address (c=)');
  if (!local.has(own)) throw new Error(`KMS answered with the address ${own}, which is not this machine's: the RTP gateway runs ffmpeg here and sends only to a KMS on this machine`);
  const rtcp = video.lines.map((line) => /^a=rtcp:(\d+)/.exec(line)?.[1]).find(Boolean);
  const rtcpPort = rtcp ? Number(rtcp) : video.port + 1;
  if (!validPort(video.port) || !validPort(rtcpPort)) throw new Error(`KMS answered with ports ${video.port}/${rtcpPort}, outside 1024-65535`);
  return { address: own, rtpPort: video.port, rtcpPort };
}

/** ffmpeg, the sender: the RGB test pattern encoded in VP8 and sent to `target` (RTP, or SRTP with `key`) for at most `seconds`. */
export function senderArgs(target: RtpTarget, seconds: number, key?: string): string[] {
  const host = target.address.includes(':') ? `[${target.address}]` : target.address;
  const url = `${key ? 'srtp' : 'rtp'}://${host}:${target.rtpPort}?rtcpport=${target.rtcpPort}&pkt_size=1200`;
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-nostats',
    '-re', '-f', 'lavfi', '-i', `rgbtestsrc=size=${SENDER_PICTURE.size}:rate=${SENDER_PICTURE.rate}`,
    '-t', String(seconds),
    '-pix_fmt', 'yuv420p', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-threads', '1', '-b:v', '400k',
    // A key frame every second: ffmpeg hears no PLI, so a viewer that joins late waits at most that long.
    '-g', String(SENDER_PICTURE.rate), '-auto-alt-ref', '0',
    '-payload_type', String(SENDER_PAYLOAD_TYPE),
    ...(key ? ['-srtp_out_suite', SRTP_SUITE, '-srtp_out_params', key] : []),
    '-f', 'rtp', url,
  ];
}

/**
 * ffmpeg's side of an RtpEndpoint's offer (KMS' generateOffer): VP8 video received on `port` of 127.0.0.1; audio and
 * anything else rejected with port 0. Returns the answer for processAnswer and the SDP ffmpeg reads (its video alone).
 */
export function recorderAnswer(kmsOffer: string, port: number): { answer: string; ffmpegSdp: string; payloadType: string } {
  const { sections } = parseSections(kmsOffer);
  const head = ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=ffmpeg recorder (Kurento Labs RTP gateway)', 'c=IN IP4 127.0.0.1', 't=0 0'];
  let chosen: { pt: string; section: string[] } | undefined;
  const answered: string[] = [];
  for (const section of sections) {
    const vp8 = section.lines.map((line) => /^a=rtpmap:(\d+) VP8\/90000/i.exec(line)?.[1]).find(Boolean);
    if (section.kind === 'video' && vp8 && !chosen && /^RTP\/AVPF?$/.test(section.proto)) {
      const lines = [`m=video ${port} ${section.proto} ${vp8}`, `a=rtpmap:${vp8} VP8/90000`, 'a=recvonly'];
      chosen = { pt: vp8, section: lines };
      answered.push(...lines);
    } else {
      answered.push(`m=${section.kind} 0 ${section.proto} ${section.formats.join(' ')}`);
    }
  }
  if (!chosen) throw new Error('KMS\' offer has no plain RTP video section with VP8');
  return { answer: [...head, ...answered, ''].join('\r\n'), ffmpegSdp: [...head, ...chosen.section, ''].join('\r\n'), payloadType: chosen.pt };
}

/** ffmpeg, the recorder: the SDP on its standard input, VP8 copied into `file` (WebM) for at most `seconds`. */
export function recorderArgs(file: string, seconds: number, maxBytes: number): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-nostats',
    '-protocol_whitelist', 'pipe,udp,rtp', '-analyzeduration', '2000000', '-f', 'sdp', '-i', 'pipe:0',
    '-t', String(seconds), '-fs', String(maxBytes), '-map', '0:v', '-c', 'copy', '-y', file,
  ];
}

export function probeArgs(file: string): string[] {
  return ['-v', 'error', '-show_entries', 'format=duration,size:stream=codec_type,codec_name,width,height', '-of', 'json', file];
}

/** What the recorder made, as the lab shows it. */
export interface RecordingInfo {
  durationSeconds: number;
  bytes: number;
  video?: { codec: string; width: number; height: number };
}

/** ffprobe's JSON, reduced to what RecordingInfo says. */
export function parseProbe(json: string): RecordingInfo {
  const parsed = JSON.parse(json) as { format?: { duration?: string; size?: string }; streams?: Array<{ codec_type?: string; codec_name?: string; width?: number; height?: number }> };
  const video = parsed.streams?.find((stream) => stream.codec_type === 'video');
  return {
    durationSeconds: Number(parsed.format?.duration ?? 0) || 0,
    bytes: Number(parsed.format?.size ?? 0) || 0,
    ...(video ? { video: { codec: video.codec_name ?? '?', width: video.width ?? 0, height: video.height ?? 0 } } : {}),
  };
}
