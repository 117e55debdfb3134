/**
 * Every lab's program (labs/programs/<id>.js) against its definition: the step sections are the definition's steps, in
 * order; every section parses; and, linted as the lab runs it (after its settings section, in a page with
 * kurento-client, kurento-utils and the page runtime), no name is used that nothing defines. The end-to-end tests run
 * every section and prove the text shown is the text run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import globals from 'globals';
import { LABS } from '../../labs';
import { DECLARATIONS, parseProgram, settingsCode } from '../../labs/framework/program';
import type { AnyLab, LabSettings } from '../../labs/framework/types';

const root = path.resolve(__dirname, '..', '..');
const RUNTIME_GLOBALS = ['kurentoClient', 'kurentoUtils', 'onError', 'addVideo', 'testSource', 'imageSource', 'showStatus'];

function programText(lab: AnyLab): string {
  return readFileSync(path.join(root, 'labs', 'programs', `${lab.id}.js`), 'utf8');
}

const SETTINGS: LabSettings = { kmsUrl: 'ws://127.0.0.1:8888/kurento', iceServers: [], siteOrigin: 'http://127.0.0.1:3000', media: { directory: '/srv/media', downloadBase: '/kms-media/' } };

test('each lab loads labs/programs/<id>.js, whose steps are the definition\'s, in order', () => {
  for (const lab of LABS) {
    assert.match(lab.program.toString(), new RegExp(`programs/${lab.id}\\.js\\?raw`), `${lab.id} loads its own program file`);
    const program = parseProgram(programText(lab));
    assert.deepEqual(
      program.steps.map((step) => step.id),
      lab.steps.map((step) => step.id),
      `${lab.id}: the // @step sections are the steps of the definition`,
    );
    for (const step of program.steps) assert.notEqual(step.code.trim(), '', `${lab.id}/${step.id} has code`);
  }
});

test('every section parses, and the settings section too', () => {
  for (const lab of LABS) {
    const program = parseProgram(programText(lab));
    const params = Object.fromEntries((lab.params ?? []).map((param) => [param.id, param.default]));
    const sections = [
      ['settings', settingsCode({ ws_uri: SETTINGS.kmsUrl, iceServers: [], params, extra: lab.settingsVars?.(SETTINGS) ?? {} }, { settings: 's', params: 'p' })],
      [DECLARATIONS, program.declarations.code],
      ...program.steps.map((step) => [step.id, step.code]),
    ] as const;
    for (const [id, code] of sections) {
      assert.doesNotThrow(() => new Function(code), `${lab.id}/${id} parses`);
    }
  }
});

test('no program uses a name that nothing defines', async () => {
  for (const lab of LABS) {
    const settingsNames = ['ws_uri', 'iceServers', ...(lab.params ?? []).map((param) => param.id), ...Object.keys(lab.settingsVars?.(SETTINGS) ?? {})];
    const lint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.js'],
          languageOptions: {
            ecmaVersion: 2022,
            sourceType: 'script',
            globals: { ...globals.browser, ...Object.fromEntries([...RUNTIME_GLOBALS, ...settingsNames].map((name) => [name, 'readonly'])) },
          },
          rules: { 'no-undef': 'error' },
        },
      ],
    });
    const [result] = await lint.lintText(programText(lab), { filePath: path.join(root, 'labs', 'programs', `${lab.id}.js`) });
    const problems = (result?.messages ?? []).map((message) => `${lab.id}.js:${message.line}: ${message.message}`);
    assert.deepEqual(problems, [], problems.join('\n'));
  }
});
