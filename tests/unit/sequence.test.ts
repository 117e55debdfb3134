import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SequenceMatcher } from '../../labs/framework/sequence';
import { WEBRTC_ICE_EXPECTATIONS } from '../../labs/framework/expectations';
import type { ExpectedEvent, LabEvent } from '../../labs/framework/types';

const label = { en: 'x', 'zh-Hans': 'x' };
const ev = (t: number, type: string, data: Record<string, unknown> = {}, source = 'ep', lane: LabEvent['lane'] = 'kms'): LabEvent => ({ t, lane, source, type, data });

test('an event counts only after its prerequisites were seen', () => {
  const expected: ExpectedEvent[] = [
    { id: 'a', label, lane: 'kms', type: 'IceComponentStateChanged', where: { state: 'GATHERING' } },
    { id: 'b', label, lane: 'kms', type: 'IceComponentStateChanged', where: { state: 'CONNECTED' }, after: ['a'] },
  ];
  const matcher = new SequenceMatcher(expected);
  matcher.observe(ev(1, 'IceComponentStateChanged', { state: 'CONNECTED' }));
  assert.equal(matcher.get('b')?.status, 'waiting');
  assert.equal(matcher.get('b')?.outOfOrder, 1);
  matcher.observe(ev(2, 'IceComponentStateChanged', { state: 'GATHERING' }));
  matcher.observe(ev(3, 'IceComponentStateChanged', { state: 'CONNECTED' }));
  assert.equal(matcher.get('b')?.status, 'seen');
  assert.equal(matcher.get('b')?.seenAt, 3);
  assert.equal(matcher.complete, true);
});

test('repeats and interleaving are allowed: candidates keep coming while the state moves on', () => {
  const matcher = new SequenceMatcher(WEBRTC_ICE_EXPECTATIONS('ep', { ready: 'required' }));
  const events = [
    ev(1, 'IceComponentStateChanged', { state: 'GATHERING' }),
    ev(2, 'IceCandidateFound'),
    ev(3, 'IceCandidateFound'),
    ev(4, 'IceComponentStateChanged', { state: 'CONNECTING' }),
    ev(5, 'IceCandidateFound'),
    ev(6, 'NewCandidatePairSelected'),
    ev(7, 'IceGatheringDone'),
    ev(8, 'IceComponentStateChanged', { state: 'CONNECTED' }),
    ev(9, 'NewCandidatePairSelected'),
    ev(10, 'IceComponentStateChanged', { state: 'READY' }),
  ];
  for (const event of events) matcher.observe(event);
  assert.equal(matcher.complete, true);
  assert.deepEqual(matcher.all.map((state) => state.outOfOrder), matcher.all.map(() => 0));
});

test('one event never satisfies an expectation and a later one that depends on it', () => {
  const expected: ExpectedEvent[] = [
    { id: 'first', label, lane: 'kms', type: 'IceCandidateFound' },
    { id: 'second', label, lane: 'kms', type: 'IceCandidateFound', after: ['first'] },
  ];
  const matcher = new SequenceMatcher(expected);
  matcher.observe(ev(1, 'IceCandidateFound'));
  assert.equal(matcher.get('first')?.status, 'seen');
  assert.equal(matcher.get('second')?.status, 'waiting');
  matcher.observe(ev(2, 'IceCandidateFound'));
  assert.equal(matcher.get('second')?.status, 'seen');
});

test('lane and source filter; optional expectations do not block completion', () => {
  const expected: ExpectedEvent[] = [
    { id: 'browser', label, lane: 'browser', type: 'track', source: 'viewer' },
    { id: 'optional', label, lane: 'kms', type: 'MediaStateChanged', optional: true },
  ];
  const matcher = new SequenceMatcher(expected);
  matcher.observe(ev(1, 'track', {}, 'presenter', 'browser'));
  matcher.observe(ev(2, 'track', {}, 'viewer', 'kms'));
  assert.equal(matcher.complete, false);
  matcher.observe(ev(3, 'track', {}, 'viewer', 'browser'));
  assert.equal(matcher.complete, true);
});

test('within: overdue after the prerequisites were met, and a late event still counts', () => {
  const expected: ExpectedEvent[] = [
    { id: 'a', label, lane: 'kms', type: 'A' },
    { id: 'b', label, lane: 'kms', type: 'B', after: ['a'], within: 1000 },
  ];
  const matcher = new SequenceMatcher(expected);
  assert.deepEqual(matcher.tick(5000), [], 'the clock of b has not started: a was not seen');
  matcher.observe(ev(6000, 'A'));
  assert.deepEqual(matcher.tick(6500), []);
  assert.deepEqual(matcher.tick(7001).map((state) => state.expectation.id), ['b']);
  assert.equal(matcher.get('b')?.status, 'overdue');
  matcher.observe(ev(8000, 'B'));
  assert.equal(matcher.get('b')?.status, 'seen');
});

test('a definition with unknown prerequisites or duplicate ids is refused', () => {
  assert.throws(() => new SequenceMatcher([{ id: 'x', label, lane: 'kms', type: 'A', after: ['nope'] }]), /unknown/);
  assert.throws(
    () =>
      new SequenceMatcher([
        { id: 'x', label, lane: 'kms', type: 'A' },
        { id: 'x', label, lane: 'kms', type: 'B' },
      ]),
    /duplicate/,
  );
});

test('the transcoding lab completes when what the sender forwards reaches the receiver before its ICE is CONNECTED', async () => {
  const { transcoding } = await import('../../labs/transcoding');
  const matcher = new SequenceMatcher(transcoding.expected);
  // The KMS events of a run on a fresh clone, in their order (ms after the start): senderEp.connect(receiverEp) forwarded
  // the audio 7 ms before the receiver's ICE reported CONNECTED.
  const events = [
    ev(323, 'IceComponentStateChanged', { state: 'GATHERING' }, 'receiverEp'),
    ev(331, 'IceCandidateFound', {}, 'receiverEp'),
    ev(340, 'IceGatheringDone', {}, 'receiverEp'),
    ev(340, 'IceComponentStateChanged', { state: 'CONNECTING' }, 'receiverEp'),
    ev(345, 'ElementConnected', { mediaType: 'AUDIO' }, 'senderEp'),
    ev(345, 'ElementConnected', { mediaType: 'VIDEO' }, 'senderEp'),
    ev(350, 'MediaFlowOutStateChanged', { mediaType: 'AUDIO', state: 'FLOWING' }, 'senderEp'),
    ev(351, 'MediaFlowInStateChanged', { mediaType: 'AUDIO', state: 'FLOWING' }, 'receiverEp'),
    ev(351, 'MediaTranscodingStateChanged', { mediaType: 'AUDIO', state: 'NOT_TRANSCODING' }, 'senderEp'),
    ev(358, 'NewCandidatePairSelected', {}, 'receiverEp'),
    ev(358, 'IceComponentStateChanged', { state: 'CONNECTED' }, 'receiverEp'),
    ev(358, 'IceComponentStateChanged', { state: 'READY' }, 'receiverEp'),
    ev(364, 'MediaFlowInStateChanged', { mediaType: 'VIDEO', state: 'FLOWING' }, 'receiverEp'),
    ev(367, 'MediaTranscodingStateChanged', { mediaType: 'VIDEO', state: 'TRANSCODING' }, 'senderEp'),
  ];
  for (const event of events) matcher.observe(event);
  const missing = matcher.all.filter((state) => state.expectation.optional !== true && state.status !== 'seen').map((state) => state.expectation.id);
  assert.deepEqual(missing, []);
  assert.equal(matcher.complete, true);
});

test("rtp-gateway: rtpOut's first MediaFlowIn may come before RTP_OUT_STARTED, which the server sends once connect() returned", async () => {
  const { rtpGateway } = await import('../../labs/rtp-gateway');
  const matcher = new SequenceMatcher(rtpGateway.expected);
  const app = (t: number, id: string): LabEvent => ({ t, lane: 'app', source: '/rtpgateway', type: id, data: { id } });
  matcher.observe(app(1, 'PROCESS_SDP_ANSWER'));
  matcher.observe(app(2, 'RTP_IN_STARTED'));
  // The order of the e2e run that failed (KMS's event forwarded 4 ms before the server's own message).
  matcher.observe(ev(3, 'MediaFlowInStateChanged', { mediaType: 'VIDEO', state: 'FLOWING' }, 'rtpOut'));
  matcher.observe(app(4, 'RTP_OUT_STARTED'));
  assert.equal(matcher.get('rtp-out-started')?.status, 'seen');
  assert.equal(matcher.get('rtpOut:flow-in')?.status, 'seen');
});
