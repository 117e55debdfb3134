/**
 * Transcoding: a VP8 sender and a receiver that accepts only H.264. The embedded KMS inserts an ffmpeg transcoder
 * on the source's output, as KMS' agnosticbin does, and says so with MediaTranscodingStateChanged.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kurentoClient, { type KurentoClient, type MediaPipeline } from 'kurento-client';
import { call, create } from '../../core/kurento';
import { isKeyframeStart } from '../../server/kms/media/rewriter';
import type { KmsServer } from '../../server/kms/server';
import { startKms } from '../helpers/kms';
import { RtpSource } from '../helpers/rtp-source';
import { WeriftPeer, negotiate, waitFor } from '../helpers/werift-peer';

let kms: KmsServer;
let source: RtpSource;
let client: KurentoClient;

before(async () => {
  kms = await startKms();
  source = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 400_000, gop: 60 });
  await source.start();
  client = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
});

after(async () => {
  client.close();
  await source.stop();
  await kms.stop();
});

test('VP8 in, an H.264-only receiver: a transcoder is inserted and TRANSCODING is reported on the source', async () => {
  const [pipeline] = await create<MediaPipeline>((done) => client.create('MediaPipeline', done));
  const sender = new WeriftPeer();
  sender.sendFrom(source);
  const receiver = new WeriftPeer({ h264Only: true });
  const h264: { packets: number; idr: number } = { packets: 0, idr: 0 };
  receiver.pc.onTrack.subscribe((track) => {
    if (track.kind === 'video') {
      track.onReceiveRtp.subscribe((packet) => {
        h264.packets += 1;
        if (isKeyframeStart('H264', packet.payload)) h264.idr += 1;
      });
    }
  });
  const from = await negotiate(pipeline, sender);
  const to = await negotiate(pipeline, receiver);
  const answer = await call<string>((done) => to.getLocalSessionDescriptor(done));
  assert.match(answer, /a=rtpmap:\d+ H264\/90000/, 'the receiver negotiated H.264');
  const states: string[] = [];
  from.on('MediaTranscodingStateChanged', (event) => states.push(`${event.mediaType} ${event.state}`));
  await call<void>((done) => from.connect(to, (error: unknown) => done(error, undefined)));
  await waitFor(() => h264.idr >= 1 && h264.packets > 50, 20000, 'H.264 key frames at the receiver');
  assert.ok(states.includes('VIDEO TRANSCODING'), `TRANSCODING on the source (${states.join(', ')})`);
  assert.equal(await call<boolean>((done) => from.isMediaTranscoding('VIDEO', done)), true);
  assert.ok(!states.includes('AUDIO TRANSCODING'), 'Opus goes through as it is');
  await call<void>((done) => pipeline.release((error: unknown) => done(error, undefined)));
  await Promise.all([sender.close(), receiver.close()]);
});
