import type { MediaUnit, RtpKind } from '../media/graph';
import { Hub } from './Hub';
import type { HubPort } from './HubPort';
import type { ObjectContext } from './MediaObject';
import type { DispatcherEvents, KmsConstructorParams } from './kmd-types.generated';

/** KMD Dispatcher: routes any input port to any set of output ports, `connect(source, sink)`. */
export class Dispatcher extends Hub<DispatcherEvents> {
  /** sink port → the port it takes its media from. */
  private readonly routes = new Map<HubPort, HubPort>();

  constructor(context: ObjectContext, { mediaPipeline }: KmsConstructorParams['Dispatcher']) {
    super(context, 'Dispatcher', mediaPipeline);
  }

  connect({ source, sink }: { source: HubPort; sink: HubPort }): void {
    this.own(source, 'source');
    this.own(sink, 'sink');
    this.routes.set(sink, source);
    source.node.requestUpstreamKeyframe('VIDEO');
  }

  onPortInput(port: HubPort, unit: MediaUnit): void {
    for (const [sink, source] of this.routes) if (source === port && !sink.released) sink.deliver(unit);
  }

  onPortKeyframeRequest(port: HubPort, kind: RtpKind): void {
    this.routes.get(port)?.node.requestUpstreamKeyframe(kind);
  }

  override detach(port: HubPort): void {
    super.detach(port);
    this.routes.delete(port);
    for (const [sink, source] of this.routes) if (source === port) this.routes.delete(sink);
  }
}
