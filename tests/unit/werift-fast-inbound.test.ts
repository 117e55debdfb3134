import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtectionProfileAeadAes128Gcm, RtpHeader, RtpPacket, RtpRouter, SrtpSession } from 'werift';
import { NO_EXTENSIONS, SrtpContext, decryptRtp, fastRouting, parseSrtpHeader, weriftDecryptRtp } from '../../server/kms/media/werift-fast-inbound';
import { parseRtpHeader, parseRtpPacket } from '../../server/kms/media/werift-fast-parse';

type Context = ThisParameterType<typeof decryptRtp>;
const key = Buffer.alloc(16, 3);
const salt = Buffer.alloc(12, 5);
const newContext = (): Context => new (SrtpContext as unknown as new (key: Buffer, salt: Buffer, profile: number) => Context)(key, salt, ProtectionProfileAeadAes128Gcm);

/** SRTP packets of two SSRCs across a sequence number wrap, one out of order, as a sender's session encrypts them. */
function encrypted(): Buffer[] {
  const session = new SrtpSession({ keys: { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: key, remoteMasterSalt: salt }, profile: ProtectionProfileAeadAes128Gcm });
  const list: Buffer[] = [];
  for (let i = 0; i < 300; i += 1) {
    const ssrc = i % 2 ? 0x1111 : 0x2222;
    const header = new RtpHeader({ payloadType: 96, sequenceNumber: (65400 + (i >> 1)) & 0xffff, timestamp: i * 1500, ssrc });
    list.push(session.encrypt(Buffer.from(Array.from({ length: 30 + (i % 40) }, (_, j) => (i + j) & 0xff)), header));
  }
  const late = list.splice(150, 1)[0] as Buffer;
  list.splice(160, 0, late);
  return list;
}

test("the fast SRTP decryption yields werift's packets and rollover states, and a forged packet changes no state", () => {
  const reference = newContext();
  const fast = newContext();
  for (const packet of encrypted()) {
    const [theirs] = weriftDecryptRtp.call(reference, packet);
    const [mine] = decryptRtp.call(fast, packet);
    assert.deepEqual(mine, theirs);
    assert.deepEqual(JSON.parse(JSON.stringify(fast.srtpSSRCStates)), JSON.parse(JSON.stringify(reference.srtpSSRCStates)));
  }
  assert.ok(Object.values(fast.srtpSSRCStates).some((state) => (state?.rolloverCounter ?? 0) > 0), 'the sequence wrapped');
  const before = JSON.stringify(fast.srtpSSRCStates);
  const forged = Buffer.from(encrypted()[299] as Buffer);
  forged[forged.length - 1] = (forged[forged.length - 1] ?? 0) ^ 1;
  assert.throws(() => decryptRtp.call(fast, forged), /authenticate/);
  assert.equal(JSON.stringify(fast.srtpSSRCStates), before);
});

test('the fast route hands a known SSRC without extensions the shared empty map; anything else goes to werift', () => {
  const router = new RtpRouter();
  const handled: Array<[number, unknown]> = [];
  const receiver = { handleRtpBySsrc: (packet: RtpPacket, extensions: unknown) => void handled.push([packet.header.ssrc, extensions]) };
  (router as unknown as { ssrcTable: Record<number, unknown> }).ssrcTable[42] = receiver;
  (router as unknown as { extIdUriMap: Record<number, string> }).extIdUriMap[1] = 'urn:ietf:params:rtp-hdrext:sdes:mid';
  fastRouting(router);
  const plain = new RtpPacket(new RtpHeader({ ssrc: 42, payloadType: 96 }), Buffer.from([1]));
  router.routeRtp(plain);
  assert.equal(handled[0]?.[1], NO_EXTENSIONS);
  assert.ok(Object.isFrozen(NO_EXTENSIONS));
  const withMid = new RtpPacket(new RtpHeader({ ssrc: 42, payloadType: 96, extension: true, extensions: [{ id: 1, payload: Buffer.from('0') }] }), Buffer.from([1]));
  router.routeRtp(withMid);
  // werift's own route parsed the extension into its map.
  assert.deepEqual(handled[1]?.[1], { 'urn:ietf:params:rtp-hdrext:sdes:mid': '0' });
  // An unknown SSRC goes to werift's route (which finds no receiver and drops it).
  router.routeRtp(new RtpPacket(new RtpHeader({ ssrc: 7, payloadType: 96 }), Buffer.from([1])));
  assert.equal(handled.length, 2);
});

test('the plaintext of a decrypted packet is parsed once: the second parse gets the same header, any other buffer is parsed', () => {
  const context = newContext();
  for (const packet of encrypted().slice(0, 20)) {
    const [plain, header] = decryptRtp.call(context, packet);
    const parsed = parseRtpPacket(plain);
    assert.equal(parsed.header, header, 'the header of the decryption');
    assert.deepEqual({ ...parsed.header }, { ...parseRtpHeader(plain) });
    assert.deepEqual(parsed.payload, plain.subarray(parseRtpHeader(plain).payloadOffset));
    // Handed over once: parsing the same plaintext again parses it.
    assert.notEqual(parseRtpPacket(plain).header, header);
  }
});

test("the SRTP header check refuses what werift's refuses: too short, a header running into the tag", () => {
  assert.throws(() => parseSrtpHeader(Buffer.alloc(20), 16), /authenticate/);
  const header = Buffer.from('900000010000000100000001bede0002', 'hex');
  // An extension block of 8 bytes declared, with only the 16-byte tag after it.
  assert.throws(() => parseSrtpHeader(Buffer.concat([header, Buffer.alloc(16)]), 16), /authenticate/);
  assert.equal(parseSrtpHeader(Buffer.concat([header, Buffer.alloc(8 + 16)]), 16).payloadOffset, 24);
});
