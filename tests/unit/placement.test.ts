/** Where the worker pool puts a new pipeline (server/kms/workers/placement.ts), from each worker's figures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUSY, MIN_PIPELINE_COST, estimatedLoad, placePipeline, type WorkerFigures } from '../../server/kms/workers/placement';

const idle = (pipelines = 0): WorkerFigures => ({ pipelines, newPipelines: 0, utilisation: 0.02 });

test('fill: the first worker with room takes the pipeline, however many the others have', () => {
  assert.equal(placePipeline([idle(10), idle(0)], 'fill'), 0);
  assert.equal(placePipeline([idle(0), idle(0), idle(0)], 'fill'), 0);
  // Before the first sample, nothing is measured: room by the new pipelines alone.
  assert.equal(placePipeline([{ pipelines: 0, newPipelines: 0, utilisation: undefined }, idle()], 'fill'), 0);
});

test('fill: a busy worker gets no more pipelines while another has room; when none has, the least loaded does', () => {
  const busy: WorkerFigures = { pipelines: 30, newPipelines: 0, utilisation: BUSY + 0.05 };
  assert.equal(placePipeline([busy, idle(2)], 'fill'), 1);
  const busier: WorkerFigures = { pipelines: 40, newPipelines: 0, utilisation: 0.9 };
  assert.equal(placePipeline([busier, busy], 'fill'), 1);
  assert.equal(placePipeline([busy, busier], 'fill'), 0);
});

test('fill: pipelines created in a burst count before their media shows in the measured utilisation', () => {
  // 20 settled pipelines measured at 0.3: 0.015 each; 20 new ones will bring the worker to 0.6.
  const bursting: WorkerFigures = { pipelines: 40, newPipelines: 20, utilisation: 0.3 };
  assert.ok(Math.abs(estimatedLoad(bursting) - 0.6) < 1e-9);
  assert.equal(placePipeline([bursting, idle()], 'fill'), 1);
  // With nothing settled to learn from, each new pipeline counts MIN_PIPELINE_COST.
  const fresh: WorkerFigures = { pipelines: 10, newPipelines: 10, utilisation: 0 };
  assert.ok(Math.abs(estimatedLoad(fresh) - 10 * MIN_PIPELINE_COST) < 1e-9);
  const full = Math.ceil(BUSY / MIN_PIPELINE_COST);
  assert.equal(placePipeline([{ pipelines: full, newPipelines: full, utilisation: 0 }, idle()], 'fill'), 1);
});

test('spread: the worker with the fewest pipelines, the first of equals', () => {
  assert.equal(placePipeline([idle(3), idle(1), idle(1)], 'spread'), 1);
  assert.equal(placePipeline([idle(0), idle(0)], 'spread'), 0);
  assert.throws(() => placePipeline([], 'fill'), /no worker/);
});
