/**
 * werift's RTCRtpSender#dispatchRtp does, for every RTP packet sent, work that a stream without RTP header extensions
 * does not need: it formats the time as a decimal string to build its NTP timestamp, rebuilds and sorts the (empty)
 * extension list, adds 32-bit numbers through BigInt, hands a garbage record to its send-side bandwidth estimator (its
 * TWCC bookkeeping, which only the transport-cc extension feeds) and awaits four nested async calls down to the
 * socket. Profiled with `BENCH_CPU_PROF` on `npm run bench -- kms --sessions 30`, the NTP string alone was 3 % of the
 * KMS process' CPU.
 *
 * This installs a dispatch that, for the streams the embedded KMS sends (no header extensions negotiated, no RED, no
 * pending source switch), does what werift's does and no more: the same SSRC, payload type, sequence and timestamp
 * rewrite, the same counters and retransmission cache, the same SRTP encryption and ICE send. Any other case goes to
 * werift's own dispatch.
 *
 * One difference is deliberate: the NTP timestamp of the sender reports. werift writes the decimal digits of the
 * fraction of a second as the 32-bit fraction (0.5 s and 0.05 s both become 5), so its reports lose the sub-second
 * part of the clock that a browser uses to line audio up with video. This one writes the RFC 3550 fraction
 * (seconds × 2^32).
 */
import { isIP } from 'node:net';
import { RTCRtpSender, UdpTransport, type RtpPacket } from 'werift';

/** werift's RTP_HISTORY_SIZE: packets kept for retransmission on NACK, indexed by sequence number. */
export const RTP_HISTORY_SIZE = 128;
/** Milliseconds from the NTP epoch (1900-01-01) to the Unix epoch. */
const NTP_EPOCH_OFFSET_MS = 2_208_988_800_000;

/** Now as a 64-bit NTP timestamp (RFC 3550 §4: seconds since 1900 in the high word, the fraction in the low word). */
export function ntpNow(epochMs: number = performance.timeOrigin + performance.now()): bigint {
  const ms = epochMs + NTP_EPOCH_OFFSET_MS;
  const seconds = Math.floor(ms / 1000);
  const fraction = Math.min(0xffffffff, Math.floor(((ms - seconds * 1000) / 1000) * 0x1_0000_0000));
  return (BigInt(seconds) << 32n) | BigInt(fraction);
}

/** The fields of werift's sender (and of its DTLS and ICE transports) that its dispatch reads and writes. */
interface SenderInternals {
  ssrc: number;
  codec?: { payloadType: number };
  stopped: boolean;
  rtpContinuityPending: boolean;
  headerExtensions: unknown[];
  redRedundantPayloadType?: number;
  timestampOffset: number;
  seqOffset: number;
  timestamp?: number;
  sequenceNumber?: number;
  ntpTimestamp: bigint;
  rtpTimestamp: number;
  octetCount: number;
  headerBytesSent: number;
  packetCount: number;
  rtpCache: RtpPacket[];
  dtlsTransport?: {
    state: string;
    config?: { debug?: { outboundPacketLoss?: number } };
    srtp: { encrypt(payload: Buffer, header: RtpPacket['header']): Buffer };
    bytesSent: number;
    packetsSent: number;
    iceTransport: { connection: IceConnectionInternals };
  };
  rtcpRunning?: boolean;
  runRtcp(): Promise<void>;
}

/** werift's ICE connection: its async send, and what that send does for a selected UDP pair. */
interface IceConnectionInternals {
  send(data: Buffer): Promise<void>;
  nominated?: {
    remoteAddr: [string, number];
    packetsSent: number;
    bytesSent: number;
    protocol?: { transport?: unknown };
  };
  canSendApplicationData?(): boolean;
}

/**
 * What werift's connection.send does for a nominated UDP pair (consent check, socket send, pair counters), without its
 * three nested async functions: three promises and their microtasks per packet. Anything else (TCP, TURN, no pair yet)
 * goes through werift.
 */
export function sendOnSelectedPair(connection: IceConnectionInternals, data: Buffer): void {
  const pair = connection.nominated;
  const transport = pair?.protocol?.transport;
  const socket = transport instanceof UdpTransport ? transport.socket : undefined;
  // werift's remoteAddr is a getter that builds a new [host, port] each time: read once.
  const remote = pair?.remoteAddr;
  if (!pair || !remote || !socket || (transport as UdpTransport).closed || typeof connection.canSendApplicationData !== 'function' || isIP(remote[0]) === 0) {
    connection.send(data).catch(ignore);
    return;
  }
  if (!connection.canSendApplicationData()) return;
  try {
    socket.send(data, remote[1], remote[0]);
  } catch {
    return;
  }
  pair.packetsSent += 1;
  pair.bytesSent += data.length;
}

type Dispatch = (this: SenderInternals, rtp: RtpPacket | Buffer) => Promise<void>;

const ignore = (): void => undefined;
let installed = false;

/** werift's dispatch, kept for the cases the fast one hands back, and for tests that compare the two. */
export const weriftDispatchRtp = (RTCRtpSender.prototype as unknown as { dispatchRtp: Dispatch }).dispatchRtp;

/**
 * The fast dispatch, synchronous: returns false, having done nothing, when the packet needs werift's own dispatch
 * (header extensions, RED, a pending source switch, a Buffer, a debug loss setting); true when it was sent, or dropped
 * as werift would drop it (stopped, DTLS not connected, no codec, encryption failure).
 */
export function dispatchRtpNow(sender: SenderInternals, rtp: RtpPacket | Buffer): boolean {
  const dtls = sender.dtlsTransport;
  if (
    Buffer.isBuffer(rtp) ||
    sender.rtpContinuityPending ||
    sender.headerExtensions.length > 0 ||
    sender.redRedundantPayloadType ||
    rtp.header.extensions.length > 0 ||
    !dtls ||
    dtls.config?.debug?.outboundPacketLoss
  ) {
    return false;
  }
  const codec = sender.codec;
  if (sender.stopped || dtls.state !== 'connected' || !codec) return true;
  const packet = rtp.clone();
  const { header, payload } = packet;
  header.ssrc = sender.ssrc;
  header.payloadType = codec.payloadType;
  header.timestamp = (header.timestamp + sender.timestampOffset) >>> 0;
  header.sequenceNumber = (header.sequenceNumber + sender.seqOffset) & 0xffff;
  sender.timestamp = header.timestamp;
  sender.sequenceNumber = header.sequenceNumber;
  header.extensions = [];
  sender.ntpTimestamp = ntpNow();
  sender.rtpTimestamp = header.timestamp;
  sender.octetCount += payload.length;
  sender.headerBytesSent += header.serializeSize;
  sender.packetCount = (sender.packetCount + 1) >>> 0;
  sender.rtpCache[header.sequenceNumber % RTP_HISTORY_SIZE] = packet;
  let encrypted: Buffer;
  try {
    encrypted = dtls.srtp.encrypt(payload, header);
  } catch {
    return true;
  }
  dtls.bytesSent += encrypted.length;
  dtls.packetsSent += 1;
  sendOnSelectedPair(dtls.iceTransport.connection, encrypted);
  // runRtcp returns at once while its loop runs; calling it only when it does not saves a promise per packet.
  if (!sender.rtcpRunning) void sender.runRtcp();
  return true;
}

export async function fastDispatchRtp(this: SenderInternals, rtp: RtpPacket | Buffer): Promise<void> {
  if (!dispatchRtpNow(this, rtp)) return weriftDispatchRtp.call(this, rtp);
}

/**
 * What werift's RTCRtpSender#sendRtp does for a sender without pending-RTP queueing (werift's default, and the
 * embedded KMS never turns it on), without its promise and the fast dispatch's: werift's sendRtp is an async function
 * around an async dispatch, two promises and a `.catch` per packet for a send that completes synchronously. Anything
 * else goes to werift's sendRtp.
 */
export function sendRtpNow(sender: RTCRtpSender, rtp: RtpPacket): void {
  const internals = sender as unknown as SenderInternals & { pendingRtpEnabled?: boolean };
  if (!internals.pendingRtpEnabled && (internals.stopped || !internals.dtlsTransport || internals.dtlsTransport.state !== 'connected' || !internals.codec)) return;
  if (internals.pendingRtpEnabled || !dispatchRtpNow(internals, rtp)) sender.sendRtp(rtp).catch(ignore);
}

/** Idempotent; called once by the WebRTC session module before any peer connection exists. */
export function installFastRtpSend(): void {
  if (installed) return;
  installed = true;
  (RTCRtpSender.prototype as unknown as { dispatchRtp: Dispatch }).dispatchRtp = fastDispatchRtp;
}
