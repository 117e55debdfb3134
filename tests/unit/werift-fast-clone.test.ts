import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpHeader, RtpPacket } from 'werift';
import { cloneRtpPacket } from '../../server/kms/media/werift-fast-clone';

function packet(): RtpPacket {
  const header = new RtpHeader({
    marker: true,
    payloadType: 96,
    sequenceNumber: 65535,
    timestamp: 4294967295,
    ssrc: 0x12345678,
    extension: true,
    extensions: [{ id: 1, payload: Buffer.from([0xab]) }],
  });
  return new RtpPacket(header, Buffer.from([1, 2, 3, 4, 5]));
}

test('the fast clone is byte-for-byte and field-for-field what werift would have made', () => {
  const original = packet();
  const reference = new RtpPacket(new RtpHeader({ ...original.header }), original.payload);
  const fast = cloneRtpPacket(original);
  assert.ok(fast.header instanceof RtpHeader);
  assert.ok(fast instanceof RtpPacket);
  assert.deepEqual(Object.getOwnPropertyNames(fast), Object.getOwnPropertyNames(reference));
  for (const field of ['header', 'payload']) {
    assert.deepEqual({ ...Object.getOwnPropertyDescriptor(fast, field), value: undefined }, { ...Object.getOwnPropertyDescriptor(reference, field), value: undefined }, field);
  }
  assert.deepEqual({ ...fast.header }, { ...reference.header });
  assert.deepEqual(Object.keys(fast.header), Object.keys(reference.header));
  assert.equal(fast.serialize().toString('hex'), reference.serialize().toString('hex'));
  assert.equal(fast.header.serializeSize, reference.header.serializeSize);
  assert.equal(fast.payload, original.payload, 'the payload is shared, as werift shares it');
});

test('rewriting the clone leaves the original alone (what a sender does to its copy)', () => {
  const original = packet();
  const before = original.serialize().toString('hex');
  const copy = cloneRtpPacket(original);
  copy.header.ssrc = 1;
  copy.header.payloadType = 100;
  copy.header.sequenceNumber = 7;
  copy.header.timestamp = 9;
  copy.header.extensions = [];
  assert.equal(original.serialize().toString('hex'), before);
  assert.equal(copy.header.ssrc, 1);
});

test('once installed, RtpPacket#clone is the fast one and still deserializes round-trip', async () => {
  await import('../../server/kms/media/webrtc-session');
  const original = RtpPacket.deSerialize(packet().serialize());
  const copy = original.clone();
  assert.notEqual(copy.header, original.header);
  assert.equal(copy.serialize().toString('hex'), original.serialize().toString('hex'));
  assert.equal(RtpPacket.prototype.clone.name, 'clone');
  assert.match(RtpPacket.prototype.clone.toString(), /cloneRtpPacket/);
});

test("the header constructor of the fast paths lists werift's header fields in werift's order", async () => {
  const { HEADER_FIELD_ORDER, makeHeader } = await import('../../server/kms/media/werift-shapes');
  assert.deepEqual([...HEADER_FIELD_ORDER], Object.keys(new RtpHeader()));
  const made = makeHeader(packet().header);
  assert.equal(Object.getPrototypeOf(made), RtpHeader.prototype);
  assert.deepEqual(Object.keys(made), Object.keys(new RtpHeader()));
});
