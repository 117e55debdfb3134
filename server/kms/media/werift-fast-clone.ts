/**
 * werift copies every RTP packet it hands on: the receiver clones it for each track subscriber and the sender clones
 * it again before rewriting SSRC, payload type, sequence number and timestamp. Its clone builds the header through the
 * RtpHeader constructor, which defines each of its 17 fields with Object.defineProperty and then assigns them all a
 * second time; profiled with `BENCH_CPU_PROF` on `npm run bench -- kms`, that constructor alone was about 12 % of the
 * KMS process' CPU. This replaces RtpPacket#clone with one that makes the same shallow copy (same fields, same
 * prototype, arrays shared exactly as the original shares them) without the constructor.
 */
import { RtpPacket } from 'werift';
import { makeHeader, makePacket } from './werift-shapes';

let installed = false;

/** The same fields, the same prototype, the arrays and the payload shared exactly as werift's clone shares them. */
export function cloneRtpPacket(packet: RtpPacket): RtpPacket {
  return makePacket(makeHeader(packet.header), packet.payload);
}

/** Idempotent; called once by the WebRTC session module before any peer connection exists. */
export function installFastRtpClone(): void {
  if (installed) return;
  installed = true;
  RtpPacket.prototype.clone = function clone(this: RtpPacket): RtpPacket {
    return cloneRtpPacket(this);
  };
}
