import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
// The module kurento-client receives through the npm override (plain CommonJS, checked by tsc through JSDoc).
import reconnect from 'reconnect-ws';

/** Like events.once, but without listening for 'error' (events.once rejects on 'error', which would hide the point). */
function next(emitter: NodeJS.EventEmitter, event: string): Promise<unknown[]> {
  return new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args)));
}

type Transport = { send(data: string): void; addEventListener(type: 'message', fn: (e: { data: unknown }) => void): void };

async function startServer(port = 0): Promise<{ wss: WebSocketServer; port: number; sockets: WebSocket[] }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await once(wss, 'listening');
  const sockets: WebSocket[] = [];
  wss.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => socket.send(`echo:${String(data)}`));
  });
  return { wss, port: (wss.address() as AddressInfo).port, sockets };
}

async function closeServer(wss: WebSocketServer): Promise<void> {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
}

/** A port nobody listens on: bind one, note it, close it. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('connects, exchanges frames and taps them in both directions', async () => {
  const { wss, port } = await startServer();
  const frames: Array<[string, string]> = [];
  const re = reconnect({}, () => undefined).connect(`ws://127.0.0.1:${port}/kurento`, {
    onFrame: (direction: string, data: string) => frames.push([direction, data]),
  });
  const [transport] = (await once(re, 'connection')) as [Transport];
  assert.equal(re.connected, true);
  const reply = new Promise<string>((resolve) => transport.addEventListener('message', (e) => resolve(String(e.data))));
  transport.send('hello');
  assert.equal(await reply, 'echo:hello');
  assert.deepEqual(frames, [['out', 'hello'], ['in', 'echo:hello']]);
  re.disconnect();
  await closeServer(wss);
});

test('a dropped connection reconnects, and frames sent meanwhile are delivered after reconnection', async () => {
  const { wss, port, sockets } = await startServer();
  const re = reconnect({}).connect(`ws://127.0.0.1:${port}/kurento`);
  const [first] = (await once(re, 'connection')) as [Transport];
  const disconnected = once(re, 'disconnect');
  sockets[0]?.terminate();
  await disconnected;
  assert.equal(re.connected, false);
  first.send('queued while down');
  const [second] = (await once(re, 'connection')) as [Transport];
  assert.notEqual(second, first);
  const echoed = await new Promise<string>((resolve) => second.addEventListener('message', (e) => resolve(String(e.data))));
  assert.equal(echoed, 'echo:queued while down');
  re.disconnect();
  await closeServer(wss);
});

test('a refused port never throws; with failAfter it gives up with a fail event', async () => {
  const port = await refusedPort();
  const events: string[] = [];
  const re = reconnect({ failAfter: 2 }).connect(`ws://127.0.0.1:${port}/kurento`);
  re.on('disconnect', () => events.push('disconnect'));
  re.on('backoff', (n: number, delay: number) => events.push(`backoff ${n} ${delay}`));
  await next(re, 'fail');
  assert.equal(re.reconnect, false);
  assert.equal(re.connected, false);
  // initial attempt + 2 retries, with the Fibonacci delays kurento-client has always used
  assert.deepEqual(events, ['disconnect', 'backoff 0 100', 'disconnect', 'backoff 1 100', 'disconnect']);
});

test('keeps retrying until the server comes up when failAfter is not set', async () => {
  const port = await refusedPort();
  const re = reconnect().connect(`ws://127.0.0.1:${port}/kurento`);
  await next(re, 'disconnect');
  const { wss } = await startServer(port);
  await next(re, 'connection');
  assert.equal(re.connected, true);
  re.disconnect();
  await closeServer(wss);
});

test('kurento-client reports a refused KMS through its normal failure path, not an uncaught error', async () => {
  const port = await refusedPort();
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown): void => void uncaught.push(error);
  process.on('uncaughtException', onUncaught);
  try {
    const { default: kurentoClient } = await import('kurento-client');
    const client = kurentoClient(`ws://127.0.0.1:${port}/kurento`, { failAfter: 1 });
    const disconnect = next(client, 'disconnect');
    await assert.rejects(Promise.resolve(client), /Connection error/);
    await disconnect;
    const viaCallback = await new Promise<unknown>((resolve) => {
      kurentoClient(`ws://127.0.0.1:${port}/kurento`, { failAfter: 0 }, (error) => resolve(error));
    });
    assert.ok(viaCallback instanceof Error);
    assert.deepEqual(uncaught, []);
  } finally {
    process.off('uncaughtException', onUncaught);
  }
});
