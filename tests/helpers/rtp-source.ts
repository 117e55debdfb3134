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

/** What a peer sends from: a live `RtpSource`, or one player of a recorded `RtpClip`. */
export interface MediaFeed {
  onVideo(listener: Listener): () => void;
  onAudio(listener: Listener): () => void;
}

interface ClipPacket {
  /** Milliseconds from the start of the clip. */
  at: number;
  packet: RtpPacket;
}

export interface RtpClipOptions extends Omit<RtpSourceOptions, 'audio'> {
  /** Length of the clip in seconds; a whole number of key frame intervals, so that every loop starts on a key frame. */
  seconds?: number;
}

const VIDEO_CLOCK = 90000;
const AUDIO_CLOCK = 48000;

/**
 * Real VP8 and Opus, encoded once by ffmpeg (Debian) and replayed in a loop at the pace they were made, for benches
 * that run many senders on one machine: each `player()` is a sender of its own, with its own place in the clip (as
 * independent cameras are not in step) and RTP sequence numbers and timestamps that run on across loops. No encoder
 * runs while a bench measures.
 */
export class RtpClip {
  private timer: NodeJS.Timeout | undefined;
  private readonly players = new Set<ClipPlayer>();
  private startedAt = 0;

  private constructor(
    readonly video: readonly ClipPacket[],
    readonly audio: readonly ClipPacket[],
    readonly durationMs: number,
  ) {}

  /**
   * Encodes the clip. ffmpeg runs faster than real time and the clip must fit in the sockets' receive buffers; where
   * the kernel caps them lower (net.core.rmem_max) and packets are lost, it encodes again at real-time pace.
   */
  static async record(options: RtpClipOptions = {}): Promise<RtpClip> {
    try {
      return await RtpClip.encode(options, false);
    } catch (error) {
      if (!(error instanceof IncompleteClip)) throw error;
      return RtpClip.encode(options, true);
    }
  }

  private static async encode(options: RtpClipOptions, paced: boolean): Promise<RtpClip> {
    const { width = 640, height = 480, fps = 30, bitrate = 1_000_000, pattern = 'testsrc2', gop = 60, seconds = 4 } = options;
    const frames = Math.round(seconds * fps);
    if (frames % gop !== 0) throw new Error(`a clip of ${frames} frames is not a whole number of ${gop}-frame key frame intervals`);
    const sockets = [await bindUdp(), await bindUdp()];
    const [videoSocket, audioSocket] = sockets as [Socket, Socket];
    const received = { video: [] as ClipPacket[], audio: [] as ClipPacket[] };
    for (const [socket, list] of [[videoSocket, received.video], [audioSocket, received.audio]] as const) {
      // ffmpeg writes faster than real time; the whole clip fits in the receive buffer.
      socket.setRecvBufferSize(4 * 1024 * 1024);
      socket.on('message', (data: Buffer) => list.push({ at: 0, packet: RtpPacket.deSerialize(data) }));
    }
    const args = [
      '-hide_banner', '-loglevel', 'error',
      ...(paced ? ['-re'] : []), '-f', 'lavfi', '-i', `${pattern}=size=${width}x${height}:rate=${fps}:duration=${seconds}`,
      ...(paced ? ['-re'] : []), '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${AUDIO_CLOCK}:duration=${seconds}`,
      '-map', '0:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-threads', '1',
      '-b:v', String(bitrate), '-g', String(gop), '-keyint_min', String(gop), '-error-resilient', '1', '-auto-alt-ref', '0',
      '-payload_type', '96', '-ssrc', '1111', '-f', 'rtp', `rtp://127.0.0.1:${videoSocket.address().port}?pkt_size=1200`,
      '-map', '1:a', '-c:a', 'libopus', '-b:a', '48k', '-payload_type', '111', '-ssrc', '2222', '-f', 'rtp', `rtp://127.0.0.1:${audioSocket.address().port}?pkt_size=1200`,
    ];
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-2000)));
    const [code] = (await once(child, 'exit')) as [number | null];
    // The last datagrams may still be in the sockets' queues.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const socket of sockets) socket.close();
    if (code !== 0) throw new Error(`ffmpeg could not encode the clip (exit ${code}): ${stderr.trim()}`);
    // Opus may run one packet past the last video frame; the loop is exactly `seconds` long.
    const video = clipTimes(received.video, VIDEO_CLOCK).filter(({ at }) => at < seconds * 1000);
    const audio = clipTimes(received.audio, AUDIO_CLOCK).filter(({ at }) => at < seconds * 1000);
    const markers = video.filter(({ packet }) => packet.header.marker).length;
    const firstIsKey = video[0] !== undefined && isVp8KeyframeStart(video[0].packet.payload);
    if (markers !== frames || !firstIsKey || !contiguous(video) || !contiguous(audio)) {
      throw new IncompleteClip(`the recorded clip is incomplete: ${markers} of ${frames} frames, key frame first: ${firstIsKey}, ${video.length} video and ${audio.length} audio packets`);
    }
    return new RtpClip(video, audio, seconds * 1000);
  }

  /** A sender of this clip that starts `offsetMs` into it (wrapping around). */
  player(offsetMs = 0): ClipPlayer {
    const player = new ClipPlayer(this, ((offsetMs % this.durationMs) + this.durationMs) % this.durationMs, () => this.players.delete(player));
    this.players.add(player);
    this.timer ??= this.startClock();
    return player;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.players.clear();
  }

  private startClock(): NodeJS.Timeout {
    this.startedAt = performance.now();
    // Every 5 ms each player sends what fell due since its last turn: packets leave at most 5 ms late, as from a
    // browser's pacer.
    const timer = setInterval(() => {
      const now = performance.now() - this.startedAt;
      for (const player of this.players) player.sendUntil(now);
    }, 5);
    timer.unref();
    return timer;
  }

  /** Milliseconds since the clip's clock started (players that join later start from there). */
  clock(): number {
    return this.timer ? performance.now() - this.startedAt : 0;
  }
}

class IncompleteClip extends Error {}

function clipTimes(list: ClipPacket[], clockRate: number): ClipPacket[] {
  const first = list[0]?.packet.header.timestamp ?? 0;
  return list.map(({ packet }) => ({ at: (((packet.header.timestamp - first) >>> 0) * 1000) / clockRate, packet }));
}

function contiguous(list: readonly ClipPacket[]): boolean {
  return list.length > 0 && list.every(({ packet }, index) => index === 0 || packet.header.sequenceNumber === (((list[index - 1]?.packet.header.sequenceNumber ?? 0) + 1) & 0xffff));
}

class ClipTrack {
  private readonly listeners = new Set<Listener>();
  private next = 0;
  private loop = 0;
  private sequence = 0;

  constructor(
    private readonly packets: readonly ClipPacket[],
    private readonly durationMs: number,
    private readonly clockRate: number,
    /** Clip time at which this track started, and the clip clock at that moment. */
    private readonly offsetMs: number,
    private readonly clockAtStart: number,
  ) {
    this.next = Math.max(0, packets.findIndex(({ at }) => at >= offsetMs));
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends every packet whose time (clip position + loops) has come by clip clock `now`. */
  sendUntil(now: number): void {
    const position = now - this.clockAtStart + this.offsetMs;
    for (;;) {
      const item = this.packets[this.next];
      if (!item) break;
      if (this.loop * this.durationMs + item.at > position) break;
      const header = item.packet.header;
      const first = this.packets[0]?.packet.header.timestamp ?? 0;
      const copy = item.packet.clone();
      copy.header.sequenceNumber = this.sequence;
      copy.header.timestamp = (((header.timestamp - first) >>> 0) + Math.round((this.loop * this.durationMs * this.clockRate) / 1000)) >>> 0;
      this.sequence = (this.sequence + 1) & 0xffff;
      for (const listener of this.listeners) listener(copy);
      this.next += 1;
      if (this.next === this.packets.length) {
        this.next = 0;
        this.loop += 1;
      }
    }
  }
}

/** One sender of an `RtpClip`: its own position in the clip and its own sequence numbers and timestamps. */
export class ClipPlayer implements MediaFeed {
  private readonly video: ClipTrack;
  private readonly audio: ClipTrack;

  constructor(clip: RtpClip, offsetMs: number, private readonly remove: () => void) {
    const now = clip.clock();
    this.video = new ClipTrack(clip.video, clip.durationMs, VIDEO_CLOCK, offsetMs, now);
    this.audio = new ClipTrack(clip.audio, clip.durationMs, AUDIO_CLOCK, offsetMs, now);
  }

  onVideo(listener: Listener): () => void {
    return this.video.on(listener);
  }

  onAudio(listener: Listener): () => void {
    return this.audio.on(listener);
  }

  sendUntil(now: number): void {
    this.video.sendUntil(now);
    this.audio.sendUntil(now);
  }

  stop(): void {
    this.remove();
  }
}
