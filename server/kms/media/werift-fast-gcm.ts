/**
 * SRTP with AEAD_AES_128_GCM (RFC 7714), the profile werift prefers and browsers use, encrypts and decrypts every RTP
 * packet through werift's CipherAesGcm. Besides the AES work itself, each packet there costs buffers the garbage
 * collector must track on its own: on encryption a separate header buffer and a Buffer.concat of header, ciphertext
 * and tag; on decryption a zero-filled buffer (Buffer.alloc, outside the pool) of the packet's size, after a throwaway
 * empty one. Profiled with `BENCH_CPU_PROF` on `npm run bench -- kms --sessions 30`, garbage collection was 16 % of the
 * KMS process' CPU, and the cipher calls about 20 %.
 *
 * This installs RTP encryption and decryption that do the same AES-GCM calls (same key, IV, AAD, tag) into one pooled
 * buffer per packet: the header written in place for the plain 12-byte header the KMS sends, the ciphertext and tag
 * copied after it; on decryption the header copied and the plaintext copied after it. The output bytes are the same as
 * werift's (tests/unit/werift-fast-gcm.test.ts compares them); authentication failures throw werift's
 * SrtpAuthenticationError as before. RTCP and other headers (CSRC, extensions, padding) stay with werift.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import path from 'node:path';
import type { RtpHeader } from 'werift';

const srtpDir = path.join(path.dirname(require.resolve('werift')), '..', '..', 'rtp', 'src', 'srtp');
// werift's cipher and SRTP helpers (not exported by the package: loaded by path, as tests/helpers/werift-peer.ts does).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CipherAesGcm } = require(path.join(srtpDir, 'cipher', 'gcm.js')) as { CipherAesGcm: { prototype: GcmInternals } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseSrtpRtpHeader, finalizeSrtpRtpHeader } = require(path.join(srtpDir, 'packet.js')) as {
  parseSrtpRtpHeader: (packet: Buffer, authTagLength: number) => RtpHeader;
  finalizeSrtpRtpHeader: (header: RtpHeader, packet: Buffer, message?: string) => RtpHeader;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SrtpAuthenticationError } = require(path.join(srtpDir, 'error.js')) as { SrtpAuthenticationError: new (message: string) => Error };

const TAG_LENGTH = 16;
const FIXED_HEADER_SIZE = 12;
const FAILED = 'Failed to authenticate SRTP packet';

interface GcmInternals {
  srtpSessionKey: Buffer;
  srtpSessionSalt: Buffer;
  rtpInitializationVector(header: RtpHeader, rolloverCounter: number): Buffer;
  encryptRtp(header: RtpHeader, payload: Buffer, rolloverCounter: number): Buffer;
  decryptRtp(cipherText: Buffer, rolloverCounter: number, header?: RtpHeader): [Buffer, RtpHeader];
}

/** werift's own methods, kept for the headers the fast path hands back and for the tests that compare the two. */
export const weriftGcm = { encryptRtp: CipherAesGcm.prototype.encryptRtp, decryptRtp: CipherAesGcm.prototype.decryptRtp };
export { CipherAesGcm };

/**
 * RFC 7714 §8.1's IV (0x0000 ‖ SSRC ‖ ROC ‖ SEQ, XOR the session salt), what werift's rtpInitializationVector
 * computes, written into one scratch buffer instead of a new one through werift's generic writer: createCipheriv copies
 * the IV, so the buffer is free again as soon as the call returns.
 */
const ivScratch = Buffer.alloc(12);
export function rtpIv(salt: Buffer, ssrc: number, rolloverCounter: number, sequenceNumber: number): Buffer {
  ivScratch.writeUInt16BE(0, 0);
  ivScratch.writeUInt32BE(ssrc >>> 0, 2);
  ivScratch.writeUInt32BE(rolloverCounter >>> 0, 6);
  ivScratch.writeUInt16BE(sequenceNumber & 0xffff, 10);
  for (let i = 0; i < 12; i++) ivScratch[i] = (ivScratch[i] ?? 0) ^ (salt[i] ?? 0);
  return ivScratch;
}

const plain = (header: RtpHeader): boolean => !header.padding && !header.extension && header.extensions.length === 0 && header.csrc.length === 0;

export function encryptRtp(this: GcmInternals, header: RtpHeader, payload: Buffer, rolloverCounter: number): Buffer {
  if (!plain(header)) return weriftGcm.encryptRtp.call(this, header, payload, rolloverCounter);
  const out = Buffer.allocUnsafe(FIXED_HEADER_SIZE + payload.length + TAG_LENGTH);
  // What RtpHeader#serialize writes for a plain header (fields masked to their widths, as werift's BitWriter does).
  out[0] = (header.version & 0x03) << 6;
  out[1] = (header.marker ? 0x80 : 0) | (header.payloadType & 0x7f);
  out.writeUInt16BE(header.sequenceNumber & 0xffff, 2);
  out.writeUInt32BE(header.timestamp >>> 0, 4);
  out.writeUInt32BE(header.ssrc >>> 0, 8);
  header.payloadOffset = FIXED_HEADER_SIZE;
  const cipher = createCipheriv('aes-128-gcm', this.srtpSessionKey, rtpIv(this.srtpSessionSalt, header.ssrc, rolloverCounter, header.sequenceNumber));
  cipher.setAAD(out.subarray(0, FIXED_HEADER_SIZE));
  const encrypted = cipher.update(payload);
  encrypted.copy(out, FIXED_HEADER_SIZE);
  cipher.final();
  cipher.getAuthTag().copy(out, FIXED_HEADER_SIZE + encrypted.length);
  return out;
}

export function decryptRtp(this: GcmInternals, cipherText: Buffer, rolloverCounter: number, header: RtpHeader = parseSrtpRtpHeader(cipherText, TAG_LENGTH)): [Buffer, RtpHeader] {
  const offset = header.payloadOffset;
  const tagOffset = cipherText.length - TAG_LENGTH;
  const decipher = createDecipheriv('aes-128-gcm', this.srtpSessionKey, rtpIv(this.srtpSessionSalt, header.ssrc, rolloverCounter, header.sequenceNumber));
  decipher.setAAD(cipherText.subarray(0, offset));
  decipher.setAuthTag(cipherText.subarray(tagOffset));
  const decrypted = decipher.update(cipherText.subarray(offset, tagOffset));
  try {
    decipher.final();
  } catch {
    throw new SrtpAuthenticationError(FAILED);
  }
  const out = Buffer.allocUnsafe(tagOffset);
  cipherText.copy(out, 0, 0, offset);
  decrypted.copy(out, offset);
  return [out, finalizeSrtpRtpHeader(header, out, FAILED)];
}

let installed = false;

/** Idempotent; called once by the WebRTC session module before any peer connection exists. */
export function installFastGcm(): void {
  if (installed) return;
  installed = true;
  CipherAesGcm.prototype.encryptRtp = encryptRtp;
  CipherAesGcm.prototype.decryptRtp = decryptRtp;
}
