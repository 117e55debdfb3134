/**
 * werift copies every RTP packet it hands on: the receiver clones it for each track subscriber and the sender clones
 * it again before rewriting SSRC, payload type, sequence number and timestamp. Its clone builds the header through the
 * RtpHeader constructor, which defines each of its 17 fields with Object.defineProperty and then assigns them all a
 * second time; profiled with `BENCH_CPU_PROF` on `npm run bench -- kms`, that constructor alone was about 12 % of the
 * KMS process' CPU. This replaces RtpPacket#clone with one that makes the same shallow copy (same fields, same
 * prototype, arrays shared exactly as the original shares them) without the constructor.
 */
import { RtpHeader, RtpPacket } from 'werift';

/** The header's own fields, in the order the constructor defines them. */
const HEADER_FIELDS = Object.keys(new RtpHeader()) as Array<keyof RtpHeader>;

let installed = false;

export function cloneRtpPacket(packet: RtpPacket): RtpPacket {
  const source = packet.header as unknown as Record<string, unknown>;
  const header = Object.create(RtpHeader.prototype) as Record<string, unknown>;
  for (const field of HEADER_FIELDS) header[field] = source[field];
  // The packet's constructor defines its two fields with Object.defineProperty too; plain assignment makes the same
  // writable, enumerable, configurable own properties, in the same order.
  const copy = Object.create(RtpPacket.prototype) as { header: unknown; payload: Buffer };
  copy.header = header;
  copy.payload = packet.payload;
  return copy as unknown as RtpPacket;
}

/** Idempotent; called once by the WebRTC session module before any peer connection exists. */
export function installFastRtpClone(): void {
  if (installed) return;
  installed = true;
  RtpPacket.prototype.clone = function clone(this: RtpPacket): RtpPacket {
    return cloneRtpPacket(this);
  };
}
