/**
 * When the runner looks at a step again: the program's callbacks (which store the variables a step waits for) run when
 * a message of KMS arrives, and the run records every message, so a recorded change wakes the runner one task later
 * instead of at the next poll. Timers are mocked: nothing here depends on how fast the machine is.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { LabRun, type LabHost } from '../../labs/framework/runner';
import type { AnyLab } from '../../labs/framework/types';
import { fakeLabHost } from '../helpers/fake-lab-host';

const label = { en: 'x', 'zh-Hans': 'x' };
const ONE_STEP: AnyLab = {
  id: 'one',
  title: label,
  summary: label,
  elements: [],
  program: () => Promise.resolve(''),
  page: { videos: [] },
  steps: [{ id: 'connect', title: label, explain: label, sets: ['client'] }],
  expected: [],
  completion: label,
};

/** Lets promises and microtasks run (setImmediate is not among the mocked timers). */
const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

async function checkingStep(t: TestContext): Promise<{ run: LabRun; vars: Map<string, unknown>; lab: LabHost; finished: Promise<void> }> {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const vars = new Map<string, unknown>();
  const lab = fakeLabHost(vars);
  const run = new LabRun(ONE_STEP, lab);
  t.after(() => run.dispose());
  const finished = run.start({ code: () => '', signal: new AbortController().signal });
  await flush();
  assert.equal(run.steps[0]?.status, 'checking', 'the step ran and waits for `client`');
  return { run, vars, lab, finished };
}

test('a message the run records wakes the runner: the step passes one task later, before the next poll', async (t) => {
  const { run, vars, lab, finished } = await checkingStep(t);
  // The callback of KMS's answer stores the variable; the answer is recorded as it arrives.
  vars.set('client', {});
  lab.recorder.addFrame('kms', 'in', '{"jsonrpc":"2.0","id":1,"result":{}}');
  await flush();
  t.mock.timers.tick(0);
  await flush();
  assert.equal(run.steps[0]?.status, 'passed', 'passed without waiting for the next poll');
  await finished;
  assert.equal(run.status, 'complete');
});

test('without anything recorded, the step is looked at again at the next poll', async (t) => {
  const { run, vars, finished } = await checkingStep(t);
  vars.set('client', {});
  t.mock.timers.tick(0);
  await flush();
  assert.equal(run.steps[0]?.status, 'checking', 'nothing woke the runner yet');
  t.mock.timers.tick(25);
  await flush();
  await finished;
  assert.equal(run.status, 'complete');
});
