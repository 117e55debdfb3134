/**
 * The unmodified kurento-client 7.3 in Node against the embedded KMS, for the parts of the protocol the other files do
 * not drive through the real client: explicit and implicit transactions, unsubscribe, the ServerManager's
 * ObjectCreated / ObjectDestroyed seen by another client, the SDP bandwidth attributes, data channels, and session
 * release. Every frame the client sends and receives is tapped (Kurento Labs' reconnect-ws `socket.onFrame`), so the
 * tests check the wire as well as what the client makes of it.
 */
import '../helpers/fake-domain';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kurentoClient, { type KurentoClient, type MediaPipeline, type PassThrough, type ServerManager, type WebRtcEndpoint } from 'kurento-client';
import type { KmsServer } from '../../server/kms/server';
import { RawClient, startKms } from '../helpers/kms';
import { WeriftPeer, negotiate, waitFor } from '../helpers/werift-peer';
import { call, create } from '../../core/kurento';

let kms: KmsServer;
before(async () => {
  kms = await startKms();
});
after(async () => {
  await kms.stop();
});

interface Frame {
  direction: 'in' | 'out';
  message: {
    id?: number;
    method?: string;
    params?: Record<string, unknown> & { value?: { object?: string; type?: string; data?: Record<string, unknown> } };
    result?: (Record<string, unknown> & { value?: unknown }) | null;
    error?: { code: number; message: string; data?: { type?: string } };
  };
}

/** A client whose frames are recorded in `frames`. */
async function tapped(options: { useImplicitTransactions?: boolean } = {}): Promise<{ client: KurentoClient; frames: Frame[] }> {
  const frames: Frame[] = [];
  const client = await call<KurentoClient>((done) =>
    kurentoClient(
      kms.url,
      {
        failAfter: 2,
        ...options,
        socket: { onFrame: (direction, data) => frames.push({ direction, message: JSON.parse(data) as Frame['message'] }) },
      },
      done,
    ),
  );
  return { client, frames };
}

/** The response frame to the request frame `request`. */
function responseTo(frames: Frame[], request: Frame | undefined): Frame | undefined {
  if (request?.message.id === undefined) return undefined;
  return frames.find((frame) => frame.direction === 'in' && frame.message.id === request.message.id && frame.message.method === undefined);
}

function sent(frames: Frame[], method: string): Frame[] {
  return frames.filter((frame) => frame.direction === 'out' && frame.message.method === method);
}

function events(frames: Frame[], type: string, object?: string): Frame[] {
  return frames.filter(
    (frame) =>
      frame.direction === 'in' &&
      frame.message.method === 'onEvent' &&
      frame.message.params?.value?.type === type &&
      (object === undefined || frame.message.params.value.object === object),
  );
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const done = (callback: (error: unknown, result: undefined) => void) => (error: unknown) => callback(error, undefined);

// The transaction API of kurento-client 7.3, which the project's typings leave out (it needs tests/helpers/fake-domain
// on Node 20 and later).
interface Transaction {
  commit(callback: (error: unknown, result?: unknown) => void): unknown;
}
interface TransactionalClient {
  beginTransaction(): Transaction;
  create(transaction: Transaction, type: 'MediaPipeline', callback?: (error: unknown) => void): MediaPipeline;
}
interface TransactionalPipeline {
  create(transaction: Transaction, type: 'WebRtcEndpoint' | 'PassThrough', callback?: (error: unknown) => void): WebRtcEndpoint & PassThrough;
}
type Operation = (transaction: Transaction, ...args: unknown[]) => unknown;

function inTransaction<T>(object: T, method: keyof T & string): Operation {
  const fn = (object as unknown as Record<string, Operation>)[method];
  if (typeof fn !== 'function') throw new Error(`no ${method}`);
  return fn.bind(object);
}

function commit(transaction: Transaction): Promise<unknown> {
  return new Promise((resolve, reject) => transaction.commit((error, result) => (error ? reject(error) : resolve(result))));
}

/** A plain video + audio offer from a werift peer (optionally with a data channel). */
async function offerOf(peer: WeriftPeer): Promise<string> {
  return peer.createOffer();
}

/** The lines of the m-section of `media` (audio, video, application) in `sdp`. */
function section(sdp: string, media: string): string[] {
  const lines = sdp.split(/\r?\n/);
  const start = lines.findIndex((line) => line.startsWith(`m=${media} `));
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && line.startsWith('m='));
  return lines.slice(start, end < 0 ? undefined : end).filter(Boolean);
}

// 1. Transactions ------------------------------------------------------------------------------------------------------

test('beginTransaction/commit: one transaction RPC with newref:N; the objects it created are usable afterwards', async () => {
  const { client, frames } = await tapped();
  const tx = (client as unknown as TransactionalClient).beginTransaction();
  const pipeline = (client as unknown as TransactionalClient).create(tx, 'MediaPipeline');
  const endpoint = (pipeline as unknown as TransactionalPipeline).create(tx, 'WebRtcEndpoint');
  const passThrough = (pipeline as unknown as TransactionalPipeline).create(tx, 'PassThrough');
  // (Not connect: kurento-client 7.3's MediaElement.connect shifts the transaction off its arguments twice.)
  // (A callback is needed: without one the generated method takes the name for the callback once it has shifted the
  // transaction off its arguments.)
  inTransaction(endpoint, 'setName')(tx, 'named-in-tx', () => undefined);
  assert.equal(sent(frames, 'create').length, 0, 'nothing is sent before commit');
  await commit(tx);

  const [transaction, ...others] = sent(frames, 'transaction');
  assert.equal(others.length, 0, 'one transaction RPC');
  assert.equal(sent(frames, 'create').length, 0, 'the creates travel inside the transaction');
  const operations = transaction?.message.params?.operations as Array<{ id: number; method: string; params: Record<string, unknown> }>;
  assert.deepEqual(operations.map((op) => [op.id, op.method]), [[0, 'create'], [1, 'create'], [2, 'create'], [3, 'invoke']]);
  assert.deepEqual(operations[1]?.params.constructorParams, { mediaPipeline: 'newref:0' });
  assert.deepEqual(operations[2]?.params.constructorParams, { mediaPipeline: 'newref:0' });
  assert.deepEqual(operations[3]?.params, { object: 'newref:1', operation: 'setName', operationParams: { name: 'named-in-tx' } });

  const reply = responseTo(frames, transaction);
  const responses = reply?.message.result?.value as Array<{ id: number; jsonrpc: string; result?: { value: unknown; sessionId: string } }>;
  assert.equal(responses.length, 4);
  assert.deepEqual(responses.map((r) => [r.id, r.jsonrpc]), [[0, '2.0'], [1, '2.0'], [2, '2.0'], [3, '2.0']]);
  assert.equal(responses[3]?.result?.value, null, 'void invoke inside a transaction: value null');
  assert.equal(reply?.message.result?.sessionId, responses[0]?.result?.sessionId);

  // The client took the ids from the transaction's answer; the objects now work like any other.
  assert.match(pipeline.id, /^[0-9a-f-]{36}_kurento\.MediaPipeline$/);
  assert.equal(responses[0]?.result?.value, pipeline.id);
  assert.ok(endpoint.id.startsWith(`${pipeline.id}/`) && endpoint.id.endsWith('_kurento.WebRtcEndpoint'));
  assert.ok(passThrough.id.endsWith('_kurento.PassThrough'));
  assert.equal(await call<string>((cb) => endpoint.getName(cb)), 'named-in-tx');
  await call<void>((cb) => endpoint.connect(passThrough, done(cb)));
  const sinks = await call<Array<{ type: string }>>((cb) => passThrough.getSourceConnections(cb));
  assert.deepEqual(sinks.map((connection) => connection.type), ['AUDIO', 'VIDEO', 'DATA']);
  const children = await call<Array<{ id: string }>>((cb) => pipeline.getChildren(cb));
  assert.deepEqual(children.map((child) => child.id).sort(), [endpoint.id, passThrough.id].sort());
  await call<void>((cb) => pipeline.release(done(cb)));
  client.close();
});

test('a transaction stops at its first failing operation: that one reports the KMS error, later ones never run', async () => {
  const { client, frames } = await tapped();
  const pipeline = await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [endpoint] = await create<WebRtcEndpoint>((cb) => pipeline.create('WebRtcEndpoint', cb));
  const tx = (client as unknown as TransactionalClient).beginTransaction();
  const outcomes: unknown[] = [undefined, undefined, undefined];
  const settled = [0, 1, 2].map(
    (index) =>
      new Promise<void>((resolve) => {
        const record = (error: unknown): void => {
          outcomes[index] = error ?? 'ok';
          resolve();
        };
        if (index === 0) inTransaction(endpoint, 'setName')(tx, 'renamed-in-tx', record);
        if (index === 1) inTransaction(endpoint, 'processOffer')(tx, '', record);
        if (index === 2) inTransaction(endpoint, 'setName')(tx, 'never-applied', record);
      }),
  );
  await commit(tx);
  await Promise.all(settled);

  const reply = responseTo(frames, sent(frames, 'transaction')[0]);
  assert.equal(reply?.message.error, undefined, 'the transaction RPC itself succeeds');
  const responses = reply?.message.result?.value as Array<{ id: number; result?: unknown; error?: { code: number; message: string; data?: { type?: string } } }>;
  assert.equal(responses.length, 2, 'KMS stops after the failing operation');
  assert.deepEqual(responses[1]?.error, { code: 40201, message: 'Empty offer not valid', data: { type: 'SDP_PARSE_ERROR' } });
  assert.equal(outcomes[0], 'ok');
  assert.equal((outcomes[1] as { code?: number }).code, 40201);
  assert.equal((outcomes[2] as Error).message, 'Command not executed in the server');
  // What ran before the failure stays done (KMS has no rollback); what came after did not run.
  assert.equal(await call<string>((cb) => endpoint.getName(cb)), 'renamed-in-tx');
  await call<void>((cb) => pipeline.release(done(cb)));
  client.close();
});

test('useImplicitTransactions: requests of one tick travel as one transaction, and errors reach their callbacks', async () => {
  const { client, frames } = await tapped({ useImplicitTransactions: true });
  const pipeline = await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [[a], [b]] = await Promise.all([
    create<WebRtcEndpoint>((cb) => pipeline.create('WebRtcEndpoint', cb)),
    create<WebRtcEndpoint>((cb) => pipeline.create('WebRtcEndpoint', cb)),
  ]);
  const batched = sent(frames, 'transaction').find((frame) => (frame.message.params?.operations as unknown[]).length === 2);
  assert.ok(batched, `two creates in one transaction: ${JSON.stringify(sent(frames, 'transaction').map((f) => f.message.params?.operations))}`);
  assert.ok(a.id !== b.id && a.id.startsWith(pipeline.id) && b.id.startsWith(pipeline.id));
  const [connected, refused] = await Promise.all([
    call<void>((cb) => a.connect(b, done(cb))).then(() => 'ok'),
    call<string>((cb) => b.processOffer('not an sdp', cb)).catch((error: { code?: number }) => error.code),
  ]);
  assert.equal(connected, 'ok');
  assert.equal(refused, 40201);
  await call<void>((cb) => pipeline.release(done(cb)));
  client.close();
});

// 2. Unsubscribe -------------------------------------------------------------------------------------------------------

test('removing the last listener sends unsubscribe; KMS answers and sends no more events for it', async () => {
  const { client, frames } = await tapped();
  const pipeline = await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [source] = await create<PassThrough>((cb) => pipeline.create('PassThrough', cb));
  const [sink] = await create<PassThrough>((cb) => pipeline.create('PassThrough', cb));
  const seen: string[] = [];
  const first = (event: { mediaType: string }): void => void seen.push(`first:${event.mediaType}`);
  const second = (event: { mediaType: string }): void => void seen.push(`second:${event.mediaType}`);
  source.on('ElementConnected', first);
  source.on('ElementConnected', second);
  await waitFor(() => sent(frames, 'subscribe').some((frame) => responseTo(frames, frame)), 2000, 'the subscribe answer');
  const subscribes = sent(frames, 'subscribe');
  assert.equal(subscribes.length, 1, 'one subscription for two listeners');
  const subscription = responseTo(frames, subscribes[0])?.message.result?.value;
  assert.match(String(subscription), /^[0-9a-f-]{36}$/);

  await call<void>((cb) => source.connect(sink, 'VIDEO', done(cb)));
  await waitFor(() => seen.length === 2, 2000, 'ElementConnected to both listeners');
  source.removeListener('ElementConnected', first);
  await pause(100);
  assert.equal(sent(frames, 'unsubscribe').length, 0, 'a listener is left: no unsubscribe');

  source.removeListener('ElementConnected', second);
  await waitFor(() => sent(frames, 'unsubscribe').length === 1, 2000, 'the unsubscribe request');
  const unsubscribe = sent(frames, 'unsubscribe')[0];
  assert.deepEqual(
    { object: unsubscribe?.message.params?.object, subscription: unsubscribe?.message.params?.subscription },
    { object: source.id, subscription },
  );
  await waitFor(() => responseTo(frames, unsubscribe) !== undefined, 2000, 'the unsubscribe answer');
  const answer = responseTo(frames, unsubscribe)?.message;
  assert.equal(answer?.error, undefined);
  assert.deepEqual(Object.keys(answer?.result ?? {}), ['sessionId']);

  const before = events(frames, 'ElementConnected', source.id).length;
  assert.equal(before, 1);
  await call<void>((cb) => source.connect(sink, 'AUDIO', done(cb)));
  await call<void>((cb) => source.connect(sink, 'DATA', done(cb)));
  await pause(200);
  assert.equal(events(frames, 'ElementConnected', source.id).length, before, 'no onEvent after unsubscribe');
  assert.deepEqual(seen, ['first:VIDEO', 'second:VIDEO']);
  const connections = await call<Array<{ type: string }>>((cb) => source.getSinkConnections(cb));
  assert.deepEqual(connections.map((connection) => connection.type).sort(), ['AUDIO', 'DATA', 'VIDEO'], 'the connects themselves happened');
  await call<void>((cb) => pipeline.release(done(cb)));
  client.close();
});

// 3. ServerManager events ------------------------------------------------------------------------------------------------

test('ObjectCreated / ObjectDestroyed reach another client subscribed on the ServerManager', async () => {
  const watcher = await tapped();
  const manager = await call<ServerManager>((cb) => watcher.client.getServerManager(cb));
  assert.equal(manager.id, 'manager_ServerManager');
  const created: Array<Record<string, unknown>> = [];
  const destroyed: Array<Record<string, unknown>> = [];
  manager.on('ObjectCreated', (event) => void created.push(event as unknown as Record<string, unknown>));
  manager.on('ObjectDestroyed', (event) => void destroyed.push(event as unknown as Record<string, unknown>));
  await waitFor(
    () => sent(watcher.frames, 'subscribe').filter((frame) => responseTo(watcher.frames, frame)).length === 2,
    2000,
    'both subscriptions answered',
  );
  assert.equal(sent(watcher.frames, 'subscribe').length, 2);

  const { client: actor } = await tapped();
  const pipeline = await call<MediaPipeline>((cb) => actor.create('MediaPipeline', cb));
  const [endpoint] = await create<WebRtcEndpoint>((cb) => pipeline.create('WebRtcEndpoint', cb));
  await waitFor(() => created.length >= 2, 2000, 'two ObjectCreated');
  assert.deepEqual(
    created.map((event) => event.object),
    [pipeline.id, endpoint.id],
  );
  for (const event of created) {
    // ObjectCreated extends RaiseBase, not Media: no `type` member in its data.
    assert.deepEqual(Object.keys(event).sort(), ['object', 'source', 'tags', 'timestampMillis']);
    assert.equal(event.source, 'manager_ServerManager');
    assert.deepEqual(event.tags, []);
    assert.match(String(event.timestampMillis), /^\d{13}$/);
  }
  const wire = events(watcher.frames, 'ObjectCreated');
  assert.equal(wire[0]?.message.params?.value?.object, 'manager_ServerManager');
  assert.equal('id' in (wire[0]?.message ?? {}), false);

  await call<void>((cb) => pipeline.release(done(cb)));
  await waitFor(() => destroyed.length >= 2, 2000, 'two ObjectDestroyed');
  assert.deepEqual(destroyed.map((event) => event.objectId).sort(), [endpoint.id, pipeline.id].sort());
  for (const event of destroyed) {
    assert.deepEqual(Object.keys(event).sort(), ['objectId', 'source', 'tags', 'timestampMillis']);
    assert.equal(event.source, 'manager_ServerManager');
  }
  actor.close();
  watcher.client.close();
});

// 4. SDP bandwidth --------------------------------------------------------------------------------------------------------

test('bandwidth properties: KMD defaults, set/get, and maxVideo/AudioRecvBandwidth as b=AS in the SDP answer and offer', async () => {
  const { client } = await tapped();
  const pipeline = await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [plain] = await create<WebRtcEndpoint>((cb) => pipeline.create('WebRtcEndpoint', cb));
  const defaults = {
    maxVideoRecvBandwidth: await call<number>((cb) => plain.getMaxVideoRecvBandwidth(cb)),
    maxAudioRecvBandwidth: await call<number>((cb) => plain.getMaxAudioRecvBandwidth(cb)),
    minVideoRecvBandwidth: await call<number>((cb) => plain.getMinVideoRecvBandwidth(cb)),
    minVideoSendBandwidth: await call<number>((cb) => plain.getMinVideoSendBandwidth(cb)),
    maxVideoSendBandwidth: await call<number>((cb) => plain.getMaxVideoSendBandwidth(cb)),
  };
  assert.deepEqual(defaults, { maxVideoRecvBandwidth: 0, maxAudioRecvBandwidth: 0, minVideoRecvBandwidth: 0, minVideoSendBandwidth: 100, maxVideoSendBandwidth: 500 });

  // Unlimited receive bandwidth (0): no b=AS in the answer, whatever the offer says.
  const plainPeer = new WeriftPeer();
  const plainOffer = await offerOf(plainPeer);
  const plainAnswer = await call<string>((cb) => plain.processOffer(plainOffer, cb));
  assert.doesNotMatch(plainAnswer, /^b=/m);

  const [limited] = await create<WebRtcEndpoint>((cb) => pipeline.create('WebRtcEndpoint', cb));
  await call<void>((cb) => limited.setMaxVideoRecvBandwidth(1200, done(cb)));
  await call<void>((cb) => limited.setMaxAudioRecvBandwidth(64, done(cb)));
  await call<void>((cb) => limited.setMinVideoSendBandwidth(150, done(cb)));
  await call<void>((cb) => limited.setMaxVideoSendBandwidth(2000, done(cb)));
  await call<void>((cb) => limited.setMinVideoRecvBandwidth(300, done(cb)));
  assert.equal(await call<number>((cb) => limited.getMaxVideoRecvBandwidth(cb)), 1200);
  assert.equal(await call<number>((cb) => limited.getMaxAudioRecvBandwidth(cb)), 64);
  assert.equal(await call<number>((cb) => limited.getMinVideoSendBandwidth(cb)), 150);
  assert.equal(await call<number>((cb) => limited.getMaxVideoSendBandwidth(cb)), 2000);
  assert.equal(await call<number>((cb) => limited.getMinVideoRecvBandwidth(cb)), 300);
  const limitedPeer = new WeriftPeer();
  const limitedOffer = await offerOf(limitedPeer);
  const answer = await call<string>((cb) => limited.processOffer(limitedOffer, cb));
  const video = section(answer, 'video');
  const audio = section(answer, 'audio');
  assert.deepEqual(video.filter((line) => line.startsWith('b=')), ['b=AS:1200'], video.join(' | '));
  assert.deepEqual(audio.filter((line) => line.startsWith('b=')), ['b=AS:64'], audio.join(' | '));
  // SDP order (RFC 8866): b= comes after m= and c=, before the attributes.
  for (const lines of [video, audio]) {
    const b = lines.findIndex((line) => line.startsWith('b='));
    assert.ok(lines.slice(1, b).every((line) => line.startsWith('c=') || line.startsWith('i=')), lines.join(' | '));
    assert.ok(lines.slice(b + 1).every((line) => !/^[mic]=/.test(line)), lines.join(' | '));
  }
  // The peer accepts it, and KMS' stored local description is the answer it sent.
  await limitedPeer.acceptAnswer(answer);
  assert.equal(await call<string>((cb) => limited.getLocalSessionDescriptor(cb)), answer);

  // As offerer, the video limit goes into KMS' offer too.
  const [offerer] = await create<WebRtcEndpoint>((cb) => pipeline.create('WebRtcEndpoint', cb));
  await call<void>((cb) => offerer.setMaxVideoRecvBandwidth(800, done(cb)));
  const offer = await call<string>((cb) => offerer.generateOffer(cb));
  assert.deepEqual(section(offer, 'video').filter((line) => line.startsWith('b=')), ['b=AS:800']);
  assert.deepEqual(section(offer, 'audio').filter((line) => line.startsWith('b=')), []);

  const negative = await new Promise<unknown>((resolve) => plain.setMaxVideoRecvBandwidth(-5, (error: unknown) => resolve(error)));
  assert.equal((negative as { code?: number }).code, 40001);
  for (const peer of [plainPeer, limitedPeer]) await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
  client.close();
});

// 5. Data channels ----------------------------------------------------------------------------------------------------------

test('data channels: without useDataChannels KMS rejects m=application and createDataChannel answers 40111', async () => {
  const { client } = await tapped();
  const pipeline = await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [endpoint] = await create<WebRtcEndpoint>((cb) => pipeline.create('WebRtcEndpoint', cb));
  const beforeNegotiation = await new Promise<unknown>((resolve) => endpoint.createDataChannel('early', (error: unknown) => resolve(error)));
  assert.deepEqual(
    { code: (beforeNegotiation as { code?: number }).code, message: (beforeNegotiation as Error).message, data: (beforeNegotiation as { data?: unknown }).data },
    { code: 40111, message: 'Data channels are not supported', data: { type: 'MEDIA_OBJECT_OPERATION_NOT_SUPPORTED' } },
  );
  const peer = new WeriftPeer({ dataChannel: true });
  const offer = await offerOf(peer);
  assert.match(offer, /^m=application [1-9]\d* UDP\/DTLS\/SCTP webrtc-datachannel/m);
  const answer = await call<string>((cb) => endpoint.processOffer(offer, cb));
  assert.deepEqual(section(answer, 'application'), ['m=application 0 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:2'], 'the data section is rejected');
  assert.match(answer, /^a=group:BUNDLE 0 1\r?$/m, 'a rejected section is not bundled');
  assert.match(answer, /^m=video [1-9]/m);
  const afterNegotiation = await new Promise<unknown>((resolve) => endpoint.createDataChannel('chat', (error: unknown) => resolve(error)));
  assert.equal((afterNegotiation as { code?: number }).code, 40111);
  const close = await new Promise<unknown>((resolve) => endpoint.closeDataChannel(0, (error: unknown) => resolve(error)));
  assert.equal((close as { code?: number }).code, 40111);
  await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
  client.close();
});

test('data channels: with useDataChannels an m=application offer is accepted; createDataChannel opens a channel', async () => {
  const { client } = await tapped();
  const pipeline = await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const peer = new WeriftPeer({ dataChannel: true });
  const remoteChannels: string[] = [];
  peer.pc.onDataChannel.subscribe((channel) => void remoteChannels.push(channel.label));
  const endpoint = await negotiate(pipeline, peer, { useDataChannels: true });
  const answer = await call<string>((cb) => endpoint.getLocalSessionDescriptor(cb));
  assert.match(answer, /^m=application [1-9]\d* UDP\/DTLS\/SCTP webrtc-datachannel/m);
  assert.match(answer, /^a=sctp-port:\d+/m);
  const opened: number[] = [];
  endpoint.on('DataChannelOpened', (event) => void opened.push(event.channelId));
  // maxPacketLifeTime and maxRetransmits together are a W3C syntax error (40107), checked before anything is created.
  const both = await new Promise<unknown>((resolve) => endpoint.createDataChannel('bad', true, 100, 3, (error: unknown) => resolve(error)));
  assert.deepEqual(
    { code: (both as { code?: number }).code, message: (both as Error).message },
    { code: 40107, message: 'Syntax error' },
  );
  await call<void>((cb) => endpoint.createDataChannel('from-kms', done(cb)));
  await waitFor(() => remoteChannels.includes('from-kms'), 5000, 'the channel KMS created to reach the peer');
  await waitFor(() => opened.length >= 2, 5000, 'DataChannelOpened');
  assert.equal(new Set(opened).size, 1, `one channel, reported twice as KMS 7 does: ${opened.join(',')}`);
  await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
  client.close();
});

// 6. Sessions ---------------------------------------------------------------------------------------------------------------

test('a call on a released object answers 40101 (kurento-client: ReferenceError)', async () => {
  const { client, frames } = await tapped();
  const pipeline = await call<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [endpoint] = await create<WebRtcEndpoint>((cb) => pipeline.create('WebRtcEndpoint', cb));
  const id = endpoint.id;
  // Another client still holds the id: it tries the endpoint after the first client released the pipeline.
  const { client: other } = await tapped();
  const seenByOther = (await call((cb) => other.getMediaobjectById(id, cb))) as WebRtcEndpoint;
  await call<void>((cb) => pipeline.release(done(cb)));
  const error = await new Promise<unknown>((resolve) => seenByOther.getName((failure: unknown) => resolve(failure)));
  assert.ok(error instanceof ReferenceError, String(error));
  assert.equal((error as { code?: number }).code, 40101);
  assert.equal((error as Error).message, `Object '${id}' not found`);
  assert.deepEqual((error as { data?: unknown }).data, { type: 'MEDIA_OBJECT_NOT_FOUND' });
  // The releasing client sent release once, and got plain success.
  const release = sent(frames, 'release')[0];
  assert.deepEqual(Object.keys(responseTo(frames, release)?.message.result ?? {}), ['sessionId']);
  other.close();
  client.close();
});

test('closeSession (not sent by kurento-client): result null; release:true releases the session objects, release:false unrefs', async () => {
  const { client } = await tapped();
  const manager = await call<ServerManager>((cb) => client.getServerManager(cb));
  const destroyed: string[] = [];
  manager.on('ObjectDestroyed', (event) => void destroyed.push(String(event.objectId)));

  // release: true — every object of the session goes, even one another session also uses.
  const owner = await RawClient.connect(kms.url);
  const ownerSession = String((await owner.result('describe', { object: 'manager_ServerManager' })).sessionId);
  const pipeline = String((await owner.result('create', { type: 'MediaPipeline' })).value);
  const endpoint = String((await owner.result('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeline } })).value);
  const user = await RawClient.connect(kms.url);
  await user.result('describe', { object: pipeline });
  const closed = await owner.call('closeSession', { sessionId: ownerSession, release: true });
  assert.equal(closed.error, undefined);
  assert.equal(closed.result, null, 'KMS answers closeSession with a null result');
  await waitFor(() => destroyed.includes(pipeline) && destroyed.includes(endpoint), 2000, 'the session objects released');
  assert.equal((await user.call('describe', { object: pipeline })).error?.code, 40101);
  assert.ok(!kms.sessions.ids().includes(ownerSession), 'the session is gone');

  // release: false (the default) — objects only this session held are released, shared ones stay.
  const second = await RawClient.connect(kms.url);
  const secondSession = String((await second.result('describe', { object: 'manager_ServerManager' })).sessionId);
  const own = String((await second.result('create', { type: 'MediaPipeline' })).value);
  const shared = String((await second.result('create', { type: 'MediaPipeline' })).value);
  await user.result('describe', { object: shared });
  assert.equal((await second.call('closeSession', { sessionId: secondSession })).result, null);
  await waitFor(() => destroyed.includes(own), 2000, 'the unshared pipeline released');
  assert.equal((await user.result('invoke', { object: shared, operation: 'getName' })).value, shared, 'the shared pipeline stays');
  assert.ok(!destroyed.includes(shared));

  // An unknown session: nothing to do, no error.
  const unknown = await user.call('closeSession', { sessionId: 'no-such-session' });
  assert.equal(unknown.error, undefined);
  assert.equal(unknown.result, null);
  await user.result('release', { object: shared });
  for (const raw of [owner, second, user]) raw.close();
  client.close();
});
