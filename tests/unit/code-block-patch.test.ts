/** A hydrated code block takes a change of its code in place (src/theme/CodeBlock/Content/patch-text.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spliceLine } from '../../src/theme/CodeBlock/Content/patch-text';

const URL_OLD = 'ws://127.0.0.1:8888/kurento';
const URL_NEW = 'wss://kms.example.org:4443/kurento';

test('a URL inside one token changes inside that token', () => {
  const texts = ['const', ' ', 'URI', ' = ', `'${URL_OLD}'`, ';'];
  const out = spliceLine(texts, texts.join(''), texts.join('').replace(URL_OLD, URL_NEW));
  assert.deepEqual(out, ['const', ' ', 'URI', ' = ', `'${URL_NEW}'`, ';']);
});

test('a change over several tokens goes into the first, the others lose their part', () => {
  const texts = ['ws:', '//127.0.0.1', ':', '8888', '/kurento x'];
  const out = spliceLine(texts, texts.join(''), `${URL_NEW} x`);
  assert.equal(out?.join(''), `${URL_NEW} x`);
  assert.equal(out?.length, texts.length);
  assert.equal(out?.[4], '/kurento x'); // the common end stays where it was
});

test('insertions and deletions at the edges of the line', () => {
  assert.deepEqual(spliceLine(['ab', 'cd'], 'abcd', 'abcdX'), ['ab', 'cdX']);
  assert.deepEqual(spliceLine(['ab', 'cd'], 'abcd', 'Xabcd'), ['Xab', 'cd']);
  assert.deepEqual(spliceLine(['ab', 'cd'], 'abcd', 'abXcd'), ['abX', 'cd']);
  assert.deepEqual(spliceLine(['ab', 'cd'], 'abcd', 'ab'), ['ab', '']);
  assert.deepEqual(spliceLine(['ab', 'cd'], 'abcd', 'acd'), ['a', 'cd']);
  assert.deepEqual(spliceLine(['ab', 'cd'], 'abcd', 'abcd'), ['ab', 'cd']);
});

test('repeated characters around the change do not shift it out of the text', () => {
  const out = spliceLine(['aaa', 'aaa'], 'aaaaaa', 'aaaa');
  assert.equal(out?.join(''), 'aaaa');
  const grown = spliceLine(['aa'], 'aa', 'aaaa');
  assert.deepEqual(grown, ['aaaa']);
});

test('nodes that do not spell the old line are refused', () => {
  assert.equal(spliceLine(['ab'], 'abc', 'abd'), null);
  assert.equal(spliceLine([], '', 'x'), null);
});
