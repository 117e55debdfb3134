/**
 * The mixing process of the hubs that decode (Composite, AlphaBlending, Mixer's audio): ONE supervised ffmpeg per hub
 * (worker.ts), fed over loopback RTP, with one output per picture or mix.
 *
 * - input: one SDP file with one m-line per port and media type that is flowing, each fed through a StreamRewriter of
 *   its own (continuous SSRC, sequence numbers and timestamps whatever feeds the port); video is held back until a key
 *   frame starts it. Packets get wall-clock timestamps (`-use_wallclock_as_timestamps`), so sources that started at
 *   different moments line up by arrival.
 * - video: a grid (Composite: `fps → scale (aspect kept) → pad` per input, `xstack`, a final `pad`), or a blend
 *   (AlphaBlending: each layer scaled and overlaid in z-order over the master's picture). One VP8 encode (libvpx
 *   realtime, -threads 1, a key frame every 2 s) goes to every port.
 * - audio: per input `aresample=async=1000,asetpts=N/SR/TB` (without it amix stalls on RTP input), mono, `asplit`;
 *   per output an `amix` (`normalize=0`: summed, as GStreamer's audiomixer does) of everybody but the port itself
 *   (Composite, AlphaBlending: kmsaudiomixer), or of the sources routed to a sink (Mixer). One Opus encode per output.
 *
 * The filtergraph is made by pure functions (mixFilterGraph), checked without a process.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RtpPacket } from 'werift';
import type { RtpCodec, RtpKind } from '../graph';
import { type StreamRewriter, isKeyframeStart } from '../rewriter';
import { FfmpegWorker, RtpIn, RtpOut, WorkDir, freeRtpPort, sdpFor, type WorkerExit, VP8_REALTIME_ARGS } from './worker';

export const VIDEO_PAYLOAD_TYPE = 96;
export const AUDIO_PAYLOAD_TYPE = 97;
const OPUS_PAYLOAD_TYPE = 111;
export const VP8_OUT: RtpCodec = { name: 'VP8', clockRate: 90000 };
export const OPUS_OUT: RtpCodec = { name: 'opus', clockRate: 48000, channels: 2 };
/** A port's media counts as flowing while its last packet is younger than this. */
export const ACTIVE_WINDOW_MS = 1500;
export const TICK_MS = 500;
export const RESTART_DEBOUNCE_MS = 300;
export const KEYFRAME_INTERVAL_S = 2;
/** ffmpeg must have bound its input ports by then. */
export const READY_TIMEOUT_MS = 5000;
/** Consecutive failed runs after which the composite waits for the set of inputs to change. */
export const MAX_FAILURES = 3;
/** A run that lasted this long resets the failure count. */
export const STABLE_RUN_MS = 10000;
/** An output silent for this long while its inputs flow means ffmpeg is stuck: the run is restarted. */
export const OUTPUT_STALL_MS = 3000;
/** …once the run is this old (start-up and probing are over). */
export const STALL_GRACE_MS = 6000;
/** The output of the audio mix every port without its own audio input receives. */
export const FULL_MIX = '*';

// Layout and filtergraph (pure, so that they can be checked without a process) ----------------------------------------

/** One m-line of the mixer's input: the media of one kind from one port. */
export interface MixInput {
  /** Id of the HubPort. */
  port: string;
  kind: RtpKind;
  codec: RtpCodec;
}

/** One picture of an AlphaBlending output: where a port's video goes, in pixels of the output, and its z-order. */
export interface BlendLayer {
  port: string;
  x: number;
  y: number;
  width: number;
  height: number;
  z: number;
}

/** Audio a Mixer routes: the sources mixed for one sink port. */
export interface AudioRoute {
  sink: string;
  sources: readonly string[];
}

export interface MixPlan {
  /** Size of the video output (the grid's, or the master's for a blend). */
  width: number;
  height: number;
  framerate: number;
  /** In port order; the index of an entry is its stream index in the SDP input. */
  inputs: readonly MixInput[];
  /** AlphaBlending: the layers drawn over the master's picture, instead of a grid. */
  blend?: { master: string; layers: readonly BlendLayer[] };
  /** Mixer: the audio mixed for each sink, instead of everybody but each port itself. */
  audioRoutes?: readonly AudioRoute[];
}

export interface MixGraph {
  filter: string;
  /** Label of the grid, when there is video. */
  video: string | undefined;
  /** One audio output per contributing port (its mix without its own input), plus FULL_MIX. */
  audio: Array<{ port: string; label: string }>;
}

/**
 * The grid for `count` video inputs, as kmscompositemixer computes it: ⌈√n⌉ columns, ⌈n / columns⌉ rows, so
 * 1 → 1x1, 2 → 2x1, 3-4 → 2x2, 5-6 → 3x2, 7-9 → 3x3, 10-12 → 4x3 …; cells left over stay black.
 */
export function gridOf(count: number): { columns: number; rows: number } {
  const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
  return { columns, rows: Math.max(1, Math.ceil(count / columns)) };
}

const even = (value: number): number => Math.max(2, Math.floor(value / 2) * 2);

function indexed(plan: MixPlan, kind: RtpKind): Array<{ input: MixInput; stream: number }> {
  return plan.inputs.map((input, stream) => ({ input, stream })).filter(({ input }) => input.kind === kind);
}

function videoGraph(plan: MixPlan, parts: string[]): string | undefined {
  if (plan.blend) return blendGraph(plan, plan.blend, parts);
  const streams = indexed(plan, 'VIDEO');
  if (streams.length === 0) return undefined;
  const { columns, rows } = gridOf(streams.length);
  const cellWidth = even(plan.width / columns);
  const cellHeight = even(plan.height / rows);
  streams.forEach(({ stream }, n) => {
    parts.push(
      `[0:${stream}]fps=${plan.framerate},scale=${cellWidth}:${cellHeight}:force_original_aspect_ratio=decrease:force_divisible_by=2:flags=fast_bilinear,` +
        `pad=${cellWidth}:${cellHeight}:(ow-iw)/2:(oh-ih)/2:black,setsar=1,format=yuv420p[v${n}]`,
    );
  });
  let grid = 'v0';
  if (streams.length > 1) {
    const labels = streams.map((_, n) => `[v${n}]`).join('');
    const layout = streams.map((_, n) => `${(n % columns) * cellWidth}_${Math.floor(n / columns) * cellHeight}`).join('|');
    parts.push(`${labels}xstack=inputs=${streams.length}:layout=${layout}:fill=black[grid]`);
    grid = 'grid';
  }
  parts.push(`[${grid}]pad=${plan.width}:${plan.height}:0:0:black[vout]`);
  return 'vout';
}

/**
 * AlphaBlending's picture, as kmsalphablending composes it: the output has the master's size; every port's video is
 * scaled to its layer (the master's and the unconfigured ports' cover the whole output) and drawn in z-order, lowest
 * first, over a black background; parts outside the output are cut off. The background is made from the master's
 * own frames (painted black), so that it carries their timestamps.
 */
function blendGraph(plan: MixPlan, blend: NonNullable<MixPlan['blend']>, parts: string[]): string | undefined {
  const streams = indexed(plan, 'VIDEO');
  const master = streams.find(({ input }) => input.port === blend.master);
  if (!master) return undefined;
  const size = `${plan.width}:${plan.height}`;
  const layers = [...blend.layers]
    .map((layer, order) => ({ layer, order, stream: streams.find(({ input }) => input.port === layer.port)?.stream }))
    .filter((entry): entry is { layer: BlendLayer; order: number; stream: number } => entry.stream !== undefined && entry.layer.width >= 2 && entry.layer.height >= 2)
    .sort((a, b) => a.layer.z - b.layer.z || a.order - b.order);
  const uses = new Map<number, number>();
  for (const { stream } of layers) uses.set(stream, (uses.get(stream) ?? 0) + 1);
  uses.set(master.stream, (uses.get(master.stream) ?? 0) + 1);
  const labels = new Map<number, string[]>();
  for (const [stream, count] of uses) {
    const names = Array.from({ length: count }, (_, n) => `s${stream}u${n}`);
    labels.set(stream, names);
    const split = count > 1 ? `,split=${count}` : '';
    parts.push(`[0:${stream}]fps=${plan.framerate},setsar=1,format=yuv420p${split}${names.map((name) => `[${name}]`).join('')}`);
  }
  const take = (stream: number): string => labels.get(stream)?.shift() ?? '';
  parts.push(`[${take(master.stream)}]scale=${size}:flags=fast_bilinear,drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill[bg]`);
  let base = 'bg';
  layers.forEach(({ layer, stream }, n) => {
    parts.push(`[${take(stream)}]scale=${even(layer.width)}:${even(layer.height)}:flags=fast_bilinear[l${n}]`);
    parts.push(`[${base}][l${n}]overlay=x=${Math.round(layer.x)}:y=${Math.round(layer.y)}:eof_action=repeat:repeatlast=1[b${n}]`);
    base = `b${n}`;
  });
  parts.push(`[${base}]null[vout]`);
  return 'vout';
}

/** Which inputs (indexes among the audio inputs) each audio output mixes. `silent`: the input at volume 0. */
function audioOutputs(ports: readonly string[]): Array<{ port: string; sources: number[]; silent: boolean }> {
  const all = ports.map((_, n) => n);
  const own = ports.map((port, n) => {
    const others = all.filter((m) => m !== n);
    return others.length > 0 ? { port, sources: others, silent: false } : { port, sources: [n], silent: true };
  });
  return [...own, { port: FULL_MIX, sources: all, silent: false }];
}

/** A Mixer's outputs: each sink mixes exactly the sources connected to it (those whose audio flows). */
function routedOutputs(ports: readonly string[], routes: readonly AudioRoute[]): Array<{ port: string; sources: number[]; silent: boolean }> {
  return routes
    .map((route) => ({ port: route.sink, sources: route.sources.map((source) => ports.indexOf(source)).filter((n) => n >= 0), silent: false }))
    .filter((output) => output.sources.length > 0);
}

function audioGraph(plan: MixPlan, parts: string[]): Array<{ port: string; label: string }> {
  const streams = indexed(plan, 'AUDIO');
  if (streams.length === 0) return [];
  const ports = streams.map(({ input }) => input.port);
  const outputs = plan.audioRoutes ? routedOutputs(ports, plan.audioRoutes) : audioOutputs(ports);
  if (outputs.length === 0) return [];
  const copies = streams.map((_, n) => outputs.filter((output) => output.sources.includes(n)).length);
  streams.forEach(({ stream }, n) => {
    const count = copies[n] ?? 1;
    const labels = Array.from({ length: count }, (_, copy) => `[a${n}c${copy}]`).join('');
    const split = count > 1 ? `,asplit=${count}` : '';
    parts.push(`[0:${stream}]aresample=async=1000,asetpts=N/SR/TB,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=mono${split}${labels}`);
  });
  const used = streams.map(() => 0);
  return outputs.map((output, k) => {
    const labels = output.sources.map((n) => `[a${n}c${(used[n] = (used[n] ?? 0) + 1) - 1}]`).join('');
    const label = `aout${k}`;
    if (output.silent) parts.push(`${labels}volume=0[${label}]`);
    else if (output.sources.length === 1) parts.push(`${labels}anull[${label}]`);
    else parts.push(`${labels}amix=inputs=${output.sources.length}:duration=longest:dropout_transition=0:normalize=0[${label}]`);
    return { port: output.port, label };
  });
}

/** The whole filtergraph of one mixer run: the grid and every audio mix. */
export function mixFilterGraph(plan: MixPlan): MixGraph {
  const parts: string[] = [];
  const video = videoGraph(plan, parts);
  const audio = audioGraph(plan, parts);
  return { filter: parts.join(';'), video, audio };
}

export function signatureOf(plan: MixPlan): string {
  if (plan.inputs.length === 0) return NO_INPUTS;
  return JSON.stringify([
    plan.inputs.map(({ port, kind, codec }) => [port, kind, codec.name.toUpperCase(), codec.clockRate, codec.channels ?? 0, codec.parameters ?? '']),
    plan.blend ? [plan.width, plan.height, plan.blend] : [],
    plan.audioRoutes ?? [],
  ]);
}

export const NO_INPUTS = '[]';

// Process helpers (shared with GStreamerFilter) ---------------------------------------------------------------------

/** `count` distinct free RTP port pairs on loopback (each even, with its odd neighbour free). */
export async function freeRtpPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freeRtpPort();
    if (!ports.some((taken) => Math.abs(taken - port) < 2)) ports.push(port);
  }
  return ports;
}

async function boundUdpPorts(): Promise<Set<number> | undefined> {
  const bound = new Set<number>();
  let readable = false;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    readable = true;
    for (const line of text.split('\n').slice(1)) {
      const port = line.trim().split(/\s+/)[1]?.split(':')[1];
      if (port) bound.add(Number.parseInt(port, 16));
    }
  }
  return readable ? bound : undefined;
}

/**
 * Waits until some process listens on every one of `ports` (ffmpeg binds all the sockets of an SDP input at once,
 * before it reads anything): packets sent earlier would be lost, key frames included. Reads /proc/net/udp; where that
 * does not exist, waits a fixed 300 ms. False when `alive` turns false or on timeout.
 */
export async function waitForUdpListeners(ports: readonly number[], alive: () => boolean, timeoutMs = READY_TIMEOUT_MS): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive() && Date.now() < deadline) {
    const bound = await boundUdpPorts();
    if (!bound) {
      await sleep(300, undefined, { ref: false });
      return alive();
    }
    if (ports.every((port) => bound.has(port))) return alive();
    await sleep(25, undefined, { ref: false });
  }
  return false;
}

/** The last line ffmpeg printed, for the Error event. */
export function lastLine(exit: WorkerExit): string {
  return exit.stderr.trim().split('\n').at(-1) || `exit code ${exit.code ?? exit.signal ?? 'unknown'}`;
}

// One mixer process --------------------------------------------------------------------------------------------------

/** What a port sends of one media type, as the mixer process is fed it. */
export interface MixTrack {
  readonly key: string;
  readonly kind: RtpKind;
  codec: RtpCodec;
  readonly rewriter: StreamRewriter;
}

interface RunInput {
  readonly out: RtpOut;
  readonly kind: RtpKind;
  readonly codec: RtpCodec;
  /** Video waits for a key frame before anything is sent. */
  started: boolean;
}

export interface RunEvents {
  video(packet: RtpPacket): void;
  audio(port: string, packet: RtpPacket): void;
  exit(exit: WorkerExit): void;
}

export const trackKey = (port: string, kind: RtpKind): string => `${port}|${kind}`;

export class MixerRun {
  readonly inputs = new Map<string, RunInput>();
  readonly startedAt = Date.now();
  /** Ports that receive a mix of their own; the others receive FULL_MIX. */
  readonly ownMix = new Set<string>();
  ready = false;
  private worker: FfmpegWorker | undefined;
  private readonly dir = new WorkDir();
  private readonly outputs: RtpIn[] = [];
  /** When each output last produced a packet (index as in `outputs`). */
  private readonly lastOutputAt: number[] = [];
  private stopped = false;

  constructor(
    readonly plan: MixPlan,
    readonly signature: string,
    private readonly ssrcBase: number,
    private readonly events: RunEvents,
  ) {}

  get pid(): number | undefined {
    return this.worker?.pid;
  }

  /** Starts ffmpeg; resolves true once it listens on every input port. */
  async start(): Promise<boolean> {
    const graph = mixFilterGraph(this.plan);
    const outputArgs = await this.openOutputs(graph);
    const ports = await freeRtpPorts(this.plan.inputs.length);
    if (this.stopped) return false;
    const sdp = await this.dir.file(
      'mix.sdp',
      sdpFor(
        this.plan.inputs.map((input, index) => ({
          kind: input.kind === 'VIDEO' ? 'video' : 'audio',
          port: ports[index] ?? 0,
          payloadType: input.kind === 'VIDEO' ? VIDEO_PAYLOAD_TYPE : AUDIO_PAYLOAD_TYPE,
          codec: input.codec,
        })),
      ),
    );
    if (this.stopped) {
      await this.dir.remove();
      return false;
    }
    this.plan.inputs.forEach((input, index) => {
      this.inputs.set(trackKey(input.port, input.kind), { out: new RtpOut(ports[index] ?? 0), kind: input.kind, codec: input.codec, started: input.kind === 'AUDIO' });
    });
    const worker = new FfmpegWorker('composite', [...inputArgs(sdp), '-filter_complex_threads', '1', '-filter_complex', graph.filter, ...outputArgs]);
    this.worker = worker;
    worker.start();
    void worker.exited.then((exit) => {
      if (!exit.requested && !this.stopped) this.events.exit(exit);
    });
    this.ready = await waitForUdpListeners(ports, () => !this.stopped && worker.running);
    return this.ready;
  }

  /** Opens the loopback sockets ffmpeg writes to; returns the output half of the ffmpeg arguments. */
  private async openOutputs(graph: MixGraph): Promise<string[]> {
    const args: string[] = [];
    let index = 0;
    const ssrc = (): string => String((this.ssrcBase + index++) >>> 0);
    if (graph.video) {
      const port = await this.open((packet) => this.events.video(packet));
      args.push('-map', `[${graph.video}]`, ...vp8Args(this.plan.framerate, this.plan.width * this.plan.height), '-payload_type', String(VIDEO_PAYLOAD_TYPE), '-ssrc', ssrc(), ...rtpOut(port));
    }
    for (const output of graph.audio) {
      if (output.port !== FULL_MIX) this.ownMix.add(output.port);
      const port = await this.open((packet) => this.events.audio(output.port, packet));
      args.push('-map', `[${output.label}]`, ...OPUS_ARGS, '-payload_type', String(OPUS_PAYLOAD_TYPE), '-ssrc', ssrc(), ...rtpOut(port));
    }
    return args;
  }

  private async open(onPacket: (packet: RtpPacket) => void): Promise<number> {
    const index = this.outputs.length;
    const input = new RtpIn((packet) => {
      if (this.stopped) return;
      this.lastOutputAt[index] = Date.now();
      onPacket(packet);
    });
    this.outputs.push(input);
    const port = await input.open();
    if (this.stopped) input.close();
    return port;
  }

  /** Sends one packet of `track` to ffmpeg (video from its first key frame on). */
  feed(track: MixTrack, packet: RtpPacket): void {
    const input = this.inputs.get(track.key);
    if (!input || !this.ready || this.stopped || !sameCodec(input.codec, track.codec)) return;
    if (!input.started) {
      if (!isKeyframeStart(input.codec.name, packet.payload)) return;
      input.started = true;
    }
    input.out.send(track.rewriter.rewrite(packet));
  }

  /**
   * Whether an output has been silent for OUTPUT_STALL_MS although every input is flowing (the caller knows they are:
   * a run only lasts while its inputs flow). Video inputs still waiting for a key frame excuse the silence.
   */
  stalled(now: number): boolean {
    if (!this.ready || now - this.startedAt < STALL_GRACE_MS || this.waitingForKeyframe().length > 0) return false;
    return this.outputs.some((_, index) => now - (this.lastOutputAt[index] ?? this.startedAt) > OUTPUT_STALL_MS);
  }

  /** Video inputs still waiting for their first key frame. */
  waitingForKeyframe(): string[] {
    return [...this.inputs].filter(([, input]) => input.kind === 'VIDEO' && !input.started).map(([key]) => key);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.ready = false;
    await this.worker?.kill();
    for (const input of this.inputs.values()) input.out.close();
    for (const output of this.outputs) output.close();
    await this.dir.remove();
  }
}

function inputArgs(sdp: string): string[] {
  return [
    '-threads', '1',
    '-protocol_whitelist', 'file,udp,rtp',
    '-use_wallclock_as_timestamps', '1',
    '-fpsprobesize', '0',
    '-analyzeduration', '1000000',
    '-probesize', '1000000',
    '-reorder_queue_size', '64',
    '-f', 'sdp',
    '-i', sdp,
  ];
}

/** VP8 for a grid of `pixels` at `framerate`: about 0.1 bit per pixel, 300 kbps to 2.5 Mbps. */
function vp8Args(framerate: number, pixels: number): string[] {
  const kbps = Math.min(2500, Math.max(300, Math.round((pixels * framerate * 0.1) / 1000)));
  return [
    ...VP8_REALTIME_ARGS, '-pix_fmt', 'yuv420p',
    '-b:v', `${kbps}k`, '-g', String(framerate * KEYFRAME_INTERVAL_S), '-keyint_min', String(framerate * KEYFRAME_INTERVAL_S),
    '-error-resilient', '1', '-auto-alt-ref', '0', '-lag-in-frames', '0',
  ];
}

const OPUS_ARGS = ['-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-frame_duration', '20'];

function rtpOut(port: number): string[] {
  return ['-f', 'rtp', `rtp://127.0.0.1:${port}?pkt_size=1200`];
}

/** Same codec, as far as an ffmpeg input is concerned. */
export function sameCodec(a: RtpCodec, b: RtpCodec): boolean {
  return a.name.toUpperCase() === b.name.toUpperCase() && a.clockRate === b.clockRate && (a.parameters ?? '') === (b.parameters ?? '');
}
