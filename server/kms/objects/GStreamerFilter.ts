/**
 * KMD GStreamerFilter on the embedded server. KMS runs `gst_parse_launch(command)` and inserts the element it gets;
 * executing an arbitrary pipeline description on a teaching server is out of the question, so the embedded server
 * accepts a small allow-list of gst-launch commands, parses them strictly and maps them onto ffmpeg filters. The
 * command text itself never reaches a process: the ffmpeg filter is built from the parsed, range-checked numbers.
 *
 * Syntax: `element prop=value prop=value …` — one element, no `!`, no quotes, each property at most once.
 *
 * | gst-launch command                                   | values                                        | ffmpeg filter                     |
 * | ---------------------------------------------------- | --------------------------------------------- | --------------------------------- |
 * | `videoflip method=none` (or 0, the default)          |                                               | `null`                            |
 * | `videoflip method=clockwise` (1)                     |                                               | `transpose=clock`                 |
 * | `videoflip method=rotate-180` (2)                    |                                               | `hflip,vflip`                     |
 * | `videoflip method=counterclockwise` (3)              |                                               | `transpose=cclock`                |
 * | `videoflip method=horizontal-flip` (4)               |                                               | `hflip`                           |
 * | `videoflip method=vertical-flip` (5)                 |                                               | `vflip`                           |
 * | `videoflip method=upper-left-diagonal` (6)           |                                               | `transpose=cclock_flip`           |
 * | `videoflip method=upper-right-diagonal` (7)          |                                               | `transpose=clock_flip`            |
 * | `videobalance saturation=S brightness=B contrast=C hue=H` | S 0..2 (1), B -1..1 (0), C 0..2 (1), H -1..1 (0) | `eq=brightness=B:contrast=C:saturation=S` + `hue=h=H×180` when H ≠ 0 |
 * | `videobalance saturation=0` (grayscale)              |                                               | `eq=…:saturation=0`               |
 * | `coloreffects preset=none` (0)                       |                                               | `null`                            |
 * | `coloreffects preset=heat` (1)                       |                                               | `pseudocolor=preset=turbo`        |
 * | `coloreffects preset=sepia` (2)                      |                                               | `colorchannelmixer` sepia matrix  |
 * | `coloreffects preset=xray` (3)                       |                                               | `hue=s=0,negate,colorbalance=bs=0.3:bm=0.15` |
 *
 * `videoflip method=automatic` (8, needs image-orientation tags) and the `xpro` / `yellowblue` presets are refused.
 * Anything else answers MEDIA_OBJECT_ILLEGAL_PARAM_ERROR (40107) at create. A video element with
 * `filterType: AUDIO` is refused with MARSHALL_ERROR, as KMS refuses an element whose pads do not match.
 *
 * Media: video goes through one supervised ffmpeg process (RTP in over loopback, decode, the filter, VP8 encode with
 * libvpx realtime and a key frame every 2 s, RTP out); audio and data pass unchanged. `setElementProperty` changes one
 * allowed property and restarts the process; every (re)start asks upstream for a key frame, again every 500 ms until
 * one arrived. Key frame requests from downstream cannot reach the encoder (it makes one every 2 s). A process that
 * exits, or gives no output for 3 s while video goes in, raises the Error event (STREAM_ERROR_FAILED) and is
 * restarted, up to 3 times in a row.
 */
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RtpPacket } from 'werift';
import { KmsError } from '../errors';
import type { MediaUnit, RtpCodec } from '../media/graph';
import { FfmpegWorker, RtpIn, RtpOut, WorkDir, sdpFor, type WorkerExit, VP8_REALTIME_ARGS } from '../media/ffmpeg/worker';
import { StreamRewriter, isKeyframeStart } from '../media/rewriter';
import { OUTPUT_STALL_MS, STALL_GRACE_MS, freeRtpPorts, lastLine, sameCodec, waitForUdpListeners } from './Composite';
import { Filter } from './MediaElement';
import type { ObjectContext, PropertyAccess } from './MediaObject';
import type { KmsConstructorParams, GStreamerFilterEvents } from './kmd-types.generated';

export type FilterType = 'AUDIO' | 'AUTODETECT' | 'VIDEO';

/** Constructor parameters, as the KMD declares them (generated). */
export type GStreamerFilterParams = KmsConstructorParams['GStreamerFilter'];

// The allow-list ------------------------------------------------------------------------------------------------------

type PropertySpec =
  | { kind: 'enum'; nicks: Readonly<Record<string, number>>; default: number }
  | { kind: 'number'; min: number; max: number; default: number };

interface ElementSpec {
  name: string;
  properties: Readonly<Record<string, PropertySpec>>;
  /** The ffmpeg filter for these property values (all numbers, already checked). */
  filter(values: Readonly<Record<string, number>>): string;
}

const number = (min: number, max: number, fallback: number): PropertySpec => ({ kind: 'number', min, max, default: fallback });

const FLIPS = ['null', 'transpose=clock', 'hflip,vflip', 'transpose=cclock', 'hflip', 'vflip', 'transpose=cclock_flip', 'transpose=clock_flip'];
const FLIP_NICKS = {
  none: 0,
  clockwise: 1,
  'rotate-180': 2,
  counterclockwise: 3,
  'horizontal-flip': 4,
  'vertical-flip': 5,
  'upper-left-diagonal': 6,
  'upper-right-diagonal': 7,
};

const EFFECTS: Readonly<Record<number, string>> = {
  0: 'null',
  1: 'pseudocolor=preset=turbo',
  2: 'colorchannelmixer=.393:.769:.189:0:.349:.686:.168:0:.272:.534:.131',
  3: 'hue=s=0,negate,colorbalance=bs=0.3:bm=0.15',
};

/** Formats a checked number for a filter argument (no exponent, no locale). */
const arg = (value: number): string => String(Math.round(value * 1000) / 1000);

const ELEMENTS: Readonly<Record<string, ElementSpec>> = {
  videoflip: {
    name: 'videoflip',
    properties: { method: { kind: 'enum', nicks: FLIP_NICKS, default: 0 } },
    filter: (values) => FLIPS[values.method ?? 0] ?? 'null',
  },
  videobalance: {
    name: 'videobalance',
    properties: { saturation: number(0, 2, 1), brightness: number(-1, 1, 0), contrast: number(0, 2, 1), hue: number(-1, 1, 0) },
    filter: (values) => {
      const eq = `eq=brightness=${arg(values.brightness ?? 0)}:contrast=${arg(values.contrast ?? 1)}:saturation=${arg(values.saturation ?? 1)}`;
      const hue = values.hue ?? 0;
      return hue === 0 ? eq : `${eq},hue=h=${arg(hue * 180)}`;
    },
  },
  coloreffects: {
    name: 'coloreffects',
    properties: { preset: { kind: 'enum', nicks: { none: 0, heat: 1, sepia: 2, xray: 3 }, default: 0 } },
    filter: (values) => EFFECTS[values.preset ?? 0] ?? 'null',
  },
};

export const ALLOWED_COMMANDS =
  'videoflip method=<none|clockwise|rotate-180|counterclockwise|horizontal-flip|vertical-flip|upper-left-diagonal|upper-right-diagonal|0..7>; ' +
  'videobalance [saturation=0..2] [brightness=-1..1] [contrast=0..2] [hue=-1..1]; ' +
  'coloreffects preset=<none|heat|sepia|xray|0..3>';

export interface ParsedCommand {
  element: ElementSpec;
  values: Record<string, number>;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A property value as a number, or the reason it is not acceptable. */
function parseValue(spec: PropertySpec, name: string, text: string): number | string {
  if (spec.kind === 'enum') {
    const value = spec.nicks[text] ?? (/^\d+$/.test(text) ? Number(text) : undefined);
    const allowed = Object.values(spec.nicks);
    return value !== undefined && allowed.includes(value) ? value : `'${text}' is not an accepted value of ${name}`;
  }
  if (!NUMBER.test(text)) return `${name} must be a number, not '${text}'`;
  const value = Number(text);
  return value >= spec.min && value <= spec.max ? value : `${name} must be between ${spec.min} and ${spec.max}`;
}

function defaults(element: ElementSpec): Record<string, number> {
  return Object.fromEntries(Object.entries(element.properties).map(([name, spec]) => [name, spec.default]));
}

function refuse(command: string, reason?: string): KmsError {
  const why = reason ? `: ${reason}` : '';
  return new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', `GStreamerFilter command '${command}' is not supported by the embedded server${why} (allowed: ${ALLOWED_COMMANDS})`);
}

/** Parses a gst-launch command against the allow-list; throws MEDIA_OBJECT_ILLEGAL_PARAM_ERROR otherwise. */
export function parseCommand(command: string): ParsedCommand {
  if (!/^[A-Za-z0-9_.=+\- ]+$/.test(command)) throw refuse(command, 'only one element with name=value properties is accepted');
  const [name = '', ...tokens] = command.trim().split(/ +/);
  const element = Object.hasOwn(ELEMENTS, name) ? ELEMENTS[name] : undefined;
  if (!element) throw refuse(command);
  const values = defaults(element);
  const seen = new Set<string>();
  for (const token of tokens) {
    const match = /^([a-z][a-z0-9-]*)=(\S+)$/.exec(token);
    const property = match?.[1] ?? '';
    const spec = Object.hasOwn(element.properties, property) ? element.properties[property] : undefined;
    if (!match || !spec) throw refuse(command, `'${token}' is not an accepted property of ${name}`);
    if (seen.has(property)) throw refuse(command, `${property} is given twice`);
    seen.add(property);
    const value = parseValue(spec, property, match[2] ?? '');
    if (typeof value === 'string') throw refuse(command, value);
    values[property] = value;
  }
  return { element, values };
}

// The ffmpeg process --------------------------------------------------------------------------------------------------

const INPUT_PAYLOAD_TYPE = 96;
const VP8_OUT: RtpCodec = { name: 'VP8', clockRate: 90000 };
/** Key frame requests are repeated this often until one arrives; the output is watched as often. */
const TICK_MS = 500;

class FilterRun {
  ready = false;
  /** Nothing is sent before the first key frame. */
  started = false;
  readonly startedAt = Date.now();
  private lastOutputAt: number | undefined;
  private worker: FfmpegWorker | undefined;
  private input: RtpOut | undefined;
  private output: RtpIn | undefined;
  private readonly dir = new WorkDir();
  private stopped = false;

  constructor(
    readonly codec: RtpCodec,
    private readonly filter: string,
    private readonly ssrc: number,
    private readonly events: { output(packet: RtpPacket): void; exit(exit: WorkerExit): void },
  ) {}

  get pid(): number | undefined {
    return this.worker?.pid;
  }

  async start(): Promise<boolean> {
    const output = new RtpIn((packet) => {
      if (this.stopped) return;
      this.lastOutputAt = Date.now();
      this.events.output(packet);
    });
    this.output = output;
    const outPort = await output.open();
    const [inPort = 0] = await freeRtpPorts(1);
    if (this.stopped) return false;
    const sdp = await this.dir.file('filter.sdp', sdpFor([{ kind: 'video', port: inPort, payloadType: INPUT_PAYLOAD_TYPE, codec: this.codec }]));
    if (this.stopped) {
      await this.dir.remove();
      return false;
    }
    this.input = new RtpOut(inPort);
    const worker = new FfmpegWorker('gstreamer-filter', this.args(sdp, outPort));
    this.worker = worker;
    worker.start();
    void worker.exited.then((exit) => {
      if (!exit.requested && !this.stopped) this.events.exit(exit);
    });
    this.ready = await waitForUdpListeners([inPort], () => !this.stopped && worker.running);
    return this.ready;
  }

  private args(sdp: string, outPort: number): string[] {
    return [
      '-threads', '1', '-protocol_whitelist', 'file,udp,rtp', '-fpsprobesize', '0', '-analyzeduration', '1000000', '-probesize', '1000000',
      '-reorder_queue_size', '64', '-f', 'sdp', '-i', sdp,
      '-map', '0:v:0', '-vf', `${this.filter},format=yuv420p`, '-fps_mode', 'passthrough',
      ...VP8_REALTIME_ARGS, '-b:v', '1000k',
      '-force_key_frames', 'expr:gte(t,n_forced*2)', '-error-resilient', '1', '-auto-alt-ref', '0', '-lag-in-frames', '0',
      '-payload_type', '96', '-ssrc', String(this.ssrc), '-f', 'rtp', `rtp://127.0.0.1:${outPort}?pkt_size=1200`,
    ];
  }

  feed(packet: RtpPacket, rewriter: StreamRewriter): void {
    if (!this.ready || this.stopped || !this.input) return;
    if (!this.started) {
      if (!isKeyframeStart(this.codec.name, packet.payload)) return;
      this.started = true;
    }
    this.input.send(rewriter.rewrite(packet));
  }

  /** Video goes in (its last packet at `lastInputAt`) but nothing has come out for OUTPUT_STALL_MS: ffmpeg is stuck. */
  stalled(now: number, lastInputAt: number): boolean {
    if (!this.started || now - this.startedAt < STALL_GRACE_MS || now - lastInputAt > OUTPUT_STALL_MS / 2) return false;
    return now - (this.lastOutputAt ?? this.startedAt) > OUTPUT_STALL_MS;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.ready = false;
    await this.worker?.kill();
    this.input?.close();
    this.output?.close();
    await this.dir.remove();
  }
}

// The KMD class ------------------------------------------------------------------------------------------------------

const MAX_FAILURES = 3;
const STABLE_RUN_MS = 10000;

function marshall(message: string): KmsError {
  return new KmsError('MARSHALL_ERROR', message);
}

export class GStreamerFilter extends Filter<GStreamerFilterEvents> {
  readonly command: string;
  private readonly element: ElementSpec;
  private readonly values: Record<string, number>;
  private readonly rewriter: StreamRewriter;
  private readonly ssrcBase: number;
  private inputCodec: RtpCodec | undefined;
  private lastInputAt = 0;
  private run: FilterRun | undefined;
  private applying: Promise<void> = Promise.resolve();
  private readonly ticker: NodeJS.Timeout;
  private generation = 0;
  private failures = 0;
  private disposed = false;

  constructor(context: ObjectContext, { mediaPipeline, command, filterType = 'AUTODETECT' }: GStreamerFilterParams) {
    // Checked before the object joins its pipeline: a refused create leaves nothing behind, and runs nothing.
    const parsed = parseCommand(command);
    if (filterType === 'AUDIO') throw marshall(`Given command is not valid, pad templates don't match (${parsed.element.name} is a video element)`);
    super(context, 'GStreamerFilter', mediaPipeline);
    this.command = command;
    this.element = parsed.element;
    this.values = parsed.values;
    this.ssrcBase = randomInt(0x10000000, 0x70000000);
    this.rewriter = new StreamRewriter(this.ssrcBase, INPUT_PAYLOAD_TYPE, 3000);
    this.node.handler = {
      ...this.node.handler,
      onInput: (unit) => this.onInput(unit),
      onKeyframeRequest: (kind) => {
        // The encoder makes a key frame every 2 s; only a process still waiting for its first input key frame asks.
        if (kind === 'VIDEO' && this.run && !this.run.started) this.node.requestUpstreamKeyframe('VIDEO');
      },
    };
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
  }

  /** The ffmpeg filter the command maps to, with the current property values. */
  get ffmpegFilter(): string {
    return this.element.filter(this.values);
  }

  /** The pid of the filter process, when one runs (tests). */
  get filterPid(): number | undefined {
    return this.run?.pid;
  }

  protected override properties(): Record<string, PropertyAccess> {
    return { ...super.properties(), command: { get: () => this.command } };
  }

  // KMD methods -------------------------------------------------------------------------------------------------------

  setElementProperty({ propertyName, propertyValue }: { propertyName: string; propertyValue: string }): void {
    const spec = Object.hasOwn(this.element.properties, propertyName) ? this.element.properties[propertyName] : undefined;
    if (!spec) throw marshall(`No property named '${propertyName}' in object '${this.element.name}' (the embedded server accepts: ${Object.keys(this.element.properties).join(', ')})`);
    const value = parseValue(spec, propertyName, propertyValue.trim());
    if (typeof value === 'string') throw marshall(`Cannot set ${this.element.name}.${propertyName}: ${value}`);
    this.values[propertyName] = value;
    this.failures = 0;
    this.context.log.info(`GStreamerFilter ${this.shortId}: ${this.element.name}.${propertyName}=${propertyValue} → ${this.ffmpegFilter}`);
    if (this.inputCodec) this.restart();
  }

  // Media -------------------------------------------------------------------------------------------------------------

  private onInput(unit: MediaUnit): void {
    if (unit.kind !== 'VIDEO') {
      if (unit.kind === 'AUDIO') this.reportTranscoding('AUDIO', false);
      this.node.output(unit);
      return;
    }
    if (this.disposed) return;
    this.lastInputAt = Date.now();
    if (!this.inputCodec || !sameCodec(this.inputCodec, unit.codec)) {
      this.inputCodec = unit.codec;
      this.restart();
    }
    if (this.run && sameCodec(this.run.codec, unit.codec)) this.run.feed(unit.packet, this.rewriter);
  }

  private tick(): void {
    const run = this.run;
    if (!run?.ready) return;
    if (!run.started) this.node.requestUpstreamKeyframe('VIDEO');
    else if (run.stalled(Date.now(), this.lastInputAt)) {
      void this.onRunExit(run, { code: null, signal: null, stderr: `no output for ${OUTPUT_STALL_MS / 1000} s while video goes in; restarting`, requested: false });
    }
  }

  private restart(): void {
    this.applying = this.applying.then(() => this.startRun()).catch((error: unknown) => this.raiseError('STREAM_ERROR_FAILED', `GStreamerFilter process did not start: ${String(error)}`, 0));
  }

  private async startRun(): Promise<void> {
    await this.stopRun();
    const codec = this.inputCodec;
    if (this.disposed || !codec) return;
    this.generation += 1;
    const run: FilterRun = new FilterRun(codec, this.ffmpegFilter, (this.ssrcBase + this.generation) >>> 0, {
      output: (packet) => {
        if (run === this.run) this.node.output({ kind: 'VIDEO', packet, codec: VP8_OUT });
      },
      exit: (exit) => void this.onRunExit(run, exit),
    });
    this.run = run;
    this.context.log.info(`GStreamerFilter ${this.shortId}: ${this.command} → ffmpeg ${this.ffmpegFilter} (run ${this.generation})`);
    const ready = await run.start();
    if (this.disposed || run !== this.run) return;
    if (!ready) {
      await this.onRunExit(run, { code: null, signal: null, stderr: 'ffmpeg did not open its input in time', requested: false });
      return;
    }
    this.node.requestUpstreamKeyframe('VIDEO');
  }

  private async onRunExit(run: FilterRun, exit: WorkerExit): Promise<void> {
    if (run !== this.run) return;
    this.run = undefined;
    await run.stop();
    this.failures = Date.now() - run.startedAt >= STABLE_RUN_MS ? 1 : this.failures + 1;
    this.raiseError('STREAM_ERROR_FAILED', `GStreamerFilter process (ffmpeg ${this.ffmpegFilter}) stopped: ${lastLine(exit)}`, 0);
    if (this.failures < MAX_FAILURES) {
      await sleep(500, undefined, { ref: false });
      if (!this.disposed && !this.run) this.restart();
    }
  }

  private async stopRun(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    await run?.stop();
  }

  protected override async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.ticker);
    await this.stopRun();
    await this.applying;
    await this.stopRun();
    await super.dispose();
  }
}
