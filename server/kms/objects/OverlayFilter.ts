import { randomInt } from 'node:crypto';
import { reachOf } from '../config';
import { KmsError } from '../errors';
import type { MediaNode, MediaUnit, RtpCodec, RtpUnit } from '../media/graph';
import { OverlayRun, vp8FrameSize, type FrameSize, type OverlayPlan, type PictureInput } from '../media/ffmpeg/overlay';
import type { WorkerExit } from '../media/ffmpeg/worker';
import { GuardedHttpSource } from '../media/http-source';
import { StreamRewriter } from '../media/rewriter';
import { sameCodec } from '../media/webrtc-session';
import { Filter } from './MediaElement';
import type { ObjectContext } from './MediaObject';
import type { MediaPipeline } from './MediaPipeline';
import type { FilterEvents } from './kmd-types.generated';
import { openForReading, resolveMediaUri, type MediaUri } from './uri';

const VP8: RtpCodec = { name: 'VP8', clockRate: 90000 };
const TICK_MS = 500;
const MAX_FAILURES = 3;
/** A drawing process that has sent nothing for this long while video goes in gets a key frame asked for. */
const SILENT_MS = 1000;

/** A picture of an overlay: its URI, checked when given, opened (file) or fetched (http) when a process starts. */
export class Picture {
  private http: GuardedHttpSource | undefined;

  private constructor(readonly uri: string, private readonly source: MediaUri, private readonly context: ObjectContext) {}

  /** Checks `uri` as PlayerEndpoint does: file:// inside the media folder, or http(s) (40107 otherwise). */
  static of(uri: string, context: ObjectContext): Picture {
    return new Picture(uri, resolveMediaUri(uri, context.config.mediaDirectory, { allowHttp: true }), context);
  }

  /** The input for one ffmpeg process: an opened descriptor (checked by real path now) or the guarded fetcher's URL. */
  async input(): Promise<PictureInput> {
    const source = this.source;
    if (source.kind === 'file') return { fd: openForReading(this.uri, source.path, this.context.config.mediaDirectory) };
    if (!this.http) {
      const config = this.context.config;
      this.http = new GuardedHttpSource(source.url, { denyPrivate: reachOf(config) === 'network' && config.allowPrivateSources !== true, trustedOrigins: config.trustedSources ?? [] });
    }
    await this.http.open();
    return { url: this.http.localUrl };
  }

  async close(): Promise<void> {
    await this.http?.close();
    this.http = undefined;
  }
}

/**
 * What FaceOverlayFilter and ImageOverlayFilter share: VP8 video in (other codecs through a VP8 branch of the
 * source), one ffmpeg process drawing pictures over it (media/ffmpeg/overlay.ts) while there is something to draw,
 * the video passing through unchanged otherwise; audio always passes. The process is restarted when its plan changes
 * (pictures, frame size) and when it dies (three times in a row at most, each with an Error event).
 */
export abstract class OverlayFilter<E extends FilterEvents = FilterEvents> extends Filter<E> {
  protected frameSize: FrameSize | undefined;
  private run: OverlayRun | undefined;
  private planKey: string | undefined;
  private applying: Promise<void> = Promise.resolve();
  private readonly rewriter: StreamRewriter;
  private readonly ssrcBase = randomInt(0x10000000, 0x70000000);
  private generation = 0;
  private failures = 0;
  /** When the last video packet came in (the drawing process' output is watched against it). */
  private lastInputAt = 0;
  /** When a key frame was last asked for because the drawing process had gone silent. */
  private lastRecoveryAt = 0;
  private readonly ticker: NodeJS.Timeout;
  protected disposed = false;

  protected constructor(context: ObjectContext, type: string, pipeline: MediaPipeline) {
    super(context, type, pipeline);
    this.rewriter = new StreamRewriter(this.ssrcBase, 96, 3000);
    this.node.handler = {
      ...this.node.handler,
      onInput: (unit, link) => this.onInput(unit, link.source),
      onKeyframeRequest: (kind) => {
        // A drawing process makes a key frame every 2 s; without one the request goes to the source.
        if (!this.run) this.node.requestUpstreamKeyframe(kind);
      },
    };
    this.ticker = setInterval(() => {
      const run = this.run;
      if (run?.ready && !run.started) this.node.requestUpstreamKeyframe('VIDEO');
      else if (run?.started) {
        const now = Date.now();
        const silent = now - (run.lastOutputAt ?? run.startedAt);
        // Video goes in and nothing comes out: ffmpeg's decoder lost a packet (of the first key frame, or later) and
        // waits for a key frame the source would otherwise send only every few seconds, or never. Ask for one, once a
        // second, and say so in the debug log.
        if (silent > SILENT_MS && now - this.lastInputAt < 1000 && now - this.lastRecoveryAt >= 1000) {
          this.lastRecoveryAt = now;
          this.node.requestUpstreamKeyframe('VIDEO');
          this.context.log.debug(`${this.type} ${this.shortId}: drawing run ${this.generation} has sent nothing for ${silent} ms while video goes in (first output ${run.lastOutputAt === undefined ? 'never' : 'seen'}): key frame requested`);
        }
      }
    }, TICK_MS);
    this.ticker.unref();
  }

  /** The drawing process' pid, when one runs (tests). */
  get overlayPid(): number | undefined {
    return this.run?.pid;
  }

  /** The plan for the current pictures and frame size, or undefined when there is nothing to draw. */
  protected abstract plan(size: FrameSize): { key: string; pictures: Picture[]; build(inputs: PictureInput[]): OverlayPlan } | undefined;

  /** A VP8 packet of the input, for subclasses that also analyse the video (face detection). */
  protected onVideo(_packet: RtpUnit['packet']): void {}

  /** Called with each new drawing process once it runs. */
  protected onRunStarted(_run: OverlayRun): void {}

  protected get currentRun(): OverlayRun | undefined {
    return this.run;
  }

  private onInput(unit: MediaUnit, source: MediaNode): void {
    if (unit.kind !== 'VIDEO') {
      if (unit.kind === 'AUDIO') this.reportTranscoding('AUDIO', false);
      this.node.output(unit);
      return;
    }
    if (!sameCodec(VP8, unit.codec)) {
      // Drawing decodes VP8: other codecs come through a VP8 branch of the source (receiveTranscoded). Until a picture
      // is set the video passes as it came.
      if (!this.run) this.node.output(unit);
      this.pipeline.elementOf(source)?.transcodeFor(this, 'VIDEO', unit.codec, VP8)?.push(unit.packet);
      return;
    }
    this.video(unit.packet, true);
  }

  override receiveTranscoded(unit: RtpUnit): void {
    if (unit.kind === 'VIDEO') this.video(unit.packet, false);
  }

  private video(packet: RtpUnit['packet'], original: boolean): void {
    if (this.disposed) return;
    this.lastInputAt = Date.now();
    const size = vp8FrameSize(packet.payload);
    if (size && (size.width !== this.frameSize?.width || size.height !== this.frameSize.height)) {
      this.frameSize = size;
      this.replan();
    }
    this.onVideo(packet);
    if (this.run) this.run.feed(packet, this.rewriter);
    else if (original) {
      this.reportTranscoding('VIDEO', false);
      this.node.output({ kind: 'VIDEO', packet, codec: VP8 });
    }
  }

  /** Makes the drawing process match the pictures and frame size (nothing to do, stop, or restart). */
  protected replan(): void {
    this.failures = 0;
    this.applying = this.applying.then(() => this.apply()).catch((error: unknown) => this.raiseError('STREAM_ERROR_FAILED', `${this.type}: the drawing process did not start: ${error instanceof Error ? error.message : String(error)}`, 0));
  }

  private async apply(): Promise<void> {
    const size = this.frameSize;
    const wanted = size && !this.disposed ? this.plan(size) : undefined;
    if (wanted?.key === this.planKey && (this.run || !wanted)) return;
    const previous = this.run;
    this.run = undefined;
    this.planKey = undefined;
    await previous?.stop();
    if (!wanted || this.disposed) return;
    const inputs: PictureInput[] = [];
    try {
      for (const picture of wanted.pictures) inputs.push(await picture.input());
    } catch (error) {
      this.planKey = wanted.key;
      const description = error instanceof KmsError || error instanceof Error ? error.message : String(error);
      this.raiseError('RESOURCE_ERROR_OPEN', `${this.type}: cannot read the picture: ${description}`, 0);
      return;
    }
    this.generation += 1;
    let firstOutput = true;
    const run: OverlayRun = new OverlayRun(wanted.build(inputs), (this.ssrcBase + this.generation) >>> 0, {
      output: (packet) => {
        if (run !== this.run) return;
        if (firstOutput) {
          firstOutput = false;
          this.context.log.debug(`${this.type} ${this.shortId}: drawing run ${this.generation} sends its first packet ${Date.now() - run.startedAt} ms after it started`);
        }
        this.reportTranscoding('VIDEO', true);
        this.node.output({ kind: 'VIDEO', packet, codec: VP8 });
      },
      exit: (exit) => void this.onRunExit(run, exit),
    });
    this.run = run;
    this.planKey = wanted.key;
    this.context.log.info(`${this.type} ${this.shortId}: drawing ${wanted.pictures.length} picture(s) over ${size?.width}x${size?.height} (run ${this.generation})`);
    if (!(await run.start())) {
      await this.onRunExit(run, { code: null, signal: null, stderr: 'ffmpeg did not open its input in time', requested: false });
      return;
    }
    if (run !== this.run) return;
    this.onRunStarted(run);
    this.node.requestUpstreamKeyframe('VIDEO');
  }

  private async onRunExit(run: OverlayRun, exit: WorkerExit): Promise<void> {
    if (run !== this.run) return;
    this.run = undefined;
    await run.stop();
    this.failures += 1;
    const last = exit.stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exit ${exit.code ?? exit.signal}`;
    this.raiseError('STREAM_ERROR_FAILED', `${this.type}: the drawing process (ffmpeg) stopped: ${last}`, 0);
    if (this.failures < MAX_FAILURES && !this.disposed) {
      this.planKey = undefined;
      const failures = this.failures;
      this.applying = this.applying.then(() => this.apply()).then(() => void (this.failures = failures));
    }
  }

  protected override async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.ticker);
    await this.applying;
    const run = this.run;
    this.run = undefined;
    if (run) this.context.log.debug(`${this.type} ${this.shortId}: drawing run ${this.generation} ends; ffmpeg said: ${run.stderr.trim().split('\n').slice(-12).join(' | ')}`);
    await run?.stop();
    await super.dispose();
  }
}
