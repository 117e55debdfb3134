/**
 * Images drawn over video: one ffmpeg process decodes the element's VP8 input (over loopback RTP), overlays pictures
 * and encodes VP8 again (RTP back to the element). Each picture is read once (`loop` repeats its single frame) and
 * scaled to its slot. A slot is placed in one of two ways:
 * - fixed (ImageOverlayFilter): position and size in pixels of the frame, set when the process starts;
 * - movable (FaceOverlayFilter): the slot follows a rectangle the caller moves while the process runs. ffmpeg's
 *   filter commands (`scale` w/h, `overlay` x/y) carry the changes; ffmpeg reads one from its stdin every 100 ms, so
 *   only values that changed are sent, rounded to 4 pixels, and a hidden slot is parked outside the frame. ffmpeg
 *   builds its filter graph from the first decoded frame and drops a command that comes before: the slots' places are
 *   sent once the first drawn frame has come out, and every change after that.
 */
import type { RtpPacket } from 'werift';
import type { RtpCodec } from '../graph';
import { type StreamRewriter, isKeyframeStart } from '../rewriter';
import { FfmpegWorker, RtpIn, RtpOut, WorkDir, freeRtpPort, sdpFor, type WorkerExit, VP8_REALTIME_ARGS } from './worker';

export interface FrameSize {
  width: number;
  height: number;
}

export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A picture to draw: where ffmpeg reads it (an opened file as fd 3 is given by `fd`; a loopback URL otherwise). */
export type PictureInput = { fd: number } | { url: string };

export interface FixedSlot {
  picture: number;
  rect: PixelRect;
  /** Fit the picture inside the rectangle keeping its proportions (instead of stretching it to the rectangle). */
  keepAspectRatio?: boolean;
  /** Centre a fitted picture in the rectangle (instead of its top left corner). */
  center?: boolean;
}

export interface OverlayPlan {
  size: FrameSize;
  pictures: PictureInput[];
  fixed: FixedSlot[];
  /** Movable slots, all drawing picture 0; hidden until moved. */
  movable: number;
}

const PAYLOAD_TYPE = 96;
const VP8: RtpCodec = { name: 'VP8', clockRate: 90000 };
const HIDDEN = -10000;
const STEP = 4;

const even = (value: number): number => Math.max(2, Math.round(value / 2) * 2);

/** The filtergraph of a plan (pure, for tests). Input 0 is the video, input n the picture n - 1. */
export function overlayGraph(plan: OverlayPlan): string {
  const chains: string[] = [];
  const uses = new Map<number, string[]>();
  const label = (picture: number): string => {
    const list = uses.get(picture) ?? [];
    const name = `p${picture}u${list.length}`;
    list.push(name);
    uses.set(picture, list);
    return name;
  };
  let base = '0:v';
  let step = 0;
  for (const slot of plan.fixed) {
    const source = label(slot.picture);
    const { x, y, width, height } = slot.rect;
    const fit = slot.keepAspectRatio ? ':force_original_aspect_ratio=decrease' : '';
    chains.push(`[${source}]scale=${even(width)}:${even(height)}${fit}[f${step}]`);
    const place = slot.keepAspectRatio && slot.center
      ? `x=${Math.round(x)}+(${even(width)}-overlay_w)/2:y=${Math.round(y)}+(${even(height)}-overlay_h)/2`
      : `x=${Math.round(x)}:y=${Math.round(y)}`;
    chains.push(`[${base}][f${step}]overlay=${place}[b${step}]`);
    base = `b${step}`;
    step += 1;
  }
  for (let index = 0; index < plan.movable; index += 1) {
    const source = label(0);
    chains.push(`[${source}]scale@face${index}s=w=16:h=16:eval=frame[m${index}]`);
    chains.push(`[${base}][m${index}]overlay@face${index}=x=${HIDDEN}:y=${HIDDEN}:eval=frame[b${step}]`);
    base = `b${step}`;
    step += 1;
  }
  const heads: string[] = [];
  for (const [picture, list] of [...uses].sort(([a], [b]) => a - b)) {
    const outputs = list.map((name) => `[${name}]`).join('');
    heads.push(`[${picture + 1}:v]loop=loop=-1:size=1,format=rgba${list.length > 1 ? `,split=${list.length}` : ''}${outputs}`);
  }
  return [...heads, ...chains, `[${base}]format=yuv420p[vout]`].join(';');
}

export interface OverlayEvents {
  output(packet: RtpPacket): void;
  exit(exit: WorkerExit): void;
}

export class OverlayRun {
  ready = false;
  started = false;
  readonly startedAt = Date.now();
  lastOutputAt: number | undefined;
  private worker: FfmpegWorker | undefined;
  private input: RtpOut | undefined;
  private output: RtpIn | undefined;
  private readonly dir = new WorkDir();
  private stopped = false;
  /** What each movable slot was last told, to send only changes. */
  private readonly sent: Array<{ x: number; y: number; width: number; height: number }> = [];
  /** Where each movable slot should be (what `move` asked for last). */
  private readonly wanted: Array<{ x: number; y: number; width: number; height: number }> = [];
  /**
   * ffmpeg's filter graph runs, so it takes commands: known from the first output packet (the graph is built from the
   * first decoded frame; a command sent before that is dropped, and a still picture's face would never get its image).
   */
  private graphRuns = false;

  constructor(
    readonly plan: OverlayPlan,
    private readonly ssrc: number,
    private readonly events: OverlayEvents,
  ) {
    for (let index = 0; index < plan.movable; index += 1) {
      this.sent.push({ x: HIDDEN, y: HIDDEN, width: 16, height: 16 });
      this.wanted.push({ x: HIDDEN, y: HIDDEN, width: 16, height: 16 });
    }
  }

  get pid(): number | undefined {
    return this.worker?.pid;
  }

  /** The last lines ffmpeg wrote to stderr (debug log). */
  get stderr(): string {
    return this.worker?.stderr ?? '';
  }

  async start(): Promise<boolean> {
    const output = new RtpIn((packet) => {
      if (this.stopped) return;
      this.lastOutputAt = Date.now();
      if (!this.graphRuns) {
        this.graphRuns = true;
        for (let index = 0; index < this.wanted.length; index += 1) this.send(index);
      }
      this.events.output(packet);
    });
    this.output = output;
    const outPort = await output.open();
    const inPort = await freeRtpPort();
    const sdp = await this.dir.file('overlay.sdp', sdpFor([{ kind: 'video', port: inPort, payloadType: PAYLOAD_TYPE, codec: VP8 }]));
    if (this.stopped) {
      await this.dir.remove();
      return false;
    }
    this.input = new RtpOut(inPort);
    const pictureArgs: string[] = [];
    const fds: number[] = [];
    for (const picture of this.plan.pictures) {
      if ('fd' in picture) {
        // The child gets the opened files as fds 3, 4, …
        pictureArgs.push('-i', `/proc/self/fd/${3 + fds.length}`);
        fds.push(picture.fd);
      } else {
        pictureArgs.push('-i', picture.url);
      }
    }
    const args = [
      '-threads', '1', '-protocol_whitelist', 'file,udp,rtp,http,tcp', '-fpsprobesize', '0', '-analyzeduration', '1000000', '-probesize', '1000000',
      '-reorder_queue_size', '64', '-f', 'sdp', '-i', sdp, ...pictureArgs,
      '-filter_complex_threads', '1', '-filter_complex', overlayGraph(this.plan), '-map', '[vout]', '-fps_mode', 'passthrough',
      ...VP8_REALTIME_ARGS, '-b:v', '1000k', '-force_key_frames', 'expr:gte(t,n_forced*2)', '-error-resilient', '1', '-auto-alt-ref', '0', '-lag-in-frames', '0',
      '-payload_type', String(PAYLOAD_TYPE), '-ssrc', String(this.ssrc), '-f', 'rtp', `rtp://127.0.0.1:${outPort}?pkt_size=1200`,
    ];
    const worker = new FfmpegWorker('overlay', args, fds, this.plan.movable > 0);
    this.worker = worker;
    worker.start();
    void worker.exited.then((exit) => {
      if (!exit.requested && !this.stopped) this.events.exit(exit);
    });
    const deadline = Date.now() + 5000;
    while (!this.stopped && worker.running && Date.now() < deadline) {
      if (await bound(inPort)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.ready = !this.stopped && worker.running;
    return this.ready;
  }

  feed(packet: RtpPacket, rewriter: StreamRewriter): void {
    if (!this.ready || this.stopped || !this.input) return;
    if (!this.started) {
      if (!isKeyframeStart('VP8', packet.payload)) return;
      this.started = true;
    }
    this.input.send(rewriter.rewrite(packet));
  }

  /** Moves movable slot `index` over `rect` (pixels of the frame), or hides it; the commands sent now (debug log). */
  move(index: number, rect: PixelRect | undefined): string[] {
    const last = this.wanted[index];
    if (!last) return [];
    const round = (value: number): number => Math.round(value / STEP) * STEP;
    this.wanted[index] = rect
      ? { x: round(rect.x), y: round(rect.y), width: Math.max(STEP, round(rect.width)), height: Math.max(STEP, round(rect.height)) }
      : { x: HIDDEN, y: HIDDEN, width: last.width, height: last.height };
    return this.graphRuns ? this.send(index) : [];
  }

  /** Sends ffmpeg the values of slot `index` that differ from what it was told; the commands sent. */
  private send(index: number): string[] {
    const last = this.sent[index];
    const next = this.wanted[index];
    const worker = this.worker;
    if (!last || !next || !worker) return [];
    const commands: Array<[string, string, number]> = [];
    if (next.width !== last.width) commands.push([`scale@face${index}s`, 'w', next.width]);
    if (next.height !== last.height) commands.push([`scale@face${index}s`, 'h', next.height]);
    if (next.x !== last.x) commands.push([`overlay@face${index}`, 'x', next.x]);
    if (next.y !== last.y) commands.push([`overlay@face${index}`, 'y', next.y]);
    for (const [target, name, value] of commands) worker.command(target, name, value);
    this.sent[index] = { ...next };
    return commands.map(([target, name, value]) => `${target} ${name}=${value}`);
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

async function bound(port: number): Promise<boolean> {
  const { readFile } = await import('node:fs/promises');
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const table = await readFile('/proc/net/udp', 'utf8').catch(() => '');
  return table.split('\n').some((line) => new RegExp(`^\\s*\\d+: [0-9A-F]{8}:${hex} `).test(line));
}

/** The frame size a VP8 key frame announces (RFC 6386 §9.1), if `payload` starts one. */
export function vp8FrameSize(payload: Buffer): FrameSize | undefined {
  if (!isKeyframeStart('VP8', payload)) return undefined;
  const start = payload.indexOf(Buffer.from([0x9d, 0x01, 0x2a]));
  if (start < 0 || start + 7 > payload.length) return undefined;
  return { width: payload.readUInt16LE(start + 3) & 0x3fff, height: payload.readUInt16LE(start + 5) & 0x3fff };
}
