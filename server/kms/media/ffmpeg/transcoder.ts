/**
 * A transcoding branch, as KMS' agnosticbin makes one: RTP of one codec in, RTP of another out, shared by every sink
 * of the same source that needs that codec. ffmpeg decodes and re-encodes; key frames come every 2 s (encoders
 * cannot be told to make one on request through this path). What arrives while ffmpeg starts (one to two seconds)
 * is kept and sent once it listens: a PlayerEndpoint's stream starts with its only early key frame, and a short clip
 * could be over before ffmpeg is up.
 */
import type { RtpPacket } from 'werift';
import type { RtpCodec, RtpKind, RtpUnit } from '../graph';
import { StreamRewriter } from '../rewriter';
import { FfmpegWorker, RtpIn, RtpOut, WorkDir, freeRtpPort, sdpFor, sdpInputArgs, waitUntilListening, type WorkerExit, VP8_REALTIME_ARGS } from './worker';

/** Packets kept while ffmpeg starts (about 10 s of 640x480 video), so that a short or file-fed stream is not lost. */
const MAX_PENDING = 3000;

const TARGETS: Record<string, { payloadType: number; codec: RtpCodec; args: string[] }> = {
  H264: {
    payloadType: 102,
    codec: { name: 'H264', clockRate: 90000, parameters: 'packetization-mode=1;profile-level-id=42e01f;level-asymmetry-allowed=1' },
    args: ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-bf', '0', '-g', '60', '-b:v', '1000k', '-threads', '1'],
  },
  VP8: {
    payloadType: 96,
    codec: { name: 'VP8', clockRate: 90000 },
    args: [...VP8_REALTIME_ARGS, '-b:v', '1000k', '-g', '60', '-error-resilient', '1', '-auto-alt-ref', '0'],
  },
  OPUS: {
    payloadType: 111,
    codec: { name: 'opus', clockRate: 48000, channels: 2 },
    args: ['-c:a', 'libopus', '-b:a', '48k', '-application', 'voip', '-frame_duration', '20'],
  },
  PCMU: { payloadType: 0, codec: { name: 'PCMU', clockRate: 8000 }, args: ['-c:a', 'pcm_mulaw', '-ar', '8000', '-ac', '1'] },
  PCMA: { payloadType: 8, codec: { name: 'PCMA', clockRate: 8000 }, args: ['-c:a', 'pcm_alaw', '-ar', '8000', '-ac', '1'] },
};

export function canTranscodeTo(codec: RtpCodec): boolean {
  return codec.name.toUpperCase() in TARGETS;
}

/** What setVideoFormat / setAudioFormat ask of the output besides its codec. */
export interface TranscodeOptions {
  /** Frames per second of the output (video). */
  framerate?: number;
  /** Bits per second of the encoder (audio; Opus only, G.711 has one rate). */
  bitrate?: number;
}

export interface TranscoderEvents {
  output(unit: RtpUnit): void;
  /** The process ended without being asked to (the Error event of the source element). */
  failure(exit: WorkerExit): void;
}

export class Transcoder {
  private worker: FfmpegWorker | undefined;
  private readonly dir = new WorkDir();
  private readonly input: StreamRewriter;
  private output: RtpIn | undefined;
  private out: RtpOut | undefined;
  private lastPacket: RtpPacket | undefined;
  /** Rewritten packets waiting for ffmpeg to listen; undefined once it does. */
  private pending: RtpPacket[] | undefined = [];
  private stopped = false;
  readonly target: RtpCodec;

  constructor(
    readonly kind: RtpKind,
    readonly from: RtpCodec,
    to: RtpCodec,
    private readonly events: TranscoderEvents,
    private readonly options: TranscodeOptions = {},
  ) {
    const target = TARGETS[to.name.toUpperCase()];
    if (!target) throw new Error(`no transcoder to ${to.name}`);
    this.target = target.codec;
    this.input = new StreamRewriter(0x4b4c0001, 97, kind === 'VIDEO' ? 3000 : 960);
  }

  get pid(): number | undefined {
    return this.worker?.pid;
  }

  async start(): Promise<void> {
    const target = TARGETS[this.target.name.toUpperCase()];
    if (!target) return;
    const inPort = await freeRtpPort();
    const sdp = await this.dir.file('in.sdp', sdpFor([{ kind: this.kind === 'VIDEO' ? 'video' : 'audio', port: inPort, payloadType: 97, codec: this.from }]));
    this.output = new RtpIn((packet) => {
      if (!this.stopped) this.events.output({ kind: this.kind, packet, codec: this.target });
    });
    const outPort = await this.output.open();
    if (this.stopped) return;
    const stream = this.kind === 'VIDEO' ? '0:v:0' : '0:a:0';
    this.worker = new FfmpegWorker(`transcode ${this.from.name}→${this.target.name}`, [
      ...sdpInputArgs(sdp),
      '-map',
      stream,
      ...target.args,
      ...(this.options.framerate && this.kind === 'VIDEO' ? ['-vf', `fps=${Number(this.options.framerate.toFixed(3))}`] : []),
      ...(this.options.bitrate && this.target.name.toUpperCase() === 'OPUS' ? ['-b:a', String(Math.round(this.options.bitrate))] : []),
      '-payload_type',
      String(target.payloadType),
      '-ssrc',
      String(0x4b4c0002 + (this.kind === 'VIDEO' ? 0 : 1)),
      '-f',
      'rtp',
      `rtp://127.0.0.1:${outPort}?pkt_size=1200`,
    ]);
    this.out = new RtpOut(inPort);
    this.worker.start();
    void this.worker.exited.then((exit) => {
      if (!exit.requested && !this.stopped) this.events.failure(exit);
    });
    // If ffmpeg never listens it fails on its own (the exit above reports it); what waited is sent either way.
    await waitUntilListening(inPort);
    const queued = this.pending ?? [];
    this.pending = undefined;
    if (this.stopped) return;
    for (const queuedPacket of queued) this.out.send(queuedPacket);
  }

  /** Feeds one packet of the source; the same packet pushed by several sinks is sent once. */
  push(packet: RtpPacket): void {
    if (packet === this.lastPacket || this.stopped) return;
    this.lastPacket = packet;
    const rewritten = this.input.rewrite(packet);
    if (this.pending) {
      if (this.pending.length < MAX_PENDING) this.pending.push(rewritten);
      return;
    }
    this.out?.send(rewritten);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.worker?.kill();
    this.out?.close();
    this.output?.close();
    await this.dir.remove();
  }
}
