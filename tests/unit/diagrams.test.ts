/**
 * The chapters' diagrams are committed SVG renderings of their Mermaid source (scripts/render-diagrams.ts): every
 * ```mermaid block has a current rendering in both colour modes, no rendering is left over, and each is an image
 * with a size and a text alternative.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DIAGRAMS_DIR, diagramAlt, diagramFile, diagramHash, findDiagrams, svgSize } from '../../scripts/diagrams';

const root = path.resolve(__dirname, '..', '..');

test('every mermaid block of the chapters has its light and dark rendering, and no rendering is unused', () => {
  const diagrams = findDiagrams(root);
  assert.ok(diagrams.length > 10, 'the chapters have diagrams');
  const files = new Set(readdirSync(path.join(root, DIAGRAMS_DIR)));
  const wanted = new Set<string>();
  const missing: string[] = [];
  for (const { file, source } of diagrams) {
    for (const theme of ['light', 'dark'] as const) {
      const name = diagramFile(diagramHash(source), theme);
      wanted.add(name);
      if (!files.has(name)) missing.push(`${file}: ${name}`);
    }
  }
  assert.deepEqual(missing, [], 'run `npm run diagrams` and commit static/diagrams');
  assert.deepEqual([...files].filter((name) => !wanted.has(name)), [], 'unused renderings: `npm run diagrams` removes them');
});

test('each rendering is an SVG image with a size, plain text labels and no script', () => {
  for (const name of readdirSync(path.join(root, DIAGRAMS_DIR))) {
    const svg = readFileSync(path.join(root, DIAGRAMS_DIR, name), 'utf8');
    assert.match(svg, /^<svg /, name);
    const size = svgSize(svg);
    assert.ok(size && size.width > 0 && size.height > 0, `${name} has a width and height`);
    assert.doesNotMatch(svg, /<script|<foreignObject/i, `${name}: no script, no HTML labels`);
  }
});

test("a diagram's text alternative names its kind and what it shows, in the chapter's language", () => {
  const flowchart = 'flowchart LR\n  cam["Browser: camera"] -- "SRTP" --> ep["WebRtcEndpoint"]\n  ep --> view["Browser: remote video"]';
  assert.equal(diagramAlt(flowchart, 'en'), 'Diagram: Browser: camera; SRTP; WebRtcEndpoint; Browser: remote video');
  assert.equal(diagramAlt(flowchart, 'zh-Hans'), '示意图：Browser: camera；SRTP；WebRtcEndpoint；Browser: remote video');
  const sequence = 'sequenceDiagram\n  participant B as Browser\n  participant K as KMS\n  B->>K: processOffer\n  K-->>B: sdpAnswer';
  assert.equal(diagramAlt(sequence, 'en'), 'Sequence diagram: Browser; KMS; processOffer; sdpAnswer');
  assert.equal(diagramAlt('classDiagram\n  class MediaObject\n  MediaObject <|-- MediaElement', 'en'), 'Class diagram: MediaObject');
  // The hash follows the source, not its surrounding whitespace.
  assert.equal(diagramHash(`${flowchart}\n\n`), diagramHash(flowchart));
  assert.notEqual(diagramHash(flowchart.replace('SRTP', 'RTP')), diagramHash(flowchart));
});
