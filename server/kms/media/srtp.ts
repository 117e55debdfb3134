/**
 * SRTP and SRTCP (RFC 3711) with SDES keys (RFC 4568), for RtpEndpoint's `crypto` parameter: the four suites of KMS'
 * CryptoSuite (AES-CM 128 or 256 bits, RFC 6188 for 256; HMAC-SHA1 tags of 80 or 32 bits), key derivation rate 0, no
 * MKI. As KMS sets its srtpenc/srtpdec (kmssrtpconnection.c), SRTCP uses the same tag length as SRTP.
 *
 * Like libsrtp, each master key counts the packets it protected or unprotected: when 2^48 - 2^16 have gone by the soft
 * limit is reported once (RtpEndpoint's OnKeySoftLimit), and at 2^48 the key is exhausted and refuses more packets.
 */
import { createCipheriv, createHmac, timingSafeEqual, randomBytes } from 'node:crypto';

/** The suites, by the names KMS writes in a=crypto (kmssdpsdesext.c) and by the KMD's CryptoSuite enum. */
export const SRTP_SUITES = {
  AES_CM_128_HMAC_SHA1_32: { kmd: 'AES_128_CM_HMAC_SHA1_32', keyLength: 16, tagLength: 4 },
  AES_CM_128_HMAC_SHA1_80: { kmd: 'AES_128_CM_HMAC_SHA1_80', keyLength: 16, tagLength: 10 },
  AES_256_CM_HMAC_SHA1_32: { kmd: 'AES_256_CM_HMAC_SHA1_32', keyLength: 32, tagLength: 4 },
  AES_256_CM_HMAC_SHA1_80: { kmd: 'AES_256_CM_HMAC_SHA1_80', keyLength: 32, tagLength: 10 },
} as const;

export type SrtpSuiteName = keyof typeof SRTP_SUITES;
export const SALT_LENGTH = 14;

/** The SDP name of a KMD CryptoSuite value (AES_128_CM_HMAC_SHA1_80 → AES_CM_128_HMAC_SHA1_80). */
export function suiteOfKmd(value: string): SrtpSuiteName | undefined {
  return (Object.keys(SRTP_SUITES) as SrtpSuiteName[]).find((name) => SRTP_SUITES[name].kmd === value);
}

/** Master key + salt length of a suite: 30 bytes for AES-128, 46 for AES-256 (the sizes KMS checks). */
export function masterLength(suite: SrtpSuiteName): number {
  return SRTP_SUITES[suite].keyLength + SALT_LENGTH;
}

export function randomMaster(suite: SrtpSuiteName): Buffer {
  return randomBytes(masterLength(suite));
}

/** One `a=crypto:<tag> <suite> inline:<key||salt base64>[|lifetime][|mki:len]` line's value. */
export interface SdesCrypto {
  tag: number;
  suite: SrtpSuiteName;
  master: Buffer;
}

export function formatCrypto(crypto: SdesCrypto): string {
  return `${crypto.tag} ${crypto.suite} inline:${crypto.master.toString('base64')}`;
}

/** Parses an a=crypto value; undefined for a suite or key this implementation cannot use (MKI, wrong length). */
export function parseCrypto(value: string): SdesCrypto | undefined {
  const match = /^(\d+) (\S+) inline:([A-Za-z0-9+/=]+)((?:\|[^|\s]+)*)/.exec(value.trim());
  if (!match) return undefined;
  const suite = match[2] as SrtpSuiteName;
  if (!Object.hasOwn(SRTP_SUITES, suite)) return undefined;
  // An MKI (`|1:4`) would need a field in every packet: KMS never offers one, and this implementation takes none.
  if ((match[4] ?? '').split('|').some((part) => part.includes(':'))) return undefined;
  const master = Buffer.from(match[3] ?? '', 'base64');
  if (master.length !== masterLength(suite)) return undefined;
  return { tag: Number(match[1]), suite, master };
}

/** libsrtp's limits for one master key (srtp_key_limit_set with 2^48 - 1, soft limit 2^16 before it). */
export const KEY_LIMIT = 2 ** 48 - 1;
export const KEY_SOFT_LIMIT_LEFT = 0x10000;

function aesCtr(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const cipher = createCipheriv(key.length === 32 ? 'aes-256-ctr' : 'aes-128-ctr', key, iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** RFC 3711 §4.3.3: AES-CM key derivation with a key derivation rate of 0. */
function derive(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0, 0, SALT_LENGTH);
  iv[7] = (iv[7] ?? 0) ^ label;
  return aesCtr(masterKey, iv, Buffer.alloc(length));
}

export interface SessionKeys {
  encryption: Buffer;
  auth: Buffer;
  salt: Buffer;
}

export function deriveSessionKeys(suite: SrtpSuiteName, master: Buffer, rtcp: boolean): SessionKeys {
  const { keyLength } = SRTP_SUITES[suite];
  const masterKey = master.subarray(0, keyLength);
  const masterSalt = master.subarray(keyLength, keyLength + SALT_LENGTH);
  const base = rtcp ? 3 : 0;
  return {
    encryption: derive(masterKey, masterSalt, base, keyLength),
    auth: derive(masterKey, masterSalt, base + 1, 20),
    salt: derive(masterKey, masterSalt, base + 2, SALT_LENGTH),
  };
}

/** The 16-byte counter block: session salt, XOR the SSRC at bytes 4-7 and the packet index at bytes 8-13. */
function counter(salt: Buffer, ssrc: number, index: number): Buffer {
  const iv = Buffer.alloc(16);
  salt.copy(iv, 0, 0, SALT_LENGTH);
  iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
  const high = Math.floor(index / 2 ** 32);
  const low = index >>> 0;
  iv.writeUInt16BE((iv.readUInt16BE(8) ^ (high & 0xffff)) & 0xffff, 8);
  iv.writeUInt32BE((iv.readUInt32BE(10) ^ low) >>> 0, 10);
  return iv;
}

function tag(auth: Buffer, length: number, ...parts: Buffer[]): Buffer {
  const hmac = createHmac('sha1', auth);
  for (const part of parts) hmac.update(part);
  return hmac.digest().subarray(0, length);
}

/** Offset of the payload in an RTP packet: fixed header, CSRCs, header extension. */
function rtpHeaderLength(packet: Buffer): number {
  if (packet.length < 12) throw new Error('RTP packet too short');
  let offset = 12 + ((packet[0] ?? 0) & 0x0f) * 4;
  if ((packet[0] ?? 0) & 0x10) {
    if (packet.length < offset + 4) throw new Error('RTP extension header truncated');
    offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  }
  if (offset > packet.length) throw new Error('RTP header longer than the packet');
  return offset;
}

/** Roll-over state of one SSRC of an incoming or outgoing stream (RFC 3711 §3.3.1). */
interface StreamState {
  roc: number;
  highest: number | undefined;
}

export class SrtpError extends Error {}

/**
 * One direction of SRTP + SRTCP with one master key. `onSoftLimit` is called once, when the key's packet count reaches
 * the soft limit.
 */
export class SrtpContext {
  private readonly rtp: SessionKeys;
  private readonly rtcp: SessionKeys;
  private readonly tagLength: number;
  private readonly streams = new Map<number, StreamState>();
  private readonly rtcpIndexes = new Map<number, number>();
  /** Packets this key has protected or unprotected (libsrtp counts both the same way). */
  used = 0;
  private softLimitReported = false;

  constructor(
    readonly suite: SrtpSuiteName,
    master: Buffer,
    private readonly onSoftLimit: () => void = () => undefined,
  ) {
    if (master.length !== masterLength(suite)) throw new SrtpError(`a ${suite} master key and salt are ${masterLength(suite)} bytes, not ${master.length}`);
    this.rtp = deriveSessionKeys(suite, master, false);
    this.rtcp = deriveSessionKeys(suite, master, true);
    this.tagLength = SRTP_SUITES[suite].tagLength;
  }

  private count(): void {
    if (this.used >= KEY_LIMIT) throw new SrtpError('the SRTP master key is exhausted (2^48 packets)');
    this.used += 1;
    if (!this.softLimitReported && KEY_LIMIT - this.used <= KEY_SOFT_LIMIT_LEFT) {
      this.softLimitReported = true;
      this.onSoftLimit();
    }
  }

  /** SRTP-protects one serialized RTP packet. */
  protectRtp(packet: Buffer): Buffer {
    const headerLength = rtpHeaderLength(packet);
    const ssrc = packet.readUInt32BE(8);
    const sequence = packet.readUInt16BE(2);
    const state = this.streams.get(ssrc) ?? { roc: 0, highest: undefined };
    if (state.highest !== undefined && sequence < state.highest && state.highest - sequence > 0x8000) state.roc = (state.roc + 1) >>> 0;
    state.highest = sequence;
    this.streams.set(ssrc, state);
    this.count();
    const index = state.roc * 0x10000 + sequence;
    const header = packet.subarray(0, headerLength);
    const payload = aesCtr(this.rtp.encryption, counter(this.rtp.salt, ssrc, index), packet.subarray(headerLength));
    const roc = Buffer.alloc(4);
    roc.writeUInt32BE(state.roc, 0);
    return Buffer.concat([header, payload, tag(this.rtp.auth, this.tagLength, header, payload, roc)]);
  }

  /** Checks and decrypts one SRTP packet; throws SrtpError when it does not authenticate. */
  unprotectRtp(packet: Buffer): Buffer {
    if (packet.length < 12 + this.tagLength) throw new SrtpError('SRTP packet too short');
    const body = packet.subarray(0, packet.length - this.tagLength);
    const received = packet.subarray(packet.length - this.tagLength);
    const headerLength = rtpHeaderLength(body);
    const ssrc = body.readUInt32BE(8);
    const sequence = body.readUInt16BE(2);
    const state = this.streams.get(ssrc) ?? { roc: 0, highest: undefined };
    // RFC 3711 appendix A: the roll-over counter the sender most likely used.
    let roc = state.roc;
    if (state.highest !== undefined) {
      if (state.highest < 0x8000) {
        if (sequence - state.highest > 0x8000) roc = (state.roc - 1) >>> 0;
      } else if (state.highest - 0x8000 > sequence) {
        roc = (state.roc + 1) >>> 0;
      }
    }
    const rocBytes = Buffer.alloc(4);
    rocBytes.writeUInt32BE(roc, 0);
    const expected = tag(this.rtp.auth, this.tagLength, body, rocBytes);
    if (!timingSafeEqual(expected, received)) throw new SrtpError('SRTP authentication failed');
    this.count();
    if (state.highest === undefined || roc > state.roc || (roc === state.roc && sequence > state.highest)) {
      state.roc = roc;
      state.highest = sequence;
    }
    this.streams.set(ssrc, state);
    const index = roc * 0x10000 + sequence;
    const payload = aesCtr(this.rtp.encryption, counter(this.rtp.salt, ssrc, index), body.subarray(headerLength));
    return Buffer.concat([body.subarray(0, headerLength), payload]);
  }

  /** SRTCP-protects one serialized (compound) RTCP packet: encrypted after the first 8 bytes, E flag and index. */
  protectRtcp(packet: Buffer): Buffer {
    if (packet.length < 8) throw new SrtpError('RTCP packet too short');
    const ssrc = packet.readUInt32BE(4);
    const index = ((this.rtcpIndexes.get(ssrc) ?? -1) + 1) & 0x7fffffff;
    this.rtcpIndexes.set(ssrc, index);
    this.count();
    const encrypted = aesCtr(this.rtcp.encryption, counter(this.rtcp.salt, ssrc, index), packet.subarray(8));
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32BE((0x80000000 | index) >>> 0, 0);
    const head = packet.subarray(0, 8);
    return Buffer.concat([head, encrypted, trailer, tag(this.rtcp.auth, this.tagLength, head, encrypted, trailer)]);
  }

  unprotectRtcp(packet: Buffer): Buffer {
    if (packet.length < 8 + 4 + this.tagLength) throw new SrtpError('SRTCP packet too short');
    const authenticated = packet.subarray(0, packet.length - this.tagLength);
    const received = packet.subarray(packet.length - this.tagLength);
    if (!timingSafeEqual(tag(this.rtcp.auth, this.tagLength, authenticated), received)) throw new SrtpError('SRTCP authentication failed');
    this.count();
    const trailer = authenticated.readUInt32BE(authenticated.length - 4);
    const body = authenticated.subarray(0, authenticated.length - 4);
    if ((trailer & 0x80000000) === 0) return Buffer.from(body);
    const index = trailer & 0x7fffffff;
    const ssrc = body.readUInt32BE(4);
    return Buffer.concat([body.subarray(0, 8), aesCtr(this.rtcp.encryption, counter(this.rtcp.salt, ssrc, index), body.subarray(8))]);
  }
}
