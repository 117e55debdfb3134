import { KmsError } from '../errors';
import type { MediaUnit, RtpKind } from '../media/graph';
import type { HubPort } from './HubPort';
import { MediaObject, type ObjectContext } from './MediaObject';
import type { MediaPipeline } from './MediaPipeline';
import type { HubEvents } from './kmd-types.generated';

/**
 * KMD Hub: a MediaObject (not an element) that owns HubPorts. Media that an element sends into a port reaches the
 * hub; what the hub decides to send to a port leaves that port towards the elements the port is connected to.
 * The forwarding hubs here never decode: RTP travels as received, each receiver's endpoint rewrites SSRC,
 * sequence numbers and timestamps for its own stream.
 */
export abstract class Hub<E extends HubEvents = HubEvents> extends MediaObject<E> {
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
