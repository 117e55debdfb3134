/** Comparison tables get row headers (src/plugins/rehype-row-headers.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addRowHeaders } from '../../src/plugins/rehype-row-headers';

type Node = { type: string; tagName?: string; value?: string; properties?: Record<string, unknown>; children?: Node[] };
const el = (tagName: string, ...children: Node[]): Node => ({ type: 'element', tagName, properties: {}, children });
const text = (value: string): Node => ({ type: 'text', value });
const table = (head: string[], rows: string[][]): Node =>
  el('table', el('thead', el('tr', ...head.map((cell) => el('th', text(cell))))), el('tbody', ...rows.map((row) => el('tr', ...row.map((cell) => el('td', text(cell)))))));
const tags = (node: Node, parent: string): string[][] =>
  (node.children ?? []).filter((child) => child.tagName === parent).flatMap((section) => (section.children ?? []).map((row) => (row.children ?? []).map((cell) => cell.tagName ?? '')));

test('an empty corner makes the first column row headers', () => {
  const node = table(['', 'SFU', 'MCU'], [['CPU', 'low', 'high'], ['Latency', 'low', 'higher']]);
  addRowHeaders(node);
  assert.deepEqual(tags(node, 'thead'), [['td', 'th', 'th']]);
  assert.deepEqual(tags(node, 'tbody'), [['th', 'td', 'td'], ['th', 'td', 'td']]);
  assert.equal(node.children?.[1]?.children?.[0]?.children?.[0]?.properties?.scope, 'row');
});

test('a key/value table with an empty header row loses the header row', () => {
  const node = table(['', ''], [['Duration', '12 s'], ['Video', 'VP8']]);
  addRowHeaders(node);
  assert.deepEqual(tags(node, 'thead'), []);
  assert.deepEqual(tags(node, 'tbody'), [['th', 'td'], ['th', 'td']]);
});

test('a table with a named first column is left as it is', () => {
  const node = table(['File', 'Role'], [['index.html', 'the view']]);
  addRowHeaders(node);
  assert.deepEqual(tags(node, 'thead'), [['th', 'th']]);
  assert.deepEqual(tags(node, 'tbody'), [['td', 'td']]);
});
