import { KmsError } from '../errors';
import type { MediaUnit, RtpKind } from '../media/graph';
import { MediaElement } from './MediaElement';
import { MediaObject, type ObjectContext } from './MediaObject';
import type { MediaPipeline } from './MediaPipeline';

/**
 * KMD Hub: a MediaObject (not an element) that owns HubPorts. Media that an element sends into a port reaches the
 * hub; what the hub decides to send to a port leaves that port towards the elements the port is connected to.
 * The forwarding hubs here never decode: RTP travels as received, each receiver's endpoint rewrites SSRC,
 * sequence numbers and timestamps for its own stream.
 */
export abstract class Hub extends MediaObject {
  readonly ports = new Set<HubPort>();
  readonly mediaPipeline: MediaPipeline;

  protected constructor(context: ObjectContext, type: string, pipeline: MediaPipeline) {
    super(context, type, pipeline);
    this.mediaPipeline = pipeline;
  }

  get pipeline(): MediaPipeline {
    return this.mediaPipeline;
  }

  getGstreamerDot(): string {
    return this.mediaPipeline.getGstreamerDot();
  }

  /** Media an element pushed into `port`. */
  abstract onPortInput(port: HubPort, unit: MediaUnit): void;

  /** Something downstream of `port` needs a key frame: ask whatever the hub routes into that port. */
  abstract onPortKeyframeRequest(port: HubPort, kind: RtpKind): void;

  attach(port: HubPort): void {
    this.ports.add(port);
  }

  detach(port: HubPort): void {
    this.ports.delete(port);
  }

  /** Checks that `port` is one of this hub's ports (KMS refuses ports of another hub). */
  protected own(port: HubPort, role: string): HubPort {
    if (!this.ports.has(port)) throw new KmsError('MEDIA_OBJECT_ILLEGAL_PARAM_ERROR', `The ${role} HubPort does not belong to this hub`);
    return port;
  }
}

/** KMD HubPort: `hub.createHubPort()` (create with constructorParams `{hub}`); its parent is the hub. */
export class HubPort extends MediaElement {
  readonly hub: Hub;

  constructor(context: ObjectContext, { hub }: { hub: Hub }) {
    super(context, 'HubPort', hub.mediaPipeline, hub);
    this.hub = hub;
    hub.attach(this);
    this.node.handler = {
      ...this.node.handler,
      onInput: (unit) => hub.onPortInput(this, unit),
      onKeyframeRequest: (kind) => hub.onPortKeyframeRequest(this, kind),
    };
  }

  /** Sends what the hub routes to this port out to the port's sinks. */
  deliver(unit: MediaUnit): void {
    if (this.node.output(unit) > 0 && unit.kind !== 'DATA') this.reportTranscoding(unit.kind, false);
  }

  protected override async dispose(): Promise<void> {
    await super.dispose();
    this.hub.detach(this);
  }
}

/** KMD Dispatcher: routes any input port to any set of output ports, `connect(source, sink)`. */
export class Dispatcher extends Hub {
  /** sink port → the port it takes its media from. */
  private readonly routes = new Map<HubPort, HubPort>();

  constructor(context: ObjectContext, { mediaPipeline }: { mediaPipeline: MediaPipeline }) {
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

/** KMD DispatcherOneToMany: one source port, every other port receives it (`setSource` / `removeSource`). */
export class DispatcherOneToMany extends Hub {
  private source: HubPort | undefined;

  constructor(context: ObjectContext, { mediaPipeline }: { mediaPipeline: MediaPipeline }) {
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
