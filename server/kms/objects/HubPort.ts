import type { MediaUnit } from '../media/graph';
import type { Hub } from './Hub';
import { MediaElement } from './MediaElement';
import type { ObjectContext } from './MediaObject';
import type { HubPortEvents, KmsConstructorParams } from './kmd-types.generated';

/** KMD HubPort: `hub.createHubPort()` (create with constructorParams `{hub}`); its parent is the hub. */
export class HubPort extends MediaElement<HubPortEvents> {
  readonly hub: Hub;

  constructor(context: ObjectContext, { hub }: KmsConstructorParams['HubPort']) {
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
