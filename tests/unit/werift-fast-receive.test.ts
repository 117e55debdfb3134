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
