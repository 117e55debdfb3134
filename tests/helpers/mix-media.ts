/**
 * Media for the tests of the mixing hubs (Composite, AlphaBlending, Mixer): ffmpeg sources of a known picture and a
 * tone of their own frequency, sent by werift peers as browsers send their cameras, and decoders of what each peer
 * receives (the colour at a point of the picture, the level of a tone, by the Goertzel algorithm).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HubPort, MediaPipeline, WebRtcEndpoint } from 'kurento-client';
import { RtpPacket } from 'werift';
import { RtpOut, freeRtpPort } from '../../server/kms/media/ffmpeg/worker';
import { gridOf } from '../../server/kms/media/ffmpeg/mix';
import { WeriftPeer, negotiate, waitFor } from './werift-peer';

const sources: LavfiSource[] = [];

/** Stops every source made so far (a test file's after hook). */
export async function stopSources(): Promise<void> {
  for (const source of sources.splice(0)) await source.stop();
}

// Sources: any lavfi picture, a tone of its own --------------------------------------------------------------------------

type Listener = (packet: RtpPacket) => void;

async function udpSocket(onPacket: Listener): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.on('message', (data) => {
    try {
      onPacket(RtpPacket.deSerialize(data));
    } catch {
      // not RTP
    }
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  socket.unref();
  return socket;
}

/**
 * ffmpeg encoding a lavfi picture (VP8, a key frame every 0.5 s: the sources ignore PLIs) and a sine tone (Opus) to RTP;
 * `feed(peer)` sends them from a werift peer's tracks, as a browser sends its camera.
 */
export class LavfiSource {
  private process: ChildProcess | undefined;
  private readonly sockets: Socket[] = [];
  private readonly listeners = { video: new Set<Listener>(), audio: new Set<Listener>() };

  constructor(
    private readonly picture: string,
    private readonly tone: number,
  ) {
    sources.push(this);
  }

  async start(): Promise<this> {
    const video = await udpSocket((packet) => this.listeners.video.forEach((listener) => listener(packet)));
    const audio = await udpSocket((packet) => this.listeners.audio.forEach((listener) => listener(packet)));
    this.sockets.push(video, audio);
    const args = [
      '-hide_banner', '-loglevel', 'error', '-re',
      '-f', 'lavfi', '-i', this.picture,
      '-f', 'lavfi', '-i', `sine=frequency=${this.tone}:sample_rate=48000`,
      '-map', '0:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-threads', '1', '-b:v', '300k', '-g', '15',
      '-error-resilient', '1', '-auto-alt-ref', '0', '-payload_type', '96', '-ssrc', '1111', '-f', 'rtp', `rtp://127.0.0.1:${video.address().port}?pkt_size=1200`,
      '-map', '1:a', '-c:a', 'libopus', '-b:a', '48k', '-payload_type', '111', '-ssrc', '2222', '-f', 'rtp', `rtp://127.0.0.1:${audio.address().port}?pkt_size=1200`,
    ];
    this.process = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    return this;
  }

  feed(peer: WeriftPeer): void {
    for (const kind of ['video', 'audio'] as const) {
      const track = peer.pc.getTransceivers().find((transceiver) => transceiver.kind === kind)?.sender.track;
      if (track) this.listeners[kind].add((packet) => track.writeRtp(packet.clone()));
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    for (const socket of this.sockets.splice(0)) socket.close();
  }
}

export const picture = (colour: string): string => `color=c=${colour}:s=320x240:r=30`;

// What a peer receives, decoded by the test's own ffmpeg ----------------------------------------------------------------

export type Rgb = { r: number; g: number; b: number };
const FRAME = { width: 160, height: 120 };
const SAMPLE_RATE = 16000;

/** The RTP a werift peer receives, by kind. Call before negotiating: the tracks are announced then. */
export function tap(peer: WeriftPeer): Record<'video' | 'audio', Set<Listener>> {
  const listeners = { video: new Set<Listener>(), audio: new Set<Listener>() };
  peer.pc.onTrack.subscribe((track) => {
    const kind = track.kind;
    if (kind !== 'video' && kind !== 'audio') return;
    track.onReceiveRtp.subscribe((packet) => listeners[kind].forEach((listener) => listener(packet)));
  });
  return listeners;
}

/** ffmpeg decoding one received stream: the latest video frame (RGB, 160x120) or the last second of audio (16 kHz). */
export class Decoder {
  private latest: Buffer | undefined;
  private pending = Buffer.alloc(0);
  private pcm = Buffer.alloc(0);

  private constructor(
    private readonly kind: 'video' | 'audio',
    private readonly child: ChildProcess,
    private readonly out: RtpOut,
    private readonly dir: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  static async start(kind: 'video' | 'audio', listeners: Set<Listener>): Promise<Decoder> {
    const port = await freeRtpPort();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'codec-test-'));
    const sdp = path.join(dir, 'in.sdp');
    const media = kind === 'video' ? `m=video ${port} RTP/AVP 96\r\na=rtpmap:96 VP8/90000` : `m=audio ${port} RTP/AVP 111\r\na=rtpmap:111 opus/48000/2`;
    await writeFile(sdp, `v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=probe\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n${media}\r\n`);
    const output =
      kind === 'video'
        ? ['-vf', `fps=5,scale=${FRAME.width}:${FRAME.height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']
        : ['-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 's16le', 'pipe:1'];
    const args = ['-hide_banner', '-loglevel', 'error', '-protocol_whitelist', 'file,udp,rtp', '-fpsprobesize', '0', '-analyzeduration', '1000000', '-f', 'sdp', '-i', sdp, ...output];
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const out = new RtpOut(port);
    const decoder = new Decoder(kind, child, out, dir);
    const payloadType = kind === 'video' ? 96 : 111;
    listeners.add((packet) => {
      const copy = packet.clone();
      copy.header.payloadType = payloadType;
      out.send(copy);
    });
    return decoder;
  }

  private onData(chunk: Buffer): void {
    if (this.kind === 'audio') {
      this.pcm = Buffer.concat([this.pcm, chunk]).subarray(-SAMPLE_RATE * 2);
      return;
    }
    const size = FRAME.width * FRAME.height * 3;
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= size) {
      this.latest = this.pending.subarray(0, size);
      this.pending = this.pending.subarray(size);
    }
  }

  /** Average colour of a 5x5 patch around (relX, relY) of the latest frame. */
  colourAt(relX: number, relY: number): Rgb | undefined {
    const frame = this.latest;
    if (!frame) return undefined;
    const cx = Math.round(relX * (FRAME.width - 1));
    const cy = Math.round(relY * (FRAME.height - 1));
    const sum = { r: 0, g: 0, b: 0 };
    let n = 0;
    for (let y = cy - 2; y <= cy + 2; y += 1) {
      for (let x = cx - 2; x <= cx + 2; x += 1) {
        const offset = (Math.min(FRAME.height - 1, Math.max(0, y)) * FRAME.width + Math.min(FRAME.width - 1, Math.max(0, x))) * 3;
        sum.r += frame[offset] ?? 0;
        sum.g += frame[offset + 1] ?? 0;
        sum.b += frame[offset + 2] ?? 0;
        n += 1;
      }
    }
    return { r: Math.round(sum.r / n), g: Math.round(sum.g / n), b: Math.round(sum.b / n) };
  }

  /** Amplitude (0..32767) of a tone in the last half second of audio, by the Goertzel algorithm. */
  toneLevel(frequency: number): number {
    const samples = Math.min(this.pcm.length / 2, SAMPLE_RATE / 2);
    if (samples < SAMPLE_RATE / 4) return 0;
    const start = this.pcm.length / 2 - samples;
    const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / SAMPLE_RATE);
    let previous = 0;
    let beforePrevious = 0;
    for (let i = 0; i < samples; i += 1) {
      const current = this.pcm.readInt16LE((start + i) * 2) + coefficient * previous - beforePrevious;
      beforePrevious = previous;
      previous = current;
    }
    const power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
    return (2 * Math.sqrt(Math.max(0, power))) / samples;
  }

  async stop(): Promise<void> {
    this.out.close();
    if (this.child.exitCode === null) {
      this.child.kill('SIGKILL');
      await once(this.child, 'exit');
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

export const PALETTE: Readonly<Record<string, Rgb>> = {
  red: { r: 255, g: 0, b: 0 },
  green: { r: 0, g: 255, b: 0 },
  blue: { r: 0, g: 0, b: 255 },
  black: { r: 0, g: 0, b: 0 },
};

/** The palette colour nearest to a sample, when it is near enough to be that colour. */
export function colourName(sample: Rgb | undefined): string {
  if (!sample) return 'nothing';
  const distance = (a: Rgb, b: Rgb): number => Math.max(Math.abs(a.r - b.r), Math.abs(a.g - b.g), Math.abs(a.b - b.b));
  const [name, rgb] = Object.entries(PALETTE).sort(([, a], [, b]) => distance(sample, a) - distance(sample, b))[0] ?? ['', PALETTE.black];
  return rgb && distance(sample, rgb) <= 80 ? name : `rgb(${sample.r},${sample.g},${sample.b})`;
}

/** Colour names of every cell of a grid, row by row, sampled at the cell centres. */
export function cells(decoder: Decoder, count: number): string[] {
  const { columns, rows } = gridOf(count);
  const names: string[] = [];
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) names.push(colourName(decoder.colourAt((column + 0.5) / columns, (row + 0.5) / rows)));
  }
  return names;
}

/** Waits until `problems()` finds none; the error names what was still wrong. */
export async function until(problems: () => string[], timeoutMs: number, what: string): Promise<void> {
  let last: string[] = [];
  try {
    await waitFor(() => (last = problems()).length === 0, timeoutMs, what);
  } catch (error) {
    throw new Error(`${String(error)}: ${last.join('; ')}`);
  }
}

// Peers and endpoints -----------------------------------------------------------------------------------------------

export interface Participant {
  name: string;
  peer: WeriftPeer;
  endpoint: WebRtcEndpoint;
  video: Decoder;
  audio: Decoder;
  port?: HubPort;
}

/** A werift peer sending `source` (or nothing), its endpoint, and decoders of what it receives. */
export async function participant(pipeline: MediaPipeline, name: string, source?: LavfiSource): Promise<Participant> {
  const peer = new WeriftPeer();
  const received = tap(peer);
  source?.feed(peer);
  const endpoint = await negotiate(pipeline, peer);
  const [video, audio] = await Promise.all([Decoder.start('video', received.video), Decoder.start('audio', received.audio)]);
  return { name, peer, endpoint, video, audio };
}

export const TONES = { red: 440, green: 880, blue: 1320 } as const;
/** A tone is heard above this amplitude and absent below ABSENT (the sources play at 1/8 of full scale, ~4100). */
export const HEARD = 1000;
export const ABSENT = 300;

/** What is wrong with what a participant hears, given the tones it must hear and the one it must not. */
export function audioProblems(person: Participant, hears: readonly number[], notHears: readonly number[]): string[] {
  const levels = (list: readonly number[]): string => list.map((f) => `${f} Hz ${Math.round(person.audio.toneLevel(f))}`).join(', ');
  const missing = hears.filter((frequency) => person.audio.toneLevel(frequency) < HEARD);
  const extra = notHears.filter((frequency) => person.audio.toneLevel(frequency) > ABSENT);
  if (missing.length === 0 && extra.length === 0) return [];
  return [`${person.name} hears ${levels([...hears, ...notHears])}`];
}

export async function leave(person: Participant): Promise<void> {
  await Promise.all([person.video.stop(), person.audio.stop()]);
  await person.peer.close();
}
