import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpSession, bindRtpPair, chooseRtpCodec, rtpAddresses } from '../../server/kms/media/rtp-session';

const quiet = {
  rtp: () => undefined,
  keyframeRequest: () => undefined,
  mediaState: () => undefined,
  connected: () => undefined,
  keySoftLimit: () => undefined,
  failure: () => undefined,
};

test('an RTP/RTCP pair: an even RTP port and the next one, inside the configured range', async () => {
  for (let round = 0; round < 5; round += 1) {
    const [rtp, rtcp] = await bindRtpPair('udp4', '127.0.0.1', 41000, 41020);
    const port = rtp.address().port;
    assert.equal(port % 2, 0);
    assert.ok(port >= 41000 && port + 1 <= 41020, `${port} in 41000-41020`);
    assert.equal(rtcp.address().port, port + 1);
    assert.equal(rtp.address().address, '127.0.0.1');
    rtp.close();
    rtcp.close();
  }
});

test('sockets follow the server\'s reach: loopback binds and announces 127.0.0.1 (::1 with useIpv6); network binds every interface', () => {
  assert.deepEqual(rtpAddresses({ reach: 'loopback', useIpv6: false }), { bind: '127.0.0.1', announce: '127.0.0.1', family: 'udp4' });
  assert.deepEqual(rtpAddresses({ reach: 'loopback', useIpv6: true }), { bind: '::1', announce: '::1', family: 'udp6' });
  assert.deepEqual(rtpAddresses({ reach: 'network', networkInterfaces: 'lo', useIpv6: false }), { bind: '127.0.0.1', announce: '127.0.0.1', family: 'udp4' });
  const network = rtpAddresses({ reach: 'network', useIpv6: false });
  assert.ok(network.bind === '0.0.0.0' || /^\d+\.\d+\.\d+\.\d+$/.test(network.bind));
});

test('an RtpSession answers with ports of the range and the loopback address; H.264 in any packetization mode is taken', async () => {
  const session = new RtpSession({ reach: 'loopback', minPort: 42000, maxPort: 42100, useIpv6: false, recvBandwidth: () => ({ audio: 0, video: 0 }) }, quiet);
  const answer = await session.processOffer(
    ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=video 5000 RTP/AVP 103', 'a=rtpmap:103 H264/90000', 'a=sendonly', ''].join('\r\n'),
  );
  const port = Number(/m=video (\d+) RTP\/AVP 103/.exec(answer)?.[1]);
  assert.ok(port >= 42000 && port <= 42100, answer);
  assert.match(answer, /c=IN IP4 127\.0\.0\.1/);
  assert.match(answer, /a=recvonly/);
  session.close();
  assert.equal(chooseRtpCodec([{ payloadType: 34, name: 'H263', clockRate: 90000 }, { payloadType: 103, name: 'H264', clockRate: 90000 }], 'video')?.payloadType, 103);
  assert.equal(chooseRtpCodec([{ payloadType: 9, name: 'G722', clockRate: 8000 }], 'audio'), undefined);
});
