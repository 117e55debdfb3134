/**
 * The exercises against their labs: every exercise starts from a step of a lab that exists, runs at most to a later
 * step, fixes only options the lab has, has its words in both languages, and its solution is code that parses and,
 * put in place of the step, uses no name the program does not define. The runner stops an exercise's run after its
 * `until` step. The end-to-end tests (tests/e2e/exercises.spec.ts) run every solution and a wrong answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import globals from 'globals';
import { getLab } from '../../labs';
import { EXERCISES } from '../../labs/exercises';
import { parseProgram } from '../../labs/framework/program';
import { LabRun, SETTLED_HINT_MS, type LabHost } from '../../labs/framework/runner';
import { FAKE_SETTINGS, fakeLabHost } from '../helpers/fake-lab-host';
import type { AnyLab, CheckResult } from '../../labs/framework/types';

const root = path.resolve(__dirname, '..', '..');
const RUNTIME_GLOBALS = ['kurentoClient', 'kurentoUtils', 'onError', 'addVideo', 'testSource', 'imageSource', 'showStatus'];

function programText(lab: AnyLab): string {
  return readFileSync(path.join(root, 'labs', 'programs', `${lab.id}.js`), 'utf8');
}

test('every exercise starts from a step of its lab, and runs to that step or a later one', () => {
  const ids = new Set<string>();
  for (const exercise of EXERCISES) {
    assert.ok(!ids.has(exercise.id), `${exercise.id} is unique`);
    ids.add(exercise.id);
    const lab = getLab(exercise.lab);
    assert.ok(lab, `${exercise.id}: the lab ${exercise.lab} exists`);
    const steps = lab.steps.map((step) => step.id);
    assert.ok(steps.includes(exercise.step), `${exercise.id}: the step ${exercise.step} is a step of ${lab.id}`);
    if (exercise.until !== undefined) {
      assert.ok(steps.indexOf(exercise.until) >= steps.indexOf(exercise.step), `${exercise.id}: until ${exercise.until} is ${exercise.step} or a later step`);
    }
    for (const [id, value] of Object.entries(exercise.params ?? {})) {
      const param = lab.params?.find((candidate) => candidate.id === id);
      assert.ok(param, `${exercise.id}: ${lab.id} has an option ${id}`);
      if (param.kind === 'choice') assert.ok(param.choices?.some((choice) => choice.value === value), `${exercise.id}: ${id}=${value} is a choice`);
      else assert.ok(typeof value === 'number' && value >= (param.min ?? -Infinity) && value <= (param.max ?? Infinity), `${exercise.id}: ${id}=${value} is in range`);
    }
  }
});

test('every exercise has its words in English and in Chinese, and three hints', () => {
  for (const exercise of EXERCISES) {
    for (const text of [exercise.title, exercise.task, ...exercise.hints]) {
      assert.ok(text.en.trim() !== '' && text['zh-Hans'].trim() !== '', `${exercise.id}: ${text.en}`);
    }
    // A hint may be code only (the same in both languages); the title and the task are words.
    for (const text of [exercise.title, exercise.task]) assert.match(text['zh-Hans'], /[\u4e00-\u9fff]/, `${exercise.id}: the Chinese of “${text.en}” is Chinese`);
    assert.equal(exercise.hints.length, 3, `${exercise.id} has three hints`);
  }
});

test("every solution parses, differs from the starting code, and uses only names the lab's program defines", async () => {
  for (const exercise of EXERCISES) {
    const lab = getLab(exercise.lab);
    assert.ok(lab);
    const text = programText(lab);
    const program = parseProgram(text);
    const original = exercise.start ?? program.steps.find((step) => step.id === exercise.step)?.code ?? '';
    for (const code of [exercise.solution, ...(exercise.start === undefined ? [] : [exercise.start])]) {
      assert.doesNotThrow(() => new Function(code), `${exercise.id}: parses`);
    }
    assert.notEqual(exercise.solution.trim(), original.trim(), `${exercise.id}: the solution is not the starting code`);
    // The program with the step's code replaced by the solution, linted as the lab runs it.
    const marker = `// @step ${exercise.step}\n`;
    const at = text.indexOf(marker);
    assert.ok(at >= 0, `${exercise.id}: the program has ${marker.trim()}`);
    const next = text.indexOf('\n// @step ', at + marker.length);
    const solved = `${text.slice(0, at + marker.length)}${exercise.solution}\n${next < 0 ? '' : text.slice(next + 1)}`;
    const settingsNames = ['ws_uri', 'iceServers', ...(lab.params ?? []).map((param) => param.id), ...Object.keys(lab.settingsVars?.(FAKE_SETTINGS) ?? {})];
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
    const [result] = await lint.lintText(solved, { filePath: path.join(root, 'labs', 'programs', `${lab.id}.js`) });
    const problems = (result?.messages ?? []).map((message) => `${exercise.id} (${lab.id}.js with the solution):${message.line}: ${message.message}`);
    assert.deepEqual(problems, [], problems.join('\n'));
  }
});

/** A host that runs nothing: a step's code `set x` defines the variable x. */
function fakeHost(ran: string[]): LabHost {
  const vars = new Map<string, unknown>();
  return fakeLabHost(vars, (section, code) => {
    ran.push(section);
    for (const match of code.matchAll(/set (\w+)/g)) vars.set(match[1] ?? '', true);
  });
}

const label = { en: 'x', 'zh-Hans': 'x' };
const THREE_STEPS: AnyLab = {
  id: 'three',
  title: label,
  summary: label,
  elements: [],
  program: () => Promise.resolve(''),
  page: { videos: [] },
  steps: ['a', 'b', 'c'].map((id) => ({ id, title: label, explain: label, sets: [id] })),
  expected: [],
  completion: label,
};

test("an exercise's run stops after its `until` step: the later steps do not run, and the run completes", async () => {
  for (const until of ['b', undefined]) {
    const ran: string[] = [];
    const run = new LabRun(THREE_STEPS, fakeHost(ran));
    try {
      await run.start({
        code: (section) => `set ${section}`,
        signal: new AbortController().signal,
        judge: (view) => ({ ok: view.read('b') === true }),
        judgeTimeout: 1000,
        relaxFrom: 'b',
        ...(until ? { until } : {}),
      });
      assert.equal(run.status, 'complete', `until ${until}: ${run.error?.title.en ?? ''}`);
      assert.equal(run.verdict?.ok, true);
      const steps = ran.filter((section) => ['a', 'b', 'c'].includes(section));
      assert.deepEqual(steps, until ? ['a', 'b'] : ['a', 'b', 'c']);
      assert.deepEqual(
        run.steps.map((step) => step.status),
        until ? ['passed', 'passed', 'skipped'] : ['passed', 'passed', 'passed'],
      );
    } finally {
      run.dispose();
    }
  }
  const run = new LabRun(THREE_STEPS, fakeHost([]));
  await assert.rejects(run.start({ code: () => '', signal: new AbortController().signal, until: 'nope' }), /no step nope/);
  run.dispose();
});

/** An exercise run whose judge never passes: the run, and how long it took to give its verdict. */
async function wrongAnswer(judge: () => CheckResult, judgeTimeout: number, verdictSettleMs: number): Promise<{ run: LabRun; elapsed: number }> {
  const run = new LabRun(THREE_STEPS, fakeHost([]));
  const started = Date.now();
  try {
    await run.start({ code: (section) => `set ${section}`, signal: new AbortController().signal, judge, judgeTimeout, verdictSettleMs, relaxFrom: 'b' });
    return { run, elapsed: Date.now() - started };
  } finally {
    run.dispose();
  }
}

test('a settled hint (from what KMS has already answered) is the verdict after SETTLED_HINT_MS, not the full settle time', async () => {
  const { run, elapsed } = await wrongAnswer(() => ({ ok: false, settled: true, hint: { en: 'VIDEO is still connected', 'zh-Hans': 'VIDEO' } }), 60_000, 60_000);
  assert.equal(run.status, 'failed');
  assert.equal(run.error?.title.en, 'VIDEO is still connected');
  assert.ok(elapsed >= SETTLED_HINT_MS && elapsed < 30_000, `settled after ${elapsed} ms, not the 60 s settle time`);
});

test("a wrong answer's verdict comes once its hint has held, not at the judge's timeout; a hint that changes waits on", async () => {
  const hint = (text: string) => ({ en: text, 'zh-Hans': text });
  for (const changing of [false, true]) {
    let calls = 0;
    // A constant diagnosis, or one that changes on every look (the run is still moving).
    const { run, elapsed } = await wrongAnswer(() => ({ ok: false, hint: hint(changing ? `look ${calls++}` : 'VIDEO is still connected') }), 3000, 400);
    assert.equal(run.status, 'failed');
    assert.equal(run.error?.code, 'exercise-not-done');
    if (changing) assert.ok(elapsed >= 3000, `a changing hint waits for the timeout (${elapsed} ms)`);
    else {
      assert.ok(elapsed < 3000, `a steady hint settles before the timeout (${elapsed} ms)`);
      assert.equal(run.error?.title.en, 'VIDEO is still connected');
    }
  }
});
