// server.ts：同一个应用服务器的 TypeScript 版（Node.js 20+、kurento-client 7.3、ws 8）
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import kurento, { type IceCandidate, type KurentoClient, type MediaPipeline, type WebRtcEndpoint } from 'kurento-client';
import { WebSocket, WebSocketServer } from 'ws';

const KMS_URL = process.env.KMS_URL ?? 'ws://127.0.0.1:8888/kurento';
const PORT = Number(process.env.PORT ?? 8443);
// PLAIN_HTTP=1：普通 http，只监听 127.0.0.1。localhost 的页面也是安全上下文，所以摄像头可用，
// 但只限本机的浏览器。不设置时用 https，证书 key.pem 和 cert.pem 放在本文件旁边。
const PLAIN_HTTP = process.env.PLAIN_HTTP === '1';

/** 以回调形式调用 kurento-client，返回一个出错时真正会 reject 的 promise。 */
function call<T>(start: (done: (error: Error | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value))));
}

/** WebRtcEndpoint 及其祖先类的其他所有事件：和 Java 版一样写入日志。 */
const LOGGED_EVENTS = [
  'Error', // MediaObject
  'ElementConnected', 'ElementDisconnected', 'MediaFlowInStateChanged', 'MediaFlowOutStateChanged',
  'MediaTranscodingStateChanged', // MediaElement
  'MediaSessionStarted', 'MediaSessionTerminated', // SessionEndpoint
  'ConnectionStateChanged', 'MediaStateChanged', // BaseRtpEndpoint
  'IceComponentStateChanged', 'IceGatheringDone', 'NewCandidatePairSelected',
  'DtlsConnectionStateChange', 'DataChannelOpened', 'DataChannelClosed', // WebRtcEndpoint
] as const;

/** 一个浏览器连接在 KMS 中拥有的对象。 */
interface Call {
  tag: string;
  pipeline?: MediaPipeline;
  endpoint?: WebRtcEndpoint;
  gathering: boolean; // 已调用 gatherCandidates()：浏览器的候选可以直接交给 KMS
  pending: IceCandidate[]; // 在那之前到达的浏览器候选
  released: boolean;
}

// 整个应用服务器到 KMS 只有一条连接（WebSocket 2）。
const kms = await call<KurentoClient>((done) => kurento(KMS_URL, { failAfter: 3 }, done));
console.log(`Connected to KMS at ${KMS_URL}`);

const calls = new Map<WebSocket, Call>();

function send(socket: WebSocket, message: object): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/** 把浏览器的候选（RTCIceCandidate.toJSON()）转成 Kurento 的 IceCandidate；它来自网络，要先检查。 */
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
  release(socket); // 同一条连接上的第二个 offer 取代前一次通话
  const c: Call = { tag: randomUUID().slice(0, 8), gathering: false, pending: [], released: false };
  calls.set(socket, c);

  const pipeline = await call<MediaPipeline>((done) => kms.create('MediaPipeline', done));
  c.pipeline = pipeline;
  if (c.released) return void pipeline.release(); // 等待期间收到了 STOP 或连接已关闭
  const endpoint = await call<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
  c.endpoint = endpoint;

  // 1. 先注册监听器，一个事件也不漏。
  endpoint.on('IceCandidateFound', (event) => {
    send(socket, { id: 'ADD_ICE_CANDIDATE', candidate: event.candidate });
  });
  for (const type of LOGGED_EVENTS) {
    endpoint.on(type, ({ source, tags, timestampMillis, ...details }) => {
      console.log(`[${c.tag}] ${type} ${JSON.stringify(details)}`);
    });
  }

  // 2. SDP 协商：KMS 应答浏览器的 offer。
  const sdpAnswer = await call<string>((done) => endpoint.processOffer(sdpOffer, done));
  send(socket, { id: 'PROCESS_SDP_ANSWER', sdpAnswer });

  // 3. 启动 ICE，再把提前到达的浏览器候选交给 KMS。
  await call((done) => endpoint.gatherCandidates(done));
  c.gathering = true;
  for (const candidate of c.pending.splice(0)) await addCandidate(endpoint, candidate);

  // 4. 回环：端点收到什么就送回什么。
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
  // 释放管道时，端点也随之释放。
  c.pipeline?.release((error) => error && console.warn(`[${c.tag}] release failed`, error));
}

// Web 层：index.html、app.js 和 WebSocket 1 位于同一个源。
const files: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
};
function serveFile(req: IncomingMessage, res: ServerResponse): void {
  const file = files[new URL(req.url ?? '/', 'http://localhost').pathname]; // 去掉 ?query 部分
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
