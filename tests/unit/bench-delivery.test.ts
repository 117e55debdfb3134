import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeliveryWindow, MIN_RETURNED_PERCENT, SendLog, countFreezes, judgeDelivery, payloadKey, returnedPercent } from '../../bench/delivery';

const steady = (count: number, start = 0, step = 33): number[] => Array.from({ length: count }, (_, i) => start + i * step);

test('a steady 30 fps stream has no freeze; a 200 ms gap in it is one', () => {
  assert.deepEqual(countFreezes(steady(100)), { freezes: 0, longestGapMs: 33 });
  const frames = [...steady(50), ...steady(50, 49 * 33 + 200)];
  assert.deepEqual(countFreezes(frames), { freezes: 1, longestGapMs: 200 });
});

test('the threshold is max(3 × avg, avg + 150 ms) over the 30 frames before', () => {
  // avg 33 ms → threshold 183 ms: 183 is not a freeze, 184 is.
  assert.equal(countFreezes([...steady(31), 30 * 33 + 183]).freezes, 0);
  assert.equal(countFreezes([...steady(31), 30 * 33 + 184]).freezes, 1);
  // avg 100 ms (10 fps) → threshold 300 ms (3 × avg wins over avg + 150).
  assert.equal(countFreezes([...steady(31, 0, 100), 30 * 100 + 300]).freezes, 0);
  assert.equal(countFreezes([...steady(31, 0, 100), 30 * 100 + 301]).freezes, 1);
  // Only the last 30 delays count: after 40 slow frames, 60 fast ones set the average back to 16 ms.
  const slowThenFast = [...steady(41, 0, 100), ...steady(60, 4000 + 16, 16)];
  const last = slowThenFast[slowThenFast.length - 1] ?? 0;
  assert.equal(countFreezes([...slowThenFast, last + 170]).freezes, 1);
});

test('frames before the window set the average but their gaps do not count', () => {
  const history = [...steady(30), 29 * 33 + 500];
  const window = steady(30, 29 * 33 + 533);
  assert.equal(countFreezes(window, history).freezes, 0);
  assert.equal(countFreezes([...history, ...window]).freezes, 1);
  // The first frame of the window is judged against the history.
  assert.equal(countFreezes([29 * 33 + 400], steady(30)).freezes, 1);
});

test('a run passes only with returned ÷ sent ≥ 99.5 % and no freeze, whatever the loss', () => {
  assert.equal(MIN_RETURNED_PERCENT, 99.5);
  assert.equal(returnedPercent(995, 1000), 99.5);
  assert.ok(Number.isNaN(returnedPercent(0, 0)));
  assert.deepEqual(judgeDelivery({ returned: 995, sent: 1000, freezes: 0 }), { returnedPercent: 99.5, freezes: 0, passed: true, reasons: [] });
  // The stall of issue 21: every packet came back (0 % loss by sequence numbers) but late, outside the window.
  const stalled = judgeDelivery({ returned: 5200, sent: 10000, freezes: 839 });
  assert.equal(stalled.passed, false);
  assert.equal(stalled.reasons.length, 2);
  assert.equal(judgeDelivery({ returned: 994, sent: 1000, freezes: 0 }).passed, false);
  assert.equal(judgeDelivery({ returned: 1000, sent: 1000, freezes: 1 }).passed, false);
  assert.equal(judgeDelivery({ returned: 0, sent: 0, freezes: 0 }).passed, false, 'nothing sent proves nothing');
});

test('returned packets are matched to their sending by payload: the window edges and late packets', () => {
  const log = new SendLog();
  const window = new DeliveryWindow(log, 500);
  const payload = (n: number): Buffer => Buffer.from([n, n >> 8, 1, 2, 3, 4, 5, 6, 7, 8]);
  const send = (n: number, at: number): void => {
    log.note(payloadKey('video', payload(n)), at);
    window.sent(at);
  };
  const back = (n: number, at: number): void => window.returned(payloadKey('video', payload(n)), at);
  send(1, 900); // before the window
  window.open(1000);
  back(1, 1010); // sent before the window: not counted
  send(2, 1000);
  send(3, 1500);
  send(4, 1990);
  back(2, 1020);
  back(3, 2100); // 600 ms late: not returned
  window.close(2000);
  send(5, 2010); // after the window
  back(4, 2030); // in flight at the close: counted for the window it was sent in
  back(5, 2040);
  assert.deepEqual([window.sentInWindow, window.returnedInWindow, window.lateInWindow], [3, 2, 1]);
  assert.equal(log.sent, 5);
  // Kinds and lengths never collide.
  assert.notEqual(payloadKey('audio', payload(1)), payloadKey('video', payload(1)));
  assert.notEqual(payloadKey('video', Buffer.from([1, 2, 3])), payloadKey('video', Buffer.from([1, 2, 3, 0])));
  assert.equal(payloadKey('video', Buffer.alloc(0)), 'v0.0.0.0');
});
