import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadContext } from '@docusaurus/types';
import i18nCompleteness, { checkI18n, findChineseLineBreaks, findEnglishComments } from '../../src/plugins/i18n-completeness';

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

test('a line break between two Chinese characters is found in prose, not in code, tables or list starts', () => {
  const page = [
    '---',
    'title: 配置',
    '---',
    '',
    '刚装好的 KMS 在单机或局域网里就能工作。一旦浏览器和 KMS 位于不同的网络，',
    '它就需要知道别人怎样才能连到它。',
    '',
    '- 第一项，',
    '- 第二项',
    '',
    '```js',
    '// 中文注释，',
    '// 第二行',
    '```',
    '',
    '<KmsCode>{`// 模板，',
    '// 第二行`}</KmsCode>',
    '',
    'KMS 默认监听所有地址；注释掉的 `address` 键可以限制这一点。Then English',
    'continues here.',
  ].join('\n');
  assert.deepEqual(findChineseLineBreaks(page), [5]);
});

test('English code comments in a Chinese page are found; Chinese ones, URLs, output and file contents are not', () => {
  const page = [
    '```js',
    '// Presenter: sends camera and microphone, receives nothing.',
    "const port = hub.createHubPort(); // the real HubPort, usable at once",
    '// 观众：只接收',
    "kurentoClient('ws://127.0.0.1:8888/kurento', onClient); // ok",
    '```',
    '',
    '```text',
    "URI 'file:///tmp/x.webm' refused: files must be inside the media directory",
    '```',
    '',
    '```bash',
    "sudo tee /etc/apt/sources.list.d/kurento.list >/dev/null <<'EOF'",
    '# Kurento Media Server 7.3.0',
    'EOF',
    '# Users (more can live in the database)',
    '```',
  ].join('\n');
  assert.deepEqual(
    findEnglishComments(page).map(({ line }) => line),
    [2, 3, 16],
  );
});

test('an untranslated theme string in code.json and the two page problems fail the check', () => {
  const root = path.join(scratch, 'zh-seams');
  const zh = path.join(root, 'i18n', 'zh-Hans', 'docusaurus-plugin-content-docs', 'current');
  mkdirSync(path.join(root, 'docs'), { recursive: true });
  mkdirSync(zh, { recursive: true });
  writeFileSync(path.join(root, 'docs', 'intro.mdx'), '# Intro\n');
  writeFileSync(path.join(zh, 'intro.mdx'), '# 简介\n\n第一行，\n第二行。\n\n```js\n// Connect to the server now\n```\n');
  writeFileSync(path.join(root, 'sidebars.ts'), "export default { guide: ['intro'] };\n");
  writeFileSync(
    path.join(root, 'i18n', 'zh-Hans', 'code.json'),
    JSON.stringify({
      'theme.IconExternalLink.ariaLabel': { message: '(opens in new tab)' },
      'theme.blog.author.pageTitle': { message: '{authorName} - {nPosts}' },
      'theme.colorToggle.ariaLabel.mode.dark': { message: '暗黑模式' },
    }),
  );
  const { problems } = checkI18n(root);
  assert.ok(problems.some((p) => p.includes('"theme.IconExternalLink.ariaLabel" is not translated')), problems.join('\n'));
  assert.ok(!problems.some((p) => p.includes('theme.blog.author.pageTitle') || p.includes('mode.dark')), problems.join('\n'));
  assert.ok(problems.some((p) => p.endsWith('intro.mdx: 1 line break(s) between Chinese characters (lines 3); join each paragraph into one line')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('intro.mdx:7: code comment not translated: "Connect to the server now"')), problems.join('\n'));
  // Neither page names the term the search test looks it up by.
  assert.ok(problems.includes('docs/intro.mdx: add "search_term: <a word only this chapter has>" to its front matter (the search test looks the chapter up by it)'), problems.join('\n'));
});
