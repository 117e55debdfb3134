/**
 * The receive limits of a WebRtcEndpoint reach the browser as REMB (RTCP PSFB, FMT 15), as KMS' kmsremb sends them:
 * the real kurento-client 7.3 sets maxVideoRecvBandwidth mid-session, and a werift peer in the browser's role that
 * offered goog-remb sees the REMB value for its video SSRC follow the limit. Without goog-remb, no REMB is sent.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kurentoClient, { type KurentoClient, type MediaPipeline } from 'kurento-client';
import { call, create } from '../../core/kurento';
import type { KmsServer } from '../../server/kms/server';
import { startKms } from '../helpers/kms';
import { RtpSource } from '../helpers/rtp-source';
import { WeriftPeer, negotiate, waitFor } from '../helpers/werift-peer';

let kms: KmsServer;
let client: KurentoClient;
let source: RtpSource;

before(async () => {
  kms = await startKms();
  client = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
  source = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 300_000, gop: 30 });
  await source.start();
});

after(async () => {
  await source.stop();
  client.close();
  await kms.stop();
});

const done = (callback: (error: unknown, value: undefined) => void) => (error: unknown) => callback(error, undefined);

test('REMB follows maxVideoRecvBandwidth live: uncapped, then 800 kbps, then 250 kbps, once a second and at once on a change', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const peer = new WeriftPeer({ remb: true });
  peer.sendFrom(source);
  const endpoint = await negotiate(pipeline, peer, { loopback: true });
  peer.watchRemb();
  const videoSsrc = peer.pc.getTransceivers().find((t) => t.kind === 'video')?.sender.ssrc;
  assert.ok(videoSsrc !== undefined);

  // No limit: REMB does not hold the sender back (KMS sends its estimate; the embedded KMS a high value).
  await waitFor(() => peer.rembs.length >= 2, 8000, 'two REMB messages without a limit');
  const uncapped = peer.rembs.at(-1)!;
  assert.deepEqual(uncapped.ssrcs, [videoSsrc], 'the REMB names the video SSRC the peer sends');
  assert.ok(uncapped.bitrate >= 2_000_000, `uncapped REMB ${uncapped.bitrate} bps`);
  const gap = peer.rembs.at(-1)!.at - peer.rembs.at(-2)!.at;
  assert.ok(gap >= 700 && gap <= 1600, `about one REMB a second (${gap} ms between two)`);

  // A limit set mid-session reaches the peer at once, in bps.
  let before = peer.rembs.length;
  const setAt = Date.now();
  await call<void>((cb) => endpoint.setMaxVideoRecvBandwidth(800, done(cb)));
  await waitFor(() => peer.rembs.slice(before).some((remb) => remb.bitrate <= 800_000), 3000, 'a REMB of 800 kbps');
  const first = peer.rembs.slice(before).find((remb) => remb.bitrate <= 800_000)!;
  assert.ok(first.at - setAt < 500, `the new limit was sent ${first.at - setAt} ms after the call`);
  assert.ok(Math.abs(first.bitrate - 800_000) <= 800_000 / 1000, `REMB ${first.bitrate} bps for 800 kbps (18-bit mantissa)`);

  before = peer.rembs.length;
  await call<void>((cb) => endpoint.setMaxVideoRecvBandwidth(250, done(cb)));
  await waitFor(() => peer.rembs.slice(before).filter((remb) => remb.bitrate === 250_000).length >= 2, 4000, 'REMB of 250 kbps, repeated');

  // minVideoRecvBandwidth is the floor: above the maximum, it wins (as in kmsremb.c).
  before = peer.rembs.length;
  await call<void>((cb) => endpoint.setMinVideoRecvBandwidth(400, done(cb)));
  await waitFor(() => peer.rembs.slice(before).some((remb) => remb.bitrate === 400_000), 3000, 'the floor of 400 kbps');

  // Back to unlimited: the cap is lifted.
  await call<void>((cb) => endpoint.setMinVideoRecvBandwidth(0, done(cb)));
  before = peer.rembs.length;
  await call<void>((cb) => endpoint.setMaxVideoRecvBandwidth(0, done(cb)));
  await waitFor(() => peer.rembs.slice(before).some((remb) => remb.bitrate >= 2_000_000), 3000, 'an uncapped REMB again');

  const stats = await call<Record<string, object>>((cb) => endpoint.getStats('VIDEO', cb));
  const inbound = (Object.values(stats) as Array<Record<string, unknown>>).find((entry) => entry.type === 'inboundrtp');
  assert.ok(Number(inbound?.remb) >= 2_000_000, `inboundrtp remb reports the last REMB sent (${String(inbound?.remb)})`);

  await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('no REMB without goog-remb in the offer', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const peer = new WeriftPeer();
  peer.sendFrom(source);
  const endpoint = await negotiate(pipeline, peer, { loopback: true });
  peer.watchRemb();
  await waitFor(() => peer.received.videoPackets > 30, 8000, 'video back');
  await call<void>((cb) => endpoint.setMaxVideoRecvBandwidth(300, done(cb)));
  await new Promise((resolve) => setTimeout(resolve, 2500));
  assert.equal(peer.rembs.length, 0, 'no REMB reached a peer that did not offer goog-remb');
  await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
});
