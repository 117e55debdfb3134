import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { MediaStreamTrack, RTCPeerConnection } from 'werift';
import { installNoDefaultStun } from '../../server/kms/media/werift-no-default-stun';

installNoDefaultStun();

/** Records the destination of every UDP datagram this process sends while `body` runs. */
async function recordSends<T>(body: () => Promise<T>): Promise<{ result: T; destinations: string[] }> {
  const destinations: string[] = [];
  const send = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function recorded(this: dgram.Socket, ...args: unknown[]): void {
    const port = args.find((arg, index) => index > 0 && typeof arg === 'number');
    const host = args.find((arg, index) => index > 0 && typeof arg === 'string');
    destinations.push(`${String(host)}:${String(port)}`);
    (send as (...rest: unknown[]) => void).apply(this, args);
  } as typeof send;
  try {
    return { result: await body(), destinations };
  } finally {
    dgram.Socket.prototype.send = send;
  }
}

function offerer(iceServers: Array<{ urls: string }>): RTCPeerConnection {
  const pc = new RTCPeerConnection({ iceServers, iceUseIpv6: false, iceAdditionalHostAddresses: ['127.0.0.1'] });
  pc.addTransceiver(new MediaStreamTrack({ kind: 'video' }), { direction: 'sendrecv' });
  return pc;
}

test('with no STUN server configured, werift gathers host candidates only and asks no STUN server', async () => {
  const pc = offerer([]);
  try {
    const { result: candidates, destinations } = await recordSends(async () => {
      const found: string[] = [];
      pc.onIceCandidate.subscribe((candidate) => candidate && found.push(candidate.candidate));
      await pc.setLocalDescription(await pc.createOffer());
      return found;
    });
    assert.ok(candidates.length > 0, 'host candidates were gathered');
    for (const candidate of candidates) assert.match(candidate, / typ host\b/);
    // werift's fallback was stun.l.google.com:19302: nothing may be sent there, or anywhere, while gathering.
    assert.deepEqual(destinations, []);
    for (const transport of pc.iceTransports) assert.equal(transport.connection.stunServer, undefined);
  } finally {
    await pc.close();
  }
});

test('a configured STUN server is still asked', async () => {
  const server = dgram.createSocket('udp4');
  server.bind(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const pc = offerer([{ urls: `stun:127.0.0.1:${port}` }]);
  try {
    for (const transport of pc.iceTransports) assert.deepEqual(transport.connection.stunServer, ['127.0.0.1', port]);
    const request = once(server, 'message');
    // Gathering waits for the server's answer, which never comes: the binding request arriving is what counts.
    void pc.createOffer().then((offer) => pc.setLocalDescription(offer)).catch(() => undefined);
    const [message] = (await request) as [Buffer];
    assert.equal(message.readUInt16BE(0), 0x0001, 'a STUN binding request');
  } finally {
    await pc.close();
    server.close();
  }
});
