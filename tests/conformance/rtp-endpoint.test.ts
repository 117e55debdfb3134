/**
 * RtpEndpoint with real media, driven by kurento-client 7.3: ffmpeg sends plain RTP (and SRTP with SDES keys) to the
 * ports of the endpoint's SDP answer and the media reaches a WebRtcEndpoint's werift peer; the endpoint's own offer
 * lets ffmpeg receive (through an SDP file) and record. Answers to offers it cannot take, and bad keys, as KMS gives.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import kurentoClient, { type KurentoClient, type MediaPipeline, type RtpEndpoint } from 'kurento-client';
import { call, create } from '../../core/kurento';
import { freeRtpPort, probe } from '../../server/kms/media/ffmpeg/worker';
import type { KmsServer } from '../../server/kms/server';
import { startKms } from '../helpers/kms';
import { RtpSource } from '../helpers/rtp-source';
import { WeriftPeer, negotiate, waitFor } from '../helpers/werift-peer';

let kms: KmsServer;
let client: KurentoClient;
let dir: string;
const children: ChildProcess[] = [];

before(async () => {
  kms = await startKms();
  client = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
  dir = mkdtempSync(path.join(os.tmpdir(), 'rtp-endpoint-'));
});

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  client.close();
  await kms.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The SDES complex type as kurento-client builds it (it checks the constructor parameter's type). */
const sdes = (value: { crypto: string; key?: string; keyBase64?: string }) => kurentoClient.getComplexType('SDES')(value as never);

const done = (callback: (error: unknown, value: undefined) => void) => (error: unknown) => callback(error, undefined);

interface Section {
  kind: string;
  port: number;
  proto: string;
  formats: string[];
  lines: string[];
}

function sections(sdp: string): Section[] {
  const result: Section[] = [];
  for (const line of sdp.split(/\r?\n/).filter(Boolean)) {
    if (line.startsWith('m=')) {
      const [kind = '', port = '0', proto = '', ...formats] = line.slice(2).split(' ');
      result.push({ kind, port: Number(port), proto, formats, lines: [] });
    } else {
      result.at(-1)?.lines.push(line);
    }
  }
  return result;
}

function ffmpeg(args: string[]): ChildProcess {
  const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostats', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  children.push(child);
  return child;
}

/** ffmpeg encoding a test pattern and a tone, sending VP8 (PT 96) and Opus (PT 97) to the given RTP ports. */
function ffmpegSender(video: { url: string; extra?: string[] }, audio: { url: string; extra?: string[] }): ChildProcess {
  return ffmpeg([
    '-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-map', '0:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-threads', '1', '-b:v', '300k', '-g', '30', '-auto-alt-ref', '0',
    '-payload_type', '96', '-ssrc', '4242', ...(video.extra ?? []), '-f', 'rtp', video.url,
    '-map', '1:a', '-c:a', 'libopus', '-b:a', '32k', '-payload_type', '97', '-ssrc', '4343', ...(audio.extra ?? []), '-f', 'rtp', audio.url,
  ]);
}

async function viewer(pipeline: MediaPipeline): Promise<{ peer: WeriftPeer; endpoint: Awaited<ReturnType<typeof negotiate>> }> {
  const peer = new WeriftPeer();
  const endpoint = await negotiate(pipeline, peer);
  return { peer, endpoint };
}

test('ffmpeg → RtpEndpoint → WebRtcEndpoint: KMS\' answer to plain RTP/AVP, VP8 and Opus reach the browser peer, with the events of KMS', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [rtp] = await create<RtpEndpoint>((cb) => pipeline.create('RtpEndpoint', cb));
  const events: string[] = [];
  rtp.on('ConnectionStateChanged', (event) => events.push(`ConnectionStateChanged ${event.newState}`));
  rtp.on('MediaStateChanged', (event) => events.push(`MediaStateChanged ${event.newState}`));
  rtp.on('MediaSessionStarted', () => events.push('MediaSessionStarted'));
  rtp.on('MediaFlowOutStateChanged', (event) => events.push(`MediaFlowOut ${event.mediaType} ${event.state}`));
  const { peer, endpoint } = await viewer(pipeline);
  await call<void>((cb) => rtp.connect(endpoint, done(cb)));
  const offer = [
    'v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=ffmpeg', 'c=IN IP4 127.0.0.1', 't=0 0',
    'm=video 5004 RTP/AVP 96', 'a=rtpmap:96 VP8/90000', 'a=sendonly',
    'm=audio 5006 RTP/AVP 97', 'a=rtpmap:97 opus/48000/2', 'a=sendonly', '',
  ].join('\r\n');
  const answer = await call<string>((cb) => rtp.processOffer(offer, cb));
  assert.match(answer, /^v=0\r\no=- \d+ \d+ IN IP4 127\.0\.0\.1\r\ns=Kurento Media Server\r\nc=IN IP4 127\.0\.0\.1\r\nt=0 0\r\n/, 'KMS\' session lines; loopback only');
  const [video, audio] = sections(answer);
  assert.ok(video && audio);
  assert.equal(video.proto, 'RTP/AVP', 'answered in the offered protocol');
  assert.deepEqual(video.formats, ['96']);
  assert.equal(video.port % 2, 0, 'RTP on an even port');
  assert.ok(video.lines.includes('a=recvonly'), 'sendonly offered → recvonly answered');
  assert.ok(video.lines.includes(`a=rtcp:${video.port + 1}`), 'RTCP on the next port');
  assert.ok(video.lines.includes('a=rtpmap:96 VP8/90000'));
  assert.ok(!video.lines.some((line) => line.startsWith('a=rtcp-fb')), 'no feedback attributes answered to RTP/AVP');
  assert.ok(audio.lines.includes('a=rtpmap:97 opus/48000/2'));
  assert.ok(!/a=(ice-|fingerprint|setup|mid)/.test(answer), 'no ICE, no DTLS, no mid');
  assert.deepEqual(events, ['ConnectionStateChanged CONNECTED', 'MediaSessionStarted'], 'connected as soon as negotiated, as KMS\' RTP connections are');
  ffmpegSender({ url: `rtp://127.0.0.1:${video.port}?rtcpport=${video.port + 1}&pkt_size=1200` }, { url: `rtp://127.0.0.1:${audio.port}?rtcpport=${audio.port + 1}` });
  await waitFor(() => peer.received.keyframes > 0 && peer.received.audioPackets > 25, 15000, 'VP8 and Opus at the WebRTC peer');
  await waitFor(() => events.includes('MediaStateChanged CONNECTED'), 5000, 'MediaStateChanged with ffmpeg\'s RTCP');
  assert.ok(events.includes('MediaFlowOut VIDEO FLOWING') && events.includes('MediaFlowOut AUDIO FLOWING'));
  const stats = await call<Record<string, { type: string; packetsReceived?: number }>>((cb) => rtp.getStats('VIDEO', cb));
  assert.ok(Object.values(stats).some((entry) => entry.type === 'inboundrtp' && (entry.packetsReceived ?? 0) > 10), 'inbound RTP stats');
  await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('WebRtcEndpoint → RtpEndpoint: its generateOffer (RTP/AVPF) lets ffmpeg receive through an SDP file and record VP8 + Opus', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const source = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 300_000, gop: 30 });
  await source.start();
  const sender = new WeriftPeer();
  sender.sendFrom(source);
  const endpoint = await negotiate(pipeline, sender);
  const [rtp] = await create<RtpEndpoint>((cb) => pipeline.create('RtpEndpoint', cb));
  await call<void>((cb) => endpoint.connect(rtp, done(cb)));
  const offer = await call<string>((cb) => rtp.generateOffer(cb));
  const [audio, video] = sections(offer);
  assert.ok(audio && video);
  assert.deepEqual([audio.kind, audio.proto, video.kind, video.proto], ['audio', 'RTP/AVPF', 'video', 'RTP/AVPF'], 'audio then video, over RTP/AVPF');
  assert.ok(video.lines.some((line) => /^a=rtcp-fb:\d+ nack pli$/.test(line)), 'video feedback offered');
  const vp8 = video.lines.find((line) => / VP8\/90000$/.test(line))?.split(/[: ]/)[1];
  const opus = audio.lines.find((line) => / opus\/48000\/2$/.test(line))?.split(/[: ]/)[1];
  assert.ok(vp8 && opus);
  // ffmpeg's side: two ports it listens on, in an SDP file that says what arrives there; the answer tells KMS.
  const [videoPort, audioPort] = [await freeRtpPort(), await freeRtpPort()];
  const mine = (kind: string, port: number, pt: string, rtpmap: string, direction: string): string[] => [`m=${kind} ${port} RTP/AVPF ${pt}`, `a=rtpmap:${pt} ${rtpmap}`, `a=${direction}`];
  const head = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=ffmpeg', 'c=IN IP4 127.0.0.1', 't=0 0'];
  const sdpFile = path.join(dir, 'receive.sdp');
  writeFileSync(sdpFile, [...head, ...mine('audio', audioPort, opus, 'opus/48000/2', 'recvonly'), ...mine('video', videoPort, vp8, 'VP8/90000', 'recvonly'), ''].join('\r\n'));
  const output = path.join(dir, 'from-kms.webm');
  const recorder = ffmpeg(['-protocol_whitelist', 'file,udp,rtp', '-analyzeduration', '2000000', '-f', 'sdp', '-i', sdpFile, '-t', '4', '-c', 'copy', '-y', output]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const answer = [...head, ...mine('audio', audioPort, opus, 'opus/48000/2', 'recvonly'), ...mine('video', videoPort, vp8, 'VP8/90000', 'recvonly'), ''].join('\r\n');
  await call<string>((cb) => rtp.processAnswer(answer, cb));
  const [code] = (await Promise.race([once(recorder, 'exit'), new Promise((resolve) => setTimeout(() => resolve([-1]), 20000))])) as [number];
  assert.equal(code, 0, 'ffmpeg recorded and finished');
  const info = await probe(output);
  assert.equal(info.video?.codec, 'vp8');
  assert.equal(info.video?.width, 320);
  assert.equal(info.audio?.codec, 'opus');
  assert.ok((info.durationMs ?? 0) > 2000, `${info.durationMs} ms recorded`);
  await sender.close();
  await source.stop();
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('SRTP with SDES: ffmpeg sends AES_CM_128_HMAC_SHA1_80 to an RtpEndpoint made with crypto; keys go both ways in a=crypto', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const ourKey = Buffer.alloc(30, 7).toString('base64');
  const [rtp] = await create<RtpEndpoint>((cb) => pipeline.create('RtpEndpoint', { crypto: sdes({ crypto: 'AES_128_CM_HMAC_SHA1_80', keyBase64: ourKey }) }, cb));
  const { peer, endpoint } = await viewer(pipeline);
  await call<void>((cb) => rtp.connect(endpoint, done(cb)));
  const theirKey = Buffer.from('0123456789abcdefghijklmnopqrst').toString('base64');
  const offer = [
    'v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=ffmpeg', 'c=IN IP4 127.0.0.1', 't=0 0',
    'm=video 5004 RTP/SAVP 96', 'a=rtpmap:96 VP8/90000', `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${theirKey}`, 'a=sendonly',
    'm=audio 5006 RTP/AVP 97', 'a=rtpmap:97 opus/48000/2', 'a=sendonly', '',
  ].join('\r\n');
  const answer = await call<string>((cb) => rtp.processOffer(offer, cb));
  const [video, audio] = sections(answer);
  assert.ok(video && audio);
  assert.equal(video.proto, 'RTP/SAVP');
  assert.ok(video.lines.includes(`a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${ourKey}`), 'our key, with the offered tag');
  assert.equal(audio.port, 0, 'plain RTP offered to an SRTP endpoint is rejected');
  const srtp = ['-srtp_out_suite', 'AES_CM_128_HMAC_SHA1_80', '-srtp_out_params', theirKey];
  ffmpeg([
    '-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-threads', '1', '-b:v', '300k', '-g', '30',
    '-payload_type', '96', ...srtp, '-f', 'rtp', `srtp://127.0.0.1:${video.port}?rtcpport=${video.port + 1}&pkt_size=1200`,
  ]);
  await waitFor(() => peer.received.keyframes > 0, 15000, 'decrypted VP8 at the WebRTC peer');
  const wrong = await call<RtpEndpoint>((cb) => pipeline.create('RtpEndpoint', { crypto: sdes({ crypto: 'AES_256_CM_HMAC_SHA1_80', keyBase64: ourKey }) }, cb)).then(
    () => undefined,
    (error: { code?: number; message?: string }) => `${error.code} ${error.message}`,
  );
  assert.equal(wrong, '40107 Master key size is wrong', 'a 30-byte key for an AES-256 suite is refused as KMS refuses it');
  await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('an RtpEndpoint answers what it cannot take with port 0 (WebRTC profiles, unknown codecs, port 0), keeps an offered mid, and generates SAVPF offers with its key', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [rtp] = await create<RtpEndpoint>((cb) => pipeline.create('RtpEndpoint', cb));
  const offer = [
    'v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=rtpmap:111 opus/48000/2', 'a=mid:0',
    'm=video 5004 RTP/AVP 34', 'a=rtpmap:34 H263/90000',
    'm=video 5006 RTP/AVPF 96', 'a=rtpmap:96 VP8/90000', 'a=rtcp-fb:96 nack pli', 'a=rtcp-fb:96 transport-cc', 'a=mid:v',
    'm=audio 0 RTP/AVP 0', '',
  ].join('\r\n');
  const answer = await call<string>((cb) => rtp.processOffer(offer, cb));
  const lines = sections(answer);
  assert.deepEqual(lines.map((section) => `${section.kind} ${section.port === 0 ? 0 : 'port'} ${section.proto} ${section.formats.join(' ')}`), [
    'audio 0 UDP/TLS/RTP/SAVPF 111',
    'video 0 RTP/AVP 34',
    'video port RTP/AVPF 96',
    'audio 0 RTP/AVP 0',
  ]);
  assert.deepEqual(lines[0]?.lines, ['a=mid:0'], 'a rejected section keeps only its mid');
  assert.ok(lines[2]?.lines.includes('a=mid:v'), 'an offered mid is answered');
  assert.ok(lines[2]?.lines.includes('a=rtcp-fb:96 nack pli'), 'feedback over AVPF');

  const key = Buffer.alloc(46, 9);
  const [secure] = await create<RtpEndpoint>((cb) => pipeline.create('RtpEndpoint', { crypto: sdes({ crypto: 'AES_256_CM_HMAC_SHA1_32', keyBase64: key.toString('base64') }) }, cb));
  const secureOffer = await call<string>((cb) => secure.generateOffer(cb));
  for (const section of sections(secureOffer)) {
    assert.equal(section.proto, 'RTP/SAVPF');
    assert.ok(section.lines.includes(`a=crypto:1 AES_256_CM_HMAC_SHA1_32 inline:${key.toString('base64')}`));
  }
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('COMEDIA: an offer with a=direction:active is answered with a=direction:passive, and KMS learns the sender from its packets', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [rtp] = await create<RtpEndpoint>((cb) => pipeline.create('RtpEndpoint', cb));
  const { peer, endpoint } = await viewer(pipeline);
  await call<void>((cb) => rtp.connect(endpoint, done(cb)));
  const offer = ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=video 9 RTP/AVP 96', 'a=rtpmap:96 VP8/90000', 'a=sendonly', 'a=direction:active', ''].join('\r\n');
  const answer = await call<string>((cb) => rtp.processOffer(offer, cb));
  const [video] = sections(answer);
  assert.ok(video);
  assert.ok(video.lines.includes('a=direction:passive'), 'COMEDIA accepted, as KMS 7.3 answers it (the RTP receiver tutorial looks for this line)');
  ffmpeg([
    '-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-threads', '1', '-b:v', '300k', '-g', '30',
    '-payload_type', '96', '-f', 'rtp', `rtp://127.0.0.1:${video.port}?rtcpport=${video.port + 1}&pkt_size=1200`,
  ]);
  await waitFor(() => peer.received.keyframes > 0, 15000, 'VP8 from a sender KMS learnt from its first packet');
  await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
});
