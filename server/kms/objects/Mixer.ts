import { KmsError } from '../errors';
import type { AudioRoute, MixInput, MixPlan } from '../media/ffmpeg/mix';
import type { MediaKind, MediaUnit, RtpKind } from '../media/graph';
import type { HubPort } from './HubPort';
import type { ObjectContext } from './MediaObject';
import { MixingHub } from './MixingHub';
import type { KmsConstructorParams, MixerEvents } from './kmd-types.generated';

/**
 * KMD Mixer: routes video between any pair of ports and mixes audio, as kmsselectablemixer does:
 * - connect(VIDEO, source, sink): the sink's video is the source's (one source per sink; a new one replaces it). The
 *   video is forwarded as it is, as a Dispatcher forwards it; disconnect(VIDEO, …) is not implemented in KMS either
 *   (40005 "Video disconnection is not implemented yet");
 * - connect(AUDIO, source, sink): the source's audio joins the sink's own mix (a sink hears the sum of every source
 *   connected to it, its own only if connected to itself); disconnect(AUDIO, …) takes it out. The mixes are made by
 *   MixingHub's ffmpeg (one Opus output per sink).
 * Connecting an audio pair twice, disconnecting one that is not connected, or naming a port of another hub fails with
 * KMS' CONNECT_ERROR (40004); DATA is not a media type a Mixer takes (40005).
 */
export class Mixer extends MixingHub<MixerEvents> {
  /** sink port → the port its video comes from. */
  private readonly videoRoutes = new Map<HubPort, HubPort>();
  /** sink port → the ports mixed into its audio. */
  private readonly audioRoutes = new Map<HubPort, Set<HubPort>>();

  constructor(context: ObjectContext, { mediaPipeline }: KmsConstructorParams['Mixer']) {
    super(context, 'Mixer', mediaPipeline);
  }

  private check(source: HubPort, sink: HubPort): void {
    // kmsselectablemixer looks both ports up among its own: a port of another hub is not found.
    if (!this.ports.has(source) || !this.ports.has(sink)) throw new KmsError('CONNECT_ERROR', 'Can not connect video ports');
  }

  connect({ media, source, sink }: { media: MediaKind; source: HubPort; sink: HubPort }): void {
    if (media === 'VIDEO') {
      this.check(source, sink);
      this.videoRoutes.set(sink, source);
      source.node.requestUpstreamKeyframe('VIDEO');
      return;
    }
    if (media !== 'AUDIO') throw new KmsError('UNSUPPORTED_MEDIA_TYPE', 'Invalid media type');
    this.check(source, sink);
    const sources = this.audioRoutes.get(sink) ?? new Set<HubPort>();
    // GStreamer refuses a second link between the same pads: KMS answers that as a failed connection.
    if (sources.has(source)) throw new KmsError('CONNECT_ERROR', 'Can not connect video ports');
    sources.add(source);
    this.audioRoutes.set(sink, sources);
    this.replan();
  }

  disconnect({ media, source, sink }: { media: MediaKind; source: HubPort; sink: HubPort }): void {
    if (media === 'VIDEO') throw new KmsError('UNSUPPORTED_MEDIA_TYPE', 'Video disconnection is not implemented yet');
    if (media !== 'AUDIO') throw new KmsError('UNSUPPORTED_MEDIA_TYPE', 'Invalid media type');
    this.check(source, sink);
    const sources = this.audioRoutes.get(sink);
    if (!sources?.delete(source)) throw new KmsError('CONNECT_ERROR', 'Can not connect video ports');
    if (sources.size === 0) this.audioRoutes.delete(sink);
    this.replan();
  }

  protected override mixedKinds(): readonly RtpKind[] {
    return ['AUDIO'];
  }

  /** Video is forwarded to the sinks that take it from this port, unchanged. */
  protected override observe(port: HubPort, unit: MediaUnit): void {
    if (unit.kind !== 'VIDEO') return;
    for (const [sink, source] of this.videoRoutes) if (source === port && !sink.released) sink.deliver(unit);
  }

  override onPortKeyframeRequest(port: HubPort, kind: RtpKind): void {
    if (kind === 'VIDEO') this.videoRoutes.get(port)?.node.requestUpstreamKeyframe(kind);
  }

  protected plan(inputs: readonly MixInput[]): MixPlan {
    const routes: AudioRoute[] = [];
    const used = new Set<string>();
    for (const port of this.ports) {
      const sources = this.audioRoutes.get(port);
      if (!sources || port.released) continue;
      const ids = [...sources].filter((source) => !source.released).map((source) => source.id);
      for (const id of ids) used.add(id);
      routes.push({ sink: port.id, sources: ids });
    }
    // Only the audio some sink takes goes into the process.
    return { width: 0, height: 0, framerate: 15, inputs: inputs.filter((input) => input.kind === 'AUDIO' && used.has(input.port)), audioRoutes: routes };
  }

  override detach(port: HubPort): void {
    this.videoRoutes.delete(port);
    for (const [sink, source] of this.videoRoutes) if (source === port) this.videoRoutes.delete(sink);
    this.audioRoutes.delete(port);
    for (const sources of this.audioRoutes.values()) sources.delete(port);
    super.detach(port);
  }
}
