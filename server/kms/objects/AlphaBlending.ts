import { KmsError } from '../errors';
import { vp8FrameSize, type FrameSize } from '../media/ffmpeg/overlay';
import type { BlendLayer, MixInput, MixPlan } from '../media/ffmpeg/mix';
import type { MediaUnit } from '../media/graph';
import { isKeyframeStart } from '../media/rewriter';
import type { HubPort } from './HubPort';
import type { ObjectContext } from './MediaObject';
import { MixingHub } from './MixingHub';
import type { AlphaBlendingEvents, KmsConstructorParams } from './kmd-types.generated';

/** kmsalphablending's output rate (its caps say 15/1). */
const FRAMERATE = 15;
/** The picture size used when the master's is not known (a master that sends H.264: only VP8 headers are read). */
const FALLBACK_SIZE: FrameSize = { width: 640, height: 480 };

interface PortProperties {
  relativeX: number;
  relativeY: number;
  zOrder: number;
  relativeWidth: number;
  relativeHeight: number;
}

const even = (value: number): number => Math.max(2, Math.round(value / 2) * 2);

/**
 * KMD AlphaBlending: a Hub that blends the video of its ports into one picture sent to every port, with everybody's
 * audio but each port's own (kmsaudiomixer), as kmsalphablending does:
 * - setMaster(source, zOrder): the output takes the master's picture size; the master covers it at that z-order;
 * - setPortProperties(relativeX, relativeY, zOrder, relativeWidth, relativeHeight, port): a port's picture is scaled to
 *   that fraction of the master's size and placed at that fraction of it (parts outside are cut off);
 * - a port without properties covers the whole output at z-order 1; higher z-orders are drawn on top.
 * Until a master is set (and its video flows) there is no picture, only the audio mix. Output at 15 fps, VP8.
 */
export class AlphaBlending extends MixingHub<AlphaBlendingEvents> {
  private master: { port: HubPort; zOrder: number } | undefined;
  private masterSize: FrameSize | undefined;
  private readonly layout = new Map<HubPort, PortProperties>();

  constructor(context: ObjectContext, { mediaPipeline }: KmsConstructorParams['AlphaBlending']) {
    super(context, 'AlphaBlending', mediaPipeline);
  }

  setMaster({ source, zOrder }: { source: HubPort; zOrder: number }): void {
    this.own(source, 'source');
    if (this.master?.port !== source) this.masterSize = undefined;
    this.master = { port: source, zOrder };
    source.node.requestUpstreamKeyframe('VIDEO');
    this.replan();
  }

  setPortProperties(params: PortProperties & { port: HubPort }): void {
    this.own(params.port, 'port');
    const { relativeX, relativeY, zOrder, relativeWidth, relativeHeight } = params;
    if (![relativeX, relativeY, relativeWidth, relativeHeight].every(Number.isFinite)) {
      throw new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', 'relativeX, relativeY, relativeWidth and relativeHeight must be numbers');
    }
    this.layout.set(params.port, { relativeX, relativeY, zOrder, relativeWidth, relativeHeight });
    this.replan();
  }

  /** The master's picture size, from its VP8 key frames. */
  protected override observe(port: HubPort, unit: MediaUnit): void {
    if (unit.kind !== 'VIDEO' || port !== this.master?.port) return;
    if (unit.codec.name.toUpperCase() !== 'VP8') {
      if (!this.masterSize) {
        this.masterSize = FALLBACK_SIZE;
        this.replan();
      }
      return;
    }
    if (!isKeyframeStart('VP8', unit.packet.payload)) return;
    const size = vp8FrameSize(unit.packet.payload);
    if (!size) return;
    const next = { width: even(size.width), height: even(size.height) };
    if (next.width !== this.masterSize?.width || next.height !== this.masterSize.height) {
      this.masterSize = next;
      this.replan();
    }
  }

  protected plan(inputs: readonly MixInput[]): MixPlan {
    const master = this.master;
    const size = this.masterSize;
    const hasMasterVideo = master !== undefined && inputs.some((input) => input.kind === 'VIDEO' && input.port === master.port.id);
    if (!master || !size || !hasMasterVideo) {
      // No picture yet: the audio mix alone.
      return { width: 0, height: 0, framerate: FRAMERATE, inputs: inputs.filter((input) => input.kind === 'AUDIO') };
    }
    const layers: BlendLayer[] = [];
    for (const port of this.ports) {
      if (!inputs.some((input) => input.kind === 'VIDEO' && input.port === port.id)) continue;
      const properties = this.layout.get(port);
      if (port === master.port) {
        layers.push({ port: port.id, x: 0, y: 0, width: size.width, height: size.height, z: master.zOrder });
      } else if (properties) {
        layers.push({
          port: port.id,
          x: properties.relativeX * size.width,
          y: properties.relativeY * size.height,
          width: properties.relativeWidth * size.width,
          height: properties.relativeHeight * size.height,
          z: properties.zOrder,
        });
      } else {
        layers.push({ port: port.id, x: 0, y: 0, width: size.width, height: size.height, z: 1 });
      }
    }
    return { width: size.width, height: size.height, framerate: FRAMERATE, inputs, blend: { master: master.port.id, layers } };
  }

  override detach(port: HubPort): void {
    this.layout.delete(port);
    if (this.master?.port === port) {
      this.master = undefined;
      this.masterSize = undefined;
    }
    super.detach(port);
  }
}
