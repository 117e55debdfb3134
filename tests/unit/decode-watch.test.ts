/**
 * When a GStreamer analysis process that stopped decoding gets a key frame asked for (server/kms/media/gstreamer/
 * decode-watch.ts, used by GstVideoTap for ZBarFilter and FaceOverlayFilter): silence longer than the limit while
 * packets go in, at most once per limit. Timelines in milliseconds, as GstVideoTap.push sees them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyframeDueAfterSilence } from '../../server/kms/media/gstreamer/decode-watch';

const LIMIT = 1000;

/**
 * What GstVideoTap.push does with the rule: packets at `packetMs` intervals from 0 to `endMs`, process reports at the
 * times `reports` gives (the stream started at 0); returns the times a key frame was asked for and the silences logged.
 */
function run(endMs: number, packetMs: number, reports: (now: number) => boolean): Array<{ at: number; silentMs: number }> {
  let lastReportAt = 0;
  let lastAskAt = 0;
  const asks: Array<{ at: number; silentMs: number }> = [];
  for (let now = 0; now <= endMs; now += packetMs) {
    if (now > 0 && reports(now)) lastReportAt = now;
    const silentMs = keyframeDueAfterSilence(now, lastReportAt, lastAskAt, LIMIT);
    if (silentMs !== undefined) {
      lastAskAt = now;
      asks.push({ at: now, silentMs });
    }
  }
  return asks;
}

/** Five reports a second (ZBarFilter's videoanalyse after videorate, FaceOverlayFilter's analyses). */
const fiveASecond = (now: number) => now % 200 === 0;

test('a process that reports goes without key frame requests', () => {
  assert.deepEqual(run(10000, 10, fiveASecond), []);
  // Reports late by up to the limit (a loaded machine) still ask for nothing.
  assert.deepEqual(run(10000, 10, (now) => now % 1000 === 0), []);
});

test('silence longer than the limit asks for a key frame, then once per limit while it lasts', () => {
  // Decoding stops at 2000 (a lost packet, and the depayloader waits for a key frame) and comes back at 5500.
  const asks = run(8000, 10, (now) => (now < 2000 || now >= 5500) && fiveASecond(now));
  // The last report was at 1800: asks at 2810, 3810, 4810 (silence 1010, 2010, 3010 ms), none after the reports resume.
  assert.deepEqual(asks, [
    { at: 2810, silentMs: 1010 },
    { at: 3810, silentMs: 2010 },
    { at: 4810, silentMs: 3010 },
  ]);
});

test('a report after a request starts the count again', () => {
  // A key frame asked for at 1010 brings one report at 1300; silent again until 4000.
  const asks = run(4000, 10, (now) => now === 1300 || now === 4000);
  assert.deepEqual(asks, [
    { at: 1010, silentMs: 1010 },
    { at: 2310, silentMs: 1010 },
    { at: 3310, silentMs: 2010 },
  ]);
});

test('the rule is looked at only as packets go in: at most one request per packet', () => {
  // Packets once every 3 s (a paused source): each finds the process silent, but at most one ask per packet.
  const asks = run(9000, 3000, () => false);
  assert.deepEqual(asks, [
    { at: 3000, silentMs: 3000 },
    { at: 6000, silentMs: 6000 },
    { at: 9000, silentMs: 9000 },
  ]);
});

test('the rule itself', () => {
  assert.equal(keyframeDueAfterSilence(1000, 0, 0, LIMIT), undefined); // exactly the limit: not yet
  assert.equal(keyframeDueAfterSilence(1001, 0, 0, LIMIT), 1001);
  assert.equal(keyframeDueAfterSilence(1500, 0, 1001, LIMIT), undefined); // asked 499 ms ago
  assert.equal(keyframeDueAfterSilence(2001, 0, 1001, LIMIT), 2001); // asked a limit ago, still silent
  assert.equal(keyframeDueAfterSilence(2001, 1500, 1001, LIMIT), undefined); // a report since
});
