/**
 * werift parses every RTP packet it receives with RtpHeader.deSerialize, which builds the header through the
 * RtpHeader constructor (17 Object.defineProperty calls, then every field assigned again) and reads the first two bytes
 * bit by bit through a generic helper. Profiled with `BENCH_CPU_PROF` on `npm run bench -- kms --sessions 10`, the
 * constructor and that helper were 5.5 % and 4.2 % of the KMS process' CPU. This replaces the parser with one that
 * yields the same header (same fields in the same order, same prototype, same values, including werift's handling of
 * an unterminated one-byte extension block) from plain shifts and masks. It also builds parsed packets without the
 * RtpPacket constructor, and writes the plain 12-byte header (what the KMS sends) without werift's BitWriter, which
 * was 1.1 % in the same profile.
 */
import { RtpHeader, RtpPacket } from 'werift';
import { makeHeader, makePacket, type HeaderFields } from './werift-shapes';

const ONE_BYTE_PROFILE = 0xbede;
const TWO_BYTE_PROFILE = 0x1000;
const FIXED_HEADER_SIZE = 12;

interface Extension {
  id: number;
  payload: Buffer;
}

let installed = false;

/** The fields of the header being parsed, gathered here and copied into the header in one constructor call. */
const NO_ARRAY: never[] = [];
const scratch: HeaderFields = {
  version: 0,
  padding: false,
  paddingSize: 0,
  extension: false,
  marker: false,
  payloadOffset: 0,
  payloadType: 0,
  sequenceNumber: 0,
  timestamp: 0,
  ssrc: 0,
  csrcLength: 0,
  csrc: NO_ARRAY,
  extensionProfile: 0,
  extensionLength: undefined,
  extensions: NO_ARRAY,
};

export function parseRtpHeader(raw: Buffer): RtpHeader {
  const first = raw[0] ?? 0;
  const second = raw[1] ?? 0;
  const csrcLength = first & 0x0f;
  const csrc: number[] = [];
  for (let i = 0; i < csrcLength; i++) csrc.push(raw.readUInt32BE(FIXED_HEADER_SIZE + i * 4));
  const extension = (first & 0x10) !== 0;
  const padding = (first & 0x20) !== 0;
  let offset = FIXED_HEADER_SIZE + csrcLength * 4;
  let extensionProfile = ONE_BYTE_PROFILE;
  let extensionLength: number | undefined;
  const extensions: Extension[] = [];
  if (extension) {
    extensionProfile = raw.readUInt16BE(offset);
    extensionLength = raw.readUInt16BE(offset + 2) * 4;
    offset += 4;
    const end = offset + extensionLength;
    if (extensionProfile === ONE_BYTE_PROFILE) {
      while (offset < end) {
        const byte = raw[offset] ?? 0;
        if (byte === 0) {
          offset++;
          continue;
        }
        const id = byte >> 4;
        const length = (byte & 0x0f) + 1;
        offset++;
        // id 15 ends the block where it stands (RFC 8285); werift leaves the payload offset there too.
        if (id === 0x0f) break;
        extensions.push({ id, payload: raw.subarray(offset, offset + length) });
        offset += length;
      }
    } else if (extensionProfile === TWO_BYTE_PROFILE) {
      while (offset < end) {
        const id = raw[offset] ?? 0;
        if (id === 0) {
          offset++;
          continue;
        }
        const length = raw[offset + 1] ?? 0;
        offset += 2;
        extensions.push({ id, payload: raw.subarray(offset, offset + length) });
        offset += length;
      }
    } else {
      const payload = raw.subarray(offset, offset + extensionLength);
      extensions.push({ id: 0, payload });
      offset += payload.length;
    }
  }
  // One object with werift's fields in werift's order (server/kms/media/werift-shapes.ts).
  scratch.version = first >> 6;
  scratch.padding = padding;
  scratch.paddingSize = padding ? (raw[raw.length - 1] ?? 0) : 0;
  scratch.extension = extension;
  scratch.marker = (second & 0x80) !== 0;
  scratch.payloadOffset = offset;
  scratch.payloadType = second & 0x7f;
  scratch.sequenceNumber = raw.readUInt16BE(2);
  scratch.timestamp = raw.readUInt32BE(4);
  scratch.ssrc = raw.readUInt32BE(8);
  scratch.csrcLength = csrcLength;
  scratch.csrc = csrc;
  scratch.extensionProfile = extensionProfile;
  scratch.extensionLength = extensionLength;
  scratch.extensions = extensions;
  const header = makeHeader(scratch);
  scratch.csrc = NO_ARRAY;
  scratch.extensions = NO_ARRAY;
  return header;
}

/**
 * The header of the last packet SRTP decrypted, and the plaintext it belongs to. werift decrypts a packet (parsing its
 * header for the IV and the authentication data) and then parses the plaintext again from the start; the plaintext's
 * header is the same bytes, so the second parse hands back the first one's header (server/kms/media/werift-fast-
 * inbound.ts fills this in, once per packet; anything else is parsed).
 */
let decryptedPlain: Buffer | undefined;
let decryptedHeader: RtpHeader | undefined;

export function rememberDecryptedHeader(plain: Buffer, header: RtpHeader): void {
  decryptedPlain = plain;
  decryptedHeader = header;
}

/** RtpPacket.deSerialize without the packet constructor's Object.defineProperty calls: the same two own fields. */
export function parseRtpPacket(raw: Buffer): RtpPacket {
  let header: RtpHeader;
  if (raw === decryptedPlain && decryptedHeader) {
    header = decryptedHeader;
  } else {
    header = parseRtpHeader(raw);
  }
  decryptedPlain = undefined;
  decryptedHeader = undefined;
  return makePacket(header, raw.subarray(header.payloadOffset, raw.length - header.paddingSize));
}

const weriftSerialize = (RtpHeader.prototype as unknown as { serialize: (this: RtpHeader, size: number) => Buffer }).serialize;

/**
 * RtpHeader#serialize for the plain 12-byte header (no CSRC, no extension, no padding: every header the embedded KMS
 * writes), without werift's two BitWriter objects; the same bytes (version, marker and payload type masked to their
 * widths as BitWriter masks them, the rest of `size` zero) and the same payloadOffset. Other headers go to werift.
 */
export function serializeRtpHeader(this: RtpHeader, size: number): Buffer {
  if (this.padding || this.extension || this.extensions.length > 0 || this.csrc.length > 0 || size < FIXED_HEADER_SIZE) {
    return weriftSerialize.call(this, size);
  }
  const buf = Buffer.alloc(size);
  buf[0] = (this.version & 0x03) << 6;
  buf[1] = (this.marker ? 0x80 : 0) | (this.payloadType & 0x7f);
  buf.writeUInt16BE(this.sequenceNumber, 2);
  buf.writeUInt32BE(this.timestamp, 4);
  buf.writeUInt32BE(this.ssrc, 8);
  this.payloadOffset = FIXED_HEADER_SIZE;
  return buf;
}

/** Idempotent; installed by the WebRTC session module (and the test peers) before any packet is parsed. */
export function installFastRtpParse(): void {
  if (installed) return;
  installed = true;
  RtpHeader.deSerialize = parseRtpHeader;
  RtpPacket.deSerialize = parseRtpPacket;
  (RtpHeader.prototype as unknown as { serialize: typeof serializeRtpHeader }).serialize = serializeRtpHeader;
}
