/**
 * Playback: ffmpeg reads a file (or an http(s) URL) at its own pace (-re) from a start position and sends RTP over
 * loopback: VP8 or H.264 video as stored when possible (no re-encoding), anything else re-encoded to VP8; Opus
 * audio as stored, anything else re-encoded to Opus. The end of the input is the end of the stream.
 */
import { closeSync } from 'node:fs';
import type { RtpPacket } from 'werift';
import type { RtpCodec, RtpKind } from '../graph';
import { CHILD_FD_PATH, FfmpegWorker, RtpIn, type OpenedFile, type ProbeResult, type WorkerExit, VP8_REALTIME_ARGS } from './worker';

export interface PlaybackEvents {
  media(kind: RtpKind, packet: RtpPacket, codec: RtpCodec): void;
  /** The input ended (EndOfStream). */
  ended(): void;
  failure(type: string, description: string): void;
}

export interface PlaybackOptions {
  /** A file (opened, checked, when ffmpeg starts) or the loopback URL of a guarded http(s) source. */
  input: { file: OpenedFile } | { url: string };
  startMs: number;
  probe: ProbeResult;
  /** Describes a failed run for the Error event; gets ffmpeg's last line (return undefined to use it as is). */
  describeFailure?: (lastLine: string) => { type: string; description: string } | undefined;
}

const VP8: RtpCodec = { name: 'VP8', clockRate: 90000 };
const H264: RtpCodec = { name: 'H264', clockRate: 90000, parameters: 'packetization-mode=1;profile-level-id=42e01f;level-asymmetry-allowed=1' };
const OPUS: RtpCodec = { name: 'opus', clockRate: 48000, channels: 2 };

export class PlaybackJob {
  private worker: FfmpegWorker | undefined;
  private readonly inputs: RtpIn[] = [];
  private firstTimestamp: number | undefined;
  private lastTimestamp: number | undefined;
  private clockKind: RtpKind | undefined;
  private stopped = false;

  constructor(private readonly options: PlaybackOptions, private readonly events: PlaybackEvents) {}

  /** Position in the input, in ms, from the RTP timestamps that went out. */
  get positionMs(): number {
    if (this.firstTimestamp === undefined || this.lastTimestamp === undefined) return this.options.startMs;
    const rate = this.clockKind === 'AUDIO' ? 48000 : 90000;
    const ticks = (this.lastTimestamp - this.firstTimestamp + 0x100000000) % 0x100000000;
    return this.options.startMs + Math.round((ticks / rate) * 1000);
  }

  async start(): Promise<void> {
    const { probe, input, startMs } = this.options;
    const args: string[] = ['-re', '-ss', (startMs / 1000).toFixed(3)];
    let fd: number | undefined;
    if ('url' in input) {
      // The guarded source's own loopback proxy: ffmpeg makes no other connection.
      args.push('-protocol_whitelist', 'http,tcp', '-i', input.url);
    } else {
      try {
        fd = input.file.open();
      } catch (error) {
        this.stopped = true;
        this.events.failure('RESOURCE_ERROR_OPEN', `Cannot open ${input.file.label}: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      args.push('-i', CHILD_FD_PATH);
    }
    this.clockKind = probe.video ? 'VIDEO' : 'AUDIO';
    if (probe.video) {
      const copy = probe.video.codec === 'vp8' || probe.video.codec === 'h264';
      const codec = probe.video.codec === 'h264' ? H264 : VP8;
      const port = await this.output('VIDEO', codec);
      args.push(
        '-map',
        '0:v:0',
        ...(copy ? ['-c:v', 'copy', ...(codec === H264 ? ['-bsf:v', 'h264_mp4toannexb'] : [])] : [...VP8_REALTIME_ARGS, '-b:v', '1000k', '-g', '60']),
        '-payload_type',
        codec === H264 ? '102' : '96',
        '-ssrc',
        String(0x504c0001),
        '-f',
        'rtp',
        `rtp://127.0.0.1:${port}?pkt_size=1200`,
      );
    }
    if (probe.audio) {
      const port = await this.output('AUDIO', OPUS);
      args.push(
        '-map',
        '0:a:0',
        ...(probe.audio.codec === 'opus' ? ['-c:a', 'copy'] : ['-c:a', 'libopus', '-b:a', '64k', '-ar', '48000', '-ac', '2']),
        '-payload_type',
        '111',
        '-ssrc',
        String(0x504c0002),
        '-f',
        'rtp',
        `rtp://127.0.0.1:${port}?pkt_size=1200`,
      );
    }
    if (this.stopped) {
      if (fd !== undefined) closeSync(fd);
      return;
    }
    const worker = new FfmpegWorker(`play ${this.label}`, args, fd);
    this.worker = worker;
    worker.start();
    void worker.exited.then((exit) => this.onExit(exit));
  }

  private async output(kind: RtpKind, codec: RtpCodec): Promise<number> {
    const input = new RtpIn((packet) => {
      if (this.stopped) return;
      if (kind === this.clockKind) {
        this.firstTimestamp ??= packet.header.timestamp;
        this.lastTimestamp = packet.header.timestamp;
      }
      this.events.media(kind, packet, codec);
    });
    this.inputs.push(input);
    return input.open();
  }

  private onExit(exit: WorkerExit): void {
    if (exit.requested || this.stopped) return;
    this.stopped = true;
    this.close();
    if (exit.code === 0) {
      this.events.ended();
      return;
    }
    const last = exit.stderr.trim().split('\n').at(-1) ?? `ffmpeg exited with ${exit.code}`;
    const described = this.options.describeFailure?.(last);
    if (described) {
      this.events.failure(described.type, described.description);
      return;
    }
    const type = /No such file|404|403|Connection refused|Invalid data|Permission denied/i.test(exit.stderr) ? 'RESOURCE_ERROR_OPEN' : 'STREAM_ERROR_DECODE';
    this.events.failure(type, `Error playing ${this.label}: ${last}`);
  }

  private get label(): string {
    const { input } = this.options;
    return 'file' in input ? input.file.label : 'the http(s) source';
  }

  private close(): void {
    for (const input of this.inputs) input.close();
    this.inputs.length = 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.worker?.kill();
    this.close();
  }
}
