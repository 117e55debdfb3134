import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadContext } from '@docusaurus/types';
import i18nCompleteness, { checkI18n } from '../../src/plugins/i18n-completeness';

const repo = path.resolve(__dirname, '..', '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'i18n-check-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A site with one English page and one UI string, neither translated. */
function untranslatedSite(): string {
  const root = path.join(scratch, 'site');
  mkdirSync(path.join(root, 'docs'), { recursive: true });
  mkdirSync(path.join(root, 'src', 'components'), { recursive: true });
  writeFileSync(path.join(root, 'docs', 'intro.mdx'), '# Intro\n');
  writeFileSync(path.join(root, 'sidebars.ts'), "export default { guide: ['intro'] };\n");
  writeFileSync(
    path.join(root, 'src', 'components', 'Hello.tsx'),
    "export const hello = (): string => translate({ id: 'demo.hello', message: 'Hello' });\n",
  );
  mkdirSync(path.join(root, 'i18n', 'zh-Hans'), { recursive: true });
  writeFileSync(path.join(root, 'i18n', 'zh-Hans', 'code.json'), JSON.stringify({ 'demo.hello': { message: 'Hello' } }));
  return root;
}

test('this repository is complete in both languages', () => {
  const { problems, summary } = checkI18n(repo);
  assert.deepEqual(problems, []);
  assert.match(summary, /\d+ docs pages .* \d+ UI strings .* \d+ labs/);
});

test('a missing Chinese page and an untranslated UI string are both reported', () => {
  const { problems } = checkI18n(untranslatedSite());
  assert.ok(problems.some((p) => p.startsWith('docs/intro.mdx has no Chinese page')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('"demo.hello"') && p.includes('is not translated')), problems.join('\n'));
});

test('the plugin fails a production build of an incomplete site and only warns in development', async () => {
  const plugin = i18nCompleteness({ siteDir: untranslatedSite() } as LoadContext);
  const previous = process.env.NODE_ENV;
  const warn = console.warn;
  try {
    process.env.NODE_ENV = 'production';
    await assert.rejects(async () => plugin.loadContent?.(), /i18n check failed .*docs\/intro\.mdx/s);
    process.env.NODE_ENV = 'development';
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => void warnings.push(...args);
    await plugin.loadContent?.();
    assert.equal(warnings.length, 1);
  } finally {
    console.warn = warn;
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
});
