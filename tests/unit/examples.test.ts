/**
 * The complete programs the chapters show are real files (examples/, and regions of server/apps and src/plugins), which
 * `npm run typecheck` and `npm run lint` check and tests/e2e/examples.spec.ts runs. These tests prove that each chapter,
 * in English and in Chinese, shows exactly those files: every listing comes from a raw import of an existing file (or a
 * marked region of one), no chapter writes a long program out inline any more, the two languages show the same files,
 * and each Chinese twin (`*.zh-Hans.*`, comments translated) has exactly the code of its English file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { BUILD_INPUTS } from '../../server/site/build';
import { extractRegion, regionNames } from '../../src/components/CodeFile/region';

const root = path.resolve(__dirname, '..', '..');
const ZH_DOCS = 'i18n/zh-Hans/docusaurus-plugin-content-docs/current';
/** Inline listings of programs longer than this many lines belong in files. */
const MAX_INLINE_LINES = 30;
const PROGRAM_LANGUAGES = new Set(['js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'html', 'javascript', 'typescript']);

interface EspreeToken {
  type: string;
  value: string;
}
const espree = createRequire(__filename)('espree') as {
  tokenize(code: string, options: { ecmaVersion: 'latest'; sourceType: 'script' | 'module' }): EspreeToken[];
};

const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((entry) => {
    const file = `${dir}/${entry}`;
    return statSync(path.join(root, file)).isDirectory() ? filesUnder(file) : [file];
  });
}

const EN_CHAPTERS = readdirSync(path.join(root, 'docs')).filter((name) => name.endsWith('.mdx')).sort();
const CHAPTERS = EN_CHAPTERS.flatMap((name) => [`docs/${name}`, `${ZH_DOCS}/${name}`]);
const EXAMPLES = filesUnder('examples').sort();

/** `examples/a/b.js` → `examples/a/b.zh-Hans.js`. */
function twinOf(file: string): string {
  const ext = path.extname(file);
  return `${file.slice(0, -ext.length)}.zh-Hans${ext}`;
}
const isTwin = (file: string): boolean => /\.zh-Hans\.[^.]+$/.test(file);
const englishOf = (twin: string): string => twin.replace(/\.zh-Hans(\.[^.]+)$/, '$1');

interface Shown {
  component: 'KmsCode' | 'CodeBlock' | 'CodeFile';
  variable: string;
  region?: string;
}

interface Chapter {
  file: string;
  text: string;
  /** variable → file path of `import variable from '@site/<path>?raw'` */
  raw: Map<string, string>;
  shown: Shown[];
}

function parseChapter(file: string): Chapter {
  const text = read(file);
  const raw = new Map<string, string>();
  for (const match of text.matchAll(/^import (\w+) from '@site\/([^']+)\?raw';$/gm)) raw.set(match[1] ?? '', match[2] ?? '');
  const shown: Shown[] = [];
  for (const match of text.matchAll(/<(KmsCode|CodeBlock)\b[^>]*>\{(\w+)\}<\/\1>/g)) {
    shown.push({ component: match[1] as 'KmsCode' | 'CodeBlock', variable: match[2] ?? '' });
  }
  for (const match of text.matchAll(/<CodeFile\s+source=\{(\w+)\}\s+region="([^"]+)"[^>]*\/>/g)) {
    shown.push({ component: 'CodeFile', variable: match[1] ?? '', region: match[2] ?? '' });
  }
  return { file, text, raw, shown };
}

const chapters = new Map(CHAPTERS.map((file) => [file, parseChapter(file)]));
const chapter = (file: string): Chapter => {
  const found = chapters.get(file);
  assert.ok(found, `${file} is a chapter`);
  return found;
};

/** The inline listings of a chapter: fenced blocks and KmsCode template literals, with their language and length. */
function inlineListings(text: string): Array<{ language: string; title: string; lines: number }> {
  const listings: Array<{ language: string; title: string; lines: number }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*```(\w*)(.*)$/.exec(lines[i] ?? '');
    if (fence) {
      let end = i + 1;
      while (end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? '')) end++;
      listings.push({ language: fence[1] ?? '', title: fence[2] ?? '', lines: end - i - 1 });
      i = end;
    }
  }
  for (const match of text.matchAll(/<KmsCode\s+language="(\w+)"([^>]*)>\{`([\s\S]*?)`\}<\/KmsCode>/g)) {
    listings.push({ language: match[1] ?? '', title: match[2] ?? '', lines: (match[3] ?? '').split('\n').length });
  }
  return listings;
}

test('every raw import of a chapter names an existing file, and the chapter shows it', () => {
  let imports = 0;
  for (const { file, raw, shown } of chapters.values()) {
    for (const [variable, target] of raw) {
      imports++;
      assert.ok(existsSync(path.join(root, target)), `${file}: ${target} exists`);
      assert.ok(shown.some((entry) => entry.variable === variable), `${file} shows ${variable} (${target})`);
    }
  }
  assert.ok(imports >= 30, `the chapters import the example files (${imports} imports)`);
});

test('every listing shown from a variable is a raw import of a file, and every region exists', () => {
  for (const { file, raw, shown } of chapters.values()) {
    for (const entry of shown) {
      const target = raw.get(entry.variable);
      assert.ok(target, `${file}: <${entry.component}> shows {${entry.variable}}, a raw import`);
      if (entry.component !== 'CodeFile') continue;
      const region = entry.region ?? '';
      assert.ok(regionNames(read(target)).includes(region), `${file}: ${target} marks the region "${region}"`);
      assert.ok(extractRegion(read(target), region).split('\n').length > 10, `${file}: region "${region}" of ${target} has code`);
    }
  }
});

test('no chapter writes a program out inline any more', () => {
  for (const { file, text } of chapters.values()) {
    for (const listing of inlineListings(text)) {
      if (!PROGRAM_LANGUAGES.has(listing.language)) continue;
      assert.ok(
        listing.lines <= MAX_INLINE_LINES,
        `${file}: an inline ${listing.language} listing${listing.title} of ${listing.lines} lines belongs in a file of examples/`,
      );
    }
  }
});

test('every example is shown in English, and the Chinese chapter shows the same files (its twins where there are)', () => {
  const shownByEnglish = new Set<string>();
  for (const name of EN_CHAPTERS) {
    const en = chapter(`docs/${name}`);
    const zh = chapter(`${ZH_DOCS}/${name}`);
    assert.deepEqual([...zh.raw.keys()].sort(), [...en.raw.keys()].sort(), `${name}: both languages import the same listings`);
    assert.deepEqual(
      zh.shown.map((entry) => `${entry.component} ${entry.variable} ${entry.region ?? ''}`),
      en.shown.map((entry) => `${entry.component} ${entry.variable} ${entry.region ?? ''}`),
      `${name}: both languages show them in the same order, with the same components`,
    );
    for (const [variable, target] of en.raw) {
      assert.ok(!isTwin(target), `${name}: the English chapter shows the English ${target}`);
      shownByEnglish.add(target);
      const expected = existsSync(path.join(root, twinOf(target))) ? twinOf(target) : target;
      assert.equal(zh.raw.get(variable), expected, `${name}: the Chinese chapter shows ${expected}`);
    }
  }
  for (const file of EXAMPLES) {
    if (isTwin(file) || file === 'examples/globals.d.ts') continue;
    assert.ok(shownByEnglish.has(file), `${file} is shown by a chapter`);
  }
});

test('a change to a shown file makes the site build stale (npm start and the end-to-end tests rebuild)', () => {
  for (const { file, raw } of chapters.values()) {
    for (const target of raw.values()) {
      const input = BUILD_INPUTS.find((entry) => target === entry || target.startsWith(`${entry}/`));
      assert.ok(input, `${file} shows ${target}: server/site/build.ts lists it among the build's inputs`);
    }
  }
});

test('listings that name a KMS use the URL KmsCode replaces with the learner\'s, and are shown with KmsCode', () => {
  const defaultUrl = /DEFAULT_KMS_URL = '([^']+)'/.exec(read('src/components/KmsCode/index.tsx'))?.[1];
  assert.equal(defaultUrl, 'ws://127.0.0.1:8888/kurento');
  for (const { file, raw, shown } of chapters.values()) {
    for (const entry of shown) {
      const target = raw.get(entry.variable) ?? '';
      const urls = read(target).match(/wss?:\/\/[^\s'"`]*\/kurento\b/g) ?? [];
      if (urls.length === 0) continue;
      for (const url of urls) assert.equal(url, defaultUrl, `${target}: its KMS URL is the default one`);
      assert.equal(entry.component, 'KmsCode', `${file}: ${target} names a KMS, so KmsCode shows it`);
    }
  }
});

/** The tokens of a program, comments and layout left out: espree for JavaScript, TypeScript's parser for TypeScript. */
function codeTokens(file: string, text: string): string[] {
  if (file.endsWith('.ts')) {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const tokens: string[] = [];
    const visit = (node: ts.Node): void => {
      if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return; // a comment
      const children = node.getChildren(source);
      if (children.length === 0) {
        if (node.kind !== ts.SyntaxKind.EndOfFileToken) tokens.push(node.getText(source));
      } else {
        children.forEach(visit);
      }
    };
    visit(source);
    return tokens;
  }
  const sourceType = file.endsWith('.mjs') ? 'module' : 'script';
  return espree.tokenize(text, { ecmaVersion: 'latest', sourceType }).map((token) => `${token.type} ${token.value}`);
}

/** HTML without its comments, line by line, blank lines left out. */
function htmlWithoutComments(text: string): string[] {
  return text
    .replace(/<!--[\s\S]*?-->/g, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '');
}

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

test('each zh-Hans twin has exactly the code of its English file: only the comments differ', () => {
  const twins = EXAMPLES.filter(isTwin);
  assert.ok(twins.length >= 5, `the Chinese chapters have translated twins (${twins.length})`);
  for (const twin of twins) {
    const english = englishOf(twin);
    assert.ok(existsSync(path.join(root, english)), `${twin} has its English file ${english}`);
    const [en, zh] = [read(english), read(twin)];
    assert.notEqual(zh, en, `${twin} translates something`);
    assert.match(zh, CJK, `${twin} has Chinese comments`);
    if (twin.endsWith('.html')) {
      assert.deepEqual(htmlWithoutComments(zh), htmlWithoutComments(en), `${twin}: the markup is ${english}'s`);
    } else {
      const [enTokens, zhTokens] = [codeTokens(english, en), codeTokens(twin, zh)];
      assert.ok(enTokens.length > 50, `${english} is tokenized`);
      assert.deepEqual(zhTokens, enTokens, `${twin}: the code is ${english}'s`);
    }
  }
});

test('the token comparison sees code changes and ignores comments', () => {
  const base = "const a = 1; // one\nfunction f(x) { return `${x}/2`; }\n";
  assert.deepEqual(codeTokens('a.js', base.replace('// one', '// 一')), codeTokens('a.js', base));
  assert.deepEqual(codeTokens('a.ts', `/** 说明 */\n${base}`), codeTokens('a.ts', `/** doc */\n${base}`));
  assert.notDeepEqual(codeTokens('a.js', base.replace('1', '2')), codeTokens('a.js', base));
  assert.notDeepEqual(codeTokens('a.js', base.replace("'", '"')), codeTokens('a.js', base.replace('/2', '/3')));
  assert.notDeepEqual(htmlWithoutComments('<p>A</p><!-- x -->'), htmlWithoutComments('<p>B</p><!-- x -->'));
});

test('the examples\' own comments are in English: Chinese only in the twins', () => {
  for (const file of EXAMPLES) {
    if (isTwin(file)) continue;
    assert.doesNotMatch(read(file), CJK, `${file} is in English (its Chinese version is ${twinOf(file)})`);
  }
});

test('a region is the lines between its markers, in parts, dedented, without markers', () => {
  const source = [
    'import x from "y";',
    'class A {',
    '  // #region demo',
    '  one(): void {',
    '    // #region other',
    '    call();',
    '    // #endregion other',
    '  }',
    '  // #endregion demo',
    '',
    '  hidden(): void {}',
    '',
    '  // #region demo',
    '  two(): void {}',
    '  // #endregion demo',
    '}',
  ].join('\n');
  assert.equal(extractRegion(source, 'demo'), ['one(): void {', '  call();', '}', '', '// …', '', 'two(): void {}'].join('\n'));
  assert.equal(extractRegion(source, 'other'), 'call();');
  assert.deepEqual(regionNames(source), ['demo', 'other']);
  assert.throws(() => extractRegion(source, 'missing'), /no region "missing"/);
  assert.throws(() => extractRegion('// #region open\ncode', 'open'), /not closed/);
  assert.throws(() => extractRegion('code\n// #endregion stray', 'stray'), /without #region/);
});
