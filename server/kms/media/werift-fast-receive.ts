/**
 * For every RTP packet it receives, werift's RTCRtpReceiver#handleRTP asks whether TWCC and NACK are enabled, and each
 * answer sorts a fresh array of all the receiver's codecs (`codecArray`) to look at the first one's RTCP feedback; it
 * also reads the codec's `name` twice, which splits its MIME type each time. Profiled with `BENCH_CPU_PROF` on
 * `npm run bench -- kms --sessions 30`, these getters were about 3 % of the KMS process' CPU.
 *
 * This installs getters that give the same answers without the allocations: the codec with the lowest payload type
 * (what `codecArray[0]` is), found by one pass over the receiver's codecs and remembered until werift changes them
 * (only `prepareReceive` and `resyncCodecs` do, at negotiation), and the part of a MIME type after the slash,
 * remembered per MIME type string.
 */
import path from 'node:path';
import { RTCRtpCodecParameters, RTCRtpReceiver, usePLI as pliFeedback, useTWCC as twccFeedback, type MediaStreamTrack, type RtpPacket } from 'werift';

interface Feedback {
  type: string;
  parameter?: string;
}

interface ReceiverInternals {
  codecs: Record<number, { payloadType: number; rtcpFeedback: Feedback[] }>;
}

type Codec = ReceiverInternals['codecs'][number];
type Method = (this: ReceiverInternals, ...args: unknown[]) => unknown;

const TWCC = twccFeedback().type;
const PLI = pliFeedback().type;
const NACK = 'nack';
const names = new Map<string, string | undefined>();
/** Per receiver: its lowest codec, as last computed; dropped whenever werift changes the receiver's codecs. */
const lowest = new WeakMap<object, { codec: Codec | undefined }>();
let installed = false;

/** `codecArray[0]` of werift's receiver: the codec with the lowest payload type, if any. */
export function lowestCodec(receiver: ReceiverInternals): Codec | undefined {
  let found: Codec | undefined;
  for (const key in receiver.codecs) {
    const codec = receiver.codecs[key as unknown as number];
    if (codec && (found === undefined || codec.payloadType < found.payloadType)) found = codec;
  }
  return found;
}

function feedback(receiver: ReceiverInternals, type: string): Feedback | undefined {
  let cached = lowest.get(receiver);
  if (!cached) {
    cached = { codec: lowestCodec(receiver) };
    lowest.set(receiver, cached);
  }
  return cached.codec?.rtcpFeedback.find((entry) => entry.type === type);
}

/** The codec name of a MIME type, as werift's `name` getter gives it (`video/VP8` → `VP8`). */
export function codecName(mimeType: string): string | undefined {
  let name = names.get(mimeType);
  if (name === undefined && !names.has(mimeType)) {
    name = mimeType.split('/')[1];
    // MIME types come from SDP; a peer that sends many different ones must not grow this without bound.
    if (names.size > 256) names.clear();
    names.set(mimeType, name);
  }
  return name;
}

function define(target: object, property: string, get: (this: never) => unknown): void {
  Object.defineProperty(target, property, { get, configurable: true, enumerable: false });
}

/** Idempotent; called once by the WebRTC session module before any peer connection exists. */
export function installFastRtpReceive(): void {
  if (installed) return;
  installed = true;
  define(RTCRtpReceiver.prototype, 'nackEnabled', function (this: ReceiverInternals) {
    return feedback(this, NACK);
  });
  define(RTCRtpReceiver.prototype, 'twccEnabled', function (this: ReceiverInternals) {
    return feedback(this, TWCC);
  });
  define(RTCRtpReceiver.prototype, 'pliEnabled', function (this: ReceiverInternals) {
    return feedback(this, PLI);
  });
  const prototype = RTCRtpReceiver.prototype as unknown as Record<'prepareReceive' | 'resyncCodecs', Method>;
  for (const name of ['prepareReceive', 'resyncCodecs'] as const) {
    const original = prototype[name];
    prototype[name] = function (this: ReceiverInternals, ...args: unknown[]): unknown {
      lowest.delete(this);
      try {
        return original.apply(this, args);
      } finally {
        lowest.delete(this);
      }
    };
  }
  define(RTCRtpCodecParameters.prototype, 'name', function (this: { mimeType: string }) {
    return codecName(this.mimeType);
  });
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StreamStatistics } = require(path.join(path.dirname(require.resolve('werift')), 'media', 'receiver', 'statistics.js')) as {
  StreamStatistics: new (clockRate: number) => { add(packet: RtpPacket): void };
};

interface HandlingReceiver {
  stopped: boolean;
  codecs: Record<number, { clockRate: number; name: string | undefined } | undefined>;
  remoteStreams: Record<number, { add(packet: RtpPacket): void } | undefined>;
  receiverTWCC?: unknown;
  twccEnabled?: unknown;
  nackEnabled?: unknown;
  nack: { addPacket(packet: RtpPacket): void };
  runRtcp(): unknown;
}

type HandleRtp = (this: HandlingReceiver, packet: RtpPacket, extensions: Record<string, unknown>, track?: MediaStreamTrack) => void;

/** werift's own handleRTP, for the packets the fast one hands back and for the test that compares the two. */
export const weriftHandleRtp = (RTCRtpReceiver.prototype as unknown as { handleRTP: HandleRtp }).handleRTP;

/**
 * werift's RTCRtpReceiver#handleRTP for a stream without transport-cc, RTX or RED (what the embedded KMS negotiates),
 * without the copy of each packet werift makes for the track's subscribers: the receiver keeps nothing of a packet it
 * handled (its statistics and NACK tracker read numbers from it), so the copy would only ever be read by the same
 * subscribers that get the original. Any other packet goes to werift's handleRTP.
 */
export function handleRtp(this: HandlingReceiver, packet: RtpPacket, extensions: Record<string, unknown>, track?: MediaStreamTrack): void {
  if (this.stopped) return;
  const codec = this.codecs[packet.header.payloadType];
  if (!codec) return;
  if (this.receiverTWCC || this.twccEnabled || /^(rtx|red)$/i.test(codec.name ?? '')) {
    weriftHandleRtp.call(this, packet, extensions, track);
    return;
  }
  const ssrc = packet.header.ssrc;
  let stream = this.remoteStreams[ssrc];
  if (!stream) {
    stream = new StreamStatistics(codec.clockRate);
    this.remoteStreams[ssrc] = stream;
  }
  stream.add(packet);
  if (track?.kind === 'video' && this.nackEnabled) this.nack.addPacket(packet);
  if (track) track.onReceiveRtp.execute(packet, extensions);
  this.runRtcp();
}

let handling = false;

/** Idempotent; called once by the WebRTC session module before any peer connection exists. */
export function installFastRtpHandling(): void {
  if (handling) return;
  handling = true;
  (RTCRtpReceiver.prototype as unknown as { handleRTP: HandleRtp }).handleRTP = handleRtp;
}
