/**
 * Codec work runs in ffmpeg (Debian): one supervised child process per job, fed and drained over loopback RTP.
 * Every process starts from an argument array (never a shell string), its stderr tail is kept for the error report,
 * and it is stopped on release: SIGINT first (ffmpeg then finishes its file: trailer, cues), SIGKILL after a grace
 * period.
 *
 * Why ffmpeg rather than GStreamer (which Kurento itself is built on): one well-kept command-line tool does all four
 * jobs here (record, play, transcode, mix) with recipes measured on this kind of machine (transcode 9-15 % of a core,
 * a 2x2 composite ~38 %), and its filters cover the GStreamerFilter allow-list (videoflip → hflip/vflip/transpose,
 * videobalance → eq/hue). Recipes are written as argument arrays in the jobs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { closeSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RtpPacket } from 'werift';
import type { RtpCodec } from '../graph';

export const FFMPEG = process.env.KMS_FFMPEG ?? 'ffmpeg';
export const FFPROBE = process.env.KMS_FFPROBE ?? 'ffprobe';

/**
 * libvpx VP8 for live output, set as KMS' own encoder bin sets vp8enc for live media: realtime deadline, its fastest
 * speed (cpu-used 16), one thread. Measured offline on the 4-party Composite graph (20 s of 4 x VP8 640x480/30 in,
 * 800x600/15 out, user CPU of ffmpeg): cpu-used 8 took 7.0 s, 16 took 5.3 s.
 */
export const VP8_REALTIME_ARGS: readonly string[] = ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '16', '-threads', '1'];

/**
 * A file ffmpeg reads or writes through a descriptor the caller opened (and checked: see objects/uri.ts). The child
 * gets it as fd 3 and opens /proc/self/fd/3, which stays seekable (MP4 needs that) and is the very file that was
 * checked, whatever happens to its path afterwards.
 */
export interface OpenedFile {
  /** For logs and error texts (the URI). */
  label: string;
  /** Opens the file and returns its descriptor; throws when it may not be opened. Called once per process started. */
  open: () => number;
}

/** The descriptor-backed path a child process sees for its fd 3. */
export const CHILD_FD_PATH = '/proc/self/fd/3';

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines ffmpeg printed, for the Error event. */
  stderr: string;
  /** True when we asked it to stop. */
  requested: boolean;
}

/** One ffmpeg process. */
export class FfmpegWorker {
  private child: ChildProcess | undefined;
  private stderrTail = '';
  private stopRequested = false;
  readonly exited: Promise<WorkerExit>;
  private resolveExit!: (exit: WorkerExit) => void;

  /**
   * `fd`: a descriptor the child gets as its fd 3 (the parent's copy is closed once the child has started).
   * `commands`: stdin stays open for filter commands (`command()`), instead of -nostdin.
   */
  constructor(
    readonly label: string,
    private readonly args: readonly string[],
    private readonly fd?: number | readonly number[],
    private readonly commands = false,
    /** stdin is a pipe the caller writes media into (`-i pipe:0`), not the terminal: -nostdin stays. */
    private readonly stdinData = false,
    /** stdout is a pipe the caller reads the output from (`pipe:1`). */
    private readonly stdoutData = false,
  ) {
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  /** The child's stdout, for a worker that writes its output there. */
  get stdout(): NodeJS.ReadableStream | undefined {
    return this.stdoutData ? (this.child?.stdout ?? undefined) : undefined;
  }

  /** The child's stdin, for a worker that reads its input from it. */
  get stdin(): NodeJS.WritableStream | undefined {
    return this.stdinData ? (this.child?.stdin ?? undefined) : undefined;
  }

  start(): void {
    if (this.child) return;
    const stdin = this.commands || this.stdinData ? 'pipe' : 'ignore';
    const fds = this.fd === undefined ? [] : typeof this.fd === 'number' ? [this.fd] : [...this.fd];
    const child = spawn(FFMPEG, ['-hide_banner', ...(this.commands ? [] : ['-nostdin']), '-loglevel', 'warning', ...this.args], {
      stdio: [stdin, this.stdoutData ? 'pipe' : 'ignore', 'pipe', ...fds],
    });
    child.stdin?.on('error', () => undefined);
    this.child = child;
    for (const fd of fds) closeSync(fd);
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    });
    child.on('error', (error) => {
      this.stderrTail += `\n${error.message}`;
      this.resolveExit({ code: null, signal: null, stderr: this.stderrTail, requested: this.stopRequested });
    });
    child.on('exit', (code, signal) => {
      this.resolveExit({ code, signal, stderr: this.stderrTail, requested: this.stopRequested });
    });
  }

  /**
   * Asks ffmpeg to finish its output (trailer, index) and waits. SIGINT ends ffmpeg's main loop at the next input
   * packet, and a read blocked on a silent RTP input never gets there (a second SIGINT would abort the trailer too):
   * `nudge` sends input packets meanwhile. SIGKILL after `graceMs`.
   */
  async stop(graceMs = 3000, nudge?: () => void): Promise<WorkerExit> {
    this.stopRequested = true;
    const child = this.child;
    if (!child || !this.running) return this.exited;
    child.kill('SIGINT');
    const nudging = nudge ? setInterval(nudge, 50) : undefined;
    const last = setTimeout(() => child.kill('SIGKILL'), graceMs);
    last.unref();
    const exit = await this.exited;
    if (nudging) clearInterval(nudging);
    clearTimeout(last);
    return exit;
  }

  /**
   * Sends a command to the filter named `target` (`overlay@face0`) of a worker started with `commands`, through
   * ffmpeg's interactive `c` key: it applies from the next frame on. The values are numbers made here, never input.
   */
  command(target: string, name: string, value: number): void {
    const stdin = this.child?.stdin;
    if (!stdin || !this.running || stdin.destroyed) return;
    stdin.write(`c${target} -1 ${name} ${Math.round(value)}\n`);
  }

  /** Kills at once (release of an element whose output nobody needs to finish). */
  async kill(): Promise<WorkerExit> {
    this.stopRequested = true;
    if (this.child && this.running) this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** A free even UDP port on loopback whose next port is free too (RTP and RTCP), for ffmpeg to listen on. */
export async function freeRtpPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const probe = createSocket('udp4');
    probe.bind(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = probe.address().port;
    probe.close();
    const even = port % 2 === 0 ? port : port + 1;
    if (even + 1 > 65535) continue;
    const [a, b] = [createSocket('udp4'), createSocket('udp4')];
    try {
      await Promise.all([bindExact(a, even), bindExact(b, even + 1)]);
      return even;
    } catch {
      // taken meanwhile: try another
    } finally {
      a.close();
      b.close();
    }
  }
  throw new Error('no free UDP port pair on loopback');
}

function bindExact(socket: Socket, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve());
  });
}

/** One media section of an SDP that tells ffmpeg what arrives on a port. */
export interface SdpStream {
  kind: 'audio' | 'video';
  port: number;
  payloadType: number;
  codec: RtpCodec;
}

export function sdpFor(streams: readonly SdpStream[]): string {
  const lines = ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=Kurento Labs codec worker', 'c=IN IP4 127.0.0.1', 't=0 0'];
  for (const stream of streams) {
    lines.push(`m=${stream.kind} ${stream.port} RTP/AVP ${stream.payloadType}`);
    const channels = stream.codec.channels ? `/${stream.codec.channels}` : '';
    lines.push(`a=rtpmap:${stream.payloadType} ${stream.codec.name}/${stream.codec.clockRate}${channels}`);
    if (stream.codec.parameters) lines.push(`a=fmtp:${stream.payloadType} ${stream.codec.parameters}`);
    lines.push('a=recvonly');
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A private temporary folder for SDP files, removed with the job. */
export class WorkDir {
  private dir: string | undefined;

  async file(name: string, content: string): Promise<string> {
    this.dir ??= await mkdtemp(path.join(os.tmpdir(), 'kurento-labs-'));
    const file = path.join(this.dir, name);
    await writeFile(file, content);
    return file;
  }

  async remove(): Promise<void> {
    const dir = this.dir;
    this.dir = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** Input options every RTP/SDP input needs (short probing, or inputs opened later lose packets). */
export function sdpInputArgs(sdpFile: string): string[] {
  return ['-protocol_whitelist', 'file,udp,rtp', '-analyzeduration', '500000', '-probesize', '100000', '-reorder_queue_size', '64', '-f', 'sdp', '-i', sdpFile];
}

/** Sends RTP packets to an ffmpeg input port. */
export class RtpOut {
  private readonly socket = createSocket('udp4');
  sent = 0;

  constructor(private readonly port: number) {
    this.socket.unref();
  }

  send(packet: RtpPacket): void {
    const buffer = packet.serialize();
    this.sent += 1;
    this.socket.send(buffer, this.port, '127.0.0.1');
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}

/** Receives the RTP ffmpeg writes (`-f rtp rtp://127.0.0.1:<port>`). */
export class RtpIn {
  private socket: Socket | undefined;
  port = 0;
  received = 0;

  constructor(private readonly onPacket: (packet: RtpPacket) => void) {}

  async open(): Promise<number> {
    const port = await freeRtpPort();
    const socket = createSocket('udp4');
    await bindExact(socket, port);
    socket.on('message', (data) => {
      // ffmpeg also sends RTCP to port + 1; only RTP arrives here.
      let packet: RtpPacket;
      try {
        packet = RtpPacket.deSerialize(data);
      } catch {
        return;
      }
      this.received += 1;
      this.onPacket(packet);
    });
    socket.unref();
    this.socket = socket;
    this.port = port;
    return port;
  }

  close(): void {
    try {
      this.socket?.close();
    } catch {
      // already closed
    }
    this.socket = undefined;
  }
}

export interface ProbeResult {
  durationMs: number | undefined;
  seekable: boolean;
  video?: { codec: string; width: number; height: number };
  audio?: { codec: string; sampleRate: number; channels: number };
}

/** What `ffprobe -show_format -show_streams -of json` prints, as far as the KMS reads it. */
interface FfprobeJson {
  format?: { duration?: string; format_name?: string };
  streams?: Array<{ codec_type?: string; codec_name?: string; width?: number; height?: number; sample_rate?: string; channels?: number }>;
}

/**
 * Reads an ffprobe run to its end: its exit code, its JSON (undefined when it printed none that parses) and its error
 * output. It waits for 'close', not 'exit': a process can exit before its output has been read, and the JSON would
 * then be cut short (a player once failed with "Unexpected end of JSON input" on a complete recording, on a loaded
 * machine).
 */
export async function ffprobeOutput(child: ChildProcess): Promise<{ code: number | null; json: FfprobeJson | undefined; err: string }> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  try {
    return { code, json: JSON.parse(out) as FfprobeJson, err };
  } catch {
    return { code, json: undefined, err };
  }
}

/** The first video and audio streams and the duration ffprobe found. */
export function probeResultOf(json: FfprobeJson, seekable: boolean): ProbeResult {
  const video = json.streams?.find((stream) => stream.codec_type === 'video');
  const audio = json.streams?.find((stream) => stream.codec_type === 'audio');
  const duration = Number(json.format?.duration);
  const result: ProbeResult = { durationMs: Number.isFinite(duration) ? Math.round(duration * 1000) : undefined, seekable };
  if (video) result.video = { codec: String(video.codec_name), width: video.width ?? 0, height: video.height ?? 0 };
  if (audio) result.audio = { codec: String(audio.codec_name), sampleRate: Number(audio.sample_rate ?? 0), channels: audio.channels ?? 0 };
  return result;
}

/** ffprobe, for the player's getVideoInfo and for checking recordings: a path or URL, or an opened file. */
export async function probe(input: string | OpenedFile): Promise<ProbeResult> {
  const fd = typeof input === 'string' ? undefined : input.open();
  const child = spawn(FFPROBE, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', fd === undefined ? (input as string) : CHILD_FD_PATH], {
    stdio: fd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', fd],
  });
  if (fd !== undefined) closeSync(fd);
  const { code, json, err } = await ffprobeOutput(child);
  if (code !== 0) throw new Error(err.trim() || `ffprobe exited with ${code}`);
  if (!json) throw new Error('ffprobe printed no JSON');
  return probeResultOf(json, Number.isFinite(Number(json.format?.duration)));
}

/**
 * Waits until ffmpeg listens on an RTP input (its RTCP port answers no "port unreachable"), so that the first packets
 * of a recording are not sent into the void. Probes with an empty RTCP receiver report, which ffmpeg ignores.
 */
export async function waitUntilListening(rtpPort: number, timeoutMs = 5000): Promise<boolean> {
  const socket = createSocket('udp4');
  let refused = false;
  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ECONNREFUSED') refused = true;
  });
  await new Promise<void>((resolve) => socket.connect(rtpPort + 1, '127.0.0.1', () => resolve()));
  const probe = Buffer.from([0x80, 0xc9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]);
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  try {
    while (Date.now() < deadline) {
      refused = false;
      socket.send(probe);
      await new Promise((resolve) => setTimeout(resolve, 40));
      quiet = refused ? 0 : quiet + 1;
      if (quiet >= 3) return true;
    }
    return false;
  } finally {
    socket.close();
  }
}
