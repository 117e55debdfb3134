/**
 * Highlighted code is readable in both colour modes: every token colour of src/css/code-colors.css has a contrast of
 * at least 4.5:1 (WCAG AA, normal text) with its mode's code background, and every variable the Prism theme uses is
 * defined in both modes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CODE_TOKEN_VARIABLES, codeColorVariable, codeTheme, type CodeColor } from '../../src/theme/code-theme';

const css = readFileSync(path.resolve(__dirname, '..', '..', 'src', 'css', 'code-colors.css'), 'utf8');

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
  assert.ok(used.length > 5);
  for (const selector of [':root', "[data-theme='dark']"]) for (const variable of used) assert.ok(block(selector).has(variable), `${variable} missing in ${selector}`);
});
