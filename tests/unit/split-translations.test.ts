/** UI messages travel with the code that shows them (src/plugins/translations-loader.cjs). */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

type Loader = (this: unknown, source: string) => string;
const loader = createRequire(__filename)('../../src/plugins/translations-loader.cjs') as Loader;

const dir = mkdtempSync(path.join(tmpdir(), 'split-translations-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const src = path.join(dir, 'src');
mkdirSync(path.join(src, 'components'), { recursive: true });
const translationsFile = path.join(dir, 'codeTranslations.json');
const registerFile = path.join(src, 'register-translations.ts');
const messages = { 'theme.CodeBlock.copy': '复制', 'lab.run': '运行', 'lab.reset': '重置', 'home.title': '首页' };
writeFileSync(translationsFile, JSON.stringify(messages));
writeFileSync(path.join(src, 'components', 'Lab.tsx'), `<Translate id="lab.run">Run</Translate>; translate({ id: 'lab.reset', message: 'Reset' });`);
writeFileSync(path.join(src, 'components', 'Copy.tsx'), `translate({ id: 'theme.CodeBlock.copy', message: 'Copy' });`);

function run(mode: 'main' | 'module' | 'register', source: string, resourceQuery = ''): string {
  const context = {
    getOptions: () => ({ mode, translationsFile, registerFile, sourceDirs: [src] }),
    addDependency: () => undefined,
    addContextDependency: () => undefined,
    resourceQuery,
  };
  return loader.call(context, source);
}

test('the main bundle keeps the theme messages and those no source file names', () => {
  assert.deepEqual(JSON.parse(run('main', JSON.stringify(messages))), { 'theme.CodeBlock.copy': '复制', 'home.title': '首页' });
});

test('a module that names messages registers them first', () => {
  const out = run('module', `import x from 'y';\nconst a = translate({ id: "lab.run", message: 'Run' });`);
  const first = out.split('\n')[0] ?? '';
  assert.match(first, /^import ".*register-translations\.ts\?ids=lab\.run";$/);
  assert.equal(run('module', `const a = 1;`), `const a = 1;`);
  // Theme messages stay in the main bundle: a module naming one registers nothing.
  assert.equal(run('module', `translate({ id: 'theme.CodeBlock.copy' })`), `translate({ id: 'theme.CodeBlock.copy' })`);
});

test('the registration adds the messages of the locale to Docusaurus translations', () => {
  const out = run('register', '', `?ids=${encodeURIComponent('lab.run,lab.reset,lab.missing')}`);
  assert.match(out, /^import translations from '@generated\/codeTranslations';/);
  assert.ok(out.includes(`Object.assign(translations, ${JSON.stringify({ 'lab.run': '运行', 'lab.reset': '重置' })});`));
});
