// server.ts: the same application server in TypeScript (Node.js 20+, kurento-client 7.3, ws 8)
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import kurento, { type IceCandidate, type KurentoClient, type MediaPipeline, type WebRtcEndpoint } from 'kurento-client';
import { WebSocket, WebSocketServer } from 'ws';

const KMS_URL = process.env.KMS_URL ?? 'ws://127.0.0.1:8888/kurento';
const PORT = Number(process.env.PORT ?? 8443);
// PLAIN_HTTP=1: plain http, on 127.0.0.1 only. A page of localhost is a secure context too, so the camera works,
// but only for a browser on this machine. Without it: https, with key.pem and cert.pem next to this file.
const PLAIN_HTTP = process.env.PLAIN_HTTP === '1';

/** Calls kurento-client in its callback form and returns a promise that really rejects on errors. */
function call<T>(start: (done: (error: Error | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value))));
}

/** Every other event of WebRtcEndpoint and its ancestors: logged, like the Java handler does. */
const LOGGED_EVENTS = [
  'Error', // MediaObject
  'ElementConnected', 'ElementDisconnected', 'MediaFlowInStateChanged', 'MediaFlowOutStateChanged',
  'MediaTranscodingStateChanged', // MediaElement
  'MediaSessionStarted', 'MediaSessionTerminated', // SessionEndpoint
  'ConnectionStateChanged', 'MediaStateChanged', // BaseRtpEndpoint
  'IceComponentStateChanged', 'IceGatheringDone', 'NewCandidatePairSelected',
  'DtlsConnectionStateChange', 'DataChannelOpened', 'DataChannelClosed', // WebRtcEndpoint
] as const;

/** What one browser connection owns in KMS. */
interface Call {
  tag: string;
  pipeline?: MediaPipeline;
  endpoint?: WebRtcEndpoint;
  gathering: boolean; // gatherCandidates() done: browser candidates can go straight to KMS
  pending: IceCandidate[]; // browser candidates that arrived before that
  released: boolean;
}

// One connection to KMS for the whole application server (WebSocket 2).
const kms = await call<KurentoClient>((done) => kurento(KMS_URL, { failAfter: 3 }, done));
console.log(`Connected to KMS at ${KMS_URL}`);

const calls = new Map<WebSocket, Call>();

function send(socket: WebSocket, message: object): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/** The browser's candidate (RTCIceCandidate.toJSON()) as Kurento's IceCandidate; it comes from the network: check it. */
function toIceCandidate(value: unknown): IceCandidate {
  const { candidate, sdpMid, sdpMLineIndex } = (value ?? {}) as Record<string, unknown>;
  if (typeof candidate !== 'string' || typeof sdpMid !== 'string' || typeof sdpMLineIndex !== 'number') {
    throw new Error('ADD_ICE_CANDIDATE needs candidate, sdpMid and sdpMLineIndex');
  }
  return kurento.getComplexType('IceCandidate')({ candidate, sdpMid, sdpMLineIndex });
}

function addCandidate(endpoint: WebRtcEndpoint, candidate: IceCandidate): Promise<void> {
  return call((done) => endpoint.addIceCandidate(candidate, done));
}

async function start(socket: WebSocket, sdpOffer: string): Promise<void> {
  release(socket); // a second offer on the same socket replaces the first call
  const c: Call = { tag: randomUUID().slice(0, 8), gathering: false, pending: [], released: false };
  calls.set(socket, c);

  const pipeline = await call<MediaPipeline>((done) => kms.create('MediaPipeline', done));
  c.pipeline = pipeline;
  if (c.released) return void pipeline.release(); // STOP or close arrived while we waited
  const endpoint = await call<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
  c.endpoint = endpoint;

  // 1. Listeners first, so that no event is lost.
  endpoint.on('IceCandidateFound', (event) => {
    send(socket, { id: 'ADD_ICE_CANDIDATE', candidate: event.candidate });
  });
  for (const type of LOGGED_EVENTS) {
    endpoint.on(type, ({ source, tags, timestampMillis, ...details }) => {
      console.log(`[${c.tag}] ${type} ${JSON.stringify(details)}`);
    });
  }

  // 2. SDP negotiation: KMS answers the browser's offer.
  const sdpAnswer = await call<string>((done) => endpoint.processOffer(sdpOffer, done));
  send(socket, { id: 'PROCESS_SDP_ANSWER', sdpAnswer });

  // 3. Start ICE, then hand over the browser candidates that came early.
  await call((done) => endpoint.gatherCandidates(done));
  c.gathering = true;
  for (const candidate of c.pending.splice(0)) await addCandidate(endpoint, candidate);

  // 4. Loopback: what the endpoint receives, it sends back.
  await call((done) => endpoint.connect(endpoint, done));
}

async function onBrowserCandidate(socket: WebSocket, candidate: IceCandidate): Promise<void> {
  const c = calls.get(socket);
  if (!c) return console.warn('ADD_ICE_CANDIDATE before PROCESS_SDP_OFFER: dropped');
  if (c.endpoint && c.gathering) await addCandidate(c.endpoint, candidate);
  else c.pending.push(candidate);
}

function release(socket: WebSocket): void {
  const c = calls.get(socket);
  if (!c) return;
  calls.delete(socket);
  c.released = true;
  console.log(`[${c.tag}] releasing the pipeline`);
  // Releasing the pipeline releases the endpoint too.
  c.pipeline?.release((error) => error && console.warn(`[${c.tag}] release failed`, error));
}

// The web tier: index.html, app.js and WebSocket 1 on the same origin.
const files: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
};
function serveFile(req: IncomingMessage, res: ServerResponse): void {
  const file = files[new URL(req.url ?? '/', 'http://localhost').pathname]; // without ?query
  if (!file) return void res.writeHead(404).end();
  res.writeHead(200, { 'Content-Type': file[1] }).end(readFileSync(new URL(`public/${file[0]}`, import.meta.url)));
}
const server = PLAIN_HTTP
  ? createHttpServer(serveFile)
  : createHttpsServer(
      { key: readFileSync(new URL('key.pem', import.meta.url)), cert: readFileSync(new URL('cert.pem', import.meta.url)) },
      serveFile,
    );

new WebSocketServer({ server, path: '/loopback' }).on('connection', (socket) => {
  socket.on('message', async (data) => {
    const message = JSON.parse(String(data));
    try {
      switch (message.id) {
        case 'PROCESS_SDP_OFFER':
          await start(socket, message.sdpOffer);
          break;
        case 'ADD_ICE_CANDIDATE':
          await onBrowserCandidate(socket, toIceCandidate(message.candidate));
          break;
        case 'STOP':
          release(socket);
          break;
        case 'ERROR':
          console.warn(`browser error: ${message.message}`);
          release(socket);
          break;
        default:
          console.warn(`ignoring unknown message id '${message.id}'`);
      }
    } catch (error) {
      console.error(`${message.id} failed:`, error);
      send(socket, { id: 'ERROR', message: error instanceof Error ? error.message : String(error) });
      release(socket);
    }
  });
  socket.on('close', () => release(socket));
});

if (PLAIN_HTTP) server.listen(PORT, '127.0.0.1', () => console.log(`Open http://127.0.0.1:${PORT}/`));
else server.listen(PORT, () => console.log(`Open https://localhost:${PORT}/`));
