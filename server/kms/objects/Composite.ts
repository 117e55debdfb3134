/**
 * KMD Composite: a Hub that mixes. Every HubPort sends its media in; every port receives one grid of all the video
 * and the mix of everybody's audio except its own, as KMS' kmscompositemixer does (a compositor with a black
 * background, a grid that grows with the number of inputs, an audio mixer with one output per port that leaves that
 * port's own input out).
 *
 * The embedded server does it with ONE supervised ffmpeg process per composite (media/ffmpeg/worker.ts):
 *
 * - input: one SDP file with one m-line per port and media type that is flowing. Each m-line is fed over loopback
 *   UDP through a StreamRewriter of its own (continuous SSRC, sequence numbers and timestamps whatever feeds the
 *   port); video is held back until a key frame starts it. Packets get wall-clock timestamps
 *   (`-use_wallclock_as_timestamps`), so sources that started at different moments line up by arrival.
 * - video: per input `fps → scale (aspect kept) → pad` to one cell, then `xstack` (black fill) and a final `pad` to
 *   width x height. The grid is KMS' own: 1 input → full frame, 2 → side by side, 3-4 → 2x2, 5-6 → 3x2, 7-9 → 3x3
 *   (⌈√n⌉ columns, ⌈n / columns⌉ rows), inputs in the order their ports were created. KMS stretches each picture to
 *   its cell; here the aspect ratio is kept and the rest of the cell is black. One VP8 encode (libvpx realtime,
 *   -threads 1, a key frame every 2 s) goes to every port.
 * - audio: per input `aresample=async=1000,asetpts=N/SR/TB` (without it amix stalls on RTP input), mono, `asplit`;
 *   per contributing port an `amix` of all the OTHER inputs (`normalize=0`: summed, as GStreamer's audiomixer does),
 *   one more amix of everybody for ports that send no audio; a lone contributor gets its own input at volume 0 (a
 *   silent stream paced by a live input). One Opus encode per output.
 *
 * An ffmpeg input that gets no packets stalls the whole graph, so a port only joins the mix once its media flows,
 * and leaves it when its media stops (1.5 s without packets) or the port is released. Any change of that set restarts
 * the process, debounced by 300 ms; every restart asks each video source for a key frame (and again every 500 ms
 * until one arrived). Outputs use a new SSRC per run, which receivers treat as a source switch (continuous sequence
 * numbers, a key frame first). Key frame requests from receivers cannot reach the encoder: it makes one every 2 s.
 * A process that exits, or whose outputs stay silent for 3 s while its inputs flow, raises the Error event
 * (STREAM_ERROR_FAILED) and is restarted; after 3 failures in a row the composite waits for its inputs to change.
 */
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RtpPacket } from 'werift';
import { KmsError } from '../errors';
import type { MediaUnit, RtpCodec, RtpKind } from '../media/graph';
import { FfmpegWorker, RtpIn, RtpOut, WorkDir, freeRtpPort, sdpFor, type WorkerExit, VP8_REALTIME_ARGS } from '../media/ffmpeg/worker';
import { StreamRewriter, isKeyframeStart } from '../media/rewriter';
import { Hub } from './Hub';
import type { HubPort } from './HubPort';
import type { ObjectContext } from './MediaObject';
import type { KmsConstructorParams, CompositeEvents } from './kmd-types.generated';

/** Constructor parameters, as the KMD declares them (generated). */
export type CompositeParams = KmsConstructorParams['Composite'];

const VIDEO_PAYLOAD_TYPE = 96;
const AUDIO_PAYLOAD_TYPE = 97;
const OPUS_PAYLOAD_TYPE = 111;
const VP8_OUT: RtpCodec = { name: 'VP8', clockRate: 90000 };
const OPUS_OUT: RtpCodec = { name: 'opus', clockRate: 48000, channels: 2 };
/** A port's media counts as flowing while its last packet is younger than this. */
const ACTIVE_WINDOW_MS = 1500;
const TICK_MS = 500;
const RESTART_DEBOUNCE_MS = 300;
const KEYFRAME_INTERVAL_S = 2;
/** ffmpeg must have bound its input ports by then. */
const READY_TIMEOUT_MS = 5000;
/** Consecutive failed runs after which the composite waits for the set of inputs to change. */
const MAX_FAILURES = 3;
/** A run that lasted this long resets the failure count. */
const STABLE_RUN_MS = 10000;
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

export interface MixPlan {
  width: number;
  height: number;
  framerate: number;
  /** In port order; the index of an entry is its stream index in the SDP input. */
  inputs: readonly MixInput[];
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

/** Which inputs (indexes among the audio inputs) each audio output mixes. `silent`: the input at volume 0. */
function audioOutputs(ports: readonly string[]): Array<{ port: string; sources: number[]; silent: boolean }> {
  const all = ports.map((_, n) => n);
  const own = ports.map((port, n) => {
    const others = all.filter((m) => m !== n);
    return others.length > 0 ? { port, sources: others, silent: false } : { port, sources: [n], silent: true };
  });
  return [...own, { port: FULL_MIX, sources: all, silent: false }];
}

function audioGraph(plan: MixPlan, parts: string[]): Array<{ port: string; label: string }> {
  const streams = indexed(plan, 'AUDIO');
  if (streams.length === 0) return [];
  const outputs = audioOutputs(streams.map(({ input }) => input.port));
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

function signatureOf(plan: MixPlan): string {
  return JSON.stringify(plan.inputs.map(({ port, kind, codec }) => [port, kind, codec.name.toUpperCase(), codec.clockRate, codec.channels ?? 0, codec.parameters ?? '']));
}

const NO_INPUTS = '[]';

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

/** What a port sends of one media type. */
interface Track {
  readonly key: string;
  readonly port: HubPort;
  readonly kind: RtpKind;
  codec: RtpCodec;
  readonly rewriter: StreamRewriter;
  lastPacketAt: number;
}

interface RunInput {
  readonly out: RtpOut;
  readonly kind: RtpKind;
  readonly codec: RtpCodec;
  /** Video waits for a key frame before anything is sent. */
  started: boolean;
}

interface RunEvents {
  video(packet: RtpPacket): void;
  audio(port: string, packet: RtpPacket): void;
  exit(exit: WorkerExit): void;
}

const trackKey = (port: string, kind: RtpKind): string => `${port}|${kind}`;

class MixerRun {
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
  feed(track: Track, packet: RtpPacket): void {
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

// The KMD class ------------------------------------------------------------------------------------------------------

function checkSize(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 64 || value > 4096 || value % 2 !== 0) {
    throw new KmsError('MARSHALL_ERROR', `Composite '${name}' must be an even integer from 64 to 4096 (got ${value})`);
  }
}

function checkFramerate(value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 60) {
    throw new KmsError('MARSHALL_ERROR', `Composite 'framerate' must be an integer from 1 to 60 (got ${value})`);
  }
}

export class Composite extends Hub<CompositeEvents> {
  readonly width: number;
  readonly height: number;
  readonly framerate: number;
  private readonly tracks = new Map<string, Track>();
  private run: MixerRun | undefined;
  private applying: Promise<void> = Promise.resolve();
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly ticker: NodeJS.Timeout;
  private generation = 0;
  private failures = 0;
  /** The set of inputs that failed MAX_FAILURES times in a row: not retried until it changes. */
  private failedSignature: string | undefined;
  private readonly ssrcBase = randomInt(0x10000000, 0x70000000);
  private disposed = false;

  constructor(context: ObjectContext, { mediaPipeline, width = 800, height = 600, framerate = 15 }: CompositeParams) {
    // Checked before the object joins its pipeline: a refused create leaves nothing behind.
    checkSize('width', width);
    checkSize('height', height);
    checkFramerate(framerate);
    super(context, 'Composite', mediaPipeline);
    this.width = width;
    this.height = height;
    this.framerate = framerate;
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
  }

  /** The pid of the mixer process, when one runs (tests and benchmarks). */
  get mixerPid(): number | undefined {
    return this.run?.pid;
  }

  /** The plan of the running mixer (tests). */
  get currentPlan(): MixPlan | undefined {
    return this.run?.plan;
  }

  // Media in -----------------------------------------------------------------------------------------------------------

  onPortInput(port: HubPort, unit: MediaUnit): void {
    if (unit.kind === 'DATA' || this.disposed) return;
    const now = Date.now();
    const track = this.trackFor(port, unit.kind, unit.codec);
    const changed = now - track.lastPacketAt >= ACTIVE_WINDOW_MS || !sameCodec(track.codec, unit.codec);
    track.codec = unit.codec;
    track.lastPacketAt = now;
    if (changed) this.scheduleRestart();
    this.run?.feed(track, unit.packet);
  }

  private trackFor(port: HubPort, kind: RtpKind, codec: RtpCodec): Track {
    const key = trackKey(port.id, kind);
    let track = this.tracks.get(key);
    if (!track) {
      const ssrc = (this.ssrcBase + 0x1000 + this.tracks.size * 2) >>> 0;
      const rewriter = new StreamRewriter(ssrc, kind === 'VIDEO' ? VIDEO_PAYLOAD_TYPE : AUDIO_PAYLOAD_TYPE, kind === 'VIDEO' ? 3000 : 960);
      track = { key, port, kind, codec, rewriter, lastPacketAt: 0 };
      this.tracks.set(key, track);
    }
    return track;
  }

  /** Receivers cannot make the encoder produce a key frame: it makes one every KEYFRAME_INTERVAL_S. */
  onPortKeyframeRequest(_port: HubPort, _kind: RtpKind): void {}

  override detach(port: HubPort): void {
    super.detach(port);
    for (const kind of ['AUDIO', 'VIDEO'] as const) this.tracks.delete(trackKey(port.id, kind));
    this.scheduleRestart();
  }

  // Media out ----------------------------------------------------------------------------------------------------------

  private deliverVideo(run: MixerRun, packet: RtpPacket): void {
    if (run !== this.run) return;
    const unit = { kind: 'VIDEO' as const, packet, codec: VP8_OUT };
    for (const port of this.ports) if (!port.released) port.deliver(unit);
  }

  private deliverAudio(run: MixerRun, owner: string, packet: RtpPacket): void {
    if (run !== this.run) return;
    const unit = { kind: 'AUDIO' as const, packet, codec: OPUS_OUT };
    for (const port of this.ports) {
      if (port.released) continue;
      const mine = owner === FULL_MIX ? !run.ownMix.has(port.id) : port.id === owner;
      if (mine) port.deliver(unit);
    }
  }

  // The mixer process --------------------------------------------------------------------------------------------------

  /** The inputs whose media flows now, in port order. */
  private desiredPlan(): MixPlan {
    const now = Date.now();
    const inputs: MixInput[] = [];
    for (const port of this.ports) {
      if (port.released) continue;
      for (const kind of ['VIDEO', 'AUDIO'] as const) {
        const track = this.tracks.get(trackKey(port.id, kind));
        if (track && now - track.lastPacketAt < ACTIVE_WINDOW_MS) inputs.push({ port: port.id, kind, codec: track.codec });
      }
    }
    return { width: this.width, height: this.height, framerate: this.framerate, inputs };
  }

  private tick(): void {
    if (this.disposed) return;
    if (signatureOf(this.desiredPlan()) !== (this.run?.signature ?? NO_INPUTS)) this.scheduleRestart();
    const run = this.run;
    if (!run?.ready) return;
    if (run.stalled(Date.now())) {
      void this.onRunExit(run, { code: null, signal: null, stderr: `an output stalled for ${OUTPUT_STALL_MS / 1000} s; restarting the mixer`, requested: false });
      return;
    }
    for (const key of run.waitingForKeyframe()) this.tracks.get(key)?.port.node.requestUpstreamKeyframe('VIDEO');
  }

  private scheduleRestart(): void {
    if (this.disposed) return;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.applying = this.applying.then(() => this.apply()).catch((error: unknown) => this.fail(`the mixer did not start: ${String(error)}`));
    }, RESTART_DEBOUNCE_MS);
    this.restartTimer.unref();
  }

  /** Makes the running process match the flowing inputs: nothing to do, stop, or restart. */
  private async apply(): Promise<void> {
    const plan = this.desiredPlan();
    const signature = signatureOf(plan);
    if (this.disposed || this.run?.signature === signature) return;
    await this.stopRun();
    if (plan.inputs.length === 0 || signature === this.failedSignature) return;
    this.failedSignature = undefined;
    await this.startRun(plan, signature);
  }

  private async startRun(plan: MixPlan, signature: string): Promise<void> {
    this.generation += 1;
    const run: MixerRun = new MixerRun(plan, signature, this.ssrcBase + this.generation * 64, {
      video: (packet) => this.deliverVideo(run, packet),
      audio: (owner, packet) => this.deliverAudio(run, owner, packet),
      exit: (exit) => void this.onRunExit(run, exit),
    });
    this.run = run;
    const video = plan.inputs.filter((input) => input.kind === 'VIDEO').length;
    this.context.log.info(`Composite ${this.shortId}: mixer run ${this.generation} with ${video} video and ${plan.inputs.length - video} audio input(s)`);
    const ready = await run.start();
    if (this.disposed || run !== this.run) return;
    if (!ready) {
      await this.onRunExit(run, { code: null, signal: null, stderr: `ffmpeg did not open its inputs within ${READY_TIMEOUT_MS} ms`, requested: false });
      return;
    }
    for (const port of this.ports) port.node.requestUpstreamKeyframe('VIDEO');
  }

  private async onRunExit(run: MixerRun, exit: WorkerExit): Promise<void> {
    if (run !== this.run) return;
    this.run = undefined;
    await run.stop();
    this.failures = Date.now() - run.startedAt >= STABLE_RUN_MS ? 1 : this.failures + 1;
    this.raiseError('STREAM_ERROR_FAILED', `Composite mixer (ffmpeg) stopped: ${lastLine(exit)}`, 0);
    if (this.failures >= MAX_FAILURES) {
      this.failedSignature = run.signature;
      this.context.log.warn(`Composite ${this.shortId}: the mixer failed ${this.failures} times; waiting for the set of inputs to change`);
      this.failures = 0;
      return;
    }
    this.scheduleRestart();
  }

  private fail(description: string): void {
    this.raiseError('STREAM_ERROR_FAILED', description, 0);
  }

  private async stopRun(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    await run?.stop();
  }

  protected override async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.ticker);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    // Stopping first also ends a start that is still waiting for ffmpeg; apply() does nothing once disposed.
    await this.stopRun();
    await this.applying;
    await this.stopRun();
    this.tracks.clear();
    await super.dispose();
  }
}

/** Same codec, as far as an ffmpeg input is concerned. */
export function sameCodec(a: RtpCodec, b: RtpCodec): boolean {
  return a.name.toUpperCase() === b.name.toUpperCase() && a.clockRate === b.clockRate && (a.parameters ?? '') === (b.parameters ?? '');
}
