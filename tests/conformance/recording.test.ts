/**
 * RecorderEndpoint and PlayerEndpoint on the embedded KMS (ffmpeg workers), driven by kurento-client with a werift
 * peer sending real VP8 + Opus. Files are checked with ffprobe.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import kurentoClient, { type KurentoClient, type MediaPipeline, type PlayerEndpoint, type RecorderEndpoint, type WebRtcEndpoint } from 'kurento-client';
import { call, create } from '../../core/kurento';
import { RecordingJob } from '../../server/kms/media/ffmpeg/recording';
import { probe } from '../../server/kms/media/ffmpeg/worker';
import type { KmsServer } from '../../server/kms/server';
import { startKms } from '../helpers/kms';
import { RtpClip, RtpSource } from '../helpers/rtp-source';
import { kmsFfmpeg, noKmsFfmpegLeft } from '../helpers/processes';
import { WeriftPeer, negotiate, waitFor } from '../helpers/werift-peer';

let kms: KmsServer;
let source: RtpSource;
let client: KurentoClient;
let mediaDir: string;

before(async () => {
  mediaDir = mkdtempSync(path.join(os.tmpdir(), 'kurento-labs-media-'));
  kms = await startKms({ mediaDirectory: mediaDir });
  // Key frames every 200 ms: a browser answers the recorder's PLI at once, this ffmpeg source cannot, so a short
  // interval keeps the start of each recording as prompt as with a browser.
  source = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 600_000, gop: 6 });
  await source.start();
  client = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
});

after(async () => {
  client.close();
  await source.stop();
  await kms.stop();
  if (!process.env.KEEP_MEDIA) rmSync(mediaDir, { recursive: true, force: true });
});

const voidDone = (done: (error: unknown, value: undefined) => void) => (error: unknown) => done(error, undefined);

async function sender(pipeline: MediaPipeline): Promise<{ endpoint: WebRtcEndpoint; peer: WeriftPeer }> {
  const peer = new WeriftPeer();
  peer.sendFrom(source);
  return { endpoint: await negotiate(pipeline, peer), peer };
}

const failure = (invoke: (callback: (error: unknown) => void) => unknown): Promise<{ code?: number; message?: string }> =>
  new Promise((resolve) => void invoke((error) => resolve((error ?? {}) as { code?: number; message?: string })));

test('a WebM recording without re-encoding: events, then a complete file as long as the recording', async () => {
  const [pipeline] = await create<MediaPipeline>((done) => client.create('MediaPipeline', done));
  const { endpoint, peer } = await sender(pipeline);
  const uri = `file://${mediaDir}/loopback.webm`;
  const [recorder] = await create<RecorderEndpoint>((done) => pipeline.create('RecorderEndpoint', { uri, mediaProfile: 'WEBM' }, done));
  const events: string[] = [];
  for (const name of ['Recording', 'Paused', 'Stopped', 'UriEndpointStateChanged', 'MediaFlowInStateChanged'] as const) {
    (recorder as unknown as { on(event: string, listener: (data: Record<string, unknown>) => void): void }).on(name, (data) =>
      events.push([name, data.state, data.mediaType].filter(Boolean).join(' ')),
    );
  }
  await call<void>((done) => endpoint.connect(recorder, voidDone(done)));
  await waitFor(() => events.includes('MediaFlowInStateChanged FLOWING VIDEO'), 5000, 'media flowing into the recorder');
  const started = Date.now();
  await call<void>((done) => recorder.record(voidDone(done)));
  await new Promise((resolve) => setTimeout(resolve, 6000));
  const wall = (Date.now() - started) / 1000;
  await call<void>((done) => recorder.stopAndWait(voidDone(done)));
  assert.deepEqual(
    events.filter((event) => !event.startsWith('MediaFlow')),
    ['UriEndpointStateChanged START', 'Recording', 'UriEndpointStateChanged STOP', 'Stopped'],
  );
  const info = await probe(path.join(mediaDir, 'loopback.webm'));
  assert.equal(info.video?.codec, 'vp8', 'VP8 stored as it arrived');
  assert.equal(info.audio?.codec, 'opus', 'Opus stored as it arrived');
  const duration = (info.durationMs ?? 0) / 1000;
  assert.ok(Math.abs(duration - wall) / wall <= 0.05, `file ${duration.toFixed(2)} s vs recorded wall time ${wall.toFixed(2)} s`);
  await peer.close();
  await call<void>((done) => pipeline.release(voidDone(done)));
});

test('MP4 transcodes to H.264 + AAC; a pause leaves no gap, and the file is as long as what was recorded', async () => {
  const [pipeline] = await create<MediaPipeline>((done) => client.create('MediaPipeline', done));
  const { endpoint, peer } = await sender(pipeline);
  const [recorder] = await create<RecorderEndpoint>((done) =>
    pipeline.create('RecorderEndpoint', { uri: `file://${mediaDir}/sub/paused.mp4`, mediaProfile: 'MP4' }, done),
  );
  const transcoding: string[] = [];
  const events: string[] = [];
  endpoint.on('MediaTranscodingStateChanged', (event) => transcoding.push(`${event.mediaType} ${event.state}`));
  for (const name of ['Recording', 'Paused', 'Stopped'] as const) recorder.on(name, () => events.push(name));
  await call<void>((done) => endpoint.connect(recorder, voidDone(done)));
  await new Promise((resolve) => setTimeout(resolve, 500));
  // Recorded time lies between two bounds. At least: from KMS' answer to record() to the request that ends the span
  // (pause() or stopAndWait()). At most: from the request of record() to the request that ends the span, plus one
  // round trip of pause() for each span, since KMS stops writing somewhere between that request and its answer
  // (stopAndWait's own answer waits for the file, so pause() measures the round trip). On a loaded machine a round
  // trip alone takes 100-300 ms, which is not media the test asked for.
  let recordedMs = 0;
  let requestedMs = 0;
  let roundTripMs = 0;
  for (const [index, spanMs] of [2500, 2500].entries()) {
    const requested = Date.now();
    await call<void>((done) => recorder.record(voidDone(done)));
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, spanMs));
    const ending = Date.now();
    recordedMs += ending - started;
    requestedMs += ending - requested;
    if (index === 0) {
      await call<void>((done) => recorder.pause(voidDone(done)));
      roundTripMs = Date.now() - ending;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    } else await call<void>((done) => recorder.stopAndWait(voidDone(done)));
  }
  const recordedAtMostMs = requestedMs + 2 * roundTripMs;
  assert.deepEqual(events, ['Recording', 'Paused', 'Recording', 'Stopped']);
  const info = await probe(path.join(mediaDir, 'sub', 'paused.mp4'));
  assert.equal(info.video?.codec, 'h264');
  assert.equal(info.audio?.codec, 'aac');
  const duration = info.durationMs ?? 0;
  // 5 % either side of the bounds; the 2 s pause, had it been recorded, would be far outside.
  assert.ok(
    duration >= recordedMs * 0.95 && duration <= recordedAtMostMs * 1.05,
    `file ${duration} ms vs ${recordedMs}-${recordedAtMostMs} ms recorded (the 2 s pause left out)`,
  );
  assert.ok(transcoding.includes('VIDEO TRANSCODING'), `TRANSCODING reported for MP4 (${transcoding.join(', ')})`);
  await peer.close();
  await call<void>((done) => pipeline.release(voidDone(done)));
});

test('the single-media profiles record only their media type; releasing the pipeline ends every ffmpeg it started', async () => {
  const [pipeline] = await create<MediaPipeline>((done) => client.create('MediaPipeline', done));
  const { endpoint, peer } = await sender(pipeline);
  const profiles = [
    ['WEBM_VIDEO_ONLY', 'webm', 'vp8', undefined],
    ['MP4_VIDEO_ONLY', 'mp4', 'h264', undefined],
    ['MP4_AUDIO_ONLY', 'mp4', undefined, 'aac'],
  ] as const;
  const recorders: RecorderEndpoint[] = [];
  for (const [mediaProfile, extension] of profiles) {
    const [recorder] = await create<RecorderEndpoint>((done) =>
      pipeline.create('RecorderEndpoint', { uri: `file://${mediaDir}/only-${mediaProfile}.${extension}`, mediaProfile }, done),
    );
    await call<void>((done) => endpoint.connect(recorder, mediaProfile.endsWith('AUDIO_ONLY') ? 'AUDIO' : 'VIDEO', voidDone(done)));
    recorders.push(recorder);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const recorder of recorders) await call<void>((done) => recorder.record(voidDone(done)));
  await new Promise((resolve) => setTimeout(resolve, 2500));
  // Release without stopping: KMS stops a recorder (stopAndWait) before releasing it, so the files are complete.
  await call<void>((done) => pipeline.release(voidDone(done)));
  for (const [mediaProfile, extension, video, audio] of profiles) {
    const info = await probe(path.join(mediaDir, `only-${mediaProfile}.${extension}`));
    assert.equal(info.video?.codec, video, `${mediaProfile} video`);
    assert.equal(info.audio?.codec, audio, `${mediaProfile} audio`);
    assert.ok((info.durationMs ?? 0) > 1500, `${mediaProfile}: ${info.durationMs} ms`);
  }
  await noKmsFfmpegLeft(mediaDir);
  await peer.close();
});

test('recorder URIs are confined to the media directory; unsupported profiles are refused', async () => {
  const [pipeline] = await create<MediaPipeline>((done) => client.create('MediaPipeline', done));
  for (const uri of ['file:///etc/kurento-labs-test.webm', `file://${mediaDir}/../escape.webm`, 'ftp://x/y.webm', 'not a uri']) {
    const error = await failure((done) => pipeline.create('RecorderEndpoint', { uri, mediaProfile: 'WEBM' }, done));
    assert.equal(error.code, 40107, `${uri}: ${error.message}`);
  }
  const profile = await failure((done) => pipeline.create('RecorderEndpoint', { uri: `file://${mediaDir}/x.jpg`, mediaProfile: 'JPEG_VIDEO_ONLY' }, done));
  assert.equal(profile.code, 40107);
  assert.match(String(profile.message), /not supported/);
  await call<void>((done) => pipeline.release(voidDone(done)));
});

test('PlayerEndpoint plays a recording into a WebRtcEndpoint: info, position, seek, pause, EndOfStream', async () => {
  // A short recording to play.
  const [recordPipeline] = await create<MediaPipeline>((done) => client.create('MediaPipeline', done));
  const { endpoint, peer: senderPeer } = await sender(recordPipeline);
  const [recorder] = await create<RecorderEndpoint>((done) =>
    recordPipeline.create('RecorderEndpoint', { uri: `file://${mediaDir}/clip.webm`, mediaProfile: 'WEBM' }, done),
  );
  await call<void>((done) => endpoint.connect(recorder, voidDone(done)));
  await new Promise((resolve) => setTimeout(resolve, 500));
  await call<void>((done) => recorder.record(voidDone(done)));
  await new Promise((resolve) => setTimeout(resolve, 4000));
  await call<void>((done) => recorder.stopAndWait(voidDone(done)));
  await senderPeer.close();
  await call<void>((done) => recordPipeline.release(voidDone(done)));
  assert.ok(statSync(path.join(mediaDir, 'clip.webm')).size > 10000);

  const [pipeline] = await create<MediaPipeline>((done) => client.create('MediaPipeline', done));
  const [player] = await create<PlayerEndpoint>((done) => pipeline.create('PlayerEndpoint', { uri: `file://${mediaDir}/clip.webm` }, done));
  const viewer = new WeriftPeer();
  const viewerEndpoint = await negotiate(pipeline, viewer);
  await call<void>((done) => player.connect(viewerEndpoint, voidDone(done)));
  const info = await call<{ isSeekable: boolean; duration: number }>((done) => player.getVideoInfo(done));
  assert.equal(info.isSeekable, true);
  assert.ok(info.duration > 3000 && info.duration < 5000, `duration ${info.duration} ms`);
  const states: string[] = [];
  let ended = false;
  player.on('UriEndpointStateChanged', (event) => states.push(String(event.state)));
  player.on('EndOfStream', () => void (ended = true));
  await call<void>((done) => player.play(voidDone(done)));
  await waitFor(() => viewer.received.keyframes >= 1 && viewer.received.videoFrames > 10, 8000, 'video from the player at the viewer');
  await new Promise((resolve) => setTimeout(resolve, 800));
  const position = await call<number>((done) => player.getPosition(done));
  assert.ok(position > 500, `position advances (${position} ms)`);
  await call<void>((done) => player.pause(voidDone(done)));
  const paused = viewer.received.videoPackets;
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.ok(viewer.received.videoPackets - paused < 5, 'nothing flows while paused');
  await call<void>((done) => player.setPosition(info.duration - 1000, voidDone(done)));
  assert.ok(Math.abs((await call<number>((done) => player.getPosition(done))) - (info.duration - 1000)) < 50, 'seek while paused');
  const seekError = await failure((done) => player.setPosition(info.duration + 60000, done));
  assert.equal(seekError.code, 40700);
  await call<void>((done) => player.play(voidDone(done)));
  await waitFor(() => ended, 5000, 'EndOfStream about a second after seeking near the end');
  assert.deepEqual(states, ['START', 'PAUSE', 'START', 'STOP']);
  assert.equal(viewer.received.sequenceGaps, 0, 'the viewer saw one continuous stream across pause and seek');
  // stop() rewinds: play() starts again from the beginning, and a stop() while playing is not an EndOfStream.
  await call<void>((done) => player.stop(voidDone(done)));
  assert.equal(await call<number>((done) => player.getPosition(done)), 0, 'stop() rewinds to the start');
  ended = false;
  await call<void>((done) => player.play(voidDone(done)));
  await new Promise((resolve) => setTimeout(resolve, 600));
  await call<void>((done) => player.stop(voidDone(done)));
  assert.equal(states.at(-1), 'STOP');
  assert.equal(await call<number>((done) => player.getPosition(done)), 0, 'stop() rewinds to the start');
  const stopped = viewer.received.videoPackets;
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.ok(viewer.received.videoPackets - stopped < 5, 'nothing flows after stop()');
  assert.equal(ended, false, 'stop() is not an EndOfStream');
  assert.equal((await kmsFfmpeg(`${mediaDir}/clip.webm`)).length, 0, 'the player process ended with stop()');
  await viewer.close();
  await call<void>((done) => pipeline.release(voidDone(done)));
});

test('a player URI outside the media directory is refused; a missing file raises Error RESOURCE_ERROR_OPEN on play', async () => {
  const [pipeline] = await create<MediaPipeline>((done) => client.create('MediaPipeline', done));
  const outside = await failure((done) => pipeline.create('PlayerEndpoint', { uri: 'file:///etc/passwd' }, done));
  assert.equal(outside.code, 40107);
  const [player] = await create<PlayerEndpoint>((done) => pipeline.create('PlayerEndpoint', { uri: `file://${mediaDir}/missing.webm` }, done));
  const errors: string[] = [];
  player.on('Error', (event) => errors.push(String(event.type)));
  await call<void>((done) => player.play(voidDone(done)));
  await waitFor(() => errors.includes('RESOURCE_ERROR_OPEN'), 3000, 'the Error event');
  await call<void>((done) => pipeline.release(voidDone(done)));
});

test('a video-only recording stopped in the middle of a frame is finished by its ffmpeg at once, complete', async () => {
  // ffmpeg finishes a file only between frames, and its VP8 depacketizer takes nothing but a key frame after a frame
  // that never ended: the recorder must send one, or ffmpeg waits until it is killed (20 s) and the file is cut.
  const clip = await RtpClip.record({ width: 320, height: 240, fps: 30, bitrate: 800_000, gop: 30, seconds: 1 });
  const file = path.join(mediaDir, 'cut-frame.webm');
  const failures: string[] = [];
  const job = new RecordingJob(
    { file: { label: file, open: () => openSync(file, 'w') }, container: 'webm', video: { name: 'VP8', clockRate: 90000 } },
    { keyframeNeeded: () => undefined, failure: (type, description) => failures.push(`${type}: ${description}`) },
  );
  await job.start();
  // Every frame of the clip at its pace, then the first packet of a frame of several packets, and the stream stops.
  const frames: Array<typeof clip.video[number]['packet'][]> = [[]];
  for (const { packet } of clip.video) {
    frames.at(-1)?.push(packet);
    if (packet.header.marker) frames.push([]);
  }
  const cut = frames.findLastIndex((frame, index) => index > 15 && frame.length >= 2);
  assert.ok(cut > 0, 'the clip has a frame of several packets');
  for (const frame of frames.slice(0, cut)) {
    for (const packet of frame) job.push('VIDEO', packet);
    await new Promise((resolve) => setTimeout(resolve, 33));
  }
  const partial = frames[cut]?.[0];
  assert.ok(partial);
  job.push('VIDEO', partial);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const started = Date.now();
  const exit = await job.finish();
  const seconds = (Date.now() - started) / 1000;
  assert.equal(exit?.signal, null, `ffmpeg ended by itself, not killed (after ${seconds} s): ${exit?.stderr.trim() ?? ''}`);
  assert.ok(seconds < 5, `finished in ${seconds} s`);
  assert.deepEqual(failures, []);
  const info = await probe(file);
  assert.equal(info.video?.codec, 'vp8');
  assert.ok((info.durationMs ?? 0) > 300, `${info.durationMs} ms`);
});
