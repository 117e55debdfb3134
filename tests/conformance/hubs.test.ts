/**
 * Forwarding hubs and routing on the embedded KMS, driven by kurento-client with werift peers and real VP8 from
 * ffmpeg. Two sources of different frame sizes (640x480 and 320x240) let the receivers tell which one they get,
 * from the size written in each VP8 key frame.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kurentoClient, {
  type AlphaBlending,
  type Dispatcher,
  type DispatcherOneToMany,
  type HubPort,
  type KurentoClient,
  type MediaPipeline,
  type Mixer,
  type WebRtcEndpoint,
} from 'kurento-client';
import { call, create } from '../../core/kurento';
import type { KmsServer } from '../../server/kms/server';
import { startKms } from '../helpers/kms';
import { mixFilterGraph } from '../../server/kms/media/ffmpeg/mix';
import { LavfiSource, TONES, audioProblems, colourName, leave, participant, picture, stopSources, until, type Participant } from '../helpers/mix-media';
import { RtpSource } from '../helpers/rtp-source';
import type { RTCDataChannel } from 'werift';
import { WeriftPeer, negotiate, waitFor } from '../helpers/werift-peer';

let kms: KmsServer;
let big: RtpSource;
let small: RtpSource;
let client: KurentoClient;

before(async () => {
  kms = await startKms();
  big = new RtpSource({ width: 640, height: 480, fps: 30, bitrate: 500_000, gop: 90, pattern: 'testsrc2' });
  small = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 300_000, gop: 90, pattern: 'smptebars' });
  await Promise.all([big.start(), small.start()]);
  client = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
});

after(async () => {
  client.close();
  await Promise.all([big.stop(), small.stop()]);
  await stopSources();
  await kms.stop();
});

const done = (callback: (error: unknown, value: undefined) => void) => (error: unknown) => callback(error, undefined);

/** A WebRtcEndpoint negotiated with a werift peer (sending from `source` when given). */
async function endpointWithPeer(pipeline: MediaPipeline, source?: RtpSource): Promise<{ endpoint: WebRtcEndpoint; peer: WeriftPeer }> {
  const peer = new WeriftPeer();
  if (source) peer.sendFrom(source);
  const endpoint = await negotiate(pipeline, peer);
  return { endpoint, peer };
}

function lastKeyframeWidth(peer: WeriftPeer): number | undefined {
  return peer.received.keyframeSizes.at(-1)?.width;
}

test('DispatcherOneToMany: every port receives the source; switching the source keeps the stream continuous', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [hub] = await create<DispatcherOneToMany>((cb) => pipeline.create('DispatcherOneToMany', cb));
  const a = await endpointWithPeer(pipeline, big);
  const b = await endpointWithPeer(pipeline, small);
  const viewers = await Promise.all([endpointWithPeer(pipeline), endpointWithPeer(pipeline), endpointWithPeer(pipeline)]);
  const [portA] = await create<HubPort>((cb) => hub.createHubPort(cb));
  const [portB] = await create<HubPort>((cb) => hub.createHubPort(cb));
  assert.ok(portA.id.startsWith(`${hub.id}/`), 'a HubPort is a child of its hub');
  await call<void>((cb) => a.endpoint.connect(portA, done(cb)));
  await call<void>((cb) => b.endpoint.connect(portB, done(cb)));
  const flowing: string[] = [];
  for (const [index, viewer] of viewers.entries()) {
    const [port] = await create<HubPort>((cb) => hub.createHubPort(cb));
    port.on('MediaFlowOutStateChanged', (event) => event.state === 'FLOWING' && flowing.push(`${index}:${event.mediaType}`));
    await call<void>((cb) => port.connect(viewer.endpoint, done(cb)));
  }
  await call<void>((cb) => hub.setSource(portA, done(cb)));
  await waitFor(() => viewers.every((viewer) => lastKeyframeWidth(viewer.peer) === 640), 10000, 'every viewer to get a key frame of source A');
  await waitFor(() => flowing.filter((entry) => entry.endsWith('VIDEO')).length === 3, 5000, 'MediaFlowOut VIDEO on every output port');

  const ssrcsBefore = viewers.map((viewer) => [...viewer.peer.received.ssrcs].sort().join());
  // The new source is asked for a key frame at once (a browser answers a PLI with one; ffmpeg here keeps its own
  // 3 s key frame interval, so the test checks the request itself, then waits for B's next key frame).
  b.peer.countKeyframeRequests();
  await call<void>((cb) => hub.setSource(portB, done(cb)));
  await waitFor(() => b.peer.pliReceived >= 1, 1000, 'a PLI to the new source right after the switch');
  await waitFor(() => viewers.every((viewer) => lastKeyframeWidth(viewer.peer) === 320), 10000, 'every viewer to get a key frame of source B');
  await new Promise((resolve) => setTimeout(resolve, 500));
  viewers.forEach((viewer, index) => {
    assert.equal(viewer.peer.received.sequenceGaps, 0, 'sequence numbers stay continuous across the switch');
    assert.equal(viewer.peer.received.timestampJumps, 0, 'timestamps keep advancing across the switch');
    assert.equal(viewer.peer.received.unkeyedSwitches, 0, 'the new source starts with a key frame, never a delta frame');
    assert.equal([...viewer.peer.received.ssrcs].sort().join(), ssrcsBefore[index], 'the receiver keeps seeing the same SSRCs');
  });

  await call<void>((cb) => hub.removeSource(done(cb)));
  const packets = viewers[0]?.peer.received.videoPackets ?? 0;
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.ok((viewers[0]?.peer.received.videoPackets ?? 0) - packets < 10, 'no media after removeSource');

  for (const peer of [a.peer, b.peer, ...viewers.map((viewer) => viewer.peer)]) await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('Dispatcher routes any port to any port; keyframe requests of many receivers reach the source merged', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [hub] = await create<Dispatcher>((cb) => pipeline.create('Dispatcher', cb));
  const a = await endpointWithPeer(pipeline, big);
  const b = await endpointWithPeer(pipeline, small);
  const [portA] = await create<HubPort>((cb) => hub.createHubPort(cb));
  const [portB] = await create<HubPort>((cb) => hub.createHubPort(cb));
  await call<void>((cb) => a.endpoint.connect(portA, done(cb)));
  await call<void>((cb) => b.endpoint.connect(portB, done(cb)));
  const viewers = await Promise.all([1, 2, 3, 4, 5].map(() => endpointWithPeer(pipeline)));
  const ports: HubPort[] = [];
  for (const viewer of viewers) {
    const [port] = await create<HubPort>((cb) => hub.createHubPort(cb));
    ports.push(port);
    await call<void>((cb) => port.connect(viewer.endpoint, done(cb)));
  }
  for (const [index, port] of ports.entries()) await call<void>((cb) => hub.connect(index % 2 === 0 ? portA : portB, port, done(cb)));
  await waitFor(
    () => viewers.every((viewer, index) => lastKeyframeWidth(viewer.peer) === (index % 2 === 0 ? 640 : 320)),
    10000,
    'even viewers on A, odd viewers on B',
  );
  // Five receivers ask for a key frame at once, ten times in a row: the source sees at most a few PLIs.
  a.peer.countKeyframeRequests();
  for (let round = 0; round < 10; round += 1) {
    for (const viewer of viewers) viewer.peer.requestKeyframe();
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.ok(a.peer.pliReceived >= 1, 'the requests reached the source');
  assert.ok(a.peer.pliReceived <= 2, `merged and rate-limited: ${a.peer.pliReceived} PLI for 30 requests to source A in 600 ms`);

  for (const peer of [a.peer, b.peer, ...viewers.map((viewer) => viewer.peer)]) await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('connect by media type: the audio of one source with the video of another', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const a = await endpointWithPeer(pipeline, big);
  const b = await endpointWithPeer(pipeline, small);
  const viewer = await endpointWithPeer(pipeline);
  await call<void>((cb) => a.endpoint.connect(viewer.endpoint, 'AUDIO', done(cb)));
  await call<void>((cb) => b.endpoint.connect(viewer.endpoint, 'VIDEO', done(cb)));
  await waitFor(() => lastKeyframeWidth(viewer.peer) === 320 && viewer.peer.received.audioPackets > 20, 10000, 'video of B and audio of A');
  // ElementConnectionData carries the remote objects as ids, as KMS sends them.
  const sources = await call<Array<{ source: string; type: string }>>((cb) => viewer.endpoint.getSourceConnections(cb));
  const byType = Object.fromEntries(sources.map((connection) => [connection.type, connection.source]));
  assert.equal(byType.AUDIO, a.endpoint.id);
  assert.equal(byType.VIDEO, b.endpoint.id);
  // Connecting another source to the VIDEO pad replaces the first one (ElementDisconnected on the old source).
  const disconnected: string[] = [];
  b.endpoint.on('ElementDisconnected', (event) => disconnected.push(String(event.mediaType)));
  await call<void>((cb) => a.endpoint.connect(viewer.endpoint, 'VIDEO', done(cb)));
  await waitFor(() => disconnected.includes('VIDEO'), 2000, 'ElementDisconnected VIDEO on the replaced source');
  await waitFor(() => lastKeyframeWidth(viewer.peer) === 640, 10000, 'the video of A after the replacement');
  assert.equal(viewer.peer.received.sequenceGaps, 0);
  assert.equal(viewer.peer.received.timestampJumps, 0);
  assert.equal(viewer.peer.received.unkeyedSwitches, 0, 'no delta frame of the new source before its key frame');
  for (const peer of [a.peer, b.peer, viewer.peer]) await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('connect DATA only: data-channel messages reach the sink, its audio and video do not', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const sender = new WeriftPeer({ dataChannel: true });
  sender.sendFrom(big);
  const receiver = new WeriftPeer({ dataChannel: true });
  const from = await negotiate(pipeline, sender, { useDataChannels: true });
  const to = await negotiate(pipeline, receiver, { useDataChannels: true });
  const connected: string[] = [];
  from.on('ElementConnected', (event) => connected.push(String(event.mediaType)));
  const opened = async (peer: WeriftPeer): Promise<RTCDataChannel> => {
    const channel = peer.channel;
    if (!channel) throw new Error('the peer has no data channel');
    await waitFor(() => channel.readyState === 'open', 5000, 'the data channel to open');
    return channel;
  };
  const [sendChannel, receiveChannel] = await Promise.all([opened(sender), opened(receiver)]);
  const received: string[] = [];
  receiveChannel.onMessage.subscribe((data: Buffer | string) => received.push(data.toString()));
  await call<void>((cb) => from.connect(to, 'DATA', done(cb)));
  await waitFor(() => connected.includes('DATA'), 2000, 'ElementConnected DATA');
  assert.deepEqual(connected, ['DATA'], 'a DATA connect makes one link, not three');
  const sinks = await call<Array<{ type: string }>>((cb) => from.getSinkConnections(cb));
  assert.deepEqual(sinks.map((connection) => connection.type), ['DATA']);
  sendChannel.send('hello over DATA');
  await waitFor(() => received.includes('hello over DATA'), 5000, 'the message at the sink');
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(receiver.received.videoPackets + receiver.received.audioPackets, 0, 'no audio or video without an AUDIO or VIDEO link');
  for (const peer of [sender, receiver]) await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
});

// Hubs that decode: AlphaBlending and Mixer, checked on the pixels and tones each peer receives ----------------------

/**
 * A participant joined to `hub` through a port of its own, both ways. The port travels in an array: it is thenable,
 * and an async function returning it would hand out kurento-client's plain copy (see core/kurento.ts create()).
 */
async function join(hub: AlphaBlending | Mixer, person: Participant): Promise<[HubPort]> {
  const [port] = await create<HubPort>((cb) => hub.createHubPort(cb));
  person.port = port;
  await call<void>((cb) => person.endpoint.connect(port, done(cb)));
  await call<void>((cb) => port.connect(person.endpoint, done(cb)));
  return [port];
}

/** The colour names a participant sees at the given points (fractions of the picture). */
const seen = (person: Participant, points: ReadonlyArray<[number, number]>): string => points.map(([x, y]) => colourName(person.video.colourAt(x, y))).join(' ');
const QUADRANTS: ReadonlyArray<[number, number]> = [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]];

test('AlphaBlending: the master gives the picture its size; setPortProperties places a port over it by z-order; each port hears the others', async () => {
  const [red, green] = await Promise.all([new LavfiSource(picture('0xff0000'), TONES.red).start(), new LavfiSource(picture('0x00ff00'), TONES.green).start()]);
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [hub] = await create<AlphaBlending>((cb) => pipeline.create('AlphaBlending', cb));
  const a = await participant(pipeline, 'a', red);
  const b = await participant(pipeline, 'b', green);
  const viewer = await participant(pipeline, 'viewer');
  const [portA] = await join(hub, a);
  const [portB] = await join(hub, b);
  await join(hub, viewer);
  await call<void>((cb) => hub.setMaster(portA, 1, done(cb)));
  await call<void>((cb) => hub.setPortProperties(0.5, 0.5, 2, 0.5, 0.5, portB, done(cb)));
  const expect = (picture: string) => () => [viewer, a].flatMap((person) => (seen(person, QUADRANTS) === picture ? [] : [`${person.name} sees ${seen(person, QUADRANTS)}`]));
  await until(expect('red red red green'), 30000, 'green over the bottom right quarter of the red master');
  await until(() => [...audioProblems(viewer, [TONES.red, TONES.green], []), ...audioProblems(a, [TONES.green], [TONES.red])], 20000, 'everybody\'s audio but one\'s own');
  assert.equal(viewer.peer.received.keyframeSizes.at(-1)?.width, 320, 'the picture has the master\'s size');
  // Below the master's z-order, the port is hidden behind it.
  await call<void>((cb) => hub.setPortProperties(0, 0, 0, 0.5, 0.5, portB, done(cb)));
  await until(expect('red red red red'), 30000, 'the port hidden under the master');
  for (const person of [a, b, viewer]) await leave(person);
  await call<void>((cb) => pipeline.release(done(cb)));
  await Promise.all([red.stop(), green.stop()]);
});

test('Mixer: video routed from one port to another, audio mixed per sink from the ports connected to it; KMS\' errors for the rest', async () => {
  const [red, green, blue] = await Promise.all([
    new LavfiSource(picture('0xff0000'), TONES.red).start(),
    new LavfiSource(picture('0x00ff00'), TONES.green).start(),
    new LavfiSource(picture('0x0000ff'), TONES.blue).start(),
  ]);
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [mixer] = await create<Mixer>((cb) => pipeline.create('Mixer', cb));
  const people = await Promise.all([participant(pipeline, 'a', red), participant(pipeline, 'b', green), participant(pipeline, 'c', blue), participant(pipeline, 'viewer')]);
  const [a, b, c, viewer] = people as [Participant, Participant, Participant, Participant];
  const [[portA], [portB], [portC], [portV]] = [await join(mixer, a), await join(mixer, b), await join(mixer, c), await join(mixer, viewer)];
  await call<void>((cb) => mixer.connect('VIDEO', portA, portV, done(cb)));
  await call<void>((cb) => mixer.connect('AUDIO', portA, portV, done(cb)));
  await call<void>((cb) => mixer.connect('AUDIO', portB, portV, done(cb)));
  await until(() => (seen(viewer, [[0.5, 0.5]]) === 'red' ? [] : [`viewer sees ${seen(viewer, [[0.5, 0.5]])}`]), 20000, 'the video of a');
  await until(() => audioProblems(viewer, [TONES.red, TONES.green], [TONES.blue]), 20000, 'a and b mixed for the viewer, not c');
  assert.equal(a.peer.received.audioPackets, 0, 'a port no audio is connected to gets none');
  await call<void>((cb) => mixer.connect('VIDEO', portC, portV, done(cb)));
  await until(() => (seen(viewer, [[0.5, 0.5]]) === 'blue' ? [] : [`viewer sees ${seen(viewer, [[0.5, 0.5]])}`]), 20000, 'the video of c replacing a\'s');
  await call<void>((cb) => mixer.disconnect('AUDIO', portA, portV, done(cb)));
  await until(() => audioProblems(viewer, [TONES.green], [TONES.red, TONES.blue]), 20000, 'b alone once a is disconnected');
  const failure = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: { code?: number; message?: string }) => `${error.code} ${error.message}`);
  assert.equal(await failure(call<void>((cb) => mixer.connect('AUDIO', portB, portV, done(cb)))), '40004 Can not connect video ports', 'the same audio pair twice');
  assert.equal(await failure(call<void>((cb) => mixer.disconnect('AUDIO', portC, portV, done(cb)))), '40004 Can not connect video ports', 'a pair that is not connected');
  assert.equal(await failure(call<void>((cb) => mixer.disconnect('VIDEO', portC, portV, done(cb)))), '40005 Video disconnection is not implemented yet');
  assert.equal(await failure(call<void>((cb) => mixer.connect('DATA', portA, portV, done(cb)))), '40005 Invalid media type');
  for (const person of people) await leave(person);
  await call<void>((cb) => pipeline.release(done(cb)));
  await Promise.all([red.stop(), green.stop(), blue.stop()]);
});

test('the blend and the routed mixes as filtergraphs: layers in z-order over the master\'s picture; each sink mixes only its sources', () => {
  const vp8 = { name: 'VP8', clockRate: 90000 };
  const opus = { name: 'opus', clockRate: 48000, channels: 2 };
  const blend = mixFilterGraph({
    width: 640,
    height: 480,
    framerate: 15,
    inputs: [
      { port: 'master', kind: 'VIDEO', codec: vp8 },
      { port: 'top', kind: 'VIDEO', codec: vp8 },
      { port: 'under', kind: 'VIDEO', codec: vp8 },
    ],
    blend: {
      master: 'master',
      layers: [
        { port: 'master', x: 0, y: 0, width: 640, height: 480, z: 1 },
        { port: 'top', x: 320, y: -60, width: 320, height: 240, z: 3 },
        { port: 'under', x: 0, y: 0, width: 640, height: 480, z: 0 },
      ],
    },
  });
  const chains = blend.filter.split(';');
  const overlays = chains.filter((chain) => chain.includes('overlay='));
  assert.equal(overlays.length, 3);
  assert.match(overlays[2] ?? '', /overlay=x=320:y=-60/, 'the highest z-order last, at its place (cut off where it leaves the picture)');
  assert.ok(chains.some((chain) => chain.includes('scale=320:240')), 'scaled to its layer');
  assert.match(blend.filter, /drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill\[bg\]/, 'a black background of the master\'s size');
  const routed = mixFilterGraph({
    width: 0,
    height: 0,
    framerate: 15,
    inputs: ['a', 'b', 'c'].map((port) => ({ port, kind: 'AUDIO' as const, codec: opus })),
    audioRoutes: [
      { sink: 'v', sources: ['a', 'b'] },
      { sink: 'a', sources: ['c'] },
      { sink: 'b', sources: [] },
    ],
  });
  assert.deepEqual(routed.audio.map((output) => output.port), ['v', 'a'], 'one output per sink that has sources, no full mix');
  assert.equal(routed.video, undefined);
});
