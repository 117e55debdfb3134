import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DIAGRAMS_DIR, diagramAlt, diagramFile, diagramHash, svgSize } from '../../scripts/diagrams';

interface Node {
  type: string;
  lang?: string | null;
  value?: string;
  children?: Node[];
  [key: string]: unknown;
}

const root = path.resolve(__dirname, '..', '..');

/**
 * Replaces each ```mermaid block by `<Diagram>` with its committed light and dark SVGs (scripts/render-diagrams.ts),
 * their size and a text alternative. A block without a current rendering stops the build and says what to run.
 */
export default function remarkDiagrams(): (tree: Node, file: { path?: string }) => void {
  return (tree, file) => {
    const locale = file.path && /[\\/]i18n[\\/]zh-Hans[\\/]/.test(file.path) ? 'zh-Hans' : 'en';
    const walk = (node: Node): void => {
      if (!node.children) return;
      node.children = node.children.map((child) => {
        if (child.type !== 'code' || child.lang !== 'mermaid') {
          walk(child);
          return child;
        }
        const source = child.value ?? '';
        const hash = diagramHash(source);
        const light = diagramFile(hash, 'light');
        let svg: string;
        try {
          svg = readFileSync(path.join(root, DIAGRAMS_DIR, light), 'utf8');
        } catch {
          throw new Error(`${file.path ?? 'a chapter'}: a mermaid diagram has no rendering (${light}). Run \`npm run diagrams\` and commit static/diagrams.`);
        }
        const size = svgSize(svg);
        if (!size) throw new Error(`${light} declares no width and height; run \`npm run diagrams\` again`);
        const attribute = (name: string, value: string): Node => ({ type: 'mdxJsxAttribute', name, value });
        return {
          type: 'mdxJsxFlowElement',
          name: 'Diagram',
          attributes: [
            attribute('light', `/diagrams/${light}`),
            attribute('dark', `/diagrams/${diagramFile(hash, 'dark')}`),
            attribute('width', String(size.width)),
            attribute('height', String(size.height)),
            attribute('alt', diagramAlt(source, locale)),
          ],
          children: [],
        };
      });
    };
    walk(tree);
  };
}
