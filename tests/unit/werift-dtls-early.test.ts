import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsClient, RTCDtlsTransport, RTCPeerConnection, type RTCDataChannel } from 'werift';
import { installEarlyDtls, memoizeConnect } from '../../server/kms/media/werift-dtls-early';
import { installNoDefaultStun } from '../../server/kms/media/werift-no-default-stun';

test('a memoized connect starts one handshake, however often it is called', async () => {
  let calls = 0;
  const client = { connect: async (): Promise<void> => void calls++ } as unknown as DtlsClient;
  const first = memoizeConnect(client);
  const second = client.connect();
  const third = client.connect();
  assert.equal(second, first);
  assert.equal(third, first);
  await first;
  assert.equal(calls, 1);
});

test('two werift peers with the early start connect, the client handshaking once, from start() on', async () => {
  installEarlyDtls();
  const connect = DtlsClient.prototype.connect;
  const starts: Array<{ client: DtlsClient; handshakes: number }> = [];
  DtlsClient.prototype.connect = function counted(this: DtlsClient): Promise<void> {
    let entry = starts.find((start) => start.client === this);
    if (!entry) starts.push((entry = { client: this, handshakes: 0 }));
    entry.handshakes++;
    return connect.call(this);
  };
  // How many handshakes had begun when the client's transport start() returned: 1 with the early start, 0 with
  // werift's own, which begins after a 100 ms sleep.
  const start = RTCDtlsTransport.prototype.start;
  const begunAtStart: number[] = [];
  RTCDtlsTransport.prototype.start = function observed(this: RTCDtlsTransport): Promise<void> {
    const started = start.call(this);
    if (this.dtls instanceof DtlsClient) begunAtStart.push(starts.length);
    return started;
  };
  // No ICE servers, and none of werift's fallback to Google's (as for the KMS and the test peers): offline, asking it
  // can hold gathering for 5 s.
  installNoDefaultStun();
  const offerer = new RTCPeerConnection({ iceServers: [] });
  const answerer = new RTCPeerConnection({ iceServers: [] });
  try {
    offerer.onIceCandidate.subscribe((candidate) => void answerer.addIceCandidate(candidate));
    answerer.onIceCandidate.subscribe((candidate) => void offerer.addIceCandidate(candidate));
    const channel = offerer.createDataChannel('early');
    const echoed = new Promise<string>((resolve) => {
      answerer.onDataChannel.subscribe((remote: RTCDataChannel) => {
        remote.onMessage.subscribe((data) => remote.send(data));
      });
      channel.onMessage.subscribe((data) => resolve(data.toString()));
    });
    channel.stateChanged.subscribe((state) => {
      if (state === 'open') channel.send('through DTLS and SCTP');
    });
    await offerer.setLocalDescription(await offerer.createOffer());
    await answerer.setRemoteDescription(offerer.localDescription!);
    await answerer.setLocalDescription(await answerer.createAnswer());
    await offerer.setRemoteDescription(answerer.localDescription!);
    assert.equal(await echoed, 'through DTLS and SCTP');
    // werift's own connect() after its sleep has run by now and must have reused the handshake started at once.
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(starts.length, 1, 'one side is the DTLS client');
    assert.equal(starts[0]?.handshakes, 1);
    assert.deepEqual(begunAtStart, [1]);
    assert.equal(offerer.dtlsTransports[0]?.state, 'connected');
    assert.equal(answerer.dtlsTransports[0]?.state, 'connected');
  } finally {
    DtlsClient.prototype.connect = connect;
    RTCDtlsTransport.prototype.start = start;
    await Promise.all([offerer.close(), answerer.close()]);
  }
});
