/**
 * When a WebRtcEndpoint reports IceComponentStateChanged READY: once a pair is nominated, pairs left Waiting or Frozen
 * (a remote candidate that came after the nomination) and lower-priority checks in progress no longer hold it back
 * (RFC 8445 §8.1.2). The states are werift's own enum values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CandidatePairState } from 'werift';
import { pairConcluded } from '../../server/kms/media/webrtc-session';

const nominated = { priority: 1000 };

test('succeeded and failed pairs are concluded', () => {
  assert.equal(pairConcluded({ state: CandidatePairState.SUCCEEDED, priority: 2000 }, nominated), true);
  assert.equal(pairConcluded({ state: CandidatePairState.FAILED, priority: 2000 }, nominated), true);
});

test('after a nomination, waiting and frozen pairs are removed, whatever their priority', () => {
  assert.equal(pairConcluded({ state: CandidatePairState.WAITING, priority: 2000 }, nominated), true);
  assert.equal(pairConcluded({ state: CandidatePairState.FROZEN, priority: 500 }, nominated), true);
});

test('a check in progress holds READY back only when its pair has a higher priority than the nominated one', () => {
  assert.equal(pairConcluded({ state: CandidatePairState.IN_PROGRESS, priority: 500 }, nominated), true);
  assert.equal(pairConcluded({ state: CandidatePairState.IN_PROGRESS, priority: 1000 }, nominated), true);
  assert.equal(pairConcluded({ state: CandidatePairState.IN_PROGRESS, priority: 2000 }, nominated), false);
});
