/**
 * Highlighted code is readable in both colour modes and coloured as Prism's nesting says:
 * - every token colour of src/css/code-colors.css has a contrast of at least 4.5:1 (WCAG AA, normal text) with its
 *   mode's code background, and every variable is defined in both modes;
 * - every colour has its class rule, and the class a token gets (src/theme/code-theme.ts) gives it the colour and
 *   italic that prism-react-renderer's inline styles give it with the same colours as a theme (the way the site
 *   coloured code before): checked token by token on the code of every chapter and example.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createElement, type CSSProperties } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Highlight, Prism, type PrismTheme, type Token } from 'prism-react-renderer';
import { CODE_ITALIC_CLASS, CODE_TOKEN_VARIABLES, ITALIC_TOKEN_COLORS, codeColorClass, codeColorVariable, codeTheme, tokenColorClasses, type CodeColor, type TokenColor } from '../../src/theme/code-theme';

const root = path.resolve(__dirname, '..', '..');
const css = readFileSync(path.join(root, 'src', 'css', 'code-colors.css'), 'utf8');

function block(selector: string): Map<string, string> {
  const start = css.indexOf(`${selector} {`);
  assert.ok(start >= 0, `no ${selector} block in code-colors.css`);
  const body = css.slice(start, css.indexOf('}', start));
  return new Map([...body.matchAll(/(--[\w-]+):\s*(#[0-9a-f]{6});/gi)].map((match) => [match[1] ?? '', match[2] ?? '']));
}

/** WCAG 2 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const channel = (index: number): number => {
    const value = Number.parseInt(hex.slice(1 + index * 2, 3 + index * 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

test('contrast is computed as WCAG defines it', () => {
  assert.equal(Math.round(contrast('#000000', '#ffffff') * 10) / 10, 21);
  assert.equal(Math.round(contrast('#777777', '#ffffff') * 100) / 100, 4.48);
});

for (const [mode, selector] of [['light', ':root'], ['dark', "[data-theme='dark']"]] as const) {
  test(`every code colour reads on the ${mode} code background (≥ 4.5:1)`, () => {
    const colors = block(selector);
    const background = colors.get(codeColorVariable('background'));
    assert.ok(background, `${mode}: no background`);
    const names: CodeColor[] = ['text', ...(Object.keys(CODE_TOKEN_VARIABLES) as CodeColor[])];
    for (const name of names) {
      const color = colors.get(codeColorVariable(name));
      assert.ok(color, `${mode}: ${codeColorVariable(name)} is not defined`);
      const ratio = contrast(color, background);
      assert.ok(ratio >= 4.5, `${mode}: ${name} ${color} on ${background} has a contrast of ${ratio.toFixed(2)}:1`);
    }
  });
}

test('the Prism theme only names variables that both modes define', () => {
  const used = JSON.stringify(codeTheme).match(/--kl-code-[\w-]+/g) ?? [];
  assert.ok(used.length >= 2);
  for (const selector of [':root', "[data-theme='dark']"]) for (const variable of used) assert.ok(block(selector).has(variable), `${variable} missing in ${selector}`);
});

/** The declarations of a one-class rule of code-colors.css. */
function rule(className: string): string {
  const match = new RegExp(`\\.${className}\\s*\\{([^}]*)\\}`).exec(css);
  assert.ok(match, `no .${className} rule in code-colors.css`);
  return (match[1] ?? '').replace(/\s+/g, ' ').trim();
}

test('every token colour has its class, which sets that colour and nothing else', () => {
  for (const name of Object.keys(CODE_TOKEN_VARIABLES) as TokenColor[]) {
    assert.equal(rule(codeColorClass(name)), `color: var(${codeColorVariable(name)});`);
  }
  assert.equal(rule(CODE_ITALIC_CLASS), 'font-style: italic;');
});

test('a Prism type has one colour', () => {
  const types = Object.values(CODE_TOKEN_VARIABLES).flat();
  assert.equal(new Set(types).size, types.length);
});

/** The site's colours as a theme of inline styles: what prism-react-renderer did with them is the reference. */
const inlineTheme: PrismTheme = {
  plain: codeTheme.plain,
  styles: (Object.entries(CODE_TOKEN_VARIABLES) as Array<[TokenColor, readonly string[]]>).map(([name, types]) => ({
    types: [...types],
    style: { color: `var(${codeColorVariable(name)})`, ...(ITALIC_TOKEN_COLORS.includes(name) ? { fontStyle: 'italic' as const } : {}) },
  })),
};

// The languages docusaurus.config.ts adds to Prism (themeConfig.prism.additionalLanguages), loaded as the theme does.
const config = readFileSync(path.join(root, 'docusaurus.config.ts'), 'utf8');
const additional = JSON.parse((/additionalLanguages:\s*(\[[^\]]*\])/.exec(config)?.[1] ?? '[]').replace(/'/g, '"')) as string[];
async function loadLanguages(): Promise<void> {
  (globalThis as { Prism?: unknown }).Prism = Prism;
  for (const language of additional) await import(`prismjs/components/prism-${language}`);
  delete (globalThis as { Prism?: unknown }).Prism;
}

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The code the site highlights: the chapters' fenced blocks and the example programs they show. */
function samples(): Array<{ language: string; code: string }> {
  const out: Array<{ language: string; code: string }> = [];
  for (const file of filesUnder(path.join(root, 'docs'), /\.mdx?$/)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/^```(\w+)[^\n]*\n([\s\S]*?)^```/gm)) {
      if (match[1] !== 'mermaid') out.push({ language: match[1] ?? 'text', code: match[2] ?? '' });
    }
  }
  const byExtension: Record<string, string> = { '.js': 'js', '.mjs': 'js', '.ts': 'ts', '.html': 'html', '.json': 'json' };
  for (const file of filesUnder(path.join(root, 'examples'), /\.(m?js|ts|html|json)$/)) {
    out.push({ language: byExtension[path.extname(file)] ?? 'text', code: readFileSync(file, 'utf8') });
  }
  return out;
}

test('each token gets by its class the colour and italic the inline styles gave it', async () => {
  await loadLanguages();
  assert.ok(additional.includes('java') && Prism.languages.java, 'the additional languages are loaded');
  const all = samples();
  assert.ok(all.length > 50, `only ${all.length} code samples found`);
  let tokens = 0;
  const nestedSeen = new Set<string>();
  for (const { language, code } of all) {
    renderToStaticMarkup(
      createElement(Highlight, {
        theme: inlineTheme,
        code,
        language,
        children: ({ tokens: lines, getTokenProps }) => {
          for (const token of lines.flat() as Token[]) {
            tokens += 1;
            const style = (getTokenProps({ token }).style ?? {}) as CSSProperties;
            const classes = tokenColorClasses(token.types).split(' ').filter(Boolean);
            const colorClass = classes.find((name) => name !== CODE_ITALIC_CLASS);
            const expected = typeof style.color === 'string' ? style.color : undefined;
            const got = colorClass ? /color: (var\([\w-]+\))/.exec(rule(colorClass))?.[1] : undefined;
            const where = `${language} token ${JSON.stringify(token.content)} (${token.types.join(' > ')})`;
            assert.equal(got, expected, `${where}: colour`);
            assert.equal(classes.includes(CODE_ITALIC_CLASS), style.fontStyle === 'italic', `${where}: italic`);
            if (token.types.filter((type) => type !== 'plain').length > 1) nestedSeen.add(token.types.join(' > '));
          }
          return null;
        },
      }),
    );
  }
  assert.ok(tokens > 5000, `only ${tokens} tokens checked`);
  // The check means something only if nested tokens (where the order of types decides) were among them.
  assert.ok(nestedSeen.size >= 5, `only ${nestedSeen.size} kinds of nested tokens: ${[...nestedSeen].join(', ')}`);
});
