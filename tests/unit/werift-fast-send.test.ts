import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtectionProfileAeadAes128Gcm, RTCDtlsTransport, RTCRtpCodecParameters, RTCRtpSender, RtpHeader, RtpPacket, SrtpSession } from 'werift';
import { RTP_HISTORY_SIZE, fastDispatchRtp, ntpNow, sendRtpNow, weriftDispatchRtp } from '../../server/kms/media/werift-fast-send';

/** A sender wired to a real SRTP session, with an ICE connection that records what would go on the wire. */
function sender(state: { ssrc: number; seqOffset: number; timestampOffset: number }): { sender: RTCRtpSender; wire: Buffer[] } {
  const wire: Buffer[] = [];
  const key = Buffer.alloc(16, 7);
  const salt = Buffer.alloc(12, 9);
  const dtls = Object.assign(Object.create(RTCDtlsTransport.prototype) as object, {
    state: 'connected',
    config: {},
    bytesSent: 0,
    packetsSent: 0,
    srtp: new SrtpSession({ keys: { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt }, profile: ProtectionProfileAeadAes128Gcm }),
    iceTransport: { connection: { send: async (data: Buffer) => void wire.push(data) } },
  });
  const result = new RTCRtpSender('video');
  Object.assign(result, {
    ...state,
    dtlsTransport: dtls,
    codec: new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, payloadType: 100 }),
    // The RTCP loop would start timers; these tests look at RTP only.
    rtcpRunning: true,
  });
  return { sender: result, wire };
}

function packets(): RtpPacket[] {
  const list: RtpPacket[] = [];
  for (let i = 0; i < 300; i += 1) {
    const header = new RtpHeader({ payloadType: 96, sequenceNumber: (65400 + i) & 0xffff, timestamp: (4294960000 + i * 3000) >>> 0, ssrc: 1111, marker: i % 3 === 2 });
    list.push(new RtpPacket(header, Buffer.from(Array.from({ length: 20 + (i % 50) }, (_, j) => (i + j) & 0xff))));
  }
  return list;
}

type Fields = Record<string, unknown>;

test('the fast dispatch puts the same bytes on the wire and keeps the same sender state as werift', async () => {
  const state = { ssrc: 0xdeadbeef, seqOffset: 40000, timestampOffset: 4000000000 };
  const reference = sender(state);
  const fast = sender(state);
  const input = packets();
  for (const packet of input) {
    await weriftDispatchRtp.call(reference.sender as never, packet);
    await fastDispatchRtp.call(fast.sender as never, packet);
  }
  assert.equal(fast.wire.length, input.length);
  // The fast path really ran: werift's own dispatch files each packet with its bandwidth estimator, the fast one not.
  const sentInfos = (target: RTCRtpSender): number => Object.keys((target as unknown as { senderBWE: { sentInfos: object } }).senderBWE.sentInfos).length;
  assert.ok(sentInfos(reference.sender) > 0);
  assert.equal(sentInfos(fast.sender), 0);
  assert.deepEqual(fast.wire.map((b) => b.toString('hex')), reference.wire.map((b) => b.toString('hex')));
  const a = reference.sender as unknown as Fields;
  const b = fast.sender as unknown as Fields;
  for (const field of ['sequenceNumber', 'timestamp', 'rtpTimestamp', 'octetCount', 'headerBytesSent', 'packetCount']) assert.equal(b[field], a[field], field);
  const dtlsA = a.dtlsTransport as Fields;
  const dtlsB = b.dtlsTransport as Fields;
  assert.equal(dtlsB.bytesSent, dtlsA.bytesSent);
  assert.equal(dtlsB.packetsSent, dtlsA.packetsSent);
  // The retransmission cache answers a NACK with the same packets.
  const cacheA = a.rtpCache as RtpPacket[];
  const cacheB = b.rtpCache as RtpPacket[];
  assert.equal(cacheB.length, RTP_HISTORY_SIZE);
  assert.deepEqual(cacheB.map((p) => p.serialize().toString('hex')), cacheA.map((p) => p.serialize().toString('hex')));
  // The input packets, shared by every sink of a fan-out, are never modified.
  assert.equal(input[0]?.header.ssrc, 1111);
  assert.equal(input[0]?.header.sequenceNumber, 65400);
});

test('the cases the fast dispatch does not cover go to werift: header extensions, a pending source switch', async () => {
  const state = { ssrc: 5, seqOffset: 1, timestampOffset: 2 };
  const reference = sender(state);
  const fast = sender(state);
  const withExtension = new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: 10, timestamp: 20, ssrc: 1, extension: true, extensions: [{ id: 3, payload: Buffer.from([1, 2]) }] }), Buffer.from([9, 9, 9]));
  for (const target of [reference, fast]) {
    target.sender.replaceRTP({ sequenceNumber: 0, timestamp: 0 } as never, true);
  }
  await weriftDispatchRtp.call(reference.sender as never, withExtension);
  await fastDispatchRtp.call(fast.sender as never, withExtension);
  const plain = new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: 500, timestamp: 900, ssrc: 2 }), Buffer.from([1]));
  for (const target of [reference, fast]) target.sender.replaceRTP({ sequenceNumber: 0, timestamp: 0 } as never, true);
  await weriftDispatchRtp.call(reference.sender as never, plain);
  await fastDispatchRtp.call(fast.sender as never, plain);
  assert.deepEqual(fast.wire.map((b) => b.toString('hex')), reference.wire.map((b) => b.toString('hex')));
});

test('nothing is sent before DTLS is connected, or after the sender stops', async () => {
  const fast = sender({ ssrc: 1, seqOffset: 0, timestampOffset: 0 });
  const internals = fast.sender as unknown as { dtlsTransport: { state: string }; stopped: boolean };
  internals.dtlsTransport.state = 'connecting';
  await fastDispatchRtp.call(fast.sender as never, packets()[0] as RtpPacket);
  internals.dtlsTransport.state = 'connected';
  internals.stopped = true;
  await fastDispatchRtp.call(fast.sender as never, packets()[0] as RtpPacket);
  assert.equal(fast.wire.length, 0);
});

test('sender reports carry an RFC 3550 NTP timestamp (seconds since 1900, binary fraction)', () => {
  // 2026-12-03T12:00:00.500Z
  const epochMs = Date.UTC(2026, 11, 3, 12, 0, 0, 500);
  const ntp = ntpNow(epochMs);
  assert.equal(Number(ntp >> 32n), epochMs / 1000 - 0.5 + 2208988800);
  assert.equal(Number(ntp & 0xffffffffn), 0x80000000, 'half a second is half of 2^32');
  assert.equal(Number(ntpNow(Date.UTC(2026, 0, 1, 0, 0, 0, 999)) & 0xffffffffn) > 0xffbe0000, true);
  const now = ntpNow();
  const back = (Number(now >> 32n) - 2208988800) * 1000 + (Number(now & 0xffffffffn) / 2 ** 32) * 1000;
  assert.ok(Math.abs(back - Date.now()) < 50, 'now, to within the test run');
});

test("sendRtpNow sends what werift's sendRtp sends, in the same tick, and drops what werift drops", async () => {
  const state = { ssrc: 0x1234, seqOffset: 7, timestampOffset: 9 };
  const reference = sender(state);
  const fast = sender(state);
  const input = packets().slice(0, 50);
  for (const packet of input) {
    await reference.sender.sendRtp(packet);
    sendRtpNow(fast.sender, packet);
  }
  // Synchronous: everything is on the wire before anything was awaited.
  assert.equal(fast.wire.length, input.length);
  assert.deepEqual(fast.wire.map((b) => b.toString('hex')), reference.wire.map((b) => b.toString('hex')));
  // Not connected, or stopped: nothing is sent, as werift's sendRtp sends nothing.
  (fast.sender as unknown as { dtlsTransport: { state: string } }).dtlsTransport.state = 'connecting';
  sendRtpNow(fast.sender, input[0] as RtpPacket);
  (fast.sender as unknown as { dtlsTransport: { state: string } }).dtlsTransport.state = 'connected';
  (fast.sender as unknown as { stopped: boolean }).stopped = true;
  sendRtpNow(fast.sender, input[0] as RtpPacket);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(fast.wire.length, input.length);
});
