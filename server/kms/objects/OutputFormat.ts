import { KmsError } from '../errors';
import { Transcoder, canTranscodeTo } from '../media/ffmpeg/transcoder';
import type { MediaNode, RtpCodec, RtpKind, RtpUnit } from '../media/graph';
import { sameCodec } from '../media/webrtc-session';

/** KMD VideoCaps / AudioCaps as they arrive (enums as strings). */
export interface VideoCaps {
  codec: string;
  framerate: { numerator: number; denominator: number };
}

export interface AudioCaps {
  codec: string;
  bitrate: number;
}

/** What an element's output must be: the codec, and a frame rate or a bit rate. */
export interface FormatTarget {
  codec: RtpCodec;
  framerate?: number;
  bitrate?: number;
}

const VIDEO_CODECS: Record<string, RtpCodec> = {
  VP8: { name: 'VP8', clockRate: 90000 },
  H264: { name: 'H264', clockRate: 90000, parameters: 'packetization-mode=1;profile-level-id=42e01f;level-asymmetry-allowed=1' },
};

const AUDIO_CODECS: Record<string, RtpCodec> = {
  OPUS: { name: 'opus', clockRate: 48000, channels: 2 },
  PCMU: { name: 'PCMU', clockRate: 8000 },
  PCMA: { name: 'PCMA', clockRate: 8000 },
};

/**
 * The output format of setVideoFormat, checked: KMS turns the caps into GStreamer caps for the element's output
 * (MediaElementImpl.cpp). The codecs this server can encode and carry over RTP are VP8 and H.264; the KMD's others
 * (VP9, H265, AV1, RAW: raw media exists only inside a KMS pipeline) are refused with 40107, as KMS refuses a codec it
 * does not know, rather than accepted and never applied.
 */
export function videoTarget(caps: VideoCaps): FormatTarget {
  const codec = VIDEO_CODECS[caps.codec];
  if (!codec) throw new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', `Invalid parameter provided: ${caps.codec} (the embedded server outputs VP8 or H264)`);
  const { numerator, denominator } = caps.framerate ?? { numerator: 0, denominator: 1 };
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator) || numerator <= 0 || denominator <= 0 || numerator / denominator > 120) {
    throw new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', `Invalid parameter provided: framerate ${numerator}/${denominator}`);
  }
  return { codec, framerate: numerator / denominator };
}

export function audioTarget(caps: AudioCaps): FormatTarget {
  const codec = AUDIO_CODECS[caps.codec];
  if (!codec) throw new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', `Invalid parameter provided: ${caps.codec} (the embedded server outputs OPUS, PCMU or PCMA)`);
  if (!Number.isInteger(caps.bitrate) || caps.bitrate < 0) throw new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', `Invalid parameter provided: bitrate ${caps.bitrate}`);
  // An Opus encoder takes 6 to 510 kbps; 0 leaves the encoder's own rate.
  return { codec, ...(caps.bitrate > 0 ? { bitrate: Math.min(510_000, Math.max(6_000, caps.bitrate)) } : {}) };
}

/** Frames counted before the input's frame rate is known. */
const RATE_FRAMES = 30;
/** An input this close to the asked frame rate (as a fraction of it) passes as it is. */
const RATE_TOLERANCE = 0.15;

export interface OutputFormatEvents {
  /** Units that leave the element (to its sinks). */
  deliver(unit: RtpUnit): void;
  /** The output is (true) or is not (false) made by an encoder of the element. */
  transcoding(transcoding: boolean): void;
  /** The encoder needs a key frame of the input to start from. */
  keyframeNeeded(): void;
  failure(description: string): void;
}

/**
 * The output stage of one media type of an element after setVideoFormat / setAudioFormat: the element's own output
 * passes as it is when it already has the codec (and, for video, a frame rate within 15 % of the one asked, measured
 * over its first 30 frames); otherwise it goes through an ffmpeg transcoder to that codec, frame rate or bit rate, and
 * MediaTranscodingStateChanged says TRANSCODING, as KMS' agnosticbin does when caps differ.
 */
export class OutputFormat {
  private transcoder: Transcoder | undefined;
  private decided: 'pass' | 'transcode' | undefined;
  private frames: number[] = [];
  private lastTimestamp: number | undefined;
  private inputCodec: RtpCodec | undefined;
  private stopped = false;

  constructor(
    readonly kind: RtpKind,
    readonly target: FormatTarget,
    private readonly events: OutputFormatEvents,
  ) {
    if (!canTranscodeTo(target.codec)) throw new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', `Invalid parameter provided: ${target.codec.name}`);
  }

  get transcoding(): boolean {
    return this.decided === 'transcode';
  }

  push(unit: RtpUnit): void {
    if (this.stopped) return;
    if (this.inputCodec && !sameCodec(this.inputCodec, unit.codec)) {
      // Another input codec (a new source): decide again.
      void this.transcoder?.stop();
      this.transcoder = undefined;
      this.decided = undefined;
      this.frames = [];
    }
    this.inputCodec = unit.codec;
    this.decided ??= this.decide(unit);
    if (this.decided === 'pass') {
      this.events.deliver(unit);
      return;
    }
    if (this.decided === 'transcode') {
      this.transcoderFor(unit.codec).push(unit.packet);
      return;
    }
    // Measuring the frame rate: the input passes meanwhile.
    this.events.deliver(unit);
  }

  /** 'pass', 'transcode', or undefined while the input's frame rate is being measured. */
  private decide(unit: RtpUnit): 'pass' | 'transcode' | undefined {
    if (!sameCodec(this.target.codec, unit.codec)) return this.chose('transcode');
    const rate = this.target.framerate;
    if (this.kind !== 'VIDEO' || rate === undefined) return this.chose(this.target.bitrate !== undefined && this.target.codec.name.toUpperCase() === 'OPUS' ? 'transcode' : 'pass');
    const timestamp = unit.packet.header.timestamp;
    if (timestamp !== this.lastTimestamp) {
      this.lastTimestamp = timestamp;
      this.frames.push(timestamp);
    }
    if (this.frames.length <= RATE_FRAMES) return undefined;
    const first = this.frames[0] ?? 0;
    const span = ((timestamp - first + 0x100000000) % 0x100000000) / unit.codec.clockRate;
    const measured = span > 0 ? RATE_FRAMES / span : Infinity;
    return this.chose(Math.abs(measured - rate) <= rate * RATE_TOLERANCE ? 'pass' : 'transcode');
  }

  private chose(decision: 'pass' | 'transcode'): 'pass' | 'transcode' {
    this.events.transcoding(decision === 'transcode');
    if (decision === 'transcode' && this.kind === 'VIDEO') this.events.keyframeNeeded();
    return decision;
  }

  private transcoderFor(from: RtpCodec): Transcoder {
    if (this.transcoder) return this.transcoder;
    const transcoder = new Transcoder(
      this.kind,
      from,
      this.target.codec,
      {
        output: (unit) => {
          if (!this.stopped && transcoder === this.transcoder) this.events.deliver(unit);
        },
        failure: (exit) => this.events.failure(`the output format's transcoder stopped: ${exit.stderr.trim().split('\n').at(-1) ?? `exit ${exit.code}`}`),
      },
      { ...(this.target.framerate !== undefined ? { framerate: this.target.framerate } : {}), ...(this.target.bitrate !== undefined ? { bitrate: this.target.bitrate } : {}) },
    );
    this.transcoder = transcoder;
    transcoder.start().catch((error: unknown) => this.events.failure(`the output format's transcoder did not start: ${String(error)}`));
    return transcoder;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.transcoder?.stop();
    this.transcoder = undefined;
  }
}

/** Puts `format` (or nothing) as the output stage of `kind` on `node`. */
export function installFormat(node: MediaNode, kind: RtpKind, format: OutputFormat | undefined): void {
  if (format) node.outputStage[kind] = (unit) => format.push(unit);
  else delete node.outputStage[kind];
}
