/**
 * The chapters' Mermaid diagrams, rendered to SVG once, committed, and shown as images: a page with a diagram loads
 * no Mermaid code (about 300 KB of gzipped JavaScript and seconds of main-thread work on a phone).
 *
 * This module knows where the diagrams are and what their files are called; `npm run diagrams`
 * (scripts/render-diagrams.ts) renders the missing ones with Mermaid in Debian's Chromium, the build's remark plugin
 * (src/plugins/remark-diagrams.ts) swaps each ```mermaid block for its images, and tests/unit/diagrams.test.ts
 * fails when a block has no current rendering.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Mermaid settings the renderings depend on: a change here re-renders every diagram. */
export const DIAGRAM_CONFIG = {
  /** Plain SVG text, no HTML in foreignObject: the SVG renders the same as an image. */
  htmlLabels: false,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
  themes: { light: 'neutral', dark: 'dark' },
} as const;

export type DiagramTheme = keyof typeof DIAGRAM_CONFIG.themes;

/** Where the SVG files live (served as /diagrams/…). */
export const DIAGRAMS_DIR = path.join('static', 'diagrams');

/** The folders whose MDX chapters may hold diagrams. */
export const DIAGRAM_SOURCES = ['docs', path.join('i18n', 'zh-Hans', 'docusaurus-plugin-content-docs', 'current')];

/**
 * The Mermaid release that renders (a new one re-renders everything). `npm run diagrams` fetches its browser bundle
 * from the npm registry when it has something to render; nothing else needs Mermaid, so it is no dependency.
 */
export const MERMAID_VERSION = '11.17.2';

/** The name of a diagram's files: a hash of its source, the renderer's version and settings. */
export function diagramHash(source: string, version: string = MERMAID_VERSION): string {
  return createHash('sha256')
    .update(JSON.stringify({ source: source.trim(), version, config: DIAGRAM_CONFIG }))
    .digest('hex')
    .slice(0, 16);
}

export function diagramFile(hash: string, theme: DiagramTheme): string {
  return `${hash}.${theme}.svg`;
}

/** Every ```mermaid block of the chapters: its file and source. */
export function findDiagrams(root: string): Array<{ file: string; source: string }> {
  const found: Array<{ file: string; source: string }> = [];
  for (const folder of DIAGRAM_SOURCES) {
    const dir = path.join(root, folder);
    for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (!/\.mdx?$/.test(name)) continue;
      const file = path.join(folder, name);
      const text = readFileSync(path.join(root, file), 'utf8');
      for (const match of text.matchAll(/^```mermaid[^\n]*\n([\s\S]*?)^```\s*$/gm)) found.push({ file, source: match[1] ?? '' });
    }
  }
  return found;
}

/** The width and height an SVG file declares (the renderer writes them from the viewBox). */
export function svgSize(svg: string): { width: number; height: number } | undefined {
  const width = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1];
  const height = /<svg[^>]*\sheight="([\d.]+)"/.exec(svg)?.[1];
  return width && height ? { width: Math.round(Number(width)), height: Math.round(Number(height)) } : undefined;
}

/**
 * A text alternative for a diagram, from its source: the kind of diagram and what it names (node and participant
 * labels, edge labels), in the order they appear. The chapter's prose around it says the rest.
 */
export function diagramAlt(source: string, locale: 'en' | 'zh-Hans'): string {
  const lines = source.trim().split('\n');
  const header = (lines[0] ?? '').trim().split(/\s+/)[0] ?? '';
  const kinds: Record<string, [string, string]> = {
    flowchart: ['Diagram', '示意图'],
    graph: ['Diagram', '示意图'],
    sequenceDiagram: ['Sequence diagram', '时序图'],
    classDiagram: ['Class diagram', '类图'],
    stateDiagram: ['State diagram', '状态图'],
    'stateDiagram-v2': ['State diagram', '状态图'],
  };
  const kind = (kinds[header] ?? ['Diagram', '示意图'])[locale === 'en' ? 0 : 1];
  const names: string[] = [];
  const add = (value: string | undefined): void => {
    const text = value?.replace(/<br\s*\/?>/gi, ' ').replace(/\s+/g, ' ').trim();
    if (text && !names.includes(text)) names.push(text);
  };
  const sequence = header === 'sequenceDiagram';
  for (const line of lines.slice(1)) {
    // Quoted labels: nodes ["…"], ("…"), {"…"}, subgraphs, edge labels -- "…" -->, |"…"|.
    for (const match of line.matchAll(/"([^"]+)"/g)) add(match[1]);
    if (sequence) {
      // participant X as Label, and messages A->>B: text.
      const participant = /^\s*(?:participant|actor)\s+(\S+)(?:\s+as\s+(.+))?$/.exec(line);
      if (participant) add(participant[2] ?? participant[1]);
      const message = /^\s*[\w-]+\s*-{1,2}[>x)]{1,2}[+-]?\s*[\w-]+\s*:\s*(.+)$/.exec(line);
      if (message) add(message[1]);
    } else if (header === 'classDiagram') {
      const klass = /^\s*class\s+(\w+)/.exec(line);
      if (klass) add(klass[1]);
    } else {
      // Unquoted flowchart labels: id[label], id(label), id{label}.
      for (const match of line.matchAll(/\w+[[({]+(?!")([^"\])}]+)[\])}]+/g)) add(match[1]);
    }
  }
  const separator = locale === 'en' ? ': ' : '：';
  const join = locale === 'en' ? '; ' : '；';
  return names.length > 0 ? `${kind}${separator}${names.join(join)}` : kind;
}
