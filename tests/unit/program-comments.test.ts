/**
 * The comments of every lab's program in Chinese (labs/programs/<id>.zh-Hans.json, applied by
 * labs/framework/comments.ts on the Chinese pages): every comment has a translation, no translation is stale, a
 * translation is Chinese, and translating changes nothing but comments (the token streams without comments are equal,
 * the steps stay the same). The scanner that finds the comments is checked against espree, a real JavaScript parser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { findComments, programComments, translateComments, type CommentTable } from '../../labs/framework/comments';
import { parseProgram } from '../../labs/framework/program';
import { EXERCISES } from '../../labs/exercises';

interface EspreeToken {
  type: string;
  value: string;
}
interface EspreeComment {
  type: 'Line' | 'Block';
  range: [number, number];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const espree = require('espree') as {
  tokenize(code: string, options: { ecmaVersion: 'latest'; sourceType: 'script' }): EspreeToken[];
  parse(code: string, options: { ecmaVersion: 'latest'; sourceType: 'script'; comment: true; range: true }): { comments: EspreeComment[] };
};

const programs = path.resolve(__dirname, '..', '..', 'labs', 'programs');
const HAN = /\p{Script=Han}/u;
const ids = readdirSync(programs)
  .filter((name) => name.endsWith('.js'))
  .map((name) => name.slice(0, -'.js'.length))
  .sort();

function program(id: string): string {
  return readFileSync(path.join(programs, `${id}.js`), 'utf8');
}

function table(id: string): CommentTable {
  const file = path.join(programs, `${id}.zh-Hans.json`);
  assert.ok(existsSync(file), `labs/programs/${id}.zh-Hans.json: the Chinese comments of ${id}.js`);
  return JSON.parse(readFileSync(file, 'utf8')) as CommentTable;
}

function tokens(code: string): string[] {
  return espree.tokenize(code, { ecmaVersion: 'latest', sourceType: 'script' }).map((token) => `${token.type} ${token.value}`);
}

function espreeComments(code: string): string[] {
  return espree.parse(code, { ecmaVersion: 'latest', sourceType: 'script', comment: true, range: true }).comments.map((comment) => `${comment.range[0]}-${comment.range[1]}`);
}

test('the comment scanner finds exactly the comments a JavaScript parser finds', () => {
  const tricky = [
    'var a = "// not a comment", b = \'/* nor this */\'; // one',
    'var t = `x ${ { k: `y ${1 /* two */}` }.k } // still the template`; /* three */',
    'var r = /\\/\\/[/*]x/g.test(s) ? 4 / 2 / 1 : 0; // four',
    'function f(x) { if (x) return /a\\/b/; } /** five\n * six */',
  ].join('\n');
  for (const [name, code] of [['(tricky)', tricky] as const, ...ids.flatMap((id) => [[`${id}.js`, program(id)] as const, [`${id}.js in Chinese`, translateComments(program(id), table(id))] as const])]) {
    assert.deepEqual(
      findComments(code).map((comment) => `${comment.start}-${comment.end}`),
      espreeComments(code),
      `${name}: the comments found`,
    );
  }
});

test('every comment of every program has a Chinese translation, and no translation is stale', () => {
  const problems: string[] = [];
  for (const id of ids) {
    const keys = new Set(programComments(program(id)).map((comment) => comment.key));
    const translations = table(id);
    for (const key of keys) if (!Object.prototype.hasOwnProperty.call(translations, key)) problems.push(`${id}.js: no translation in ${id}.zh-Hans.json for the comment ${JSON.stringify(key)}`);
    for (const [key, value] of Object.entries(translations)) {
      if (!keys.has(key)) problems.push(`${id}.zh-Hans.json: stale, ${id}.js has no comment ${JSON.stringify(key)}`);
      if (!HAN.test(value)) problems.push(`${id}.zh-Hans.json: the translation of ${JSON.stringify(key)} is not Chinese`);
      if (value.includes('*/')) problems.push(`${id}.zh-Hans.json: the translation of ${JSON.stringify(key)} would close a block comment`);
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('translating the comments changes nothing but comments', () => {
  for (const id of ids) {
    const english = program(id);
    const missing: string[] = [];
    const chinese = translateComments(english, table(id), (key) => missing.push(key));
    assert.deepEqual(missing, [], `${id}: every comment translated`);
    assert.notEqual(chinese, english, `${id}: the Chinese program differs`);
    assert.deepEqual(tokens(chinese), tokens(english), `${id}: the same tokens, comments left out`);
    const [en, zh] = [parseProgram(english), parseProgram(chinese)];
    assert.deepEqual(
      zh.steps.map((step) => step.id),
      en.steps.map((step) => step.id),
      `${id}: the same steps`,
    );
    for (const comment of programComments(chinese)) assert.ok(HAN.test(comment.key), `${id}: a comment left in English: ${comment.key}`);
  }
});

test('a translation keeps the form of its comment', () => {
  const code = ['  // One paragraph', '  // on two lines.', 'var a = 1; // trailing', '/**', ' * A block.', ' */', '// @step next', 'a = 2;'].join('\n');
  const out = translateComments(code, { 'One paragraph on two lines.': '一段\n两行。', trailing: '行尾', 'A block.': '一个块。' });
  assert.equal(out, ['  // 一段', '  // 两行。', 'var a = 1; // 行尾', '/**', ' * 一个块。', ' */', '// @step next', 'a = 2;'].join('\n'));
  assert.equal(translateComments(code, {}), code, 'an unknown comment stays as it is');
});

test('the exercises\' starting code and solutions have their comments in Chinese too (labs/exercises.zh-Hans.json)', () => {
  const translations = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'labs', 'exercises.zh-Hans.json'), 'utf8')) as CommentTable;
  const keys = new Set<string>();
  const problems: string[] = [];
  for (const exercise of EXERCISES) {
    for (const code of [exercise.start, exercise.solution]) {
      if (code === undefined) continue;
      for (const comment of programComments(code)) {
        keys.add(comment.key);
        if (!HAN.test(translations[comment.key] ?? '')) problems.push(`exercise ${exercise.id}: no Chinese for the comment ${JSON.stringify(comment.key)}`);
      }
      assert.deepEqual(tokens(translateComments(code, translations)), tokens(code), `exercise ${exercise.id}: only comments change`);
    }
  }
  for (const key of Object.keys(translations)) if (!keys.has(key)) problems.push(`labs/exercises.zh-Hans.json: stale, no exercise has the comment ${JSON.stringify(key)}`);
  assert.deepEqual(problems, [], problems.join('\n'));
});
