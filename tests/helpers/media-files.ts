/**
 * Real pictures as live media for tests: ffmpeg (Debian) loops a still image (a photograph, a QR code made by
 * qrencode) as VP8 RTP, which a werift peer sends as a browser sends its camera; and the video a peer receives back is
 * decoded by ffmpeg to RGB frames, to look at its pixels.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RtpPacket } from 'werift';
import { RtpOut, freeRtpPort } from '../../server/kms/media/ffmpeg/worker';
import type { WeriftPeer } from './werift-peer';

type Listener = (packet: RtpPacket) => void;

/** A photograph of a face shipped by Debian's opencv-doc (OpenCV's sample data). */
export const FACE_PHOTO_CANDIDATES = [
  '/usr/share/doc/opencv-doc/examples/data/lena.jpg',
  '/usr/share/doc/opencv-doc/examples/data/messi5.jpg',
];

/** Writes a QR code PNG of `text` with Debian's qrencode; returns its path. */
export function makeQrCode(text: string, file: string): string {
  const result = spawnSync('qrencode', ['-o', file, '-s', '8', '-m', '4', text]);
  if (result.status !== 0) throw new Error(`qrencode failed (is Debian's qrencode installed?): ${String(result.stderr)}`);
  return file;
}

/**
 * ffmpeg looping an image (or any lavfi graph) as VP8 RTP at `fps`, a key frame every `gop` frames; `feed(peer)`
 * sends it from the peer's video track.
 */
export class StillVideoSource {
  private child: ChildProcess | undefined;
  private socket: Socket | undefined;
  private readonly listeners = new Set<Listener>();
  stderr = '';

  constructor(
    private readonly input: { image: string } | { lavfi: string },
    private readonly options: { width?: number; height?: number; fps?: number; gop?: number; filter?: string } = {},
  ) {}

  async start(): Promise<this> {
    const { width = 640, height = 480, fps = 30, gop = 30, filter } = this.options;
    const socket = createSocket('udp4');
    socket.on('message', (data) => {
      try {
        const packet = RtpPacket.deSerialize(data);
        for (const listener of this.listeners) listener(packet);
      } catch {
        // not RTP
      }
    });
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    socket.unref();
    this.socket = socket;
    const input = 'image' in this.input ? ['-re', '-loop', '1', '-framerate', String(fps), '-i', this.input.image] : ['-re', '-f', 'lavfi', '-i', this.input.lavfi];
    const scale = `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:white,fps=${fps},format=yuv420p`;
    const args = [
      '-hide_banner', '-loglevel', 'error', ...input,
      '-vf', filter ? `${filter},${scale}` : scale,
      '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-threads', '1', '-b:v', '800k', '-g', String(gop), '-keyint_min', String(gop),
      '-error-resilient', '1', '-auto-alt-ref', '0', '-payload_type', '96', '-ssrc', '4444', '-f', 'rtp', `rtp://127.0.0.1:${socket.address().port}?pkt_size=1200`,
    ];
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => void (this.stderr = (this.stderr + chunk.toString()).slice(-2000)));
    this.child = child;
    return this;
  }

  onVideo(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onAudio(): () => void {
    return () => undefined;
  }

  feed(peer: WeriftPeer): void {
    peer.sendFrom(this);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit').catch(() => undefined);
    }
    this.socket?.close();
    this.socket = undefined;
  }
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/** ffmpeg decoding the VP8 a peer receives: the latest frame as RGB at `width` x `height`. */
export class ReceivedVideo {
  private latest: Buffer | undefined;
  private pending = Buffer.alloc(0);
  frames = 0;

  private constructor(
    readonly width: number,
    readonly height: number,
    private readonly child: ChildProcess,
    private readonly out: RtpOut,
    private readonly dir: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => {
      const size = width * height * 3;
      this.pending = Buffer.concat([this.pending, chunk]);
      while (this.pending.length >= size) {
        this.latest = this.pending.subarray(0, size);
        this.pending = this.pending.subarray(size);
        this.frames += 1;
      }
    });
  }

  /** Decodes what `peer` receives (call before negotiating: the track is announced then). */
  static async of(peer: WeriftPeer, width = 160, height = 120, codec: 'VP8' | 'H264' = 'VP8'): Promise<ReceivedVideo> {
    const port = await freeRtpPort();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'received-'));
    const sdp = path.join(dir, 'in.sdp');
    const rtpmap = codec === 'VP8' ? 'a=rtpmap:96 VP8/90000' : 'a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1';
    await writeFile(sdp, `v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=probe\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=video ${port} RTP/AVP 96\r\n${rtpmap}\r\n`);
    const args = ['-hide_banner', '-loglevel', 'error', '-protocol_whitelist', 'file,udp,rtp', '-fpsprobesize', '0', '-analyzeduration', '1000000', '-f', 'sdp', '-i', sdp,
      '-vf', `fps=5,scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const out = new RtpOut(port);
    const received = new ReceivedVideo(width, height, child, out, dir);
    peer.pc.onTrack.subscribe((track) => {
      if (track.kind !== 'video') return;
      track.onReceiveRtp.subscribe((packet) => {
        const copy = packet.clone();
        copy.header.payloadType = 96;
        out.send(copy);
      });
    });
    return received;
  }

  /** Average colour of the rectangle (fractions of the frame) of the latest frame. */
  average(x0: number, y0: number, x1: number, y1: number): Rgb | undefined {
    const frame = this.latest;
    if (!frame) return undefined;
    const sum = { r: 0, g: 0, b: 0 };
    let n = 0;
    for (let y = Math.floor(y0 * this.height); y < Math.ceil(y1 * this.height); y += 1) {
      for (let x = Math.floor(x0 * this.width); x < Math.ceil(x1 * this.width); x += 1) {
        const offset = (y * this.width + x) * 3;
        sum.r += frame[offset] ?? 0;
        sum.g += frame[offset + 1] ?? 0;
        sum.b += frame[offset + 2] ?? 0;
        n += 1;
      }
    }
    return n === 0 ? undefined : { r: sum.r / n, g: sum.g / n, b: sum.b / n };
  }

  /** Fraction of the pixels of a rectangle that are near `colour` (each channel within 60). */
  share(colour: Rgb, x0 = 0, y0 = 0, x1 = 1, y1 = 1): number {
    const frame = this.latest;
    if (!frame) return 0;
    let hits = 0;
    let n = 0;
    for (let y = Math.floor(y0 * this.height); y < Math.ceil(y1 * this.height); y += 1) {
      for (let x = Math.floor(x0 * this.width); x < Math.ceil(x1 * this.width); x += 1) {
        const offset = (y * this.width + x) * 3;
        const near = Math.abs((frame[offset] ?? 0) - colour.r) < 60 && Math.abs((frame[offset + 1] ?? 0) - colour.g) < 60 && Math.abs((frame[offset + 2] ?? 0) - colour.b) < 60;
        if (near) hits += 1;
        n += 1;
      }
    }
    return n === 0 ? 0 : hits / n;
  }

  async stop(): Promise<void> {
    this.out.close();
    if (this.child.exitCode === null) {
      this.child.kill('SIGKILL');
      await once(this.child, 'exit').catch(() => undefined);
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
