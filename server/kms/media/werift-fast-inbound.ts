/**
 * Two allocations werift makes for every SRTP packet it receives, between the socket and the RTP receiver, that the
 * streams the embedded KMS receives do not need. Measured with V8's sampling heap profiler (collected objects
 * included) on `npm run bench -- kms --sessions 20`:
 *
 * - SrtpContext#decryptRtp copies the SSRC's rollover state (`{ ...state }`) for every packet, so that a packet that
 *   fails authentication leaves the state as it was, and copies it back with Object.assign: about 250 bytes a packet.
 *   This one works on one scratch state and writes the two fields back only after the packet authenticated: the
 *   same states, the same failure rule.
 * - RtpRouter#routeRtp parses the header extensions into a fresh object by a map and a reduce, about 300 bytes a
 *   packet, also when the packet has none. For a packet without extensions whose SSRC the router knows, this hands
 *   the receiver one shared, frozen empty map instead; every other packet (extensions, RID routing, simulcast
 *   discovery) goes to werift's routeRtp.
 */
import type { RtpHeader, RtpPacket, RtpRouter } from 'werift';
import path from 'node:path';
import { parseRtpHeader, rememberDecryptedHeader } from './werift-fast-parse';

const srtpDir = path.join(path.dirname(require.resolve('werift')), '..', '..', 'rtp', 'src', 'srtp');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SrtpAuthenticationError } = require(path.join(srtpDir, 'error.js')) as { SrtpAuthenticationError: new (message: string) => Error };
const FAILED = 'Failed to authenticate SRTP packet';
const MIN_RTP_HEADER = 12;
// The SRTP context of werift's RTP package (werift's main export of that name is its DTLS package's, another class).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { SrtpContext } = require(path.join(srtpDir, 'context', 'srtp.js')) as { SrtpContext: { prototype: object } };

interface SsrcState {
  ssrc: number;
  rolloverCounter: number;
  lastSequenceNumber: number;
  rolloverHasProcessed?: boolean;
}

interface SrtpContextInternals {
  srtpSSRCStates: Record<number, SsrcState | undefined>;
  rtpAuthTagLength: number;
  cipher: { decryptRtp(cipherText: Buffer, rolloverCounter: number, header?: RtpHeader): [Buffer, RtpHeader] };
  updateRolloverCount(sequenceNumber: number, state: SsrcState): void;
}

export const weriftDecryptRtp = (SrtpContext.prototype as unknown as { decryptRtp: (this: SrtpContextInternals, cipherText: Buffer) => [Buffer, RtpHeader] }).decryptRtp;

const scratch: SsrcState = { ssrc: 0, rolloverCounter: 0, lastSequenceNumber: 0, rolloverHasProcessed: false };

/**
 * werift's parseSrtpRtpHeader (the clear header of an SRTP packet, its padding not yet known), without the closure and
 * the sub-buffer it makes per packet: a header that does not fit before the authentication tag fails authentication.
 */
export function parseSrtpHeader(cipherText: Buffer, authTagLength: number): RtpHeader {
  const tagOffset = cipherText.length - authTagLength;
  if (cipherText.length < MIN_RTP_HEADER + authTagLength) throw new SrtpAuthenticationError(FAILED);
  let header: RtpHeader;
  try {
    header = parseRtpHeader(cipherText);
  } catch {
    throw new SrtpAuthenticationError(FAILED);
  }
  header.paddingSize = 0;
  if (header.payloadOffset < MIN_RTP_HEADER || header.payloadOffset > tagOffset) throw new SrtpAuthenticationError(FAILED);
  return header;
}

export function decryptRtp(this: SrtpContextInternals, cipherText: Buffer): [Buffer, RtpHeader] {
  const header = parseSrtpHeader(cipherText, this.rtpAuthTagLength);
  const existing = this.srtpSSRCStates[header.ssrc];
  scratch.ssrc = header.ssrc;
  scratch.rolloverCounter = existing ? existing.rolloverCounter : 0;
  scratch.lastSequenceNumber = existing ? existing.lastSequenceNumber : 0;
  scratch.rolloverHasProcessed = existing ? existing.rolloverHasProcessed : undefined;
  this.updateRolloverCount(header.sequenceNumber, scratch);
  const { rolloverCounter, lastSequenceNumber, rolloverHasProcessed } = scratch;
  // Throws on an authentication failure, before any state changed (as werift's).
  const decrypted = this.cipher.decryptRtp(cipherText, rolloverCounter, header);
  if (existing) {
    existing.rolloverCounter = rolloverCounter;
    existing.lastSequenceNumber = lastSequenceNumber;
    existing.rolloverHasProcessed = rolloverHasProcessed;
  } else {
    this.srtpSSRCStates[header.ssrc] = { ssrc: header.ssrc, rolloverCounter, lastSequenceNumber, rolloverHasProcessed };
  }
  rememberDecryptedHeader(decrypted[0], decrypted[1]);
  return decrypted;
}

interface RouterInternals {
  ssrcTable: Record<number, { handleRtpBySsrc(packet: RtpPacket, extensions: Record<string, unknown>): void } | undefined>;
  routeRtp: (packet: RtpPacket) => void;
}

/** What werift's parser yields for a packet without header extensions; frozen, so a writer would throw, not leak. */
export const NO_EXTENSIONS: Readonly<Record<string, unknown>> = Object.freeze({});

/** Gives one router (werift defines routeRtp per instance, in its constructor) the fast route described above. */
export function fastRouting(router: RtpRouter): void {
  const internals = router as unknown as RouterInternals;
  const werift = internals.routeRtp;
  internals.routeRtp = (packet: RtpPacket): void => {
    const receiver = packet.header.extensions.length === 0 ? internals.ssrcTable[packet.header.ssrc] : undefined;
    if (receiver) receiver.handleRtpBySsrc(packet, NO_EXTENSIONS as Record<string, unknown>);
    else werift(packet);
  };
}

let installed = false;

/** Idempotent; called once by the WebRTC session module before any peer connection exists. */
export function installFastSrtpState(): void {
  if (installed) return;
  installed = true;
  (SrtpContext.prototype as unknown as { decryptRtp: typeof decryptRtp }).decryptRtp = decryptRtp;
}
