import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpHeader, RtpPacket } from 'werift';
import { installFastRtpParse, parseRtpHeader, parseRtpPacket, serializeRtpHeader } from '../../server/kms/media/werift-fast-parse';

// werift's own parser and serializer, kept before anything replaces them.
const weriftParse = RtpHeader.deSerialize.bind(RtpHeader);
const weriftPacketParse = RtpPacket.deSerialize.bind(RtpPacket);
const weriftSerialize = RtpHeader.prototype.serialize;

/** A deterministic pseudo-random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function bytes(next: () => number, count: number): number[] {
  return Array.from({ length: count }, () => Math.floor(next() * 256));
}

/** An RTP packet with random CSRCs, marker, padding and one-byte, two-byte, unknown or no header extension. */
function packet(next: () => number): Buffer {
  const csrcCount = Math.floor(next() * 4);
  const padding = next() < 0.2;
  const kind = Math.floor(next() * 5); // 0-1: none, 2: one-byte, 3: two-byte, 4: another profile
  const head = [0x80 | (padding ? 0x20 : 0) | (kind >= 2 ? 0x10 : 0) | csrcCount, (next() < 0.5 ? 0x80 : 0) | Math.floor(next() * 128), ...bytes(next, 10)];
  for (let i = 0; i < csrcCount; i++) head.push(...bytes(next, 4));
  if (kind >= 2) {
    const body: number[] = [];
    const count = 1 + Math.floor(next() * 3);
    for (let i = 0; i < count; i++) {
      if (next() < 0.3) body.push(0); // padding between elements
      if (kind === 2) {
        const length = 1 + Math.floor(next() * 4);
        const id = next() < 0.1 ? 15 : 1 + Math.floor(next() * 14);
        body.push((id << 4) | (length - 1), ...bytes(next, length));
      } else if (kind === 3) {
        const length = Math.floor(next() * 5);
        body.push(1 + Math.floor(next() * 200), length, ...bytes(next, length));
      } else {
        body.push(...bytes(next, 1 + Math.floor(next() * 6)));
      }
    }
    while (body.length % 4 !== 0) body.push(0);
    const profile = kind === 2 ? 0xbede : kind === 3 ? 0x1000 : 0x0123;
    head.push(profile >> 8, profile & 0xff, (body.length / 4) >> 8, (body.length / 4) & 0xff, ...body);
  }
  const payload = bytes(next, 1 + Math.floor(next() * 40));
  const tail = padding ? [...bytes(next, 3), 4] : [];
  return Buffer.from([...head, ...payload, ...tail]);
}

test('the fast parser yields what werift yields, field for field, on 5000 varied packets', () => {
  const next = random(20261203);
  for (let n = 0; n < 5000; n++) {
    const raw = packet(next);
    const expected = weriftParse(raw);
    const actual = parseRtpHeader(raw);
    assert.equal(Object.getPrototypeOf(actual), RtpHeader.prototype);
    assert.deepEqual(Object.keys(actual), Object.keys(expected), `field order, packet ${n}`);
    assert.deepEqual({ ...actual }, { ...expected }, `packet ${n}: ${raw.toString('hex')}`);
    // And it serializes back the same way werift's header does.
    assert.deepEqual(actual.serialize(actual.serializeSize), expected.serialize(expected.serializeSize));
  }
});

test('the fast serializer writes what werift writes, for plain headers and (through werift) all others', () => {
  const next = random(7);
  let plain = 0;
  for (let n = 0; n < 5000; n++) {
    const raw = n % 2 === 0 ? packet(next) : Buffer.from([Math.floor(next() * 4) << 6, ...bytes(next, 11), ...bytes(next, 5)]);
    const header = weriftParse(raw);
    if (n % 7 === 0) Object.assign(header, { marker: next() < 0.5 ? 1 : 0, version: Math.floor(next() * 4), payloadType: Math.floor(next() * 128) });
    const size = header.serializeSize + (n % 3 === 0 ? 8 : 0);
    const fast = Object.assign(Object.create(RtpHeader.prototype) as RtpHeader, header);
    const reference = Object.assign(Object.create(RtpHeader.prototype) as RtpHeader, header);
    if (!header.padding && !header.extension && header.csrc.length === 0) plain += 1;
    assert.equal(serializeRtpHeader.call(fast, size).toString('hex'), weriftSerialize.call(reference, size).toString('hex'), `header ${n}`);
    assert.equal(fast.payloadOffset, reference.payloadOffset);
    assert.equal(fast.extension, reference.extension);
  }
  assert.ok(plain > 2000, `the plain case was exercised (${plain})`);
});

test('the fast packet parser yields what the one of werift yields', () => {
  const next = random(11);
  for (let n = 0; n < 1000; n++) {
    const raw = packet(next);
    const expected = weriftPacketParse(raw);
    const actual = parseRtpPacket(raw);
    assert.ok(actual instanceof RtpPacket);
    assert.deepEqual(Object.getOwnPropertyNames(actual), Object.getOwnPropertyNames(expected));
    assert.deepEqual({ ...actual.header }, { ...expected.header });
    assert.deepEqual(actual.payload, expected.payload);
  }
});

test('a truncated packet is refused as werift refuses it', () => {
  for (const raw of [Buffer.from([0x80, 0x60, 0, 1]), Buffer.from([0x81, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]), Buffer.from([0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3])]) {
    assert.throws(() => weriftParse(raw), RangeError);
    assert.throws(() => parseRtpHeader(raw), RangeError);
  }
});

test('once installed, RtpPacket.deSerialize uses it and keeps payload and padding apart', () => {
  installFastRtpParse();
  const raw = Buffer.from([0xa0, 0xe0, 0x12, 0x34, 0, 0, 0, 9, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 0, 0, 3]);
  const parsed = RtpPacket.deSerialize(raw);
  assert.equal(RtpHeader.deSerialize, parseRtpHeader);
  assert.equal(RtpPacket.deSerialize, parseRtpPacket);
  assert.deepEqual([...parsed.payload], [1, 2, 3]);
  assert.equal(parsed.header.paddingSize, 3);
  assert.equal(parsed.header.marker, true);
  assert.equal(parsed.header.payloadType, 96);
  assert.equal(parsed.header.sequenceNumber, 0x1234);
  assert.equal(parsed.header.ssrc, 0xdeadbeef);
});
