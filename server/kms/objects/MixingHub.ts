import { randomInt } from 'node:crypto';
import type { RtpPacket } from 'werift';
import type { MediaUnit, RtpCodec, RtpKind } from '../media/graph';
import {
  ACTIVE_WINDOW_MS,
  AUDIO_PAYLOAD_TYPE,
  FULL_MIX,
  MAX_FAILURES,
  MixerRun,
  NO_INPUTS,
  OPUS_OUT,
  READY_TIMEOUT_MS,
  RESTART_DEBOUNCE_MS,
  STABLE_RUN_MS,
  TICK_MS,
  VIDEO_PAYLOAD_TYPE,
  VP8_OUT,
  OUTPUT_STALL_MS,
  lastLine,
  sameCodec,
  signatureOf,
  trackKey,
  type MixInput,
  type MixPlan,
  type MixTrack,
} from '../media/ffmpeg/mix';
import type { WorkerExit } from '../media/ffmpeg/worker';
import { StreamRewriter } from '../media/rewriter';
import { Hub } from './Hub';
import type { HubPort } from './HubPort';
import type { ObjectContext } from './MediaObject';
import type { MediaPipeline } from './MediaPipeline';
import type { HubEvents } from './kmd-types.generated';

/** What a port sends of one media type. */
interface Track extends MixTrack {
  readonly port: HubPort;
  lastPacketAt: number;
}

/**
 * The hubs that decode and mix (Composite, AlphaBlending, Mixer's audio), on one supervised ffmpeg each
 * (media/ffmpeg/mix.ts). An ffmpeg input that gets no packets stalls the whole graph, so a port only joins the mix once
 * its media flows, and leaves it when its media stops (1.5 s without packets) or the port is released. Any change of
 * that set, or of what the subclass plans (layout, routes), restarts the process, debounced by 300 ms; every restart
 * asks each video source for a key frame (and again every 500 ms until one arrived). Outputs use a new SSRC per run,
 * which receivers treat as a source switch (continuous sequence numbers, a key frame first). Key frame requests from
 * receivers cannot reach the encoder: it makes one every 2 s. A process that exits, or whose outputs stay silent for
 * 3 s while its inputs flow, raises the Error event (STREAM_ERROR_FAILED) and is restarted; after 3 failures in a row
 * the hub waits for its inputs to change.
 */
export abstract class MixingHub<E extends HubEvents = HubEvents> extends Hub<E> {
  protected readonly tracks = new Map<string, Track>();
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

  protected constructor(context: ObjectContext, type: string, pipeline: MediaPipeline) {
    super(context, type, pipeline);
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
  }

  /**
   * What the mixer process should make of the flowing inputs (in port order): the picture's size and layout, and the
   * audio mixes. Undefined when nothing is to be mixed.
   */
  protected abstract plan(inputs: readonly MixInput[]): MixPlan;

  /** Which media types of the ports go into the process (a Mixer routes video itself). */
  protected mixedKinds(): readonly RtpKind[] {
    return ['VIDEO', 'AUDIO'];
  }

  /** Sees each unit a port sends before it is mixed (AlphaBlending learns the master's picture size). */
  protected observe(_port: HubPort, _unit: MediaUnit): void {}

  /** Something the plan depends on changed (layout, routes): the process follows. */
  protected replan(): void {
    this.scheduleRestart();
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
    this.observe(port, unit);
    if (!this.mixedKinds().includes(unit.kind)) return;
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
    return this.plan(inputs);
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
    if (signature === NO_INPUTS || signature === this.failedSignature) return;
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
    this.context.log.info(`${this.type} ${this.shortId}: mixer run ${this.generation} with ${video} video and ${plan.inputs.length - video} audio input(s)`);
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
    this.raiseError('STREAM_ERROR_FAILED', `${this.type} mixer (ffmpeg) stopped: ${lastLine(exit)}`, 0);
    if (this.failures >= MAX_FAILURES) {
      this.failedSignature = run.signature;
      this.context.log.warn(`${this.type} ${this.shortId}: the mixer failed ${this.failures} times; waiting for the set of inputs to change`);
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
