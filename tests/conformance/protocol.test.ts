/**
 * The Kurento protocol on the wire: every method and error code of the reference, checked frame by frame with a raw
 * WebSocket client against the embedded server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import type { KmsServer } from '../../server/kms/server';
import { RawClient, startKms } from '../helpers/kms';

let kms: KmsServer;
before(async () => {
  kms = await startKms({ allowedOrigins: ['http://127.0.0.1:3000'], maxFrameBytes: 64 * 1024 });
});
after(async () => {
  await kms.stop();
});

async function client(): Promise<RawClient> {
  return RawClient.connect(kms.url);
}

describe('envelope', () => {
  test('ping without a session answers pong without sessionId', async () => {
    const c = await client();
    const reply = await c.call('ping', { interval: 5000 });
    assert.deepEqual(reply.result, { value: 'pong' });
    assert.equal(reply.jsonrpc, '2.0');
    c.close();
  });

  test('unparsable JSON gets -32700, a non-request -32600, an unknown method -32601', async () => {
    const c = await client();
    const parse = await c.sendRaw('{"jsonrpc":"2.0",');
    assert.equal(parse.error?.code, -32700);
    assert.equal(parse.id, null);
    const invalid = await c.sendRaw(JSON.stringify({ jsonrpc: '1.0', id: 1, method: 'ping' }));
    assert.deepEqual(invalid.error, { code: -32600, message: 'Invalid JSON-RPC request.' });
    const batch = await c.sendRaw(JSON.stringify([{ jsonrpc: '2.0', id: 2, method: 'ping' }]));
    assert.equal(batch.error?.code, -32600);
    const unknown = await c.call('teleport', {});
    assert.deepEqual(unknown.error, { code: -32601, message: 'Method not found.' });
    c.close();
  });

  test("missing params: -32602 \"'params' is required\"; missing member: -32000", async () => {
    const c = await client();
    const noParams = await c.call('create');
    assert.equal(noParams.error?.code, -32602);
    assert.equal(noParams.error?.data?.type, 'INVALID_PARAMS');
    const noType = await c.call('create', {});
    assert.deepEqual(noType.error, { code: -32000, message: "'type' parameter is required" });
    c.close();
  });
});

describe('sessions and objects', () => {
  test('describe of the ServerManager creates and binds a session; later results carry it', async () => {
    const c = await client();
    const described = await c.result('describe', { object: 'manager_ServerManager' });
    assert.equal(described.type, 'ServerManager');
    assert.equal(described.qualifiedType, 'kurento.ServerManager');
    assert.deepEqual(described.hierarchy, ['kurento.MediaObject']);
    assert.match(String(described.sessionId), /^[0-9a-f-]{36}$/);
    // A create without sessionId (as kurento-client pipelines it) gets the bound session injected.
    const created = await c.result('create', { type: 'MediaPipeline', properties: {} });
    assert.equal(created.sessionId, described.sessionId);
    assert.match(String(created.value), /^[0-9a-f-]{36}_kurento\.MediaPipeline$/);
    const pong = await c.result('ping');
    assert.deepEqual(pong, { value: 'pong', sessionId: described.sessionId });
    c.close();
  });

  test('create accepts qualified names, builds child ids and describes the hierarchy', async () => {
    const c = await client();
    const pipeline = String((await c.result('create', { type: 'kurento.MediaPipeline' })).value);
    const endpoint = String((await c.result('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeline } })).value);
    assert.ok(endpoint.startsWith(`${pipeline}/`));
    assert.ok(endpoint.endsWith('_kurento.WebRtcEndpoint'));
    const described = await c.result('describe', { object: endpoint });
    assert.deepEqual(described.hierarchy, [
      'kurento.BaseRtpEndpoint',
      'kurento.SdpEndpoint',
      'kurento.SessionEndpoint',
      'kurento.Endpoint',
      'kurento.MediaElement',
      'kurento.MediaObject',
    ]);
    await c.result('release', { object: pipeline });
    c.close();
  });

  test('unknown and unimplemented factories answer 40108 like a KMS without the module', async () => {
    const c = await client();
    const unknown = await c.call('create', { type: 'TeleportEndpoint' });
    assert.deepEqual(unknown.error, { code: 40108, message: "Factory 'TeleportEndpoint' not found", data: { type: 'MEDIA_OBJECT_NOT_AVAILABLE' } });
    const abstract = await c.call('create', { type: 'MediaElement' });
    assert.equal(abstract.error?.code, 40108);
    c.close();
  });

  test('constructor params are validated (40001) and unknown objects answer 40101', async () => {
    const c = await client();
    const noPipeline = await c.call('create', { type: 'WebRtcEndpoint', constructorParams: {} });
    assert.equal(noPipeline.error?.code, 40001);
    assert.equal(noPipeline.error?.data?.type, 'MARSHALL_ERROR');
    const badPipeline = await c.call('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: 'nope_kurento.MediaPipeline' } });
    assert.equal(badPipeline.error?.code, 40101);
    const describe = await c.call('describe', { object: 'does-not-exist_kurento.WebRtcEndpoint' });
    assert.deepEqual(describe.error, {
      code: 40101,
      message: "Object 'does-not-exist_kurento.WebRtcEndpoint' not found",
      data: { type: 'MEDIA_OBJECT_NOT_FOUND' },
    });
    c.close();
  });

  test('invoke: void methods answer value null, getters and setters, 40001 on bad params, 40008 on unknown operations', async () => {
    const c = await client();
    const pipeline = String((await c.result('create', { type: 'MediaPipeline' })).value);
    const endpoint = String((await c.result('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeline } })).value);
    const connected = await c.result('invoke', { object: endpoint, operation: 'connect', operationParams: { sink: endpoint } });
    assert.deepEqual(Object.keys(connected).sort(), ['sessionId', 'value']);
    assert.equal(connected.value, null);
    await c.result('invoke', { object: endpoint, operation: 'setName', operationParams: { name: 'my-endpoint' } });
    assert.equal((await c.result('invoke', { object: endpoint, operation: 'getName' })).value, 'my-endpoint');
    assert.equal((await c.result('invoke', { object: endpoint, operation: 'getMaxVideoSendBandwidth' })).value, 500);
    const badOffer = await c.call('invoke', { object: endpoint, operation: 'processOffer', operationParams: { offer: 12345 } });
    assert.deepEqual(badOffer.error, { code: 40001, message: "'offer' parameter should be a string", data: { type: 'MARSHALL_ERROR' } });
    const missing = await c.call('invoke', { object: endpoint, operation: 'processOffer' });
    assert.equal(missing.error?.code, 40001);
    const badEnum = await c.call('invoke', { object: endpoint, operation: 'connect', operationParams: { sink: endpoint, mediaType: 'SMELL' } });
    assert.deepEqual(badEnum.error, { code: 40001, message: "Invalid value for 'MediaType'", data: { type: 'MARSHALL_ERROR' } });
    const unknownOp = await c.call('invoke', { object: endpoint, operation: 'fly', operationParams: { high: true } });
    assert.deepEqual(unknownOp.error, { code: 40008, message: "Method 'fly' with 1 parameters not found", data: { type: 'MALFORMED_TRANSACTION' } });
    const readOnly = await c.call('invoke', { object: endpoint, operation: 'setMediaState', operationParams: { mediaState: 'CONNECTED' } });
    assert.equal(readOnly.error?.code, 40008);
    const tag = await c.call('invoke', { object: endpoint, operation: 'getTag', operationParams: { key: 'absent' } });
    assert.equal(tag.error?.code, 40110);
    const connections = await c.result('invoke', { object: endpoint, operation: 'getSinkConnections' });
    assert.deepEqual(
      (connections.value as Array<Record<string, unknown>>).map((connection) => [connection.__type__, connection.type, connection.source, connection.sink]),
      ['AUDIO', 'VIDEO', 'DATA'].map((type) => ['ElementConnectionData', type, endpoint, endpoint]),
    );
    const otherPipeline = String((await c.result('create', { type: 'MediaPipeline' })).value);
    const foreign = String((await c.result('create', { type: 'PassThrough', constructorParams: { mediaPipeline: otherPipeline } })).value);
    const crossPipeline = await c.call('invoke', { object: endpoint, operation: 'connect', operationParams: { sink: foreign } });
    assert.deepEqual(crossPipeline.error, { code: 40004, message: 'Media elements do not share pipeline', data: { type: 'CONNECT_ERROR' } });
    await c.result('release', { object: pipeline });
    await c.result('release', { object: otherPipeline });
    c.close();
  });

  test('SDP errors: 40201 empty or invalid, 40208 second offer, 40209 answer without offer, 40210 second answer', async () => {
    const c = await client();
    const pipeline = String((await c.result('create', { type: 'MediaPipeline' })).value);
    const endpoint = String((await c.result('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeline } })).value);
    const empty = await c.call('invoke', { object: endpoint, operation: 'processOffer', operationParams: { offer: '' } });
    assert.deepEqual(empty.error, { code: 40201, message: 'Empty offer not valid', data: { type: 'SDP_PARSE_ERROR' } });
    const garbage = await c.call('invoke', { object: endpoint, operation: 'processOffer', operationParams: { offer: 'hello' } });
    assert.equal(garbage.error?.code, 40201);
    const answerFirst = await c.call('invoke', { object: endpoint, operation: 'processAnswer', operationParams: { answer: 'v=0\r\n' } });
    assert.equal(answerFirst.error?.code, 40209);
    const other = String((await c.result('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeline } })).value);
    const offer = String((await c.result('invoke', { object: other, operation: 'generateOffer' })).value);
    assert.match(offer, /^v=0/);
    assert.doesNotMatch(offer, /a=candidate/);
    const answer = String((await c.result('invoke', { object: endpoint, operation: 'processOffer', operationParams: { offer } })).value);
    const again = await c.call('invoke', { object: endpoint, operation: 'processOffer', operationParams: { offer } });
    assert.deepEqual(again.error, { code: 40208, message: 'Endpoint already negotiated', data: { type: 'SDP_END_POINT_ALREADY_NEGOTIATED' } });
    await c.result('invoke', { object: other, operation: 'processAnswer', operationParams: { answer } });
    const twice = await c.call('invoke', { object: other, operation: 'processAnswer', operationParams: { answer } });
    assert.equal(twice.error?.code, 40210);
    const badCandidate = await c.call('invoke', {
      object: endpoint,
      operation: 'addIceCandidate',
      operationParams: { candidate: { candidate: 'not a candidate', sdpMid: '0', sdpMLineIndex: 0 } },
    });
    assert.deepEqual(badCandidate.error, { code: 40401, message: 'Error adding candidate', data: { type: 'ICE_ADD_CANDIDATE_ERROR' } });
    const endOfCandidates = await c.call('invoke', {
      object: endpoint,
      operation: 'addIceCandidate',
      operationParams: { candidate: { candidate: '', sdpMid: '0', sdpMLineIndex: 0, __module__: 'kurento', __type__: 'IceCandidate' } },
    });
    assert.equal(endOfCandidates.error, undefined);
    await c.result('release', { object: pipeline });
    c.close();
  });

  test('subscribe: unsupported events answer 40106; release and unsubscribe of unknown ids succeed', async () => {
    const c = await client();
    const pipeline = String((await c.result('create', { type: 'MediaPipeline' })).value);
    const endpoint = String((await c.result('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeline } })).value);
    const old = await c.call('subscribe', { object: endpoint, type: 'OnIceCandidate' });
    assert.deepEqual(old.error, { code: 40106, message: "Event 'OnIceCandidate' not supported", data: { type: 'MEDIA_OBJECT_EVENT_NOT_SUPPORTED' } });
    const onPipeline = await c.call('subscribe', { object: pipeline, type: 'IceCandidateFound' });
    assert.equal(onPipeline.error?.code, 40106);
    const subscription = await c.result('subscribe', { object: endpoint, type: 'ElementConnected' });
    assert.match(String(subscription.value), /^[0-9a-f-]{36}$/);
    await c.result('release', { object: endpoint });
    await c.result('release', { object: endpoint });
    const unsubscribed = await c.result('unsubscribe', { object: endpoint, subscription: String(subscription.value) });
    assert.deepEqual(Object.keys(unsubscribed), ['sessionId']);
    await c.result('release', { object: 'never-existed_kurento.MediaPipeline' });
    await c.result('release', { object: pipeline });
    c.close();
  });

  test('events: onEvent notifications without id, once per session, with RaiseBase fields', async () => {
    const c = await client();
    const pipeline = String((await c.result('create', { type: 'MediaPipeline' })).value);
    const a = String((await c.result('create', { type: 'PassThrough', constructorParams: { mediaPipeline: pipeline } })).value);
    const b = String((await c.result('create', { type: 'PassThrough', constructorParams: { mediaPipeline: pipeline } })).value);
    await c.result('subscribe', { object: a, type: 'ElementConnected' });
    await c.result('subscribe', { object: a, type: 'ElementConnected' });
    await c.result('invoke', { object: a, operation: 'connect', operationParams: { sink: b } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const connected = c.events.filter((event) => event.params?.value.type === 'ElementConnected');
    assert.equal(connected.length, 3, 'AUDIO, VIDEO and DATA, each delivered once');
    for (const event of connected) {
      assert.equal('id' in event, false);
      const { data, object, type } = event.params!.value;
      assert.equal(object, a);
      assert.equal(type, 'ElementConnected');
      assert.equal(data.source, a);
      assert.equal(data.sink, b);
      assert.deepEqual(data.tags, []);
      assert.match(String(data.timestampMillis), /^\d{13}$/);
      assert.equal(data.sourceMediaDescription, 'default');
    }
    assert.deepEqual(connected.map((event) => event.params!.value.data.mediaType), ['AUDIO', 'VIDEO', 'DATA']);
    await c.result('release', { object: pipeline });
    c.close();
  });

  test('transaction: newref:N, ids must equal indexes, stop at the first error', async () => {
    const c = await client();
    const tx = await c.result('transaction', {
      operations: [
        { jsonrpc: '2.0', id: 0, method: 'create', params: { type: 'MediaPipeline', properties: {} } },
        { jsonrpc: '2.0', id: 1, method: 'create', params: { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: 'newref:0' }, properties: {} } },
        { jsonrpc: '2.0', id: 2, method: 'invoke', params: { object: 'newref:1', operation: 'connect', operationParams: { sink: 'newref:1' } } },
        { jsonrpc: '2.0', id: 3, method: 'invoke', params: { object: 'newref:1', operation: 'processOffer', operationParams: { offer: '' } } },
        { jsonrpc: '2.0', id: 4, method: 'invoke', params: { object: 'newref:1', operation: 'getName' } },
      ],
    });
    const responses = tx.value as Array<{ id: number; result?: { value: unknown; sessionId: string }; error?: { code: number } }>;
    assert.equal(responses.length, 4, 'stops after the failing operation');
    const pipelineId = String(responses[0]?.result?.value);
    assert.ok(String(responses[1]?.result?.value).startsWith(`${pipelineId}/`));
    assert.equal(responses[2]?.result?.value, null);
    assert.equal(responses[3]?.error?.code, 40201);
    assert.deepEqual(responses.map((r) => r.id), [0, 1, 2, 3]);
    const wrongId = await c.result('transaction', { operations: [{ jsonrpc: '2.0', id: 7, method: 'ping' }] });
    const [first] = wrongId.value as Array<{ error?: { code: number; message: string } }>;
    assert.deepEqual(first?.error, { code: 40008, message: "Id of request '7' should be '0'", data: { type: 'MALFORMED_TRANSACTION' } });
    const newrefOutside = await c.call('describe', { object: 'newref:0' });
    assert.equal(newrefOutside.error?.code, 40109);
    await c.result('release', { object: pipelineId });
    c.close();
  });

  test('connect: keeps a known session, 40007 for an unknown one; keepAlive likewise; duplicate requests are cached', async () => {
    const first = await client();
    const sessionId = String((await first.result('describe', { object: 'manager_ServerManager' })).sessionId);
    const pipeline = String((await first.result('create', { type: 'MediaPipeline' })).value);
    first.close();
    const second = await client();
    const reconnected = await second.result('connect', { sessionId });
    assert.equal(reconnected.sessionId, sessionId);
    assert.match(String(reconnected.serverId), /^[0-9a-f-]{36}$/);
    assert.equal((await second.result('invoke', { object: pipeline, operation: 'getName' })).sessionId, sessionId);
    const unknown = await second.call('connect', { sessionId: 'not-a-session' });
    assert.deepEqual(unknown.error, { code: 40007, message: 'Invalid session', data: { type: 'INVALID_SESSION' } });
    assert.equal((await second.call('keepAlive', { sessionId: 'not-a-session' })).error?.code, 40007);
    assert.equal((await second.result('keepAlive', { sessionId })).sessionId, sessionId);
    // The same request id within 20 s gets the cached response: the second create does not create a second pipeline.
    const frame = JSON.stringify({ jsonrpc: '2.0', id: 'dup-1', method: 'create', params: { type: 'MediaPipeline', sessionId } });
    const one = await second.sendRaw(frame, 'dup-1');
    const two = await second.sendRaw(frame, 'dup-1');
    assert.deepEqual(two, one);
    await second.result('ref', { object: pipeline, sessionId });
    await second.result('unref', { object: pipeline, sessionId });
    await second.result('release', { object: pipeline });
    await second.result('release', { object: String(one.result?.value) });
    second.close();
  });

  test('ServerManager: getInfo lists only implemented factories; getKmd, resources, pipelines and sessions', async () => {
    const c = await client();
    const info = (await c.result('invoke', { object: 'manager_ServerManager', operation: 'getInfo' })).value as Record<string, unknown>;
    assert.equal(info.__module__, 'kurento');
    assert.equal(info.__type__, 'ServerInfo');
    assert.equal(info.version, '7.3.0');
    assert.equal(info.type, 'KMS');
    const modules = info.modules as Array<{ name: string; factories: string[]; __type__: string }>;
    assert.deepEqual(modules.map((module) => module.name), ['core', 'elements', 'filters']);
    assert.deepEqual(modules[0]?.factories, ['HubPort', 'MediaPipeline', 'PassThrough']);
    assert.deepEqual(modules[1]?.factories, ['AlphaBlending', 'Composite', 'Dispatcher', 'DispatcherOneToMany', 'HttpPostEndpoint', 'Mixer', 'PlayerEndpoint', 'RecorderEndpoint', 'RtpEndpoint', 'WebRtcEndpoint']);
    assert.deepEqual(modules[2]?.factories, ['FaceOverlayFilter', 'GStreamerFilter', 'ImageOverlayFilter', 'ZBarFilter']);
    assert.ok(!modules[2]?.factories.includes('OpenCVFilter'), 'abstract classes are not factories');
    const kmd = String((await c.result('invoke', { object: 'manager_ServerManager', operation: 'getKmd', operationParams: { moduleName: 'core' } })).value);
    assert.equal(JSON.parse(kmd).name, 'core');
    const unknownKmd = await c.call('invoke', { object: 'manager_ServerManager', operation: 'getKmd', operationParams: { moduleName: 'chroma' } });
    assert.equal(unknownKmd.error?.code, 40500);
    assert.ok(Number((await c.result('invoke', { object: 'manager_ServerManager', operation: 'getCpuCount' })).value) >= 1);
    const cpu = Number((await c.result('invoke', { object: 'manager_ServerManager', operation: 'getUsedCpu', operationParams: { interval: 100 } })).value);
    assert.ok(cpu >= 0 && cpu <= 100);
    assert.ok(Number((await c.result('invoke', { object: 'manager_ServerManager', operation: 'getUsedMemory' })).value) > 1000);
    const pipeline = String((await c.result('create', { type: 'MediaPipeline' })).value);
    const pipelines = (await c.result('invoke', { object: 'manager_ServerManager', operation: 'getPipelines' })).value as string[];
    assert.ok(pipelines.includes(pipeline));
    const sessions = (await c.result('invoke', { object: 'manager_ServerManager', operation: 'getSessions' })).value as string[];
    assert.ok(sessions.length >= 1);
    await c.result('subscribe', { object: 'manager_ServerManager', type: 'ObjectDestroyed' });
    await c.result('release', { object: pipeline });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(c.events.some((event) => event.params?.value.type === 'ObjectDestroyed' && event.params.value.data.objectId === pipeline));
    c.close();
  });
});

describe('transport security', () => {
  test('other paths are closed with 1002 "Invalid path"; query strings are accepted', async () => {
    const wrong = new WebSocket(kms.url.replace('/kurento', '/kurrento'));
    const [code, reason] = (await once(wrong, 'close')) as [number, Buffer];
    assert.equal(code, 1002);
    assert.equal(String(reason), 'Invalid path');
    const withQuery = await RawClient.connect(`${kms.url}?access_token=abc`);
    assert.deepEqual((await withQuery.call('ping')).result, { value: 'pong' });
    withQuery.close();
  });

  test('a foreign Origin is refused; an allowed one and no Origin (Node) are accepted', async () => {
    const foreign = new WebSocket(kms.url, { headers: { Origin: 'http://evil.example' } });
    const [error] = (await once(foreign, 'error')) as [Error];
    assert.match(error.message, /403/);
    const allowed = await RawClient.connect(kms.url, { headers: { Origin: 'http://127.0.0.1:3000' } });
    allowed.close();
    // The Java client sends the KMS' own address as Origin: accepted for literal addresses only.
    const own = await RawClient.connect(kms.url, { headers: { Origin: `http://127.0.0.1:${kms.port}` } });
    own.close();
    const rebinding = new WebSocket(kms.url, { headers: { Origin: `http://attacker.example:${kms.port}`, Host: `attacker.example:${kms.port}` } });
    const [refused] = (await once(rebinding, 'error')) as [Error];
    assert.match(refused.message, /403/);
  });

  test('an oversized frame closes the socket with 1009 and the server keeps serving', async () => {
    const big = await RawClient.connect(kms.url);
    const closed = once(big.socket, 'close');
    big.socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(100 * 1024) } }));
    const [code] = (await closed) as [number];
    assert.equal(code, 1009);
    const after = await client();
    assert.deepEqual((await after.call('ping')).result, { value: 'pong' });
    after.close();
  });
});
