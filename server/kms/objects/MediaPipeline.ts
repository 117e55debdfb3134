import type { MediaNode } from '../media/graph';
import type { MediaElement } from './MediaElement';
import { MediaObject, type ObjectContext, type PropertyAccess } from './MediaObject';
import type { MediaPipelineEvents } from './kmd-types.generated';

/** A container of connected media elements; releasing it releases them all. */
export class MediaPipeline extends MediaObject<MediaPipelineEvents> {
  readonly elements = new Set<MediaElement>();
  private latencyStats = false;

  constructor(context: ObjectContext) {
    super(context, 'MediaPipeline');
  }

  get pipeline(): MediaPipeline {
    return this;
  }

  protected override properties(): Record<string, PropertyAccess> {
    return {
      ...super.properties(),
      latencyStats: { get: () => this.latencyStats, set: (value) => void (this.latencyStats = Boolean(value)) },
    };
  }

  elementOf(node: MediaNode): MediaElement | undefined {
    for (const element of this.elements) if (element.node === node) return element;
    return undefined;
  }

  /**
   * A DOT graph of this pipeline as the embedded server sees it: one cluster per element with its sink and source
   * pads per media type, one edge per link, coloured by flow state (green flowing, grey idle).
   */
  getGstreamerDot(): string {
    const quote = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    const lines = [`digraph ${quote(this.id)} {`, '  rankdir=LR;', '  node [shape=box, fontsize=10];'];
    const elements = [...this.elements];
    elements.forEach((element, index) => {
      lines.push(`  subgraph cluster_${index} {`);
      lines.push(`    label=${quote(`${element.type}\\n${element.shortId}`)};`);
      for (const kind of ['AUDIO', 'VIDEO', 'DATA'] as const) {
        const flowingIn = kind !== 'DATA' && element.node.isFlowingIn(kind);
        const flowingOut = kind !== 'DATA' && element.node.isFlowingOut(kind);
        lines.push(`    ${quote(`${element.id}:sink_${kind}`)} [label=${quote(`sink ${kind.toLowerCase()}`)}, color=${flowingIn ? 'green' : 'grey'}];`);
        lines.push(`    ${quote(`${element.id}:src_${kind}`)} [label=${quote(`src ${kind.toLowerCase()}`)}, color=${flowingOut ? 'green' : 'grey'}];`);
      }
      lines.push('  }');
    });
    for (const element of elements) {
      for (const link of element.node.allSinkLinks()) {
        const sink = this.elementOf(link.sink);
        if (!sink) continue;
        const flowing = link.kind !== 'DATA' && element.node.isFlowingOut(link.kind) && sink.node.isFlowingIn(link.kind);
        lines.push(
          `  ${quote(`${element.id}:src_${link.kind}`)} -> ${quote(`${sink.id}:sink_${link.kind}`)} [color=${flowing ? 'green' : 'grey'}, label=${quote(String(link.delivered))}];`,
        );
      }
    }
    lines.push('}');
    return lines.join('\n');
  }
}
