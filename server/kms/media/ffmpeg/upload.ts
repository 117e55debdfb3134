/**
 * Media uploaded to an HttpPostEndpoint, into the pipeline: ffmpeg reads the body from its stdin (WebM / Matroska as it
 * arrives; MP4 from a spooled file, as its index may come last), paced in real time (-re), and sends RTP over loopback.
 * As KMS decodes uploads unless useEncodedMedia is set, the media is re-encoded (VP8, Opus) by default; with
 * useEncodedMedia VP8 / H.264 / Opus pass as they are and only other codecs are encoded. The end of the input is the
 * end of the stream.
 */
import { spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { RtpPacket } from 'werift';
import type { RtpCodec, RtpKind } from '../graph';
import { CHILD_FD_PATH, FFPROBE, FfmpegWorker, RtpIn, ffprobeOutput, probeResultOf, type ProbeResult, type WorkerExit, VP8_REALTIME_ARGS } from './worker';

export interface UploadEvents {
  media(kind: RtpKind, packet: RtpPacket, codec: RtpCodec): void;
  /** The input ended and everything was sent (EndOfStream). */
  ended(): void;
  /** ffmpeg could not read or decode the input. */
  failure(description: string): void;
}

export type UploadInput = { stream: Readable } | { fd: number };

const VP8: RtpCodec = { name: 'VP8', clockRate: 90000 };
const H264: RtpCodec = { name: 'H264', clockRate: 90000, parameters: 'packetization-mode=1;profile-level-id=42e01f;level-asymmetry-allowed=1' };
const OPUS: RtpCodec = { name: 'opus', clockRate: 48000, channels: 2 };

/** What a body starts with: EBML (WebM, Matroska), an ISO BMFF box (MP4, MOV), or something else. */
export function containerOf(head: Buffer): 'webm' | 'mp4' | undefined {
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return 'webm';
  if (head.length >= 8 && ['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide'].includes(head.toString('latin1', 4, 8))) return 'mp4';
  return undefined;
}

/** ffprobe on the first bytes of an upload (stdin), or on a spooled file (fd 3). */
export async function probeUpload(input: { head: Buffer } | { fd: number }): Promise<ProbeResult> {
  const viaFd = 'fd' in input;
  const child = spawn(FFPROBE, ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', viaFd ? CHILD_FD_PATH : 'pipe:0'], {
    stdio: viaFd ? ['ignore', 'pipe', 'pipe', input.fd] : ['pipe', 'pipe', 'pipe'],
  });
  if (viaFd) closeSync(input.fd);
  else {
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input.head);
  }
  const { code, json, err } = await ffprobeOutput(child);
  // The streams ffprobe found are what counts, whatever its exit code: only without any is the upload refused.
  const result = probeResultOf(json ?? {}, false);
  if (!result.video && !result.audio) throw new Error(err.trim().split('\n').at(-1) || `ffprobe exited with ${code}`);
  return result;
}

export class UploadJob {
  private worker: FfmpegWorker | undefined;
  private readonly outputs: RtpIn[] = [];
  private stopped = false;
  /** Which media types go through an encoder. */
  readonly transcoding: Record<RtpKind, boolean> = { AUDIO: false, VIDEO: false };

  constructor(
    private readonly options: { probe: ProbeResult; useEncodedMedia: boolean; input: UploadInput },
    private readonly events: UploadEvents,
  ) {}

  async start(): Promise<void> {
    const { probe, useEncodedMedia, input } = this.options;
    const args = ['-re', '-fflags', '+genpts'];
    if ('fd' in input) args.push('-i', CHILD_FD_PATH);
    // Streamed bodies are WebM / Matroska (MP4 is spooled to a file first): read as they arrive.
    else args.push('-f', 'matroska', '-i', 'pipe:0');
    if (probe.video) {
      const copy = useEncodedMedia && (probe.video.codec === 'vp8' || probe.video.codec === 'h264');
      const codec = copy && probe.video.codec === 'h264' ? H264 : VP8;
      this.transcoding.VIDEO = !copy;
      const port = await this.output('VIDEO', codec);
      args.push(
        '-map', '0:v:0',
        ...(copy ? ['-c:v', 'copy', ...(codec === H264 ? ['-bsf:v', 'h264_mp4toannexb'] : [])] : [...VP8_REALTIME_ARGS, '-b:v', '1000k', '-g', '60', '-error-resilient', '1', '-auto-alt-ref', '0']),
        '-payload_type', codec === H264 ? '102' : '96', '-ssrc', String(0x48500001), '-f', 'rtp', `rtp://127.0.0.1:${port}?pkt_size=1200`,
      );
    }
    if (probe.audio) {
      const copy = useEncodedMedia && probe.audio.codec === 'opus';
      this.transcoding.AUDIO = !copy;
      const port = await this.output('AUDIO', OPUS);
      args.push(
        '-map', '0:a:0',
        ...(copy ? ['-c:a', 'copy'] : ['-c:a', 'libopus', '-b:a', '64k', '-ar', '48000', '-ac', '2']),
        '-payload_type', '111', '-ssrc', String(0x48500002), '-f', 'rtp', `rtp://127.0.0.1:${port}?pkt_size=1200`,
      );
    }
    if (this.stopped) return;
    const worker = new FfmpegWorker('upload', args, 'fd' in input ? input.fd : undefined, false, 'stream' in input);
    this.worker = worker;
    worker.start();
    if ('stream' in input) {
      const stdin = worker.stdin;
      if (stdin) {
        stdin.on('error', () => undefined);
        input.stream.pipe(stdin);
      }
    }
    void worker.exited.then((exit) => this.onExit(exit));
  }

  private async output(kind: RtpKind, codec: RtpCodec): Promise<number> {
    const input = new RtpIn((packet) => {
      if (!this.stopped) this.events.media(kind, packet, codec);
    });
    this.outputs.push(input);
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
    this.events.failure(exit.stderr.trim().split('\n').filter(Boolean).at(-1) ?? `ffmpeg exited with ${exit.code}`);
  }

  /** Whether ffmpeg still runs (false once the input ended or failed). */
  get running(): boolean {
    return this.worker?.running === true;
  }

  get pid(): number | undefined {
    return this.worker?.pid;
  }

  private close(): void {
    for (const output of this.outputs) output.close();
    this.outputs.length = 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.worker?.kill();
    this.close();
  }
}
