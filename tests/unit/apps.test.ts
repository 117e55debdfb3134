/**
 * The application servers of the three-tier labs (server/apps), driven over their WebSockets as a browser would, with
 * werift peers in the browser's role (real VP8/Opus from ffmpeg) against the embedded KMS: every malformed message
 * gets an error message and leaves the server running; each tutorial's happy path carries media; a closed socket
 * leaves no pipeline on KMS.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import type { KmsServer } from '../../server/kms/server';
import { createLogger, parseLogLevel } from '../../server/kms/logger';
import { AppServers } from '../../server/apps';
import { startKms } from '../helpers/kms';
import { RtpSource } from '../helpers/rtp-source';
import { WeriftPeer, waitFor } from '../helpers/werift-peer';
import { freePort } from '../helpers/network';

type Json = Record<string, unknown>;

const ALLOWED_ORIGIN = 'http://labs.test';

let kms: KmsServer;
let source: RtpSource;
let apps: AppServers;
let server: Server;
let base: string;

async function listenForApps(servers: AppServers): Promise<{ server: Server; base: string }> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => {
    if (!servers.handleUpgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  return { server: http, base: `ws://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

function testLogger() {
  return createLogger('apps', parseLogLevel(process.env.APPS_TEST_LOG, 'silent'));
}

before(async () => {
  kms = await startKms();
  source = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 300_000, gop: 30, audio: true });
  await source.start();
  apps = new AppServers({ kmsUrl: kms.url, log: testLogger(), allowedOrigins: [ALLOWED_ORIGIN] });
  await apps.start();
  ({ server, base } = await listenForApps(apps));
});

after(async () => {
  await apps.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await source.stop();
  await kms.stop();
});

function pipelines(): number {
  return kms.registry.all().filter((object) => object.type === 'MediaPipeline').length;
}

async function noPipelineLeft(): Promise<void> {
  await waitFor(() => pipelines() === 0, 8000, 'every pipeline released on KMS');
}

/** A browser's signaling socket: messages are kept, and `next` takes the first one not taken yet that matches. */
class Browser {
  private readonly received: Json[] = [];
  private readonly taken = new Set<Json>();
  private readonly listeners = new Set<(message: Json) => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Json;
      this.received.push(message);
      for (const listener of this.listeners) listener(message);
    });
  }

  static async open(path: string, origin = ALLOWED_ORIGIN, at = base): Promise<Browser> {
    const socket = new WebSocket(`${at}${path}`, { headers: { Origin: origin } });
    await once(socket, 'open');
    return new Browser(socket);
  }

  send(message: Json): void {
    this.socket.send(JSON.stringify(message));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.socket.send(data, { binary });
  }

  /** Calls `listener` for each message with this id, those already received included. */
  on(id: string, listener: (message: Json) => void): void {
    for (const message of this.received) if (message.id === id) listener(message);
    this.listeners.add((message) => {
      if (message.id === id) listener(message);
    });
  }

  all(id: string): Json[] {
    return this.received.filter((message) => message.id === id);
  }

  async next(id: string, where: (message: Json) => boolean = () => true, timeout = 10000): Promise<Json> {
    const find = (): Json | undefined => this.received.find((message) => message.id === id && !this.taken.has(message) && where(message));
    await waitFor(() => find() !== undefined, timeout, `message ${id} (received: ${this.received.map((message) => String(message.id)).join(', ')})`);
    const message = find() as Json;
    this.taken.add(message);
    return message;
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await once(this.socket, 'close');
  }
}

/**
 * A werift peer for one WebRtcEndpoint: its candidates go out through `sendCandidate`, remote candidates wait until
 * the answer is applied (as kurento-utils queues them).
 */
class TestPeer {
  readonly peer = new WeriftPeer();
  readonly errors: string[] = [];
  private answered: (() => void) | undefined;
  private readonly answer = new Promise<void>((resolve) => {
    this.answered = resolve;
  });

  constructor(sendCandidate: (candidate: Json) => void) {
    this.peer.pc.onIceCandidate.subscribe((candidate) => {
      if (candidate) sendCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? '0', sdpMLineIndex: candidate.sdpMLineIndex ?? 0 });
    });
  }

  offer(): Promise<string> {
    return this.peer.createOffer();
  }

  async accept(message: Json): Promise<void> {
    assert.equal(typeof message.sdpAnswer, 'string', `an sdpAnswer in ${String(message.id)}`);
    await this.peer.acceptAnswer(String(message.sdpAnswer));
    this.answered?.();
  }

  remoteCandidate(candidate: unknown): void {
    void this.answer
      .then(() => this.peer.addRemoteCandidate(candidate as { candidate: string; sdpMid: string; sdpMLineIndex: number }))
      .catch((error: unknown) => this.errors.push(String(error)));
  }

  async receivesVideo(what: string): Promise<void> {
    await waitFor(() => this.peer.received.keyframes >= 1 && this.peer.received.videoFrames >= 15, 15000, `video at ${what}`);
    assert.deepEqual(this.errors, [], `no failed addIceCandidate at ${what}`);
  }

  close(): Promise<void> {
    return this.peer.close();
  }
}

/** The error message of a malformed message, with its text checked. */
async function expectError(browser: Browser, errorId: string, pattern: RegExp): Promise<void> {
  const error = await browser.next(errorId);
  assert.match(String(error.message), pattern);
}

test('every app answers malformed messages with an error and keeps going', async () => {
  for (const [path, errorId] of [
    ['/helloworld', 'ERROR'],
    ['/call', 'error'],
    ['/one2many', 'error'],
    ['/groupcall', 'error'],
    ['/rtpgateway', 'ERROR'],
  ] as const) {
    const browser = await Browser.open(path);
    browser.sendRaw('this is not JSON');
    await expectError(browser, errorId, /not JSON/);
    browser.sendRaw('[1, 2, 3]');
    await expectError(browser, errorId, /JSON object/);
    browser.send({ name: 'no id' });
    await expectError(browser, errorId, /no "id"/);
    browser.send({ id: 'launchRockets' });
    await expectError(browser, errorId, /unknown message id 'launchRockets'/);
    // Ids are looked up among the server's own messages, not through the object prototype.
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      browser.send({ id });
      await expectError(browser, errorId, new RegExp(`^unknown message id '${id}' \\(this server takes `));
    }
    browser.sendRaw(Buffer.from('{"id":"stop"}'), true);
    await expectError(browser, errorId, /binary/);
    await browser.close();
  }
});

test('hello-world: missing, mistyped and bad fields, and a bad SDP, are ERRORs', async () => {
  const browser = await Browser.open('/helloworld');
  browser.send({ id: 'PROCESS_SDP_OFFER' });
  await expectError(browser, 'ERROR', /'sdpOffer' must be a string \(it is missing\)/);
  browser.send({ id: 'PROCESS_SDP_OFFER', sdpOffer: 42 });
  await expectError(browser, 'ERROR', /'sdpOffer' must be a string \(it is a number\)/);
  browser.send({ id: 'ADD_ICE_CANDIDATE', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' } });
  await expectError(browser, 'ERROR', /'candidate.sdpMid' must be a string/);
  browser.send({ id: 'PROCESS_SDP_OFFER', sdpOffer: 'this is not an SDP' });
  await expectError(browser, 'ERROR', /KMS error \d+/);
  assert.equal(pipelines(), 0, 'the pipeline of the failed offer is released');
  browser.send({ id: 'ERROR', message: 'camera denied' });
  browser.send({ id: 'STOP' });
  browser.send({ id: 'STOP', extra: 'fields are ignored' });
  await browser.close();
});

test('one2one-call: rejections and errors follow the Java protocol', async () => {
  const anna = await Browser.open('/call');
  anna.send({ id: 'register', name: '' });
  assert.equal((await anna.next('registerResponse')).response, 'rejected');
  await expectError(anna, 'error', /'name' must not be empty/);
  anna.send({ id: 'call', from: 'anna', to: 'bert', sdpOffer: 'v=0' });
  assert.equal((await anna.next('callResponse')).response, 'rejected');
  await expectError(anna, 'error', /register before calling/);
  anna.send({ id: 'register', name: 'anna' });
  assert.equal((await anna.next('registerResponse')).response, 'accepted');
  const bert = await Browser.open('/call');
  bert.send({ id: 'register', name: 'anna' });
  const duplicate = await bert.next('registerResponse');
  assert.deepEqual([duplicate.response, duplicate.message], ['rejected', "user 'anna' already registered"]);
  bert.send({ id: 'register', name: 'bert' });
  assert.equal((await bert.next('registerResponse')).response, 'accepted');
  anna.send({ id: 'call', from: 'anna', to: 'nobody', sdpOffer: 'v=0' });
  assert.match(String((await anna.next('callResponse')).message), /'nobody' is not registered/);
  bert.send({ id: 'incomingCallResponse', from: 'anna', callResponse: 'maybe' });
  await expectError(bert, 'error', /'callResponse' must be one of 'accept', 'reject'/);
  bert.send({ id: 'incomingCallResponse', from: 'anna', callResponse: 'accept', sdpOffer: 'v=0' });
  await expectError(bert, 'error', /no pending call from 'anna'/);

  // Declined: the caller hears callResponse rejected.
  anna.send({ id: 'call', from: 'anna', to: 'bert', sdpOffer: 'v=0' });
  assert.equal((await bert.next('incomingCall')).from, 'anna');
  bert.send({ id: 'incomingCallResponse', from: 'anna', callResponse: 'reject' });
  assert.deepEqual(await anna.next('callResponse'), { id: 'callResponse', response: 'rejected', message: 'user declined' });

  // Accepted with SDPs KMS cannot parse: the callee gets error and stopCommunication, the caller callResponse rejected.
  anna.send({ id: 'call', from: 'anna', to: 'bert', sdpOffer: 'not an SDP' });
  await bert.next('incomingCall');
  bert.send({ id: 'incomingCallResponse', from: 'anna', callResponse: 'accept', sdpOffer: 'not an SDP either' });
  await expectError(bert, 'error', /KMS error \d+/);
  await bert.next('stopCommunication');
  assert.equal((await anna.next('callResponse')).response, 'rejected');
  await noPipelineLeft();
  await anna.close();
  await bert.close();
});

test('one2many-call and group-call: bad offers and messages out of turn are errors', async () => {
  const presenter = await Browser.open('/one2many');
  presenter.send({ id: 'presenter', sdpOffer: 'not an SDP' });
  assert.equal((await presenter.next('presenterResponse')).response, 'rejected');
  await expectError(presenter, 'error', /KMS error \d+/);
  presenter.send({ id: 'viewer', sdpOffer: 'v=0' });
  assert.match(String((await presenter.next('viewerResponse')).message), /No active sender/);
  presenter.send({ id: 'onIceCandidate', candidate: { candidate: 'x', sdpMid: '0', sdpMLineIndex: -1 } });
  await expectError(presenter, 'error', /sdpMLineIndex' must be a non-negative integer/);
  await presenter.close();

  const member = await Browser.open('/groupcall');
  member.send({ id: 'receiveVideoFrom', sender: 'x', sdpOffer: 'v=0' });
  await expectError(member, 'error', /join a room first/);
  member.send({ id: 'joinRoom', name: 7, room: 'r' });
  await expectError(member, 'error', /'name' must be a string/);
  member.send({ id: 'joinRoom', name: 'solo', room: 'errors' });
  assert.deepEqual((await member.next('existingParticipants')).data, []);
  member.send({ id: 'receiveVideoFrom', sender: 'solo', sdpOffer: 'not an SDP' });
  await expectError(member, 'error', /KMS error \d+/);
  member.send({ id: 'receiveVideoFrom', sender: 'ghost', sdpOffer: 'v=0' });
  await expectError(member, 'error', /no participant 'ghost'/);
  member.send({ id: 'onIceCandidate', name: 'ghost', candidate: { candidate: '', sdpMid: '0', sdpMLineIndex: 0 } });
  await expectError(member, 'error', /no participant 'ghost'/);
  member.send({ id: 'joinRoom', name: 'again', room: 'errors' });
  await expectError(member, 'error', /already in room 'errors'/);
  assert.equal(pipelines(), 1, 'the room has its pipeline');
  member.send({ id: 'leaveRoom' });
  await noPipelineLeft();
  await member.close();
});

test('sockets: Origin checked, 1 MiB limit, unknown paths left to the caller, server alive after all', async () => {
  const refused = new WebSocket(`${base}/helloworld`, { headers: { Origin: 'http://elsewhere.test' } });
  const [, response] = (await once(refused, 'unexpected-response')) as [unknown, { statusCode: number }];
  assert.equal(response.statusCode, 403);
  refused.on('error', () => undefined);
  refused.terminate();
  const unknown = new WebSocket(`${base}/kurento`);
  await once(unknown, 'error');
  const withoutOrigin = new WebSocket(`${base}/groupcall?x=1`);
  await once(withoutOrigin, 'open');
  withoutOrigin.close();
  const big = await Browser.open('/one2many');
  big.send({ id: 'presenter', sdpOffer: 'x'.repeat(1024 * 1024 + 10) });
  const [code] = (await once(big.socket, 'close')) as [number];
  assert.equal(code, 1009, 'too big: closed with 1009 Message Too Big');
  const after = await Browser.open('/call');
  after.send({ id: 'register', name: 'still-alive' });
  assert.equal((await after.next('registerResponse')).response, 'accepted');
  await after.close();
  assert.deepEqual(apps.paths, ['/helloworld', '/call', '/one2many', '/groupcall', '/rtpgateway']);
  assert.equal((await apps.health()).ok, true);
});

test('origins with any port: a local page (an app downloaded from a lab) gets in, a look-alike host does not', async () => {
  const local = new AppServers({ kmsUrl: kms.url, log: testLogger(), allowedOrigins: [ALLOWED_ORIGIN, 'http://127.0.0.1:*', 'http://localhost:*'] });
  await local.start();
  const own = await listenForApps(local);
  try {
    for (const origin of ['http://127.0.0.1:8123', 'http://localhost:5500']) {
      const socket = new WebSocket(`${own.base}/helloworld`, { headers: { Origin: origin } });
      await once(socket, 'open');
      socket.close();
    }
    for (const origin of ['http://127.0.0.1.elsewhere.test:80', 'http://localhost:80x', 'https://127.0.0.1:8123']) {
      const socket = new WebSocket(`${own.base}/helloworld`, { headers: { Origin: origin } });
      socket.on('error', () => undefined);
      const [, response] = (await once(socket, 'unexpected-response')) as [unknown, { statusCode: number }];
      assert.equal(response.statusCode, 403, origin);
      socket.terminate();
    }
  } finally {
    await local.stop();
    own.server.close();
  }
});

test('hello-world: loopback media, every endpoint event forwarded as KMS_EVENT, pipeline released on close', async () => {
  const browser = await Browser.open('/helloworld');
  const peer = new TestPeer((candidate) => browser.send({ id: 'ADD_ICE_CANDIDATE', candidate }));
  browser.on('ADD_ICE_CANDIDATE', (message) => peer.remoteCandidate(message.candidate));
  peer.peer.sendFrom(source);
  browser.send({ id: 'PROCESS_SDP_OFFER', sdpOffer: await peer.offer() });
  await peer.accept(await browser.next('PROCESS_SDP_ANSWER'));
  await peer.receivesVideo('the loopback');
  const seen = (): string[] =>
    browser.all('KMS_EVENT').map((event) => {
      const data = event.data as Json;
      return `${String(event.eventType)} ${String(data.mediaType ?? data.state ?? '')}`.trim();
    });
  await waitFor(() => seen().includes('IceComponentStateChanged CONNECTED') && seen().includes('MediaFlowInStateChanged VIDEO'), 10000, 'forwarded events');
  const types = new Set(browser.all('KMS_EVENT').map((event) => event.eventType));
  for (const type of ['ElementConnected', 'IceCandidateFound', 'IceComponentStateChanged', 'IceGatheringDone', 'NewCandidatePairSelected', 'MediaFlowOutStateChanged', 'MediaSessionStarted']) {
    assert.ok(types.has(type), `KMS_EVENT ${type}`);
  }
  assert.equal(browser.all('ADD_ICE_CANDIDATE').length, browser.all('KMS_EVENT').filter((event) => event.eventType === 'IceCandidateFound').length);
  assert.equal(pipelines(), 1);
  await browser.close();
  await noPipelineLeft();
  await peer.close();
});

test('rtp-gateway: ffmpeg → rtpIn → the browser, the browser → rtpOut → ffmpeg records; steps out of turn are ERRORs; no ffmpeg left', async () => {
  const browser = await Browser.open('/rtpgateway');
  browser.send({ id: 'START_RTP_IN' });
  await expectError(browser, 'ERROR', /send PROCESS_SDP_OFFER first/);
  browser.send({ id: 'START_RTP_IN', srtp: 'yes' });
  await expectError(browser, 'ERROR', /'srtp' must be true or false/);
  browser.send({ id: 'STOP_RTP_OUT' });
  await expectError(browser, 'ERROR', /nothing is being recorded/);
  const peer = new TestPeer((candidate) => browser.send({ id: 'ADD_ICE_CANDIDATE', candidate }));
  browser.on('ADD_ICE_CANDIDATE', (message) => peer.remoteCandidate(message.candidate));
  peer.peer.sendFrom(source);
  browser.send({ id: 'PROCESS_SDP_OFFER', sdpOffer: await peer.offer() });
  await peer.accept(await browser.next('PROCESS_SDP_ANSWER'));
  browser.send({ id: 'START_RTP_IN', srtp: true });
  const started = await browser.next('RTP_IN_STARTED', undefined, 15000);
  assert.match(String(started.rtpOffer), /m=video 9 RTP\/SAVP 96\r\n[\s\S]*a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[\s\S]*a=direction:active/);
  assert.match(String(started.rtpAnswer), /m=video \d+ RTP\/SAVP 96/);
  assert.match(String(started.rtpAnswer), /\r\na=direction:passive\r\n/, 'COMEDIA accepted, as KMS answers it');
  assert.ok((started.ffmpeg as string[]).includes('<the key of a=crypto>'), 'the key is not shown');
  await peer.receivesVideo('the browser, from ffmpeg over SRTP');
  assert.ok(peer.peer.received.keyframeSizes.some((size) => size.width === 320 && size.height === 240), 'the 320x240 test pattern of ffmpeg');
  browser.send({ id: 'START_RTP_IN' });
  await expectError(browser, 'ERROR', /already sends/);
  browser.send({ id: 'START_RTP_OUT' });
  const out = await browser.next('RTP_OUT_STARTED', undefined, 15000);
  assert.match(String(out.ffmpegSdp), /^v=0\r\n[\s\S]*c=IN IP4 127\.0\.0\.1\r\n[\s\S]*m=video \d+ RTP\/AVPF \d+\r\na=rtpmap:\d+ VP8\/90000\r\na=recvonly\r\n$/);
  assert.match(String(out.rtpAnswer), /m=audio 0 /, 'audio refused with port 0');
  await new Promise((resolve) => setTimeout(resolve, 3000));
  browser.send({ id: 'STOP_RTP_OUT' });
  const recording = await browser.next('RECORDING', undefined, 15000);
  assert.deepEqual(recording.video, { codec: 'vp8', width: 320, height: 240 });
  assert.ok(Number(recording.durationSeconds) > 1.5 && Number(recording.durationSeconds) < 6, `${String(recording.durationSeconds)} s recorded`);
  const types = new Set(browser.all('KMS_EVENT').filter((event) => event.source === 'rtpIn').map((event) => event.eventType));
  for (const type of ['ElementConnected', 'ConnectionStateChanged', 'MediaSessionStarted', 'MediaFlowOutStateChanged']) assert.ok(types.has(type), `rtpIn KMS_EVENT ${type}`);
  // The gateway's ffmpeg processes (the sender's rgbtestsrc, the recorder's SDP on its input), not the KMS' own.
  const ffmpegs = (): number => Number(execFileSync('pgrep', ['-c', '-f', '-P', String(process.pid), 'rgbtestsrc|-f sdp -i pipe:0'], { encoding: 'utf8' }).trim() || '0');
  await browser.close();
  await noPipelineLeft();
  await waitFor(() => { try { return ffmpegs() === 0; } catch { return true; } }, 8000, 'no ffmpeg of the gateway left');
  await peer.close();
});

test('one2one-call: register, call, accept; media both ways; stop tells the other party', async () => {
  const caller = await Browser.open('/call');
  const callee = await Browser.open('/call');
  caller.send({ id: 'register', name: 'carol' });
  callee.send({ id: 'register', name: 'dave' });
  assert.equal((await caller.next('registerResponse')).response, 'accepted');
  assert.equal((await callee.next('registerResponse')).response, 'accepted');
  const callerPeer = new TestPeer((candidate) => caller.send({ id: 'onIceCandidate', candidate }));
  const calleePeer = new TestPeer((candidate) => callee.send({ id: 'onIceCandidate', candidate }));
  caller.on('iceCandidate', (message) => callerPeer.remoteCandidate(message.candidate));
  callee.on('iceCandidate', (message) => calleePeer.remoteCandidate(message.candidate));
  callerPeer.peer.sendFrom(source);
  calleePeer.peer.sendFrom(source);

  caller.send({ id: 'call', from: 'carol', to: 'dave', sdpOffer: await callerPeer.offer() });
  assert.deepEqual(await callee.next('incomingCall'), { id: 'incomingCall', from: 'carol' });
  callee.send({ id: 'incomingCallResponse', from: 'carol', callResponse: 'accept', sdpOffer: await calleePeer.offer() });
  await calleePeer.accept(await callee.next('startCommunication'));
  const response = await caller.next('callResponse');
  assert.equal(response.response, 'accepted');
  await callerPeer.accept(response);
  await Promise.all([callerPeer.receivesVideo('the caller'), calleePeer.receivesVideo('the callee')]);
  assert.equal(pipelines(), 1, 'one pipeline per call');

  caller.send({ id: 'stop' });
  await callee.next('stopCommunication');
  await noPipelineLeft();
  await Promise.all([caller.close(), callee.close(), callerPeer.close(), calleePeer.close()]);
});

test('one2many-call: one presenter to two viewers, a second presenter refused, viewers told when it leaves', async () => {
  const presenter = await Browser.open('/one2many');
  const presenterPeer = new TestPeer((candidate) => presenter.send({ id: 'onIceCandidate', candidate }));
  presenter.on('iceCandidate', (message) => presenterPeer.remoteCandidate(message.candidate));
  presenterPeer.peer.sendFrom(source);
  presenter.send({ id: 'presenter', sdpOffer: await presenterPeer.offer() });
  const accepted = await presenter.next('presenterResponse');
  assert.equal(accepted.response, 'accepted');
  await presenterPeer.accept(accepted);

  const rival = await Browser.open('/one2many');
  rival.send({ id: 'presenter', sdpOffer: 'v=0' });
  assert.match(String((await rival.next('presenterResponse')).message), /Another user is currently acting as sender/);
  await rival.close();

  const viewers = await Promise.all([Browser.open('/one2many'), Browser.open('/one2many')]);
  const viewerPeers = viewers.map((viewer) => {
    const peer = new TestPeer((candidate) => viewer.send({ id: 'onIceCandidate', candidate }));
    viewer.on('iceCandidate', (message) => peer.remoteCandidate(message.candidate));
    return peer;
  });
  for (const [index, viewer] of viewers.entries()) {
    const peer = viewerPeers[index] as TestPeer;
    viewer.send({ id: 'viewer', sdpOffer: await peer.offer() });
    const response = await viewer.next('viewerResponse');
    assert.equal(response.response, 'accepted');
    await peer.accept(response);
  }
  await Promise.all(viewerPeers.map((peer, index) => peer.receivesVideo(`viewer ${index + 1}`)));
  assert.equal(pipelines(), 1, "the viewers' endpoints are in the presenter's pipeline");

  await presenter.close();
  await Promise.all(viewers.map((viewer) => viewer.next('stopCommunication')));
  await noPipelineLeft();
  await Promise.all([...viewers.map((viewer) => viewer.close()), presenterPeer.close(), ...viewerPeers.map((peer) => peer.close())]);
});

test('group-call: three participants see each other; leaving is announced; the empty room releases its pipeline', async () => {
  const names = ['ana', 'ben', 'chen'];
  const room = 'lab-room';
  const members: Array<{ name: string; browser: Browser; peers: Map<string, TestPeer> }> = [];
  for (const name of names) {
    const browser = await Browser.open('/groupcall');
    const peers = new Map<string, TestPeer>();
    browser.on('iceCandidate', (message) => peers.get(String(message.name))?.remoteCandidate(message.candidate));
    const earlier = members.map((member) => member.name);
    browser.send({ id: 'joinRoom', name, room });
    assert.deepEqual((await browser.next('existingParticipants')).data, earlier);
    for (const member of members) assert.equal((await member.browser.next('newParticipantArrived')).name, name);
    members.push({ name, browser, peers });
  }
  const receive = async (member: (typeof members)[number], sender: string): Promise<TestPeer> => {
    const peer = new TestPeer((candidate) => member.browser.send({ id: 'onIceCandidate', name: sender, candidate }));
    member.peers.set(sender, peer);
    member.browser.send({ id: 'receiveVideoFrom', sender, sdpOffer: await peer.offer() });
    await peer.accept(await member.browser.next('receiveVideoAnswer', (message) => message.name === sender));
    return peer;
  };
  for (const member of members) {
    const outgoing = await receive(member, member.name);
    outgoing.peer.sendFrom(source);
  }
  const incoming: Array<{ peer: TestPeer; what: string }> = [];
  for (const member of members) {
    for (const sender of names.filter((name) => name !== member.name)) incoming.push({ peer: await receive(member, sender), what: `${member.name} ← ${sender}` });
  }
  await Promise.all(incoming.map(({ peer, what }) => peer.receivesVideo(what)));
  assert.equal(pipelines(), 1, 'one pipeline per room');

  const [ana, ...others] = members;
  ana?.browser.send({ id: 'leaveRoom' });
  for (const member of others) assert.equal((await member.browser.next('participantLeft')).name, 'ana');
  assert.equal(pipelines(), 1, 'the room lives on with two participants');
  await Promise.all(members.map((member) => member.browser.close()));
  await noPipelineLeft();
  await Promise.all(members.flatMap((member) => [...member.peers.values()].map((peer) => peer.close())));
});

test('a lost KMS: the browser is told and disconnected; the next session connects a new kurento-client', async () => {
  const port = await freePort();
  let ownKms = await startKms({ port });
  const ownApps = new AppServers({ kmsUrl: ownKms.url, log: testLogger(), allowedOrigins: [ALLOWED_ORIGIN] });
  await ownApps.start();
  const own = await listenForApps(ownApps);
  const negotiate = async (): Promise<Browser> => {
    const browser = await Browser.open('/helloworld', ALLOWED_ORIGIN, own.base);
    const peer = new TestPeer(() => undefined);
    browser.send({ id: 'PROCESS_SDP_OFFER', sdpOffer: await peer.offer() });
    await browser.next('PROCESS_SDP_ANSWER');
    // Messages of a session run in order: the answer to this one means the offer's work (gatherCandidates) is done.
    browser.send({ id: 'SYNC' });
    await expectError(browser, 'ERROR', /unknown message id 'SYNC'/);
    await peer.close();
    return browser;
  };
  try {
    const first = await negotiate();
    const closed = once(first.socket, 'close') as Promise<[number]>;
    await ownKms.stop();
    await expectError(first, 'ERROR', /lost the connection to KMS/);
    const [code] = await closed;
    assert.equal(code, 1011, 'closed with 1011 (internal error)');
    ownKms = await startKms({ port });
    const second = await negotiate();
    assert.equal(ownKms.registry.all().filter((object) => object.type === 'MediaPipeline').length, 1);
    await second.close();
    const kmsNow = ownKms;
    await waitFor(() => kmsNow.registry.all().every((object) => object.type !== 'MediaPipeline'), 8000, 'the new pipeline released');
  } finally {
    await ownApps.stop();
    own.server.closeAllConnections();
    await new Promise((resolve) => own.server.close(resolve));
    await ownKms.stop();
  }
});
