/**
 * Robustness: thousands of random and malformed frames are each answered per spec while an honest client keeps
 * working; clients that vanish mid-negotiation leave nothing behind once their session is garbage-collected.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import kurentoClient, { type KurentoClient, type MediaPipeline, type WebRtcEndpoint } from 'kurento-client';
import type { KmsServer } from '../../server/kms/server';
import { call } from '../../core/kurento';
import { RawClient, startKms, type RpcMessage } from '../helpers/kms';
import { WeriftPeer, waitFor } from '../helpers/werift-peer';

let kms: KmsServer;
before(async () => {
  kms = await startKms({ garbageCollectorPeriod: 1, maxFrameBytes: 256 * 1024 });
});
after(async () => {
  await kms.stop();
});

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

const METHODS = ['ping', 'create', 'describe', 'invoke', 'subscribe', 'unsubscribe', 'release', 'transaction', 'connect', 'keepAlive', 'ref', 'unref', 'closeSession', 'nope', ''];
const OPERATIONS = ['connect', 'processOffer', 'getName', 'setName', 'gatherCandidates', 'addIceCandidate', 'getStats', 'release', 'getInfo', 'x'];
const TYPES = ['MediaPipeline', 'WebRtcEndpoint', 'PassThrough', 'kurento.MediaPipeline', 'Composite', 'HubPort', 'Nope', ''];

function randomValue(random: () => number, depth = 0): unknown {
  const pick = Math.floor(random() * (depth > 2 ? 6 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return Math.floor(random() * 1e6) - 5e5;
    case 2:
      return random() < 0.5;
    case 3:
      return 'x'.repeat(Math.floor(random() * 20));
    case 4:
      return `${Math.floor(random() * 1e9)}_kurento.MediaPipeline`;
    case 5:
      return random() * 1e10;
    case 6:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`k${i}`, randomValue(random, depth + 1)]));
  }
}

function randomFrame(random: () => number, id: number, pipelineId: string): { text: string; expectReply: boolean; id: unknown } {
  const kind = Math.floor(random() * 10);
  if (kind === 0) {
    // Broken JSON of many shapes.
    const junk = ['{', '{"jsonrpc":', '[1,2', 'null', '"text"', '{}}', '\u0000\u0001', '{"id":1,"method":"ping"'][Math.floor(random() * 8)] ?? '{';
    return { text: junk, expectReply: true, id: null };
  }
  if (kind === 1) return { text: JSON.stringify(randomValue(random)), expectReply: true, id: null };
  const method = METHODS[Math.floor(random() * METHODS.length)] ?? 'ping';
  const params: Record<string, unknown> = {};
  if (random() < 0.8) params.object = random() < 0.5 ? pipelineId : String(randomValue(random));
  if (random() < 0.6) params.type = TYPES[Math.floor(random() * TYPES.length)];
  if (random() < 0.6) params.operation = OPERATIONS[Math.floor(random() * OPERATIONS.length)];
  if (random() < 0.5) params.operationParams = randomValue(random);
  if (random() < 0.4) params.constructorParams = random() < 0.5 ? { mediaPipeline: pipelineId } : randomValue(random);
  if (random() < 0.3) params.operations = randomValue(random);
  if (random() < 0.2) params.sessionId = String(randomValue(random));
  const frame: Record<string, unknown> = { jsonrpc: random() < 0.95 ? '2.0' : '1.0', id, method };
  if (random() < 0.9) frame.params = random() < 0.9 ? params : randomValue(random);
  return { text: JSON.stringify(frame), expectReply: true, id };
}

test('fuzz: 3000 random and malformed frames are each answered per spec; an honest session keeps working', async () => {
  const random = rng(20261124);
  const fuzzer = await RawClient.connect(kms.url);
  const honest = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
  const target = await call<MediaPipeline>((done) => honest.create('MediaPipeline', done));
  let honestRounds = 0;
  let honestFailure: unknown;
  let fuzzing = true;
  const honestLoop = (async () => {
    while (fuzzing) {
      try {
        const pipeline = await call<MediaPipeline>((done) => honest.create('MediaPipeline', done));
        const endpoint = await call<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
        await call<void>((done) => endpoint.setName('honest', (error: unknown) => done(error, undefined)));
        assert.equal(await call<string>((done) => endpoint.getName(done)), 'honest');
        await call<void>((done) => pipeline.release((error: unknown) => done(error, undefined)));
        honestRounds += 1;
      } catch (error) {
        honestFailure = error;
        return;
      }
    }
  })();

  const counts = new Map<string, number>();
  for (let i = 0; i < 3000; i += 1) {
    const frame = randomFrame(random, i, target.id);
    // One frame at a time: whatever comes back answers it (invalid requests are answered with id null, as KMS does).
    const reply: RpcMessage = await fuzzer.sendRaw(frame.text);
    assert.equal(reply.jsonrpc, '2.0', `frame ${i}: ${frame.text.slice(0, 120)}`);
    assert.ok(reply.id === frame.id || reply.id === null, `frame ${i}: reply id ${String(reply.id)}`);
    if (reply.error) {
      assert.equal(typeof reply.error.code, 'number');
      assert.equal(typeof reply.error.message, 'string');
      const code = reply.error.code;
      assert.ok(code < -32000 + 1 || (code >= 40000 && code < 50000) || code === -32000, `frame ${i}: unexpected code ${code}`);
      counts.set(String(code), (counts.get(String(code)) ?? 0) + 1);
    } else {
      // KMS answers closeSession with an empty (null) result; everything else has a result object.
      const closeSession = frame.text.includes('"method":"closeSession"');
      assert.ok((reply.result && typeof reply.result === 'object') || (closeSession && reply.result === null), `frame ${i}: a result object`);
      counts.set('ok', (counts.get('ok') ?? 0) + 1);
    }
  }
  fuzzing = false;
  await honestLoop;
  assert.equal(honestFailure, undefined, `the honest session failed: ${String(honestFailure)}`);
  assert.ok(honestRounds > 5, `the honest session kept working (${honestRounds} rounds)`);
  assert.ok((counts.get('-32700') ?? 0) > 0 && (counts.get('-32600') ?? 0) > 0 && (counts.get('ok') ?? 0) > 0, JSON.stringify([...counts]));
  // Still alive and answering.
  assert.deepEqual((await fuzzer.call('ping')).result?.value, 'pong');
  fuzzer.close();
  await call<void>((done) => target.release((error: unknown) => done(error, undefined)));
  honest.close();
});

function udpSockets(): number {
  return (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().filter((handle) => handle instanceof dgram.Socket).length;
}

test('a client vanishing mid-negotiation leaves no UDP socket once its session is collected', async () => {
  const before = udpSockets();
  const raw = await RawClient.connect(kms.url);
  const pipeline = String((await raw.result('create', { type: 'MediaPipeline' })).value);
  const endpoint = String((await raw.result('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeline } })).value);
  const peer = new WeriftPeer();
  const offer = await peer.createOffer();
  await raw.result('invoke', { object: endpoint, operation: 'processOffer', operationParams: { offer } });
  await raw.result('invoke', { object: endpoint, operation: 'gatherCandidates' });
  await peer.close();
  await waitFor(() => udpSockets() > before, 5000, 'the endpoint to open its ICE sockets');
  raw.socket.terminate();
  await waitFor(() => kms.registry.resolve(pipeline) === undefined, 8000, 'the garbage collector to release the orphaned pipeline');
  await waitFor(() => udpSockets() <= before, 5000, `UDP sockets back to ${before}`);
  assert.equal(kms.registry.resolve(endpoint), undefined);
});

test('a connected session is never collected, however long it idles', async () => {
  const client = await RawClient.connect(kms.url);
  const pipeline = String((await client.result('create', { type: 'MediaPipeline' })).value);
  await new Promise((resolve) => setTimeout(resolve, 3500));
  assert.ok(kms.registry.resolve(pipeline), 'still there after three collector periods');
  await client.result('release', { object: pipeline });
  client.close();
});
