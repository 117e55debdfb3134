import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpHeader } from 'werift';
import { CipherAesGcm, decryptRtp, encryptRtp, weriftGcm } from '../../server/kms/media/werift-fast-gcm';

type Cipher = ThisParameterType<typeof encryptRtp>;
const cipher = new (CipherAesGcm as unknown as new (...keys: Buffer[]) => Cipher)(Buffer.alloc(16, 3), Buffer.alloc(12, 5), Buffer.alloc(16, 7), Buffer.alloc(12, 9));

function header(i: number): RtpHeader {
  return new RtpHeader({ payloadType: i % 2 ? 96 : 111, sequenceNumber: (65500 + i) & 0xffff, timestamp: (4294967000 + i * 3000) >>> 0, ssrc: 0x9abcdef0 + i, marker: i % 3 === 0 });
}

const payload = (i: number): Buffer => Buffer.from(Array.from({ length: (i * 37) % 1200 }, (_, j) => (i * 7 + j) & 0xff));

test('GCM RTP encryption gives werift\'s bytes, and decryption werift\'s packet', () => {
  for (let i = 0; i < 200; i += 1) {
    const roc = i % 4;
    const expected = weriftGcm.encryptRtp.call(cipher, header(i), payload(i), roc);
    const mine = encryptRtp.call(cipher, header(i), payload(i), roc);
    assert.deepEqual(mine, expected, `packet ${i}`);
    const [plain, parsed] = decryptRtp.call(cipher, expected, roc);
    const [theirs, theirHeader] = weriftGcm.decryptRtp.call(cipher, expected, roc);
    assert.deepEqual(plain, theirs);
    assert.deepEqual({ ...parsed }, { ...theirHeader });
    assert.deepEqual(plain.subarray(parsed.payloadOffset), payload(i));
  }
});

test('a tampered or wrongly counted packet fails authentication as werift\'s does', () => {
  const packet = weriftGcm.encryptRtp.call(cipher, header(1), payload(1), 0);
  const tampered = Buffer.from(packet);
  tampered[20] = (tampered[20] ?? 0) ^ 1;
  assert.throws(() => decryptRtp.call(cipher, tampered, 0), { name: 'SrtpAuthenticationError' });
  assert.throws(() => decryptRtp.call(cipher, packet, 1), { name: 'SrtpAuthenticationError' });
});

test('headers with CSRC or extensions go to werift', () => {
  const withCsrc = new RtpHeader({ payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrc: [4], csrcLength: 1 });
  const expected = weriftGcm.encryptRtp.call(cipher, withCsrc, payload(5), 0);
  assert.deepEqual(encryptRtp.call(cipher, new RtpHeader({ payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrc: [4], csrcLength: 1 }), payload(5), 0), expected);
  const [plain, parsed] = decryptRtp.call(cipher, expected, 0);
  assert.equal(parsed.csrc[0], 4);
  assert.deepEqual(plain.subarray(parsed.payloadOffset), payload(5));
});
