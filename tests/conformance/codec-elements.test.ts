/**
 * Codec elements of the embedded KMS, driven by kurento-client with werift peers: Composite (one grid of every port's
 * video, and for each port the mix of everybody's audio but its own) and GStreamerFilter (an allow-list of
 * gst-launch commands run as ffmpeg filters).
 *
 * Every source is an ffmpeg lavfi graph of a known picture and a tone of its own frequency (red 440 Hz, green 880 Hz,
 * blue 1320 Hz), encoded to VP8 and Opus and sent by a werift peer as a browser would. What a peer receives back is
 * decoded by the test's own ffmpeg: pixel colours are sampled per grid cell, tone levels measured per frequency
 * (Goertzel). So the checks read the media itself: which source shows in which cell, and whose voice each
 * participant hears — everyone's but their own.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kurentoClient, { type Composite, type GStreamerFilter, type HubPort, type KurentoClient, type MediaObject, type MediaPipeline } from 'kurento-client';
import { call, create } from '../../core/kurento';
import { FULL_MIX, gridOf, mixFilterGraph, type MixPlan } from '../../server/kms/objects/Composite';
import type { KmsServer } from '../../server/kms/server';
import { startKms } from '../helpers/kms';
import { kmsFfmpeg, processes } from '../helpers/processes';
import { LavfiSource, TONES, audioProblems, cells, colourName, leave, participant, picture, stopSources, until, type Participant } from '../helpers/mix-media';

let kms: KmsServer;
let client: KurentoClient;

before(async () => {
  kms = await startKms();
  client = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
});

after(async () => {
  client.close();
  await stopSources();
  await kms.stop();
});

const done = (callback: (error: unknown, value: undefined) => void) => (error: unknown) => callback(error, undefined);

async function joinComposite(composite: Composite, person: Participant): Promise<void> {
  const [port] = await create<HubPort>((cb) => composite.createHubPort(cb));
  person.port = port;
  await call<void>((cb) => person.endpoint.connect(port, done(cb)));
  await call<void>((cb) => port.connect(person.endpoint, done(cb)));
}

const release = (object: MediaObject): Promise<void> => call<void>((cb) => object.release(done(cb)));

function errorOf(promise: Promise<unknown>): Promise<{ code?: number; message?: string }> {
  return promise.then(
    () => ({}),
    (error: unknown) => error as { code?: number; message?: string },
  );
}

// Composite -----------------------------------------------------------------------------------------------------------

/** What is wrong with the grid a participant receives, given the expected colour of each cell. */
function gridProblems(people: readonly Participant[], expected: readonly string[], sources: number): string[] {
  return people.flatMap((person) => {
    const seen = cells(person.video, sources);
    return seen.join() === expected.join() ? [] : [`${person.name} sees ${seen.join(' ')}`];
  });
}


test('the audio mix of each port leaves that port\'s own input out; the grid grows as in KMS (1x1, 2x1, 2x2, 3x2, 3x3)', () => {
  const vp8 = { name: 'VP8', clockRate: 90000 };
  const opus = { name: 'opus', clockRate: 48000, channels: 2 };
  const plan: MixPlan = {
    width: 800,
    height: 600,
    framerate: 15,
    inputs: [
      { port: 'p1', kind: 'VIDEO', codec: vp8 },
      { port: 'p1', kind: 'AUDIO', codec: opus },
      { port: 'p2', kind: 'AUDIO', codec: opus },
      { port: 'p3', kind: 'VIDEO', codec: vp8 },
      { port: 'p3', kind: 'AUDIO', codec: opus },
    ],
  };
  const graph = mixFilterGraph(plan);
  const chains = graph.filter.split(';');
  // Audio input n is split into copies [a<n>c<k>]; the chain ending in an output's label lists what it mixes.
  const audioPorts = ['p1', 'p2', 'p3'];
  for (const { port, label } of graph.audio) {
    const chain = chains.find((candidate) => candidate.endsWith(`[${label}]`)) ?? '';
    const mixed = audioPorts.filter((_, n) => chain.includes(`[a${n}c`));
    const expected = port === FULL_MIX ? audioPorts : audioPorts.filter((other) => other !== port);
    assert.deepEqual(mixed, expected, `output of ${port}: ${chain}`);
  }
  assert.deepEqual(graph.audio.map((output) => output.port), ['p1', 'p2', 'p3', FULL_MIX]);
  assert.match(graph.filter, /\[0:0\]fps=15,scale=400:600/, 'two video inputs: side by side, 400x600 cells');
  assert.match(graph.filter, /xstack=inputs=2:layout=0_0\|400_0:fill=black/);
  assert.match(graph.filter, /pad=800:600:0:0:black\[vout\]/);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 9].map((n) => gridOf(n)), [
    { columns: 1, rows: 1 },
    { columns: 2, rows: 1 },
    { columns: 2, rows: 2 },
    { columns: 2, rows: 2 },
    { columns: 3, rows: 2 },
    { columns: 3, rows: 2 },
    { columns: 3, rows: 3 },
    { columns: 3, rows: 3 },
  ]);
  const alone = mixFilterGraph({ ...plan, inputs: [{ port: 'p1', kind: 'AUDIO', codec: opus }] });
  assert.match(alone.filter, /volume=0\[aout0\]/, 'a lone voice hears silence, not itself');
});

test('Composite: 2 then 3 participants see a grid of every source and hear everybody but themselves', async () => {
  const [red, green, blue] = await Promise.all([
    new LavfiSource(picture('0xff0000'), TONES.red).start(),
    new LavfiSource(picture('0x00ff00'), TONES.green).start(),
    new LavfiSource(picture('0x0000ff'), TONES.blue).start(),
  ]);
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [composite] = await create<Composite>((cb) => pipeline.create('Composite', { width: 640, height: 480, framerate: 15 }, cb));
  const errors: string[] = [];
  composite.on('Error', (event) => errors.push(String(event.description)));
  const a = await participant(pipeline, 'red', red);
  const b = await participant(pipeline, 'green', green);
  await joinComposite(composite, a);
  await joinComposite(composite, b);

  await until(() => gridProblems([a, b], ['red', 'green'], 2), 30000, 'a side-by-side grid, red | green, at both participants');
  await until(() => [...audioProblems(a, [TONES.green], [TONES.red]), ...audioProblems(b, [TONES.red], [TONES.green])], 20000, 'each hears the other only');

  const c = await participant(pipeline, 'blue', blue);
  await joinComposite(composite, c);
  await until(() => gridProblems([a, b, c], ['red', 'green', 'blue', 'black'], 3), 30000, 'a 2x2 grid with the fourth cell black');
  await until(
    () => [
      ...audioProblems(a, [TONES.green, TONES.blue], [TONES.red]),
      ...audioProblems(b, [TONES.red, TONES.blue], [TONES.green]),
      ...audioProblems(c, [TONES.red, TONES.green], [TONES.blue]),
    ],
    20000,
    'each of three hears the two others and not itself',
  );

  // A port that sends nothing sees the grid and hears everybody (the full mix); the grid does not change for it.
  const viewer = await participant(pipeline, 'viewer');
  await joinComposite(composite, viewer);
  await until(() => [...gridProblems([viewer], ['red', 'green', 'blue', 'black'], 3), ...audioProblems(viewer, Object.values(TONES), [])], 20000, 'the viewer gets the grid and the full mix');
  for (const person of [a, b, c, viewer]) {
    assert.ok(person.peer.received.videoPackets > 0 && person.peer.received.audioPackets > 0, `${person.name} receives video and audio`);
    assert.ok(person.peer.received.keyframeSizes.every((size) => size.width === 640 && size.height === 480), `${person.name} receives a 640x480 grid`);
  }

  // Blue leaves: back to side by side.
  await release(c.port as HubPort);
  await until(() => gridProblems([a, b], ['red', 'green'], 2), 20000, 'red | green again after blue left');
  assert.equal((await kmsFfmpeg('xstack')).length, 1, 'one mixer process per composite');

  assert.deepEqual(errors, []);
  await release(pipeline);
  for (const person of [a, b, c, viewer]) await leave(person);
  assert.deepEqual(await kmsFfmpeg('xstack'), [], 'releasing the pipeline stops the mixer');
});

test('Composite checks width, height and framerate (MARSHALL_ERROR 40001) and a refused create leaves nothing', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  for (const params of [{ width: 65 }, { height: 32 }, { width: 801 }, { framerate: 0 }, { framerate: 61 }]) {
    const error = await errorOf(create<Composite>((cb) => pipeline.create('Composite', params, cb)));
    assert.equal(error.code, 40001, `${JSON.stringify(params)} is refused`);
    assert.match(String(error.message), /Composite '(width|height|framerate)' must be/);
  }
  assert.deepEqual(await call<MediaObject[]>((cb) => pipeline.getChildren(cb)), [], 'nothing left in the pipeline');
  const [composite] = await create<Composite>((cb) => pipeline.create('Composite', cb));
  assert.ok(composite.id.endsWith('_kurento.Composite'));
  await release(pipeline);
});

// GStreamerFilter -------------------------------------------------------------------------------------------------------

test('GStreamerFilter: only the allow-list is accepted; anything else answers 40107 and never runs', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const refused = [
    'filesrc location=/etc/passwd',
    'videoflip method=horizontal-flip ! fakesink',
    'videobalance saturation=3',
    'videoflip method=automatic',
    'videoflip method=8',
    'coloreffects preset=xpro',
    'textoverlay text=hello',
    'videoflip method=4 method=5',
    'videoflip method="4"',
    'videobalance saturation=1e1',
    'videoflip;touch /tmp/owned',
  ];
  for (const command of refused) {
    const error = await errorOf(create<GStreamerFilter>((cb) => pipeline.create('GStreamerFilter', { command }, cb)));
    assert.equal(error.code, 40107, `'${command}' is refused`);
    assert.match(String(error.message), /is not supported by the embedded server.*allowed: videoflip/);
  }
  const running = (await processes()).filter((p) => refused.some((command) => p.cmdline.includes(command.split(' ')[1] ?? command)));
  assert.deepEqual(running, [], 'no process carries a refused command');

  const mismatch = await errorOf(create<GStreamerFilter>((cb) => pipeline.create('GStreamerFilter', { command: 'videoflip method=4', filterType: 'AUDIO' }, cb)));
  assert.equal(mismatch.code, 40001, 'a video element as an AUDIO filter: MARSHALL_ERROR, as KMS');
  assert.deepEqual(await call<MediaObject[]>((cb) => pipeline.getChildren(cb)), [], 'refused creates leave nothing');

  for (const command of ['videoflip method=vertical-flip', 'videoflip method=3', 'videobalance saturation=0.0', 'videobalance brightness=-0.2 contrast=1.5 hue=0.25', 'coloreffects preset=sepia']) {
    const [filter] = await create<GStreamerFilter>((cb) => pipeline.create('GStreamerFilter', { command, filterType: 'VIDEO' }, cb));
    assert.equal(await call<string>((cb) => filter.getCommand(cb)), command);
  }
  const [filter] = await create<GStreamerFilter>((cb) => pipeline.create('GStreamerFilter', { command: 'videobalance saturation=0.5' }, cb));
  const unknown = await errorOf(call<void>((cb) => filter.setElementProperty('location', '/etc/passwd', done(cb))));
  assert.equal(unknown.code, 40001, 'an unknown property: MARSHALL_ERROR');
  const outOfRange = await errorOf(call<void>((cb) => filter.setElementProperty('saturation', '7', done(cb))));
  assert.equal(outOfRange.code, 40001, 'a value out of range: MARSHALL_ERROR');
  await call<void>((cb) => filter.setElementProperty('saturation', '1.5', done(cb)));
  assert.equal(await call<string>((cb) => filter.getCommand(cb)), 'videobalance saturation=0.5', 'command stays what was created, as in KMS');
  assert.deepEqual(await kmsFfmpeg('libvpx'), [], 'no process before video arrives');
  await release(pipeline);
});

test('GStreamerFilter videoflip: a picture red on its left half comes back red on its right half; audio passes', async () => {
  const half = await new LavfiSource('color=c=0x0000ff:s=320x240:r=30,drawbox=x=0:y=0:w=160:h=240:color=0xff0000:t=fill', TONES.red).start();
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const person = await participant(pipeline, 'mirror', half);
  const [filter] = await create<GStreamerFilter>((cb) => pipeline.create('GStreamerFilter', { command: 'videoflip method=horizontal-flip' }, cb));
  await call<void>((cb) => person.endpoint.connect(filter, done(cb)));
  await call<void>((cb) => filter.connect(person.endpoint, done(cb)));
  const halves = (): string => `${colourName(person.video.colourAt(0.25, 0.5))} | ${colourName(person.video.colourAt(0.75, 0.5))}`;

  await until(() => (halves() === 'blue | red' ? [] : [`received ${halves()}`]), 20000, 'the flipped picture: blue | red');
  assert.ok((await kmsFfmpeg('hflip')).length === 1, 'one ffmpeg runs the filter, as hflip');
  await until(() => audioProblems(person, [TONES.red], []), 10000, 'the audio, unchanged');

  await call<void>((cb) => filter.setElementProperty('method', 'none', done(cb)));
  await until(() => (halves() === 'red | blue' ? [] : [`received ${halves()}`]), 20000, 'the picture as sent after method=none');
  assert.deepEqual(await kmsFfmpeg('hflip'), [], 'the old process is gone');

  await release(pipeline);
  await leave(person);
  assert.deepEqual(await kmsFfmpeg('libvpx'), [], 'releasing the filter stops its process');
});
