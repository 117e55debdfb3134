/**
 * KMD Composite: a Hub that mixes. Every HubPort sends its media in; every port receives one grid of all the video
 * and the mix of everybody's audio except its own, as KMS' kmscompositemixer does (a compositor with a black
 * background, a grid that grows with the number of inputs, an audio mixer with one output per port that leaves that
 * port's own input out). The process is MixingHub's (media/ffmpeg/mix.ts).
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
import { KmsError } from '../errors';
import type { MixInput, MixPlan } from '../media/ffmpeg/mix';
import { MixingHub } from './MixingHub';
import type { ObjectContext } from './MediaObject';
import type { CompositeEvents, KmsConstructorParams } from './kmd-types.generated';

export {
  FULL_MIX,
  OUTPUT_STALL_MS,
  STALL_GRACE_MS,
  freeRtpPorts,
  gridOf,
  lastLine,
  mixFilterGraph,
  sameCodec,
  waitForUdpListeners,
  type MixGraph,
  type MixInput,
  type MixPlan,
} from '../media/ffmpeg/mix';

/** Constructor parameters, as the KMD declares them (generated). */
export type CompositeParams = KmsConstructorParams['Composite'];

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

export class Composite extends MixingHub<CompositeEvents> {
  readonly width: number;
  readonly height: number;
  readonly framerate: number;

  constructor(context: ObjectContext, { mediaPipeline, width = 800, height = 600, framerate = 15 }: CompositeParams) {
    // Checked before the object joins its pipeline: a refused create leaves nothing behind.
    checkSize('width', width);
    checkSize('height', height);
    checkFramerate(framerate);
    super(context, 'Composite', mediaPipeline);
    this.width = width;
    this.height = height;
    this.framerate = framerate;
  }

  protected plan(inputs: readonly MixInput[]): MixPlan {
    return { width: this.width, height: this.height, framerate: this.framerate, inputs };
  }
}
