/**
 * Real media for tests and benchmarks without a browser: ffmpeg (Debian) encodes a test pattern to VP8 and a tone to
 * Opus, and sends both as RTP to loopback UDP ports; `RtpSource` reads them and hands out the packets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { RtpPacket } from 'werift';

export interface RtpSourceOptions {
  width?: number;
  height?: number;
  fps?: number;
  /** Video bitrate in bits per second. */
  bitrate?: number;
  /** lavfi video source, e.g. `testsrc2`, or `color=c=red` for a plain colour. */
  pattern?: string;
  audio?: boolean;
  /** Key frame interval in frames. */
  gop?: number;
}

type Listener = (packet: RtpPacket) => void;

async function bindUdp(): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  socket.unref();
  return socket;
}

export class RtpSource {
  private process: ChildProcess | undefined;
  private readonly sockets: Socket[] = [];
  private readonly listeners = { video: new Set<Listener>(), audio: new Set<Listener>() };
  stderr = '';

  constructor(private readonly options: RtpSourceOptions = {}) {}

  onVideo(listener: Listener): () => void {
    this.listeners.video.add(listener);
    return () => this.listeners.video.delete(listener);
  }

  onAudio(listener: Listener): () => void {
    this.listeners.audio.add(listener);
    return () => this.listeners.audio.delete(listener);
  }

  async start(): Promise<void> {
    const { width = 640, height = 480, fps = 30, bitrate = 1_000_000, pattern = 'testsrc2', audio = true, gop = 60 } = this.options;
    const video = await bindUdp();
    this.sockets.push(video);
    video.on('message', (data) => this.emit('video', data));
    const args = [
      '-hide_banner', '-loglevel', 'error', '-re',
      '-f', 'lavfi', '-i', `${pattern}=size=${width}x${height}:rate=${fps}`,
    ];
    let audioPort = 0;
    if (audio) {
      const audioSocket = await bindUdp();
      this.sockets.push(audioSocket);
      audioSocket.on('message', (data) => this.emit('audio', data));
      audioPort = (audioSocket.address()).port;
      args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000');
    }
    args.push(
      '-map', '0:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-threads', '1',
      '-b:v', String(bitrate), '-g', String(gop), '-keyint_min', String(gop), '-error-resilient', '1', '-auto-alt-ref', '0',
      '-payload_type', '96', '-ssrc', '1111', '-f', 'rtp', `rtp://127.0.0.1:${video.address().port}?pkt_size=1200`,
    );
    if (audio) {
      args.push('-map', '1:a', '-c:a', 'libopus', '-b:a', '48k', '-payload_type', '111', '-ssrc', '2222', '-f', 'rtp', `rtp://127.0.0.1:${audioPort}?pkt_size=1200`);
    }
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', (error) => {
      this.stderr += `\n${error.message}`;
    });
    this.process = child;
  }

  private emit(kind: 'video' | 'audio', data: Buffer): void {
    let packet: RtpPacket;
    try {
      packet = RtpPacket.deSerialize(data);
    } catch {
      return;
    }
    for (const listener of this.listeners[kind]) listener(packet);
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit').catch(() => undefined);
    }
    for (const socket of this.sockets) socket.close();
    this.sockets.length = 0;
  }
}

/** VP8 payload descriptor (RFC 7741): is this packet the start of a key frame? */
export function isVp8KeyframeStart(payload: Buffer): boolean {
  if (payload.length < 1) return false;
  const first = payload[0] ?? 0;
  const extended = (first & 0x80) !== 0;
  const start = (first & 0x10) !== 0;
  const partition = first & 0x07;
  if (!start || partition !== 0) return false;
  let offset = 1;
  if (extended) {
    const flags = payload[offset] ?? 0;
    offset += 1;
    if (flags & 0x80) offset += ((payload[offset] ?? 0) & 0x80) !== 0 ? 2 : 1; // PictureID
    if (flags & 0x40) offset += 1; // TL0PICIDX
    if (flags & 0x30) offset += 1; // TID / KEYIDX
  }
  const header = payload[offset];
  return header !== undefined && (header & 0x01) === 0;
}

/** Frame size from the start of a VP8 key frame (RFC 6386 §9.1: start code 9d 01 2a, then 14-bit width and height). */
export function vp8KeyframeSize(payload: Buffer): { width: number; height: number } | undefined {
  const start = payload.indexOf(Buffer.from([0x9d, 0x01, 0x2a]));
  if (start < 0 || start + 7 > payload.length) return undefined;
  return { width: payload.readUInt16LE(start + 3) & 0x3fff, height: payload.readUInt16LE(start + 5) & 0x3fff };
}
