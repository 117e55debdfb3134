import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { UdpTransport } from 'werift';
import { immediateLookup, installFastUdpLookup } from '../../server/kms/media/werift-fast-udp';
import { sendOnSelectedPair } from '../../server/kms/media/werift-fast-send';
import { guardRunRtcp } from '../../server/kms/media/werift-rtcp-loop';

test('an IP address is looked up at once; a name goes to dns.lookup', async () => {
  let answer: unknown[] | undefined;
  immediateLookup('127.0.0.1', 4, (...args) => void (answer = args));
  assert.deepEqual(answer, [null, '127.0.0.1', 4], 'answered before immediateLookup returned');
  const named = new Promise<unknown[]>((resolve) => immediateLookup('localhost', 4, (...args) => resolve(args)));
  const [error, address, family] = await named;
  assert.equal(error, null);
  assert.equal(family, 4);
  assert.match(String(address), /^127\./);
});

test('werift UDP sockets send RTP straight to the selected pair, counted as werift counts it', async () => {
  installFastUdpLookup();
  const receiver = createSocket('udp4');
  receiver.bind(0, '127.0.0.1');
  await once(receiver, 'listening');
  const transport = await UdpTransport.init('udp4');
  const got: Buffer[] = [];
  receiver.on('message', (data) => got.push(data));
  let consent = true;
  let fallback = 0;
  const pair = { remoteAddr: ['127.0.0.1', receiver.address().port] as [string, number], packetsSent: 0, bytesSent: 0, protocol: { transport } };
  const connection = { send: async () => void (fallback += 1), nominated: pair, canSendApplicationData: () => consent };
  try {
    sendOnSelectedPair(connection, Buffer.from('one'));
    sendOnSelectedPair(connection, Buffer.from('three'));
    consent = false;
    // RFC 7675: no consent, no application data (as werift's own send).
    sendOnSelectedPair(connection, Buffer.from('dropped'));
    const until = Date.now() + 2000;
    while (got.length < 2 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(got.map(String), ['one', 'three']);
    assert.deepEqual([pair.packetsSent, pair.bytesSent, fallback], [2, 8, 0]);
    // No selected pair yet, or not UDP: werift's own send.
    sendOnSelectedPair({ send: connection.send }, Buffer.from('x'));
    sendOnSelectedPair({ ...connection, nominated: { ...pair, protocol: { transport: {} } } }, Buffer.from('x'));
    assert.equal(fallback, 2);
  } finally {
    await transport.close();
    receiver.close();
  }
});

test('runRtcp starts werift\'s report loop once and otherwise returns at once, without a new promise', async () => {
  let started = 0;
  const runRtcp = guardRunRtcp(async function (this: { rtcpRunning: boolean }) {
    started += 1;
    this.rtcpRunning = true;
  });
  const owner = { rtcpRunning: false, stopped: false };
  await runRtcp.call(owner);
  const first = runRtcp.call(owner);
  assert.equal(runRtcp.call(owner), first, 'one shared resolved promise');
  await first;
  assert.equal(started, 1);
  assert.equal(await runRtcp.call({ rtcpRunning: false, stopped: true }), undefined);
  assert.equal(started, 1, 'a stopped sender or receiver starts no loop');
});

test("werift's ICE sockets send to an IP address in the same tick: a send followed at once by close() still leaves", async () => {
  installFastUdpLookup();
  const receiver = createSocket('udp4');
  receiver.bind(0, '127.0.0.1');
  await once(receiver, 'listening');
  const got: string[] = [];
  receiver.on('message', (data) => got.push(String(data)));
  const port = receiver.address().port;
  try {
    // The control: a socket with dgram's default lookup resolves even an IP address on a later tick, so a send
    // followed by close() in the same tick never leaves. This is what the test would see without the install.
    const plain = createSocket('udp4');
    plain.bind(0, '127.0.0.1');
    await once(plain, 'listening');
    plain.send(Buffer.from('deferred'), port, '127.0.0.1');
    plain.close();
    const transport = await UdpTransport.init('udp4');
    transport.socket.send(Buffer.from('at once'), port, '127.0.0.1');
    transport.socket.close();
    const until = Date.now() + 1000;
    while (got.length < 1 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(got, ['at once']);
  } finally {
    receiver.close();
  }
});
