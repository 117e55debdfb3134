/**
 * `npm run diagrams`: renders every ```mermaid block of the chapters that has no current SVG yet, in the light and
 * dark themes, with Mermaid (the npm package) in Debian's Chromium, and removes renderings no chapter uses any more.
 * The SVGs are committed: building the site needs no browser.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { DIAGRAM_CONFIG, DIAGRAMS_DIR, MERMAID_VERSION, diagramFile, diagramHash, findDiagrams, type DiagramTheme } from './diagrams';

const root = path.resolve(__dirname, '..');

/** Gives the SVG its size in pixels (an image needs one) and drops the inline max-width Mermaid sets for the page. */
function asImage(svg: string): string {
  const viewBox = /viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!viewBox) throw new Error('a rendered diagram has no viewBox');
  const width = Math.ceil(Number(viewBox[3]));
  const height = Math.ceil(Number(viewBox[4]));
  return svg
    .replace(/(<svg[^>]*?)\swidth="[^"]*"/, '$1')
    .replace(/(<svg[^>]*?)\sheight="[^"]*"/, '$1')
    .replace(/(<svg[^>]*?)\sstyle="[^"]*"/, '$1')
    .replace(/<svg/, `<svg width="${width}" height="${height}"`);
}

async function main(): Promise<void> {
  const version = MERMAID_VERSION;
  const diagrams = findDiagrams(root);
  const dir = path.join(root, DIAGRAMS_DIR);
  mkdirSync(dir, { recursive: true });
  const wanted = new Set<string>();
  const todo = new Map<string, string>();
  for (const { source } of diagrams) {
    const hash = diagramHash(source, version);
    for (const theme of Object.keys(DIAGRAM_CONFIG.themes) as DiagramTheme[]) {
      const file = diagramFile(hash, theme);
      wanted.add(file);
      if (!existsSync(path.join(dir, file))) todo.set(hash, source);
    }
  }
  let removed = 0;
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.svg') && !wanted.has(file)) {
      rmSync(path.join(dir, file));
      removed += 1;
    }
  }
  if (todo.size > 0) {
    // Mermaid's self-contained browser bundle, from the registry (npm pack, no install).
    const work = mkdtempSync(path.join(tmpdir(), 'kurento-labs-mermaid-'));
    execFileSync('npm', ['pack', `mermaid@${version}`, '--pack-destination', work, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack mermaid@${version} gave no tarball`);
    execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work, 'package/dist/mermaid.min.js']);
    const bundle = path.join(work, 'package', 'dist', 'mermaid.min.js');
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
    try {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
      await page.addScriptTag({ path: bundle });
      let index = 0;
      for (const [hash, source] of todo) {
        for (const [theme, mermaidTheme] of Object.entries(DIAGRAM_CONFIG.themes) as Array<[DiagramTheme, string]>) {
          const svg = await page.evaluate(
            async ({ source, theme, id, fontFamily, htmlLabels }) => {
              const mermaid = (window as unknown as { mermaid: { initialize(config: object): void; render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
              mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme, fontFamily, htmlLabels, flowchart: { htmlLabels }, themeVariables: { fontFamily } });
              return (await mermaid.render(id, source)).svg;
            },
            { source, theme: mermaidTheme, id: `diagram-${index++}`, fontFamily: DIAGRAM_CONFIG.fontFamily, htmlLabels: DIAGRAM_CONFIG.htmlLabels },
          );
          writeFileSync(path.join(dir, diagramFile(hash, theme)), `${asImage(svg)}\n`);
        }
      }
    } finally {
      await browser.close();
      rmSync(work, { recursive: true, force: true });
    }
  }
  console.log(`diagrams: ${diagrams.length} blocks, ${todo.size} rendered now, ${removed} unused file(s) removed (Mermaid ${version})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
