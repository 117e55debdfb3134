/**
 * Behaviour of KMS 7.3 the embedded KMS once diverged from, each checked with the real kurento-client 7.3 and real
 * media: MediaSessionTerminated only from HttpEndpoint; offers without a=mid or in plain RTP/AVP negotiated as KMS
 * does; setVideoFormat / setAudioFormat applied to the element's output; recordings uploaded to http(s) URIs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kurentoClient, { type KurentoClient, type MediaPipeline } from 'kurento-client';
import { call, create } from '../../core/kurento';
import type { KmsServer } from '../../server/kms/server';
import { startKms } from '../helpers/kms';
import { WeriftPeer, negotiate, waitFor } from '../helpers/werift-peer';

let kms: KmsServer;
let client: KurentoClient;

before(async () => {
  kms = await startKms();
  client = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
});

after(async () => {
  client.close();
  await kms.stop();
});

const done = (callback: (error: unknown, value: undefined) => void) => (error: unknown) => callback(error, undefined);

test('a WebRtcEndpoint raises no MediaSessionTerminated when the browser closes (KMS 7.3 raises it only from HttpEndpoint)', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const peer = new WeriftPeer();
  const endpoint = await negotiate(pipeline, peer, { loopback: true });
  const seen: string[] = [];
  endpoint.on('MediaSessionTerminated', () => seen.push('MediaSessionTerminated'));
  endpoint.on('DtlsConnectionStateChange', (event) => seen.push(`DTLS ${event.state}`));
  await new Promise((resolve) => setTimeout(resolve, 500));
  await peer.sendCloseNotify();
  await waitFor(() => seen.includes('DTLS CLOSED'), 10000, 'the DTLS transport to close');
  await peer.close();
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(seen, ['DTLS CLOSED'], 'DTLS closes; no MediaSessionTerminated');
  await call<void>((cb) => pipeline.release(done(cb)));
});
