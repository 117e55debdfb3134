import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtcpPacketConverter, RtcpRrPacket, RtpHeader, RtpPacket, SrtcpSession, SrtpSession } from 'werift';
import { KEY_LIMIT, KEY_SOFT_LIMIT_LEFT, SrtpContext, deriveSessionKeys, SrtpError, formatCrypto, parseCrypto, randomMaster, suiteOfKmd, type SrtpSuiteName } from '../../server/kms/media/srtp';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

function rtp(sequenceNumber: number, ssrc = 0x11223344, payload = Buffer.from('kurento labs srtp payload')): Buffer {
  return new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber, timestamp: sequenceNumber * 3000, ssrc, marker: true }), payload).serialize();
}

test('key derivation gives the session keys of RFC 3711 B.3 (AES-128) and RFC 6188 7.1 (AES-256)', () => {
  const aes128 = deriveSessionKeys('AES_CM_128_HMAC_SHA1_80', Buffer.concat([hex('E1F97A0D3E018BE0D64FA32C06DE4139'), hex('0EC675AD498AFEEBB6960B3AABE6')]), false);
  assert.equal(aes128.encryption.toString('hex'), 'c61e7a93744f39ee10734afe3ff7a087');
  assert.equal(aes128.salt.toString('hex'), '30cbbc08863d8c85d49db34a9ae1');
  assert.equal(aes128.auth.toString('hex'), 'cebe321f6ff7716b6fd4ab49af256a156d38baa4');
  const aes256 = deriveSessionKeys(
    'AES_256_CM_HMAC_SHA1_80',
    Buffer.concat([hex('f0f04914b513f2763a1b1fa130f10e2998f6f6e43e4309d1e622a0e332b9f1b6'), hex('3b04803de51ee7c96423ab5b78d2')]),
    false,
  );
  assert.equal(aes256.encryption.toString('hex'), '5ba1064e30ec51613cad926c5a28ef731ec7fb397f70a960653caf06554cd8c4');
  assert.equal(aes256.salt.toString('hex'), 'fa31791685ca444a9e07c6c64e93');
  assert.equal(aes256.auth.toString('hex'), 'fd9c32d39ed5fbb5a9dc96b30818454d1313dc05');
});

test('SRTP AES_CM_128_HMAC_SHA1_80 interoperates with werift\'s implementation both ways, across a sequence wrap', () => {
  const master = randomMaster('AES_CM_128_HMAC_SHA1_80');
  const keys = { localMasterKey: master.subarray(0, 16), localMasterSalt: master.subarray(16), remoteMasterKey: master.subarray(0, 16), remoteMasterSalt: master.subarray(16) };
  const ours = new SrtpContext('AES_CM_128_HMAC_SHA1_80', master);
  const theirs = new SrtpContext('AES_CM_128_HMAC_SHA1_80', master);
  const werift = new SrtpSession({ keys, profile: 1 });
  for (const sequence of [65533, 65534, 65535, 0, 1, 2]) {
    const plain = rtp(sequence);
    assert.deepEqual(werift.decrypt(ours.protectRtp(plain)), plain, `ours → werift, seq ${sequence}`);
    const header = RtpHeader.deSerialize(plain);
    const fromWerift = werift.encrypt(plain.subarray(12), header);
    assert.deepEqual(theirs.unprotectRtp(fromWerift), plain, `werift → ours, seq ${sequence}`);
  }
  const rr = new RtcpRrPacket({ ssrc: 0x55667788, reports: [] }).serialize();
  const srtcp = new SrtcpSession({ keys, profile: 1 });
  assert.deepEqual(srtcp.decrypt(ours.protectRtcp(rr)), rr, 'SRTCP ours → werift');
  assert.deepEqual(RtcpPacketConverter.deSerialize(theirs.unprotectRtcp(srtcp.encrypt(rr)))[0]?.type, 201, 'SRTCP werift → ours');
});

test('every suite round-trips; a tampered packet or a wrong key is refused; tags are 10 or 4 bytes', () => {
  for (const suite of ['AES_CM_128_HMAC_SHA1_32', 'AES_CM_128_HMAC_SHA1_80', 'AES_256_CM_HMAC_SHA1_32', 'AES_256_CM_HMAC_SHA1_80'] as SrtpSuiteName[]) {
    const master = randomMaster(suite);
    const sender = new SrtpContext(suite, master);
    const receiver = new SrtpContext(suite, master);
    const plain = rtp(7);
    const sealed = sender.protectRtp(plain);
    assert.equal(sealed.length - plain.length, suite.endsWith('_80') ? 10 : 4, suite);
    assert.notDeepEqual(sealed.subarray(12, plain.length), plain.subarray(12), `${suite}: the payload is encrypted`);
    assert.deepEqual(receiver.unprotectRtp(sealed), plain, suite);
    const tampered = Buffer.from(sender.protectRtp(rtp(8)));
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    assert.throws(() => receiver.unprotectRtp(tampered), SrtpError, `${suite}: tampering is caught`);
    assert.throws(() => new SrtpContext(suite, randomMaster(suite)).unprotectRtp(sender.protectRtp(rtp(9))), SrtpError, `${suite}: another key fails`);
    const rr = new RtcpRrPacket({ ssrc: 1, reports: [] }).serialize();
    assert.deepEqual(receiver.unprotectRtcp(sender.protectRtcp(rr)), rr, `${suite} SRTCP`);
  }
});

test('SDES a=crypto lines: KMS\' suite names, key sizes 30 / 46 bytes, MKI and bad keys refused', () => {
  const master = randomMaster('AES_256_CM_HMAC_SHA1_80');
  assert.equal(master.length, 46);
  const line = formatCrypto({ tag: 1, suite: 'AES_256_CM_HMAC_SHA1_80', master });
  assert.match(line, /^1 AES_256_CM_HMAC_SHA1_80 inline:[A-Za-z0-9+/]+=*$/);
  assert.deepEqual(parseCrypto(line), { tag: 1, suite: 'AES_256_CM_HMAC_SHA1_80', master });
  assert.equal(parseCrypto(`${line}|2^20`)?.tag, 1, 'a lifetime is accepted');
  assert.equal(parseCrypto(`${line}|1:4`), undefined, 'an MKI is not');
  assert.equal(parseCrypto('1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ='), undefined, 'a short key is not');
  assert.equal(parseCrypto('1 F8_128_HMAC_SHA1_80 inline:c2hvcnQ='), undefined, 'an unknown suite is not');
  assert.equal(suiteOfKmd('AES_128_CM_HMAC_SHA1_32'), 'AES_CM_128_HMAC_SHA1_32');
});

test('the key soft limit is reported once, 2^16 packets before the 2^48 limit, as libsrtp does; the exhausted key refuses', () => {
  let reported = 0;
  const context = new SrtpContext('AES_CM_128_HMAC_SHA1_80', randomMaster('AES_CM_128_HMAC_SHA1_80'), () => void (reported += 1));
  context.used = KEY_LIMIT - KEY_SOFT_LIMIT_LEFT - 2;
  context.protectRtp(rtp(1));
  assert.equal(reported, 0);
  context.protectRtp(rtp(2));
  context.protectRtp(rtp(3));
  assert.equal(reported, 1);
  context.used = KEY_LIMIT;
  assert.throws(() => context.protectRtp(rtp(4)), /exhausted/);
  assert.equal(reported, 1);
});
