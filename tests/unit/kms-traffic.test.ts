/**
 * The application servers' own JSON-RPC frames with KMS, forwarded to the browser sessions they concern
 * (server/apps/kms-traffic.ts, the kmsTraffic message of server/apps/protocol.ts): first the attribution rules on
 * synthetic frames, then two hello-world sessions at once through the real kurento-client against the embedded KMS —
 * each gets its own create/invoke/subscribe/onEvent/release frames and none of the other's.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { AppServers } from '../../server/apps';
import { KmsTraffic, MAX_FRAME_CHARS, capFrame, type TrafficDirection, type TrafficOwner } from '../../server/apps/kms-traffic';
import { createLogger } from '../../server/kms/logger';
import type { KmsServer } from '../../server/kms/server';
import { startKms } from '../helpers/kms';
import { WeriftPeer, waitFor } from '../helpers/werift-peer';

type Json = Record<string, unknown>;

class Owner implements TrafficOwner {
  readonly frames: Array<{ direction: TrafficDirection; message: Json; truncated: boolean }> = [];
  constructor(readonly name: string) {}
  kmsFrame(direction: TrafficDirection, frame: string, truncated: boolean): void {
    this.frames.push({ direction, message: JSON.parse(frame) as Json, truncated });
  }
  methods(): string[] {
    return this.frames.map(({ direction, message }) => `${direction} ${String(message.method ?? 'answer')}`);
  }
}

const PIPELINE_A = 'aaaa_kurento.MediaPipeline';
const PIPELINE_B = 'bbbb_kurento.MediaPipeline';
const ENDPOINT_A = `${PIPELINE_A}/a1_kurento.WebRtcEndpoint`;
const ENDPOINT_B = `${PIPELINE_B}/b1_kurento.WebRtcEndpoint`;

function request(id: number, method: string, params: Json = {}): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params: { sessionId: 's', ...params } });
}
function answer(id: number, value: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id, result: { sessionId: 's', value } });
}
function onEvent(object: string, type: string): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'onEvent', params: { value: { object, type, data: { source: object, type } } } });
}

/** Two sessions building a pipeline and an endpoint each, their frames interleaved as on a shared connection. */
function twoSessions(): { traffic: KmsTraffic; a: Owner; b: Owner } {
  const traffic = new KmsTraffic();
  const a = new Owner('a');
  const b = new Owner('b');
  traffic.as([a], () => traffic.tap('out', request(1, 'create', { type: 'MediaPipeline', constructorParams: {} })));
  traffic.as([b], () => traffic.tap('out', request(2, 'create', { type: 'MediaPipeline', constructorParams: {} })));
  traffic.tap('in', answer(2, PIPELINE_B));
  traffic.tap('in', answer(1, PIPELINE_A));
  traffic.as([b], () => traffic.tap('out', request(3, 'create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: PIPELINE_B } })));
  traffic.as([a], () => traffic.tap('out', request(4, 'create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: PIPELINE_A } })));
  traffic.tap('in', answer(4, ENDPOINT_A));
  traffic.tap('in', answer(3, ENDPOINT_B));
  return { traffic, a, b };
}

test('each session gets the frames about its own objects, and none of the other session', () => {
  const { traffic, a, b } = twoSessions();
  traffic.tap('out', request(5, 'subscribe', { object: ENDPOINT_A, type: 'IceCandidateFound' }));
  traffic.tap('out', request(6, 'invoke', { object: ENDPOINT_B, operation: 'processOffer', operationParams: { offer: 'v=0 b' } }));
  traffic.tap('in', answer(6, 'v=0 answer b'));
  traffic.tap('in', answer(5, 'subscription-a'));
  traffic.tap('in', onEvent(ENDPOINT_A, 'IceCandidateFound'));
  traffic.tap('in', onEvent(ENDPOINT_B, 'IceComponentStateChanged'));

  assert.deepEqual(a.methods(), ['sent create', 'received answer', 'sent create', 'received answer', 'sent subscribe', 'received answer', 'received onEvent']);
  assert.deepEqual(b.methods(), ['sent create', 'received answer', 'sent create', 'received answer', 'sent invoke', 'received answer', 'received onEvent']);
  const textOf = (owner: Owner): string => JSON.stringify(owner.frames);
  assert.ok(!textOf(a).includes('bbbb'), "session a never sees session b's ids");
  assert.ok(!textOf(b).includes('aaaa'), "session b never sees session a's ids");
});

test('ping, session connect, ServerManager and unknown objects go to nobody; connect goes to the sink', () => {
  const { traffic, a, b } = twoSessions();
  const before = [a.frames.length, b.frames.length];
  traffic.tap('out', JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'ping', params: { interval: 240000 } }));
  traffic.tap('in', answer(7, 'pong'));
  traffic.tap('out', request(8, 'connect'));
  traffic.tap('in', answer(8, undefined));
  traffic.tap('out', request(9, 'invoke', { object: 'manager_ServerManager', operation: 'getPipelines' }));
  traffic.tap('in', answer(9, [PIPELINE_A, PIPELINE_B]));
  traffic.tap('in', onEvent('manager_ServerManager', 'ObjectCreated'));
  traffic.tap('in', onEvent('cccc_kurento.MediaPipeline', 'Error'));
  // A create outside any session's context belongs to nobody, and so do its object's frames.
  traffic.tap('out', request(10, 'create', { type: 'MediaPipeline' }));
  traffic.tap('in', answer(10, 'dddd_kurento.MediaPipeline'));
  traffic.tap('in', onEvent('dddd_kurento.MediaPipeline', 'Error'));
  traffic.tap('in', 'not json');
  assert.deepEqual([a.frames.length, b.frames.length], before);

  traffic.tap('out', request(11, 'invoke', { object: ENDPOINT_B, operation: 'connect', operationParams: { sink: ENDPOINT_A } }));
  traffic.tap('in', answer(11, null));
  assert.deepEqual(a.methods().slice(-2), ['sent invoke', 'received answer'], 'the sink side sees the connect');
  assert.equal(b.frames.length, before[1], 'the source side does not');
});

test('release forgets an object and its children; a forgotten owner leaves nothing behind', () => {
  const { traffic, a, b } = twoSessions();
  traffic.tap('out', request(12, 'release', { object: PIPELINE_A }));
  traffic.tap('in', answer(12, null));
  assert.deepEqual(a.methods().slice(-2), ['sent release', 'received answer']);
  const count = a.frames.length;
  traffic.tap('in', onEvent(ENDPOINT_A, 'MediaFlowInStateChanged'));
  assert.equal(a.frames.length, count, 'no frames about released objects');
  assert.deepEqual(traffic.size, { objects: 2, requests: 0 });
  traffic.share(PIPELINE_B, a);
  traffic.tap('out', request(13, 'release', { object: PIPELINE_B }));
  assert.equal(a.frames.length, count + 1, 'a shared pipeline: both see its release');
  traffic.forget(b);
  traffic.forget(a);
  assert.deepEqual(traffic.size, { objects: 0, requests: 0 });
});

test('long frames are capped and stay JSON', () => {
  const sdp = `v=0\r\n${'a=candidate:x\r\n'.repeat(5000)}`;
  const text = request(14, 'invoke', { object: ENDPOINT_A, operation: 'processOffer', operationParams: { offer: sdp } });
  assert.ok(text.length > MAX_FRAME_CHARS);
  const { frame, truncated } = capFrame(text);
  assert.ok(truncated);
  assert.ok(frame.length <= MAX_FRAME_CHARS);
  const parsed = JSON.parse(frame) as { params: { operationParams: { offer: string } } };
  assert.match(parsed.params.operationParams.offer, /^v=0\r\n.*…\(\d+ chars\)$/s);
  assert.deepEqual(capFrame('{"id":1}'), { frame: '{"id":1}', truncated: false });
});

// ---- Through the real kurento-client and the embedded KMS ----

let kms: KmsServer;
let apps: AppServers;
let server: Server;
let base: string;

before(async () => {
  kms = await startKms();
  apps = new AppServers({ kmsUrl: kms.url, log: createLogger('apps', 'silent') });
  await apps.start();
  server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!apps.handleUpgrade(req, socket, head)) socket.destroy();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await apps.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await kms.stop();
});

class Browser {
  readonly messages: Json[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.messages.push(JSON.parse(String(data)) as Json));
  }
  static async open(query: string): Promise<Browser> {
    const socket = new WebSocket(`${base}/helloworld${query}`);
    await once(socket, 'open');
    return new Browser(socket);
  }
  send(message: Json): void {
    this.socket.send(JSON.stringify(message));
  }
  traffic(): Array<{ direction: string; message: Json }> {
    return this.messages.filter((message) => message.id === 'kmsTraffic').map((message) => ({ direction: String(message.direction), message: JSON.parse(String(message.frame)) as Json }));
  }
  /** `sent create MediaPipeline`, `received onEvent IceCandidateFound`, `sent invoke processOffer`, … */
  summary(): string[] {
    return this.traffic().map(({ direction, message }) => {
      const params = (message.params ?? {}) as Json;
      const value = (params.value ?? {}) as Json;
      const detail = message.method === 'onEvent' ? value.type : (params.operation ?? params.type ?? '');
      return `${direction} ${String(message.method ?? 'answer')} ${String(detail ?? '')}`.trim();
    });
  }
  /** The id of the pipeline this session created, from the answer to its create. */
  pipelineId(): string {
    const value = this.traffic()
      .map(({ message }) => (message.result as Json | undefined)?.value)
      .find((id): id is string => typeof id === 'string' && id.endsWith('_kurento.MediaPipeline'));
    assert.ok(value, 'the answer to create MediaPipeline was forwarded');
    return value;
  }
  async close(): Promise<void> {
    this.socket.close();
    await once(this.socket, 'close');
  }
}

test('two hello-world sessions at once: each sees its own app server ↔ KMS frames only; one that did not ask, none', async () => {
  const [alice, bob, carol] = await Promise.all([Browser.open('?kmsTraffic=1'), Browser.open('?kmsTraffic=1'), Browser.open('')]);
  const peers = [new WeriftPeer(), new WeriftPeer(), new WeriftPeer()];
  try {
    const offers = await Promise.all(peers.map((peer) => peer.createOffer()));
    // Sent together: the three sessions' create requests interleave on the app server's one KMS connection.
    [alice, bob, carol].forEach((browser, index) => browser.send({ id: 'PROCESS_SDP_OFFER', sdpOffer: offers[index] }));
    const answered = (browser: Browser): boolean => browser.messages.some((message) => message.id === 'PROCESS_SDP_ANSWER');
    await waitFor(() => [alice, bob, carol].every(answered), 15000, 'three PROCESS_SDP_ANSWERs');
    const hasEvent = (browser: Browser): boolean => browser.summary().some((line) => line.startsWith('received onEvent'));
    await waitFor(() => hasEvent(alice) && hasEvent(bob), 10000, 'onEvent frames for alice and bob');

    for (const browser of [alice, bob]) {
      const summary = browser.summary();
      for (const expected of ['sent create MediaPipeline', 'sent create WebRtcEndpoint', 'sent subscribe IceCandidateFound', 'sent invoke connect', 'sent invoke processOffer', 'sent invoke gatherCandidates']) {
        assert.ok(summary.includes(expected), `${expected} in ${summary.join(', ')}`);
      }
      assert.ok(!summary.some((line) => line.includes('ping')), 'no ping forwarded');
    }
    const alicePipeline = alice.pipelineId();
    const bobPipeline = bob.pipelineId();
    assert.notEqual(alicePipeline, bobPipeline);
    assert.ok(!JSON.stringify(alice.traffic()).includes(bobPipeline), "alice never sees bob's pipeline");
    assert.ok(!JSON.stringify(bob.traffic()).includes(alicePipeline), "bob never sees alice's pipeline");
    assert.equal(carol.traffic().length, 0, 'a session without ?kmsTraffic=1 gets no kmsTraffic message');
    // Every create answered to alice is for one of her objects.
    for (const { message } of alice.traffic()) {
      const value = (message.result as Json | undefined)?.value;
      if (typeof value === 'string' && value.includes('_kurento.')) assert.ok(value.startsWith(alicePipeline.replace('_kurento.MediaPipeline', '')), value);
    }

    alice.send({ id: 'STOP' });
    const releaseOf = (browser: Browser): Json | undefined => browser.traffic().find(({ direction, message }) => direction === 'sent' && message.method === 'release')?.message;
    await waitFor(() => releaseOf(alice) !== undefined, 5000, "alice's release frame");
    const release = releaseOf(alice) as Json;
    assert.equal((release.params as Json).object, alicePipeline);
    await waitFor(() => alice.traffic().some(({ direction, message }) => direction === 'received' && message.id === release.id), 5000, 'its answer');
    assert.equal(releaseOf(bob), undefined, "bob does not see alice's release");
  } finally {
    await Promise.all([alice, bob, carol].map((browser) => browser.close()));
    await Promise.all(peers.map((peer) => peer.close()));
  }
  // The app's one KMS connection (an app server keeps one per KMS it uses).
  const connections = (apps as unknown as { apps: Map<string, { kmsConnections: Map<string, { traffic: KmsTraffic }> }> }).apps.get('/helloworld')?.kmsConnections;
  const traffic = connections ? [...connections.values()][0]?.traffic : undefined;
  await waitFor(() => kms.registry.all().filter((object) => object.type === 'MediaPipeline').length === 0, 8000, 'every pipeline released');
  await waitFor(() => traffic?.size.objects === 0, 5000, 'nothing left in the attribution maps');
});
