import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { MediaStreamTrack } from 'werift';
import { WeriftEvent, fastExecute, installFastEvents } from '../../server/kms/media/werift-fast-events';

/** Promises created while `run` runs (async_hooks sees every one, resolved or not). */
function promisesDuring(run: () => void): number {
  let count = 0;
  const hook = createHook({ init: (_id, type) => void (type === 'PROMISE' && (count += 1)) }).enable();
  try {
    run();
  } finally {
    hook.disable();
  }
  return count;
}

type Subscribable = InstanceType<typeof WeriftEvent> & {
  subscribe(execute: (...args: unknown[]) => unknown): { unSubscribe(): void };
  queuingSubscribe(execute: (...args: unknown[]) => unknown): unknown;
  complete(): void;
};

test("werift's Event makes a promise per execute even without queuing subscribers; the fast one does not", () => {
  const event = new WeriftEvent() as Subscribable;
  const seen: unknown[] = [];
  event.subscribe((...args) => void seen.push(args));
  assert.ok(promisesDuring(() => event.execute(1, 'a')) > 0, "werift's execute (the control)");
  const fast = fastExecute(event);
  assert.equal(promisesDuring(() => fast(2, 'b')), 0);
  assert.deepEqual(seen, [[1, 'a'], [2, 'b']]);
});

test('the fast execute runs subscribers in order, awaits queuing ones in order, reports their errors, stops when ended', async () => {
  const event = new WeriftEvent() as Subscribable;
  const fast = fastExecute(event);
  const order: string[] = [];
  const errors: unknown[] = [];
  event.onerror = (error) => void errors.push(error);
  event.subscribe((value) => void order.push(`sync1:${String(value)}`));
  const second = event.subscribe((value) => void order.push(`sync2:${String(value)}`));
  event.queuingSubscribe(async (value) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    order.push(`queued1:${String(value)}`);
  });
  event.queuingSubscribe((value) => {
    order.push(`queued2:${String(value)}`);
    throw new Error('boom');
  });
  fast('x');
  assert.deepEqual(order, ['sync1:x', 'sync2:x']);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.deepEqual(order, ['sync1:x', 'sync2:x', 'queued1:x', 'queued2:x']);
  assert.equal((errors[0] as Error).message, 'boom');
  second.unSubscribe();
  event.complete();
  fast('y');
  assert.equal(order.length, 4);
});

test("once installed, werift's objects get Events with the fast execute", () => {
  installFastEvents();
  const track = new MediaStreamTrack({ kind: 'audio' });
  let got = 0;
  track.onReceiveRtp.subscribe(() => void (got += 1));
  assert.equal(promisesDuring(() => track.onReceiveRtp.execute({} as never)), 0);
  assert.equal(got, 1);
  assert.ok(track.onReceiveRtp instanceof WeriftEvent);
});
