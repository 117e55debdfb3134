import { MediaElement } from './MediaElement';
import type { ObjectContext } from './MediaObject';
import type { KmsConstructorParams, PassThroughEvents } from './kmd-types.generated';

/** Forwards whatever it receives, unchanged, to its sinks. */
export class PassThrough extends MediaElement<PassThroughEvents> {
  constructor(context: ObjectContext, { mediaPipeline }: KmsConstructorParams['PassThrough']) {
    super(context, 'PassThrough', mediaPipeline);
    this.node.handler = {
      ...this.node.handler,
      onInput: (unit) => {
        if (unit.kind !== 'DATA') this.reportTranscoding(unit.kind, false);
        this.node.output(unit);
      },
      onKeyframeRequest: (kind) => this.node.requestUpstreamKeyframe(kind),
    };
  }
}
