/**
 * A pipeline worker: a thread of its own with an ObjectRegistry, where the pipelines the pool gives it live with all
 * their elements and media (WebRTC sessions, ffmpeg and GStreamer children). It answers the pool's calls and reports
 * what the protocol thread must know: objects created and destroyed, events (already marshalled), the HttpEndpoint
 * paths it serves (on a loopback port of its own, which the protocol thread forwards to) and its log lines.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { KmsError } from '../errors';
import type { Logger } from '../logger';
import { HttpEndpointServer } from '../objects/HttpEndpointServer';
import { KmdRegistry } from '../objects/kmd';
import { ObjectRegistry } from '../objects/registry';
import { SERVER_MANAGER_ID } from '../objects/ServerManager';
import type { WorkerCall, WorkerReport, WorkerSetup } from './messages';

const port = parentPort;
if (!port) throw new Error('server/kms/workers/worker.ts runs as a worker thread of the embedded KMS');
const setup = workerData as WorkerSetup;
const report = (message: WorkerReport): void => port.postMessage(message);

const log: Logger = {
  debug: (message) => report({ kind: 'log', level: 'debug', message }),
  info: (message) => report({ kind: 'log', level: 'info', message }),
  warn: (message) => report({ kind: 'log', level: 'warn', message }),
  error: (message) => report({ kind: 'log', level: 'error', message }),
};

/** The TURN URL the pool sent with the `create` running now (time-limited credentials are made per endpoint). */
let turnUrlNow: string | undefined;
/** The `create` call running now: the events it raises (ObjectCreated) carry its number back. */
let callNow: number | undefined;

const httpEndpoints = new HttpEndpointServer(
  () => setup.httpBase,
  (path, add) => report({ kind: 'route', path, add }),
);
const registry = new ObjectRegistry(
  KmdRegistry.fromNodeModules(),
  { ...setup.config, turnUrlProvider: () => turnUrlNow },
  log,
  () => [],
  httpEndpoints,
);

registry.onEvent((source, event, data) => {
  if (source === SERVER_MANAGER_ID && event === 'ObjectCreated' && typeof data.object === 'string') {
    const type = registry.resolve(data.object)?.type ?? '';
    report({ kind: 'created', id: data.object, type, pipeline: type === 'MediaPipeline' });
  }
  report({ kind: 'event', source, event, data, call: callNow });
});
registry.onRelease((id) => report({ kind: 'destroyed', id }));

async function run(message: WorkerCall): Promise<unknown> {
  switch (message.op) {
    case 'create': {
      turnUrlNow = message.turnUrl;
      callNow = message.call;
      try {
        const object = registry.create(message.type, message.params);
        return { id: object.id, type: object.type };
      } finally {
        turnUrlNow = undefined;
        callNow = undefined;
      }
    }
    case 'invoke':
      return registry.invoke(message.id, message.operation, message.params, message.foreign);
    case 'release':
      return registry.release(message.id);
    case 'releaseAll':
      return registry.releaseAll();
  }
}

port.on('message', (message: WorkerCall) => {
  run(message).then(
    (value) => report({ kind: 'reply', call: message.call, value: value ?? null }),
    (error: unknown) =>
      report({
        kind: 'reply',
        call: message.call,
        error: error instanceof KmsError ? { type: error.type, message: error.message } : { type: undefined, message: error instanceof Error ? error.message : String(error) },
      }),
  );
});

// The HttpEndpoint URLs of this worker's objects, for the protocol thread to forward requests to (loopback only).
const server = http.createServer((req, res) => {
  // An endpoint that refuses a body answers with Connection: close, so that its client stops sending. Here the client
  // is the protocol thread's forwarder, which closes the client's connection itself (pool.ts): this connection stays
  // open, so that no reset while the forwarder still sends can swallow the answer.
  const writeHead = res.writeHead.bind(res);
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const headers = rest.find((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item));
    if (headers) for (const name of Object.keys(headers)) if (name.toLowerCase() === 'connection') delete headers[name];
    res.removeHeader('connection');
    return (writeHead as (...args: unknown[]) => typeof res)(status, ...rest);
  }) as typeof res.writeHead;
  if (!httpEndpoints.handle(req, res)) {
    req.resume();
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not an HttpEndpoint URL\n');
  }
});
server.listen(0, '127.0.0.1', () => report({ kind: 'ready', httpPort: (server.address() as AddressInfo).port }));
