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
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import kurentoClient, { type Composite, type GStreamerFilter, type HubPort, type KurentoClient, type MediaObject, type MediaPipeline, type WebRtcEndpoint } from 'kurento-client';
import { RtpPacket } from 'werift';
import { call, create } from '../../core/kurento';
import { RtpOut, freeRtpPort } from '../../server/kms/media/ffmpeg/worker';
import { FULL_MIX, gridOf, mixFilterGraph, type MixPlan } from '../../server/kms/objects/Composite';
import type { KmsServer } from '../../server/kms/server';
import { startKms } from '../helpers/kms';
import { kmsFfmpeg, processes } from '../helpers/processes';
import { WeriftPeer, negotiate, waitFor } from '../helpers/werift-peer';

let kms: KmsServer;
let client: KurentoClient;
const sources: LavfiSource[] = [];

before(async () => {
  kms = await startKms();
  client = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
});

after(async () => {
  client.close();
  for (const source of sources) await source.stop();
  await kms.stop();
});

const done = (callback: (error: unknown, value: undefined) => void) => (error: unknown) => callback(error, undefined);

// Sources: any lavfi picture, a tone of its own --------------------------------------------------------------------------

type Listener = (packet: RtpPacket) => void;

async function udpSocket(onPacket: Listener): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.on('message', (data) => {
    try {
      onPacket(RtpPacket.deSerialize(data));
    } catch {
      // not RTP
    }
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  socket.unref();
  return socket;
}

/**
 * ffmpeg encoding a lavfi picture (VP8, a key frame every 0.5 s: the sources ignore PLIs) and a sine tone (Opus) to RTP;
 * `feed(peer)` sends them from a werift peer's tracks, as a browser sends its camera.
 */
class LavfiSource {
  private process: ChildProcess | undefined;
  private readonly sockets: Socket[] = [];
  private readonly listeners = { video: new Set<Listener>(), audio: new Set<Listener>() };

  constructor(
    private readonly picture: string,
    private readonly tone: number,
  ) {
    sources.push(this);
  }

  async start(): Promise<this> {
    const video = await udpSocket((packet) => this.listeners.video.forEach((listener) => listener(packet)));
    const audio = await udpSocket((packet) => this.listeners.audio.forEach((listener) => listener(packet)));
    this.sockets.push(video, audio);
    const args = [
      '-hide_banner', '-loglevel', 'error', '-re',
      '-f', 'lavfi', '-i', this.picture,
      '-f', 'lavfi', '-i', `sine=frequency=${this.tone}:sample_rate=48000`,
      '-map', '0:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-threads', '1', '-b:v', '300k', '-g', '15',
      '-error-resilient', '1', '-auto-alt-ref', '0', '-payload_type', '96', '-ssrc', '1111', '-f', 'rtp', `rtp://127.0.0.1:${video.address().port}?pkt_size=1200`,
      '-map', '1:a', '-c:a', 'libopus', '-b:a', '48k', '-payload_type', '111', '-ssrc', '2222', '-f', 'rtp', `rtp://127.0.0.1:${audio.address().port}?pkt_size=1200`,
    ];
    this.process = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    return this;
  }

  feed(peer: WeriftPeer): void {
    for (const kind of ['video', 'audio'] as const) {
      const track = peer.pc.getTransceivers().find((transceiver) => transceiver.kind === kind)?.sender.track;
      if (track) this.listeners[kind].add((packet) => track.writeRtp(packet.clone()));
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    for (const socket of this.sockets.splice(0)) socket.close();
  }
}

const picture = (colour: string): string => `color=c=${colour}:s=320x240:r=30`;

// What a peer receives, decoded by the test's own ffmpeg ----------------------------------------------------------------

type Rgb = { r: number; g: number; b: number };
const FRAME = { width: 160, height: 120 };
const SAMPLE_RATE = 16000;

/** The RTP a werift peer receives, by kind. Call before negotiating: the tracks are announced then. */
function tap(peer: WeriftPeer): Record<'video' | 'audio', Set<Listener>> {
  const listeners = { video: new Set<Listener>(), audio: new Set<Listener>() };
  peer.pc.onTrack.subscribe((track) => {
    const kind = track.kind;
    if (kind !== 'video' && kind !== 'audio') return;
    track.onReceiveRtp.subscribe((packet) => listeners[kind].forEach((listener) => listener(packet)));
  });
  return listeners;
}

/** ffmpeg decoding one received stream: the latest video frame (RGB, 160x120) or the last second of audio (16 kHz). */
class Decoder {
  private latest: Buffer | undefined;
  private pending = Buffer.alloc(0);
  private pcm = Buffer.alloc(0);

  private constructor(
    private readonly kind: 'video' | 'audio',
    private readonly child: ChildProcess,
    private readonly out: RtpOut,
    private readonly dir: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  static async start(kind: 'video' | 'audio', listeners: Set<Listener>): Promise<Decoder> {
    const port = await freeRtpPort();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'codec-test-'));
    const sdp = path.join(dir, 'in.sdp');
    const media = kind === 'video' ? `m=video ${port} RTP/AVP 96\r\na=rtpmap:96 VP8/90000` : `m=audio ${port} RTP/AVP 111\r\na=rtpmap:111 opus/48000/2`;
    await writeFile(sdp, `v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=probe\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n${media}\r\n`);
    const output =
      kind === 'video'
        ? ['-vf', `fps=5,scale=${FRAME.width}:${FRAME.height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']
        : ['-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 's16le', 'pipe:1'];
    const args = ['-hide_banner', '-loglevel', 'error', '-protocol_whitelist', 'file,udp,rtp', '-fpsprobesize', '0', '-analyzeduration', '1000000', '-f', 'sdp', '-i', sdp, ...output];
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const out = new RtpOut(port);
    const decoder = new Decoder(kind, child, out, dir);
    const payloadType = kind === 'video' ? 96 : 111;
    listeners.add((packet) => {
      const copy = packet.clone();
      copy.header.payloadType = payloadType;
      out.send(copy);
    });
    return decoder;
  }

  private onData(chunk: Buffer): void {
    if (this.kind === 'audio') {
      this.pcm = Buffer.concat([this.pcm, chunk]).subarray(-SAMPLE_RATE * 2);
      return;
    }
    const size = FRAME.width * FRAME.height * 3;
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= size) {
      this.latest = this.pending.subarray(0, size);
      this.pending = this.pending.subarray(size);
    }
  }

  /** Average colour of a 5x5 patch around (relX, relY) of the latest frame. */
  colourAt(relX: number, relY: number): Rgb | undefined {
    const frame = this.latest;
    if (!frame) return undefined;
    const cx = Math.round(relX * (FRAME.width - 1));
    const cy = Math.round(relY * (FRAME.height - 1));
    const sum = { r: 0, g: 0, b: 0 };
    let n = 0;
    for (let y = cy - 2; y <= cy + 2; y += 1) {
      for (let x = cx - 2; x <= cx + 2; x += 1) {
        const offset = (Math.min(FRAME.height - 1, Math.max(0, y)) * FRAME.width + Math.min(FRAME.width - 1, Math.max(0, x))) * 3;
        sum.r += frame[offset] ?? 0;
        sum.g += frame[offset + 1] ?? 0;
        sum.b += frame[offset + 2] ?? 0;
        n += 1;
      }
    }
    return { r: Math.round(sum.r / n), g: Math.round(sum.g / n), b: Math.round(sum.b / n) };
  }

  /** Amplitude (0..32767) of a tone in the last half second of audio, by the Goertzel algorithm. */
  toneLevel(frequency: number): number {
    const samples = Math.min(this.pcm.length / 2, SAMPLE_RATE / 2);
    if (samples < SAMPLE_RATE / 4) return 0;
    const start = this.pcm.length / 2 - samples;
    const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / SAMPLE_RATE);
    let previous = 0;
    let beforePrevious = 0;
    for (let i = 0; i < samples; i += 1) {
      const current = this.pcm.readInt16LE((start + i) * 2) + coefficient * previous - beforePrevious;
      beforePrevious = previous;
      previous = current;
    }
    const power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
    return (2 * Math.sqrt(Math.max(0, power))) / samples;
  }

  async stop(): Promise<void> {
    this.out.close();
    if (this.child.exitCode === null) {
      this.child.kill('SIGKILL');
      await once(this.child, 'exit');
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

const PALETTE: Readonly<Record<string, Rgb>> = {
  red: { r: 255, g: 0, b: 0 },
  green: { r: 0, g: 255, b: 0 },
  blue: { r: 0, g: 0, b: 255 },
  black: { r: 0, g: 0, b: 0 },
};

/** The palette colour nearest to a sample, when it is near enough to be that colour. */
function colourName(sample: Rgb | undefined): string {
  if (!sample) return 'nothing';
  const distance = (a: Rgb, b: Rgb): number => Math.max(Math.abs(a.r - b.r), Math.abs(a.g - b.g), Math.abs(a.b - b.b));
  const [name, rgb] = Object.entries(PALETTE).sort(([, a], [, b]) => distance(sample, a) - distance(sample, b))[0] ?? ['', PALETTE.black];
  return rgb && distance(sample, rgb) <= 80 ? name : `rgb(${sample.r},${sample.g},${sample.b})`;
}

/** Colour names of every cell of a grid, row by row, sampled at the cell centres. */
function cells(decoder: Decoder, count: number): string[] {
  const { columns, rows } = gridOf(count);
  const names: string[] = [];
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) names.push(colourName(decoder.colourAt((column + 0.5) / columns, (row + 0.5) / rows)));
  }
  return names;
}

/** Waits until `problems()` finds none; the error names what was still wrong. */
async function until(problems: () => string[], timeoutMs: number, what: string): Promise<void> {
  let last: string[] = [];
  try {
    await waitFor(() => (last = problems()).length === 0, timeoutMs, what);
  } catch (error) {
    throw new Error(`${String(error)}: ${last.join('; ')}`);
  }
}

// Peers and endpoints -----------------------------------------------------------------------------------------------

interface Participant {
  name: string;
  peer: WeriftPeer;
  endpoint: WebRtcEndpoint;
  video: Decoder;
  audio: Decoder;
  port?: HubPort;
}

/** A werift peer sending `source` (or nothing), its endpoint, and decoders of what it receives. */
async function participant(pipeline: MediaPipeline, name: string, source?: LavfiSource): Promise<Participant> {
  const peer = new WeriftPeer();
  const received = tap(peer);
  source?.feed(peer);
  const endpoint = await negotiate(pipeline, peer);
  const [video, audio] = await Promise.all([Decoder.start('video', received.video), Decoder.start('audio', received.audio)]);
  return { name, peer, endpoint, video, audio };
}

async function joinComposite(composite: Composite, person: Participant): Promise<void> {
  const [port] = await create<HubPort>((cb) => composite.createHubPort(cb));
  person.port = port;
  await call<void>((cb) => person.endpoint.connect(port, done(cb)));
  await call<void>((cb) => port.connect(person.endpoint, done(cb)));
}

async function leave(person: Participant): Promise<void> {
  await Promise.all([person.video.stop(), person.audio.stop()]);
  await person.peer.close();
}

const release = (object: MediaObject): Promise<void> => call<void>((cb) => object.release(done(cb)));

function errorOf(promise: Promise<unknown>): Promise<{ code?: number; message?: string }> {
  return promise.then(
    () => ({}),
    (error: unknown) => error as { code?: number; message?: string },
  );
}

// Composite -----------------------------------------------------------------------------------------------------------

const TONES = { red: 440, green: 880, blue: 1320 } as const;
/** A tone is heard above this amplitude and absent below ABSENT (the sources play at 1/8 of full scale, ~4100). */
const HEARD = 1000;
const ABSENT = 300;

/** What is wrong with the grid a participant receives, given the expected colour of each cell. */
function gridProblems(people: readonly Participant[], expected: readonly string[], sources: number): string[] {
  return people.flatMap((person) => {
    const seen = cells(person.video, sources);
    return seen.join() === expected.join() ? [] : [`${person.name} sees ${seen.join(' ')}`];
  });
}

/** What is wrong with what a participant hears, given the tones it must hear and the one it must not. */
function audioProblems(person: Participant, hears: readonly number[], notHears: readonly number[]): string[] {
  const levels = (list: readonly number[]): string => list.map((f) => `${f} Hz ${Math.round(person.audio.toneLevel(f))}`).join(', ');
  const missing = hears.filter((frequency) => person.audio.toneLevel(frequency) < HEARD);
  const extra = notHears.filter((frequency) => person.audio.toneLevel(frequency) > ABSENT);
  if (missing.length === 0 && extra.length === 0) return [];
  return [`${person.name} hears ${levels([...hears, ...notHears])}`];
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
