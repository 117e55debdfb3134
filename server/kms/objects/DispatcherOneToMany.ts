import type { MediaUnit, RtpKind } from '../media/graph';
import { Hub } from './Hub';
import type { HubPort } from './HubPort';
import type { ObjectContext } from './MediaObject';
import type { DispatcherOneToManyEvents, KmsConstructorParams } from './kmd-types.generated';

/** KMD DispatcherOneToMany: one source port, every other port receives it (`setSource` / `removeSource`). */
export class DispatcherOneToMany extends Hub<DispatcherOneToManyEvents> {
  private source: HubPort | undefined;

  constructor(context: ObjectContext, { mediaPipeline }: KmsConstructorParams['DispatcherOneToMany']) {
    super(context, 'DispatcherOneToMany', mediaPipeline);
  }

  setSource({ source }: { source: HubPort }): void {
    this.source = this.own(source, 'source');
    source.node.requestUpstreamKeyframe('VIDEO');
  }

  removeSource(): void {
    this.source = undefined;
  }

  onPortInput(port: HubPort, unit: MediaUnit): void {
    if (port !== this.source) return;
    for (const sink of this.ports) if (sink !== port && !sink.released) sink.deliver(unit);
  }

  onPortKeyframeRequest(port: HubPort, kind: RtpKind): void {
    if (this.source && port !== this.source) this.source.node.requestUpstreamKeyframe(kind);
  }

  override detach(port: HubPort): void {
    super.detach(port);
    if (this.source === port) this.source = undefined;
  }
}
