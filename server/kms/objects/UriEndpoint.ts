import { Endpoint } from './MediaElement';
import type { ObjectContext, PropertyAccess } from './MediaObject';
import type { MediaPipeline } from './MediaPipeline';
import type { UriEndpointEvents } from './kmd-types.generated';

export type UriEndpointState = 'STOP' | 'START' | 'PAUSE';

/** KMD UriEndpoint: a uri fixed at creation, a STOP / START / PAUSE state, pause() and stop(). */
export abstract class UriEndpoint<E extends UriEndpointEvents = UriEndpointEvents> extends Endpoint<E> {
  readonly uri: string;
  private uriState: UriEndpointState = 'STOP';

  protected constructor(context: ObjectContext, type: string, pipeline: MediaPipeline, uri: string) {
    super(context, type, pipeline);
    this.uri = uri;
  }

  protected override properties(): Record<string, PropertyAccess> {
    return {
      ...super.properties(),
      uri: { get: () => this.uri },
      state: { get: () => this.uriState },
    };
  }

  get state(): UriEndpointState {
    return this.uriState;
  }

  /** Changes the state and raises UriEndpointStateChanged, as UriEndpointImpl does. */
  protected setState(state: UriEndpointState): void {
    if (state === this.uriState) return;
    this.uriState = state;
    this.raise('UriEndpointStateChanged', { state });
  }

  abstract pause(): void | Promise<void>;
  abstract stop(): void | Promise<void>;
}
