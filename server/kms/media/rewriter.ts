/**
 * Keeps one outgoing RTP stream continuous whatever feeds it: fixed SSRC and payload type, sequence numbers without
 * jumps, timestamps that keep advancing when the source changes (a new SSRC, a restarted process). Used where the
 * embedded server writes RTP to a codec worker, which would otherwise see a broken stream on every source switch.
 */
import type { RtpPacket } from 'werift';

export class StreamRewriter {
  private sourceSsrc: number | undefined;
  private seqOffset = 0;
  private tsOffset = 0;
  private lastSeq: number | undefined;
  private lastTs: number | undefined;

  constructor(
    readonly ssrc: number,
    readonly payloadType: number,
    /** Timestamp step used at a source change, e.g. 3000 for 30 fps video at 90 kHz, 960 for 20 ms Opus. */
    private readonly switchStep: number,
  ) {}

  rewrite(packet: RtpPacket): RtpPacket {
    const header = packet.header;
    if (header.ssrc !== this.sourceSsrc) {
      if (this.lastSeq !== undefined && this.lastTs !== undefined) {
        this.seqOffset = (this.lastSeq + 1 - header.sequenceNumber) & 0xffff;
        this.tsOffset = (this.lastTs + this.switchStep - header.timestamp) >>> 0;
      }
      this.sourceSsrc = header.ssrc;
    }
    const out = packet.clone();
    out.header.ssrc = this.ssrc;
    out.header.payloadType = this.payloadType;
    out.header.extensions = [];
    out.header.extension = false;
    out.header.sequenceNumber = (header.sequenceNumber + this.seqOffset) & 0xffff;
    out.header.timestamp = (header.timestamp + this.tsOffset) >>> 0;
    this.lastSeq = out.header.sequenceNumber;
    this.lastTs = out.header.timestamp;
    return out;
  }

  /**
   * The next packet continues the stream as if it followed the last one directly (sequence + 1, timestamp + one
   * step), whatever its own numbers: used when a recording resumes after a pause, so the pause leaves no gap.
   */
  discontinuity(): void {
    this.sourceSsrc = undefined;
  }
}

/** Is this RTP payload the first packet of a key frame? (VP8 payload descriptor, or an H.264 IDR / SPS NAL.) */
export function isKeyframeStart(codec: string, payload: Buffer): boolean {
  const name = codec.toUpperCase();
  if (name === 'VP8') {
    const first = payload[0] ?? 0;
    if ((first & 0x10) === 0 || (first & 0x07) !== 0) return false;
    let offset = 1;
    if (first & 0x80) {
      const flags = payload[offset] ?? 0;
      offset += 1;
      if (flags & 0x80) offset += ((payload[offset] ?? 0) & 0x80) !== 0 ? 2 : 1;
      if (flags & 0x40) offset += 1;
      if (flags & 0x30) offset += 1;
    }
    const header = payload[offset];
    return header !== undefined && (header & 0x01) === 0;
  }
  if (name === 'H264') {
    const type = (payload[0] ?? 0) & 0x1f;
    if (type === 5 || type === 7) return true;
    if (type === 24) {
      // STAP-A: look at the aggregated NAL units.
      let offset = 1;
      while (offset + 2 < payload.length) {
        const size = payload.readUInt16BE(offset);
        const nal = (payload[offset + 2] ?? 0) & 0x1f;
        if (nal === 5 || nal === 7) return true;
        offset += 2 + size;
      }
      return false;
    }
    if (type === 28) {
      const fu = payload[1] ?? 0;
      return (fu & 0x80) !== 0 && ((fu & 0x1f) === 5 || (fu & 0x1f) === 7);
    }
    return false;
  }
  return true;
}
