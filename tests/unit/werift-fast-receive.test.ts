import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RTCRtpCodecParameters, RTCRtpReceiver } from 'werift';
import { codecName, installFastRtpReceive, lowestCodec } from '../../server/kms/media/werift-fast-receive';

type Getter = (this: unknown) => unknown;
const original = (target: object, name: string): Getter => Object.getOwnPropertyDescriptor(target, name)?.get as Getter;
// werift's own getters, taken before the fast ones replace them.
const weriftGetters = {
  nackEnabled: original(RTCRtpReceiver.prototype, 'nackEnabled'),
  twccEnabled: original(RTCRtpReceiver.prototype, 'twccEnabled'),
  pliEnabled: original(RTCRtpReceiver.prototype, 'pliEnabled'),
  name: original(RTCRtpCodecParameters.prototype, 'name'),
};
const weriftCodecArray = original(RTCRtpReceiver.prototype, 'codecArray');

function codec(payloadType: number, mimeType: string, rtcpFeedback: Array<{ type: string; parameter?: string }>): RTCRtpCodecParameters {
  return new RTCRtpCodecParameters({ payloadType, mimeType, clockRate: 90000, rtcpFeedback });
}

function receiver(codecs: RTCRtpCodecParameters[]): RTCRtpReceiver {
  const result = Object.create(RTCRtpReceiver.prototype) as RTCRtpReceiver;
  Object.assign(result, { codecs: {}, ssrcByRtx: {}, tracks: [] });
  (result as unknown as { prepareReceive(params: { codecs: RTCRtpCodecParameters[]; encodings: unknown[] }): void }).prepareReceive({ codecs, encodings: [] });
  return result;
}

test('the fast receiver getters answer what werift answers, and follow a renegotiation', () => {
  installFastRtpReceive();
  const vp8 = codec(96, 'video/VP8', [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'transport-cc' }]);
  const h264 = codec(102, 'video/H264', [{ type: 'goog-remb' }]);
  const rtx = codec(97, 'video/rtx', []);
  const cases = [receiver([h264, vp8, rtx]), receiver([h264]), receiver([])];
  for (const subject of cases) {
    assert.equal(lowestCodec(subject as never), (weriftCodecArray.call(subject) as unknown[])[0]);
    for (const name of ['nackEnabled', 'twccEnabled', 'pliEnabled'] as const) {
      assert.deepEqual((subject as unknown as Record<string, unknown>)[name], weriftGetters[name].call(subject), name);
    }
  }
  // The answer is remembered, and dropped when werift renegotiates the codecs.
  const subject = receiver([h264]);
  assert.equal((subject as unknown as { nackEnabled: unknown }).nackEnabled, undefined);
  (subject as unknown as { resyncCodecs(params: { codecs: RTCRtpCodecParameters[]; encodings: unknown[] }): void }).resyncCodecs({ codecs: [vp8], encodings: [] });
  assert.deepEqual((subject as unknown as { nackEnabled: unknown }).nackEnabled, { type: 'nack' });
});

test('codec names are what werift gives, for every MIME type', () => {
  for (const mimeType of ['video/VP8', 'audio/opus', 'video/H264', 'video/rtx', 'weird', '']) {
    const parameters = new RTCRtpCodecParameters({ mimeType, clockRate: 90000, payloadType: 96 });
    assert.equal(codecName(mimeType), weriftGetters.name.call(parameters));
    assert.equal(parameters.name, weriftGetters.name.call(parameters));
  }
});

test('the fast RTP handling keeps the statistics and NACK state werift keeps, and hands subscribers the packet itself', async () => {
  const { defaultPeerConfig, MediaStreamTrack, RtpHeader, RtpPacket } = await import('werift');
  const { handleRtp, weriftHandleRtp } = await import('../../server/kms/media/werift-fast-receive');
  installFastRtpReceive();
  const make = (): { receiver: RTCRtpReceiver; track: InstanceType<typeof MediaStreamTrack>; got: unknown[] } => {
    const target = new RTCRtpReceiver(defaultPeerConfig, 'video', 1);
    (target as unknown as { prepareReceive(params: { codecs: RTCRtpCodecParameters[]; encodings: unknown[] }): void }).prepareReceive({
      codecs: [codec(96, 'video/VP8', [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }])],
      encodings: [],
    });
    // The RTCP loop would start timers: these tests look at what each packet changes.
    Object.assign(target, { rtcpRunning: true });
    const track = new MediaStreamTrack({ kind: 'video', remote: true });
    const got: unknown[] = [];
    track.onReceiveRtp.subscribe((packet) => void got.push(packet));
    return { receiver: target, track, got };
  };
  const reference = make();
  const fast = make();
  const input: InstanceType<typeof RtpPacket>[] = [];
  // Sequence numbers with two gaps (NACK state) and a late packet that fills one.
  for (const seq of [100, 101, 102, 105, 106, 104, 110, 111]) {
    input.push(new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: seq, timestamp: seq * 3000, ssrc: 777 }), Buffer.from([seq & 0xff])));
  }
  for (const packet of input) {
    weriftHandleRtp.call(reference.receiver as never, packet, {}, reference.track);
    handleRtp.call(fast.receiver as never, packet, {}, fast.track);
  }
  const state = (subject: RTCRtpReceiver): unknown => {
    const internals = subject as unknown as { remoteStreams: Record<number, object>; nack: { lostSeqNumbers: number[] } };
    // Arrival time and the jitter computed from it depend on the clock, not on the packets.
    const streams = JSON.parse(JSON.stringify(internals.remoteStreams, (key, value: unknown) => (key === 'lastPacketReceivedTimestamp' || key === 'jitter_q4' ? undefined : value)));
    return { streams, lost: [...internals.nack.lostSeqNumbers] };
  };
  assert.deepEqual(state(fast.receiver), state(reference.receiver));
  assert.deepEqual((state(fast.receiver) as { lost: number[] }).lost, [103, 107, 108, 109]);
  assert.equal(fast.got.length, input.length);
  fast.got.forEach((packet, i) => assert.equal(packet, input[i], 'the packet itself'));
  reference.got.forEach((packet, i) => assert.notEqual(packet, input[i], "werift's copy (the control)"));
  // An unknown payload type is dropped by both.
  const unknown = new RtpPacket(new RtpHeader({ payloadType: 50, sequenceNumber: 112, ssrc: 777 }), Buffer.from([0]));
  handleRtp.call(fast.receiver as never, unknown, {}, fast.track);
  assert.equal(fast.got.length, input.length);
  fast.receiver.stop();
  reference.receiver.stop();
});
