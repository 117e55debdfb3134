/**
 * The unmodified kurento-client 7.3 in Node against the embedded KMS: the hello-world loopback with a werift peer in
 * the browser's role (real VP8 and Opus from ffmpeg; the media must really come back), the documented event order,
 * reconnection into the same session, and two clients sharing one pipeline.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import kurentoClient, { type KurentoClient, type MediaPipeline, type WebRtcEndpoint } from 'kurento-client';
import type { KmsServer } from '../../server/kms/server';
import { startKms } from '../helpers/kms';
import { RtpSource } from '../helpers/rtp-source';
import { WeriftPeer, waitFor } from '../helpers/werift-peer';
import { call } from '../../core/kurento';
import { SequenceMatcher } from '../../labs/framework/sequence';
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from '../../labs/framework/expectations';
import type { LabEvent } from '../../labs/framework/types';

let kms: KmsServer;
let source: RtpSource;

before(async () => {
  kms = await startKms();
  source = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 400_000, gop: 30 });
  await source.start();
});

after(async () => {
  await source.stop();
  await kms.stop();
});

async function connect(): Promise<KurentoClient> {
  return call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
}

const EVENTS = [
  'IceCandidateFound',
  'IceGatheringDone',
  'IceComponentStateChanged',
  'NewCandidatePairSelected',
  'DtlsConnectionStateChange',
  'ConnectionStateChanged',
  'MediaStateChanged',
  'MediaFlowInStateChanged',
  'MediaFlowOutStateChanged',
  'MediaTranscodingStateChanged',
  'MediaSessionStarted',
  'ElementConnected',
] as const;

/** Hello world as the browser-only tutorial does it, with a werift peer for the browser. */
async function loopback(client: KurentoClient, peer: WeriftPeer, events: LabEvent[], started: number): Promise<{ pipeline: MediaPipeline; endpoint: WebRtcEndpoint }> {
  const pipeline = await call<MediaPipeline>((done) => client.create('MediaPipeline', done));
  const endpoint = await call<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
  for (const name of EVENTS) {
    (endpoint as unknown as { on(event: string, listener: (data: Record<string, unknown>) => void): void }).on(name, (data) =>
      events.push({ t: Date.now() - started, lane: 'kms', source: 'webRtcEndpoint', type: name, data }),
    );
  }
  endpoint.on('IceCandidateFound', (event) => void peer.addRemoteCandidate(event.candidate));
  peer.pc.onIceCandidate.subscribe((candidate) => {
    if (candidate) endpoint.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? '0', sdpMLineIndex: candidate.sdpMLineIndex ?? 0 });
  });
  const offer = await peer.createOffer();
  const answer = await call<string>((done) => endpoint.processOffer(offer, done));
  await peer.acceptAnswer(answer);
  await call<void>((done) => endpoint.gatherCandidates((error: unknown) => done(error, undefined)));
  await call<void>((done) => endpoint.connect(endpoint, (error: unknown) => done(error, undefined)));
  for (const candidate of peer.candidates) {
    endpoint.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? '0', sdpMLineIndex: candidate.sdpMLineIndex ?? 0 });
  }
  return { pipeline, endpoint };
}

test('hello world loopback: real VP8/Opus comes back, events follow the documented order', async () => {
  const client = await connect();
  const peer = new WeriftPeer();
  peer.sendFrom(source);
  const events: LabEvent[] = [];
  const started = Date.now();
  const { pipeline, endpoint } = await loopback(client, peer, events, started);

  await waitFor(() => peer.received.keyframes >= 1 && peer.received.videoFrames >= 30 && peer.received.audioPackets >= 50, 15000, 'media back from KMS');
  assert.equal(peer.received.sequenceGaps, 0, 'the returned video stream has no sequence gaps');
  assert.equal(peer.received.ssrcs.size, 2, 'one SSRC per returned stream');

  const expected = [...WEBRTC_ICE_EXPECTATIONS('webRtcEndpoint', { ready: 'required' }), ...flowExpectations('webRtcEndpoint', ['AUDIO', 'VIDEO'], { direction: 'both' })];
  await waitFor(
    () => {
      const matcher = new SequenceMatcher(expected);
      for (const event of events) matcher.observe(event);
      return matcher.complete;
    },
    10000,
    'the documented sequence',
  ).catch((error: unknown) => {
    // Name what never came, and what did, so that a failure says which event KMS did not raise.
    const matcher = new SequenceMatcher(expected);
    for (const event of events) matcher.observe(event);
    const missing = matcher.all.filter((state) => state.status !== 'seen' && state.expectation.optional !== true).map((state) => state.expectation.id);
    const seen = events.map((event) => `${event.type}${event.data.state !== undefined ? ` ${String(event.data.state)}` : ''}${event.data.mediaType !== undefined ? ` ${String(event.data.mediaType)}` : ''}`);
    throw new Error(`${(error as Error).message}: missing ${missing.join(', ')}; events: ${seen.join(' | ')}`);
  });
  const matcher = new SequenceMatcher(expected);
  for (const event of events) matcher.observe(event);
  assert.deepEqual(matcher.all.filter((state) => state.outOfOrder > 0).map((state) => state.expectation.id), [], 'no event before its prerequisites');

  const types = events.map((event) => event.type);
  assert.equal(types.filter((type) => type === 'ElementConnected').length, 3, 'connect(self) links AUDIO, VIDEO and DATA');
  assert.ok(types.includes('MediaSessionStarted'));
  const states = events.filter((event) => event.type === 'IceComponentStateChanged').map((event) => event.data.state);
  assert.deepEqual(states, ['GATHERING', 'CONNECTING', 'CONNECTED', 'READY']);
  const candidate = events.find((event) => event.type === 'IceCandidateFound')?.data.candidate as Record<string, unknown>;
  assert.equal(candidate.__module__, 'kurento');
  assert.equal(candidate.__type__, 'IceCandidate');
  assert.match(String(candidate.candidate), /^candidate:\S+ 1 udp \d+ [\d.]+ \d+ typ host/);
  const pair = events.find((event) => event.type === 'NewCandidatePairSelected')?.data.candidatePair as Record<string, unknown>;
  assert.equal(pair.streamId, '1');
  assert.equal(pair.componentId, 1);
  await waitFor(() => events.some((event) => event.type === 'MediaStateChanged' && event.data.newState === 'CONNECTED'), 10000, 'MediaStateChanged CONNECTED (RTCP)');
  const transcoding = events.filter((event) => event.type === 'MediaTranscodingStateChanged').map((event) => `${event.data.mediaType} ${event.data.state}`);
  assert.deepEqual(transcoding.sort(), ['AUDIO NOT_TRANSCODING', 'VIDEO NOT_TRANSCODING']);

  // The endpoint reports what flows through it.
  assert.equal(await call<boolean>((done) => endpoint.isMediaFlowingIn('VIDEO', done)), true);
  const stats = await call<Record<string, object>>((done) => endpoint.getStats('VIDEO', done));
  const entries = Object.values(stats) as Array<Record<string, unknown>>;
  const inbound = entries.find((entry) => entry.type === 'inboundrtp');
  const outbound = entries.find((entry) => entry.type === 'outboundrtp');
  assert.ok(Number(inbound?.packetsReceived) > 30, 'inboundrtp counts real packets');
  assert.ok(Number(outbound?.packetsSent) > 30, 'outboundrtp counts real packets');
  const dot = await call<string>((done) => pipeline.getGstreamerDot(done));
  assert.match(dot, /^digraph/);
  assert.match(dot, /src_VIDEO" -> ".*sink_VIDEO" \[color=green/);

  // The browser stops sending: NOT_FLOWING about 2-4 s later, as KMS.
  await peer.close();
  await waitFor(() => events.some((event) => event.type === 'MediaFlowInStateChanged' && event.data.state === 'NOT_FLOWING'), 8000, 'NOT_FLOWING after media stops');

  await call<void>((done) => pipeline.release((error: unknown) => done(error, undefined)));
  client.close();
});

test('ElementConnected: three events (AUDIO, VIDEO, DATA) for a plain connect', async () => {
  const client = await connect();
  const pipeline = await call<MediaPipeline>((done) => client.create('MediaPipeline', done));
  const endpoint = await call<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
  const seen: string[] = [];
  endpoint.on('ElementConnected', (event) => seen.push(String(event.mediaType)));
  await call<void>((done) => endpoint.connect(endpoint, (error: unknown) => done(error, undefined)));
  await waitFor(() => seen.length === 3, 2000, 'three ElementConnected');
  assert.deepEqual(seen, ['AUDIO', 'VIDEO', 'DATA']);
  await call<void>((done) => pipeline.release((error: unknown) => done(error, undefined)));
  client.close();
});

test('a dropped socket reconnects into the same session and keeps its objects', async () => {
  const client = await connect();
  const pipeline = await call<MediaPipeline>((done) => client.create('MediaPipeline', done));
  const session = kms.sessions.all().find((candidate) => candidate.refs.has(pipeline.id));
  assert.ok(session?.connection, 'the pipeline belongs to a connected session');
  const reconnected = new Promise<boolean>((resolve) => client.on('reconnected', (same: boolean) => resolve(same)));
  // Drop the connection under the client (what a network hiccup does).
  (session.connection as unknown as { close(code: number, reason: string): void }).close(4000, 'test drop');
  assert.equal(await reconnected, true, 'the server knew the session');
  const endpoint = await call<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
  assert.ok(endpoint.id.startsWith(pipeline.id));
  assert.ok(session.refs.has(endpoint.id), 'the new endpoint belongs to the same session');
  await call<void>((done) => pipeline.release((error: unknown) => done(error, undefined)));
  client.close();
});

test('two clients share one pipeline: one creates, the other finds it by id and connects elements', async () => {
  const first = await connect();
  const second = await connect();
  const pipeline = await call<MediaPipeline>((done) => first.create('MediaPipeline', done));
  const found = (await call((done) => second.getMediaobjectById(pipeline.id, done))) as MediaPipeline;
  assert.equal(found.id, pipeline.id);
  const a = await call<WebRtcEndpoint>((done) => found.create('WebRtcEndpoint', done));
  const b = await call<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
  const connected: string[] = [];
  b.on('ElementConnected', (event) => connected.push(String(event.mediaType)));
  const bSeenByFirst = (await call((done) => first.getMediaobjectById(b.id, done))) as WebRtcEndpoint;
  await call<void>((done) => bSeenByFirst.connect(a, 'VIDEO', (error: unknown) => done(error, undefined)));
  await waitFor(() => connected.length === 1, 2000, 'ElementConnected seen by the client that subscribed');
  const sinks = await call<Array<{ sink: { id: string } | string }>>((done) => b.getSinkConnections(done));
  assert.equal(sinks.length, 1);
  await call<void>((done) => pipeline.release((error: unknown) => done(error, undefined)));
  first.close();
  second.close();
});

/** The candidates a KMS gathers for one offer, until IceGatheringDone. */
async function gatheredBy(server: KmsServer): Promise<string[]> {
  const client = await call<KurentoClient>((done) => kurentoClient(server.url, { failAfter: 2 }, done));
  const peer = new WeriftPeer();
  try {
    const pipeline = await call<MediaPipeline>((done) => client.create('MediaPipeline', done));
    const endpoint = await call<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
    const candidates: string[] = [];
    let done = false;
    endpoint.on('IceCandidateFound', (event) => candidates.push(event.candidate.candidate));
    endpoint.on('IceGatheringDone', () => void (done = true));
    const offer = await peer.createOffer();
    const answer = await call<string>((cb) => endpoint.processOffer(offer, cb));
    assert.ok(answer.startsWith('v=0'));
    await call<void>((cb) => endpoint.gatherCandidates((error: unknown) => cb(error, undefined)));
    await waitFor(() => done, 5000, 'IceGatheringDone');
    await call<void>((cb) => pipeline.release((error: unknown) => cb(error, undefined)));
    return candidates;
  } finally {
    await peer.close();
    client.close();
  }
}

const external = Object.entries(os.networkInterfaces()).flatMap(([name, infos]) =>
  (infos ?? []).filter((info) => info.family === 'IPv4' && !info.internal).map((info) => ({ name, address: info.address })),
)[0];

test('networkInterfaces limits host candidates to the named interface; iceTcp adds passive TCP candidates', async (t) => {
  const hostOf = (candidate: string): string => candidate.split(' ')[4] ?? '';
  const everything = await gatheredBy(kms);
  assert.ok(everything.some((c) => hostOf(c) === '127.0.0.1'), 'by default loopback is among the host candidates');
  assert.ok(everything.every((c) => / udp /i.test(c)), 'by default (iceTcp false) UDP only');
  if (!external) {
    t.diagnostic('this machine has no non-loopback IPv4 interface; the networkInterfaces half is not checked');
  } else {
    const limited = await startKms({ networkInterfaces: external.name });
    try {
      const only = await gatheredBy(limited);
      assert.ok(only.length > 0);
      assert.deepEqual([...new Set(only.map(hostOf))], [external.address], `only ${external.name}'s address`);
    } finally {
      await limited.stop();
    }
  }
  const tcp = await startKms({ iceTcp: true });
  try {
    const both = await gatheredBy(tcp);
    assert.ok(both.some((c) => / tcp .* typ host tcptype passive/i.test(c)), `a passive TCP host candidate among ${both.join(' | ')}`);
    assert.ok(both.some((c) => / udp /i.test(c)));
  } finally {
    await tcp.stop();
  }
});
