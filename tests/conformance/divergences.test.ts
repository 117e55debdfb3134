/**
 * Behaviour of KMS 7.3 the embedded KMS once diverged from, each checked with the real kurento-client 7.3 and real
 * media: MediaSessionTerminated only from HttpEndpoint; offers without a=mid or in plain RTP/AVP negotiated as KMS
 * does; setVideoFormat / setAudioFormat applied to the element's output; recordings uploaded to http(s) URIs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import kurentoClient, { type KurentoClient, type MediaPipeline, type PlayerEndpoint, type RecorderEndpoint, type RtpEndpoint, type WebRtcEndpoint } from 'kurento-client';
import { call, create } from '../../core/kurento';
import { probe } from '../../server/kms/media/ffmpeg/worker';
import type { KmsServer } from '../../server/kms/server';
import { startKms } from '../helpers/kms';
import { RtpSource } from '../helpers/rtp-source';
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
  // DTLS CONNECTED may come after the subscription or before it (the handshake races with it): not what is checked.
  assert.deepEqual(seen.filter((event) => event !== 'DTLS CONNECTED'), ['DTLS CLOSED'], 'DTLS closes; no MediaSessionTerminated');
  await call<void>((cb) => pipeline.release(done(cb)));
});

// Divergence 2: offers werift alone refuses (40205 "Transceiver with mid=undefined" / "mid not assigned") -----------

/** The m= lines of an SDP. */
const mLines = (sdp: string): string[] => sdp.split(/\r?\n/).filter((line) => line.startsWith('m='));

test('processOffer without a=mid (no BUNDLE, one transport per section): answered without mids, candidates by m-line index, media flows both ways', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const source = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 300_000, gop: 30 });
  await source.start();
  const peer = new WeriftPeer({ noMids: true });
  peer.sendFrom(source);
  const [endpoint] = await create<WebRtcEndpoint>((cb) => pipeline.create('WebRtcEndpoint', cb));
  const found: Array<{ sdpMid: string; sdpMLineIndex: number }> = [];
  endpoint.on('IceCandidateFound', (event) => {
    found.push({ sdpMid: event.candidate.sdpMid, sdpMLineIndex: event.candidate.sdpMLineIndex });
    void peer.addRemoteCandidate(event.candidate).catch(() => undefined);
  });
  const offer = await peer.createOffer();
  assert.ok(!/a=mid:/.test(offer) && !/a=group:/.test(offer), 'the offer has no mids and no BUNDLE group');
  const answer = await call<string>((cb) => endpoint.processOffer(offer, cb));
  assert.ok(!/a=mid:/.test(answer), 'KMS answers a=mid only when it was offered');
  assert.ok(!/a=group:BUNDLE/.test(answer), 'no BUNDLE group without mids');
  assert.deepEqual(mLines(answer).map((line) => line.split(' ')[0]), ['m=video', 'm=audio']);
  assert.ok(mLines(answer).every((line) => line.split(' ')[1] !== '0'), 'both sections accepted');
  await peer.acceptAnswer(answer);
  await call<void>((cb) => endpoint.gatherCandidates(done(cb)));
  await call<void>((cb) => endpoint.connect(endpoint, done(cb)));
  for (const candidate of peer.candidates) void endpoint.addIceCandidate({ candidate: candidate.candidate, sdpMid: '', sdpMLineIndex: candidate.sdpMLineIndex ?? 0 });
  peer.pc.onIceCandidate.subscribe((candidate) => {
    if (candidate) void endpoint.addIceCandidate({ candidate: candidate.candidate, sdpMid: '', sdpMLineIndex: candidate.sdpMLineIndex ?? 0 });
  });
  await waitFor(() => peer.received.keyframes > 0 && peer.received.audioPackets > 20, 15000, 'video and audio back from the loopback');
  assert.ok(found.length > 0 && found.every((candidate) => candidate.sdpMid === ''), 'candidates carry an empty sdpMid, as KMS sends for sections without a=mid');
  assert.deepEqual([...new Set(found.map((candidate) => candidate.sdpMLineIndex))].sort(), [0, 1], 'candidates for each section, by index');
  await peer.close();
  await source.stop();
  await call<void>((cb) => pipeline.release(done(cb)));
});

/** An offer as `ffmpeg -sdp_file` writes it: plain RTP/AVP, no ICE, no DTLS. */
const PLAIN_RTP_OFFER = [
  'v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=No Name', 'c=IN IP4 127.0.0.1', 't=0 0', 'a=tool:libavformat 59.27.100',
  'm=video 5004 RTP/AVP 96', 'a=rtpmap:96 VP8/90000', 'm=audio 5006 RTP/AVP 97', 'a=rtpmap:97 opus/48000/2', '',
].join('\r\n');

test('a WebRtcEndpoint answers a plain RTP/AVP offer (no ICE, no DTLS) with every section rejected: port 0, the offered protocol and formats', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [endpoint] = await create<WebRtcEndpoint>((cb) => pipeline.create('WebRtcEndpoint', cb));
  const answer = await call<string>((cb) => endpoint.processOffer(PLAIN_RTP_OFFER, cb));
  assert.deepEqual(mLines(answer), ['m=video 0 RTP/AVP 96', 'm=audio 0 RTP/AVP 97']);
  assert.match(answer, /^v=0\r\n/);
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('an Android-style offer (old Chrome: RTP/SAVPF with a=crypto, mids audio/video/data, plan-b SSRCs, DTLS/SCTP 5000) is answered as KMS answers it', async () => {
  const ufrag = 'a1b2';
  const pwd = 'c3d4e5f6g7h8i9j0k1l2m3n4';
  const fingerprint = 'sha-256 5E:0D:7B:2A:39:F4:11:2C:6F:C8:3D:7E:1B:97:A4:E3:99:42:11:70:0A:5B:9C:DE:77:64:3A:2B:19:08:CD:EF';
  const transport = ['c=IN IP4 0.0.0.0', `a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`, 'a=ice-options:google-ice', `a=fingerprint:${fingerprint}`, 'a=setup:actpass'];
  const crypto = 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:hmR6cEWw3mdVdo+LyIvJw2tNexpfL7RI9h3vFWXI';
  const offer = [
    'v=0', 'o=- 6281329392458187271 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE audio video data', 'a=msid-semantic: WMS ARDAMS',
    'm=audio 1 RTP/SAVPF 111 103 9 102 0 8 106 105 13 127 126', ...transport, 'a=rtcp:1 IN IP4 0.0.0.0', 'a=mid:audio',
    'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level', 'a=sendrecv', 'a=rtcp-mux', crypto,
    'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10; useinbandfec=1', 'a=rtpmap:103 ISAC/16000', 'a=rtpmap:9 G722/8000', 'a=rtpmap:102 ILBC/8000',
    'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:106 CN/32000', 'a=rtpmap:105 CN/16000', 'a=rtpmap:13 CN/8000', 'a=rtpmap:127 red/8000',
    'a=rtpmap:126 telephone-event/8000', 'a=maxptime:60',
    'a=ssrc:3591733574 cname:oHGkqK2QwPWHDQqj', 'a=ssrc:3591733574 msid:ARDAMS ARDAMSa0', 'a=ssrc:3591733574 mslabel:ARDAMS', 'a=ssrc:3591733574 label:ARDAMSa0',
    'm=video 1 RTP/SAVPF 100 116 117 96', ...transport, 'a=rtcp:1 IN IP4 0.0.0.0', 'a=mid:video',
    'a=extmap:2 urn:ietf:params:rtp-hdrext:toffset', 'a=extmap:4 urn:3gpp:video-orientation', 'a=sendrecv', 'a=rtcp-mux', crypto,
    'a=rtpmap:100 VP8/90000', 'a=rtcp-fb:100 ccm fir', 'a=rtcp-fb:100 nack', 'a=rtcp-fb:100 nack pli', 'a=rtcp-fb:100 goog-remb',
    'a=rtpmap:116 red/90000', 'a=rtpmap:117 ulpfec/90000', 'a=rtpmap:96 rtx/90000', 'a=fmtp:96 apt=100',
    'a=ssrc-group:FID 2231627014 632943048', 'a=ssrc:2231627014 cname:oHGkqK2QwPWHDQqj', 'a=ssrc:2231627014 msid:ARDAMS ARDAMSv0',
    'a=ssrc:632943048 cname:oHGkqK2QwPWHDQqj', 'a=ssrc:632943048 msid:ARDAMS ARDAMSv0',
    'm=application 1 DTLS/SCTP 5000', ...transport, 'a=mid:data', 'a=sctpmap:5000 webrtc-datachannel 1024', '',
  ].join('\r\n');
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [endpoint] = await create<WebRtcEndpoint>((cb) => pipeline.create('WebRtcEndpoint', cb));
  const answer = await call<string>((cb) => endpoint.processOffer(offer, cb));
  const lines = mLines(answer);
  assert.match(lines[0] ?? '', /^m=audio [1-9]\d* RTP\/SAVPF 111$/, 'audio accepted in the offered protocol, Opus first');
  assert.match(lines[1] ?? '', /^m=video [1-9]\d* RTP\/SAVPF 100$/, 'video accepted, VP8');
  assert.equal(lines[2], 'm=application 0 DTLS/SCTP 5000', 'data rejected without useDataChannels: offered protocol and format kept');
  assert.match(answer, /a=group:BUNDLE audio video\r\n/, 'the rejected section leaves the BUNDLE group');
  const mids = answer.split('\r\n').filter((line) => line.startsWith('a=mid:'));
  assert.deepEqual(mids, ['a=mid:audio', 'a=mid:video', 'a=mid:data']);
  assert.match(answer, /a=setup:active/, 'DTLS client, as KMS answers actpass');
  await call<void>((cb) => pipeline.release(done(cb)));
});

// Divergence 1: recording to an http(s) URI ----------------------------------------------------------------------------

interface Received {
  headers: Record<string, string | string[] | undefined>;
  /** Bytes received, with when they arrived. */
  chunks: Array<{ at: number; bytes: number }>;
  body: Buffer;
  ended: boolean;
}

/** A local HTTP server taking uploads, answering `status` (at once for an error, at the end of the body otherwise). */
async function uploadServer(status: number): Promise<{ url: string; uploads: Received[]; close: () => Promise<void> }> {
  const uploads: Received[] = [];
  const server = createServer((req, res) => {
    const upload: Received = { headers: req.headers, chunks: [], body: Buffer.alloc(0), ended: false };
    uploads.push(upload);
    if (status >= 300) {
      res.writeHead(status, { Connection: 'close' }).end('refused\n');
      req.resume();
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      upload.chunks.push({ at: Date.now(), bytes: chunk.length });
    });
    req.on('end', () => {
      upload.body = Buffer.concat(parts);
      upload.ended = true;
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    uploads,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

test('a RecorderEndpoint with an http URI uploads the recording while it records: one chunked POST, credentials from the URI, a playable WebM', async () => {
  const server = await uploadServer(201);
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const source = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 300_000, gop: 30 });
  await source.start();
  const peer = new WeriftPeer();
  peer.sendFrom(source);
  const endpoint = await negotiate(pipeline, peer);
  const uri = `${server.url.replace('http://', 'http://alice:s%3Acret@')}/recordings/call.webm`;
  const [recorder] = await create<RecorderEndpoint>((cb) => pipeline.create('RecorderEndpoint', { uri, mediaProfile: 'WEBM' }, cb));
  const events: string[] = [];
  for (const name of ['Recording', 'Stopped'] as const) recorder.on(name, () => events.push(name));
  recorder.on('Error', (event) => events.push(`Error ${event.type}`));
  await call<void>((cb) => endpoint.connect(recorder, done(cb)));
  await call<void>((cb) => recorder.record(done(cb)));
  await waitFor(() => (server.uploads[0]?.chunks.length ?? 0) > 2, 10000, 'bytes at the server while recording');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const beforeStop = server.uploads[0]?.chunks.reduce((sum, chunk) => sum + chunk.bytes, 0) ?? 0;
  assert.ok(beforeStop > 10_000, `${beforeStop} bytes uploaded before stop`);
  assert.equal(server.uploads[0]?.ended, false, 'the request is still open while recording');
  await call<void>((cb) => recorder.stopAndWait(done(cb)));
  const upload = server.uploads[0];
  assert.ok(upload?.ended, 'stopAndWait returns once the upload is complete');
  assert.equal(server.uploads.length, 1, 'one POST');
  assert.equal(upload.headers['transfer-encoding'], 'chunked');
  assert.equal(upload.headers['content-type'], 'video/webm');
  assert.equal(upload.headers.authorization, `Basic ${Buffer.from('alice:s:cret').toString('base64')}`);
  const file = path.join(os.tmpdir(), `uploaded-${process.pid}.webm`);
  writeFileSync(file, upload.body);
  const info = await probe(file);
  rmSync(file, { force: true });
  assert.equal(info.video?.codec, 'vp8');
  assert.equal(info.audio?.codec, 'opus');
  assert.deepEqual(events, ['Recording', 'Stopped']);
  await peer.close();
  await source.stop();
  await server.close();
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('an upload the server refuses raises Error RESOURCE_ERROR_WRITE (errorCode 10, curlhttpsink\'s "HTTP response error code")', async () => {
  const server = await uploadServer(403);
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const source = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 300_000, gop: 30 });
  await source.start();
  const peer = new WeriftPeer();
  peer.sendFrom(source);
  const endpoint = await negotiate(pipeline, peer);
  const [recorder] = await create<RecorderEndpoint>((cb) => pipeline.create('RecorderEndpoint', { uri: `${server.url}/forbidden.webm`, mediaProfile: 'WEBM' }, cb));
  const errors: Array<{ type: string; errorCode: number; description: string }> = [];
  recorder.on('Error', (event) => errors.push({ type: event.type, errorCode: event.errorCode, description: event.description }));
  await call<void>((cb) => endpoint.connect(recorder, done(cb)));
  await call<void>((cb) => recorder.record(done(cb)));
  await waitFor(() => errors.length > 0, 10000, 'the Error event');
  assert.equal(errors[0]?.type, 'RESOURCE_ERROR_WRITE');
  assert.equal(errors[0]?.errorCode, 10);
  assert.match(errors[0]?.description ?? '', /HTTP response error code: 403/);
  await peer.close();
  await source.stop();
  await server.close();
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('a KMS reachable from the network does not upload recordings to private addresses (the players\' rule): Error RESOURCE_ERROR_WRITE, nothing sent', async () => {
  const server = await uploadServer(201);
  const networkKms = await startKms({ reach: 'network' });
  const other = await call<KurentoClient>((cb) => kurentoClient(networkKms.url, { failAfter: 2 }, cb));
  const clip = path.join(networkKms.config.mediaDirectory, `upload-source-${process.pid}.webm`);
  const made = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=15:duration=3', '-c:v', 'libvpx', '-deadline', 'realtime', clip]);
  assert.equal(made.status, 0, String(made.stderr));
  try {
    const [pipeline] = await create<MediaPipeline>((cb) => other.create('MediaPipeline', cb));
    const [player] = await create<PlayerEndpoint>((cb) => pipeline.create('PlayerEndpoint', { uri: `file://${clip}` }, cb));
    const [recorder] = await create<RecorderEndpoint>((cb) => pipeline.create('RecorderEndpoint', { uri: `${server.url}/private.webm`, mediaProfile: 'WEBM_VIDEO_ONLY' }, cb));
    const errors: Array<{ type: string; description: string }> = [];
    recorder.on('Error', (event) => errors.push({ type: event.type, description: event.description }));
    await call<void>((cb) => player.connect(recorder, done(cb)));
    await call<void>((cb) => player.play(done(cb)));
    await call<void>((cb) => recorder.record(done(cb)));
    await waitFor(() => errors.length > 0, 10000, 'the Error event');
    assert.equal(errors[0]?.type, 'RESOURCE_ERROR_WRITE');
    assert.match(errors[0]?.description ?? '', /127\.0\.0\.1 is loopback, link-local or private/);
    assert.equal(server.uploads.length, 0, 'no request reached the server');
    await call<void>((cb) => pipeline.release(done(cb)));
  } finally {
    rmSync(clip, { force: true });
    other.close();
    await networkKms.stop();
    await server.close();
  }
});

// Divergence 3: setVideoFormat / setAudioFormat ----------------------------------------------------------------------

test('setVideoFormat(H264, 15/1) on a VP8 30 fps source: its output is re-encoded, an H.264-only peer gets ~15 fps, TRANSCODING is raised on it', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const source = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 300_000, gop: 30, audio: false });
  await source.start();
  const sender = new WeriftPeer();
  sender.sendFrom(source);
  const from = await negotiate(pipeline, sender);
  const receiver = new WeriftPeer({ h264Only: true });
  const timestamps = new Set<number>();
  receiver.pc.onTrack.subscribe((track) => {
    if (track.kind === 'video') track.onReceiveRtp.subscribe((packet) => void timestamps.add(packet.header.timestamp));
  });
  const to = await negotiate(pipeline, receiver);
  const states: string[] = [];
  from.on('MediaTranscodingStateChanged', (event) => states.push(`${event.mediaType} ${event.state}`));
  await call<void>((cb) => from.setVideoFormat({ codec: 'H264', framerate: { numerator: 15, denominator: 1 } } as never, done(cb)));
  await call<void>((cb) => from.connect(to, 'VIDEO', done(cb)));
  await waitFor(() => timestamps.size > 20, 20000, 'H.264 at the receiver');
  const start = timestamps.size;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const fps = (timestamps.size - start) / 2;
  assert.ok(fps >= 11 && fps <= 19, `${fps} frames per second received (15 asked, 30 sent)`);
  assert.deepEqual(states, ['VIDEO TRANSCODING'], 'the element whose format was set transcodes; the sink takes it as it is');
  assert.equal(await call<boolean>((cb) => from.isMediaTranscoding('VIDEO', cb)), true);
  await Promise.all([sender.close(), receiver.close()]);
  await source.stop();
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('setVideoFormat with the codec and rate the input has passes it as it is (NOT_TRANSCODING); setAudioFormat(PCMU) re-encodes Opus for a plain RTP peer; unknown codecs answer 40107', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const source = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 300_000, gop: 30 });
  await source.start();
  const sender = new WeriftPeer();
  sender.sendFrom(source);
  const from = await negotiate(pipeline, sender);
  const states: string[] = [];
  from.on('MediaTranscodingStateChanged', (event) => states.push(`${event.mediaType} ${event.state}`));
  await call<void>((cb) => from.setVideoFormat({ codec: 'VP8', framerate: { numerator: 30, denominator: 1 } } as never, done(cb)));
  await call<void>((cb) => from.setAudioFormat({ codec: 'PCMU', bitrate: 64000 } as never, done(cb)));
  // A plain RTP peer that takes PCMU audio (payload type 0) and VP8 video, on this test's own sockets.
  const audio = createSocket('udp4');
  const video = createSocket('udp4');
  const packets = { audio: [] as Buffer[], video: 0 };
  audio.on('message', (data) => packets.audio.push(data));
  video.on('message', () => void (packets.video += 1));
  await Promise.all([new Promise<void>((resolve) => audio.bind(0, '127.0.0.1', () => resolve())), new Promise<void>((resolve) => video.bind(0, '127.0.0.1', () => resolve()))]);
  const [rtp] = await create<RtpEndpoint>((cb) => pipeline.create('RtpEndpoint', cb));
  await call<string>((cb) =>
    rtp.processOffer(
      ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${audio.address().port} RTP/AVP 0`, 'a=recvonly', `m=video ${video.address().port} RTP/AVP 96`, 'a=rtpmap:96 VP8/90000', 'a=recvonly', ''].join('\r\n'),
      cb,
    ),
  );
  await call<void>((cb) => from.connect(rtp, done(cb)));
  await waitFor(() => packets.audio.length > 25 && packets.video > 30, 20000, 'PCMU audio and VP8 video at the RTP peer');
  const first = packets.audio[packets.audio.length - 1] ?? Buffer.alloc(0);
  assert.equal((first[1] ?? 0) & 0x7f, 0, 'payload type 0 (PCMU)');
  assert.equal(first.length - 12, 160, '20 ms of G.711 at 8 kHz per packet');
  await waitFor(() => states.includes('VIDEO NOT_TRANSCODING'), 5000, 'the video decision');
  assert.ok(states.includes('AUDIO TRANSCODING'), states.join());
  assert.ok(!states.includes('VIDEO TRANSCODING'), 'VP8 at 30 fps asked of VP8 at 30 fps: passed as it is');
  const refused = await call<void>((cb) => from.setVideoFormat({ codec: 'RAW', framerate: { numerator: 30, denominator: 1 } } as never, done(cb))).then(
    () => 0,
    (error: { code?: number }) => error.code,
  );
  assert.equal(refused, 40107);
  audio.close();
  video.close();
  await sender.close();
  await source.stop();
  await call<void>((cb) => pipeline.release(done(cb)));
});
