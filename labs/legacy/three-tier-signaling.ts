/**
 * What the three-tier labs share. In them the page is only the web app: it talks to an application server of
 * `npm start` (server/apps, the TypeScript counterparts of Kurento's Java tutorials) over one signaling WebSocket,
 * and the application server talks to KMS. These helpers wait for the server's answers, relay ICE candidates, record
 * the KMS events the server forwards in the KMS lane, and build the expected events of the three lanes.
 */
import { LabError, explain, type Explanation } from './framework/explain';
import { kmsCandidate } from '../core/kurento';
import type { AppSocket, ExpectedEvent, LabContext, LabParams, LabParamSpec, Localized, WebRtcPeer } from './framework/types';

export type AppMessage = Record<string, unknown>;

/** The ids application servers use to report a failed message: 'error' (classic tutorials), 'ERROR' (hello-world). */
const ERROR_IDS = ['error', 'ERROR'] as const;
const DEFAULT_REPLY_TIMEOUT = 15000;

/** The application server refused a message or reported an error. */
export function appServerError(path: string, about: string, message: string): Explanation {
  return {
    code: 'app-server-error',
    title: {
      en: `The application server at ${path} answered ${about} with: ${message}`,
      'zh-Hans': `${path} 上的应用服务器对 ${about} 的回答是：${message}`,
    },
    fix: {
      en: `The JSON-RPC inspector lists every message of the channel app:${path}; the terminal running npm start logs one line per message, and the KMS error when there is one. Press Reset and run again.`,
      'zh-Hans': `JSON-RPC 检查器列出了 app:${path} 通道上的每一条消息；运行 npm start 的终端为每条消息记录一行日志，出错时还会记录 KMS 的错误。点击“重置”后再运行一次。`,
    },
  };
}

export interface ReplyOptions {
  /** Only a message that passes this test counts (e.g. receiveVideoAnswer for one sender). */
  where?: (message: AppMessage) => boolean;
  timeout?: number;
  /** The request this answers, for the explanation (defaults to the reply id). */
  request?: string;
}

/**
 * The application server's answer `id` on `socket`: resolves with it; rejects with an explanation when the server
 * sends an error message, or the answer says {response: 'rejected'}, or nothing comes within the timeout. Call it
 * before sending the request, so that a fast answer is not missed. The promise may be awaited later: a rejection
 * before that is not reported as unhandled.
 */
export function expectReply(socket: AppSocket, path: string, id: string, options: ReplyOptions = {}): Promise<AppMessage> {
  const timeout = options.timeout ?? DEFAULT_REPLY_TIMEOUT;
  const about = options.request ?? id;
  const reply = new Promise<AppMessage>((resolve, reject) => {
    const stops: Array<() => void> = [];
    const finish = (): void => {
      clearTimeout(timer);
      for (const stop of stops) stop();
    };
    const timer = setTimeout(() => {
      finish();
      reject(new LabError(explain.timeout({ en: `Message "${id}" from ${path}`, 'zh-Hans': `来自 ${path} 的消息“${id}”` }, Math.round(timeout / 1000))));
    }, timeout);
    stops.push(
      socket.on(id, (message) => {
        if (options.where && !options.where(message)) return;
        finish();
        if (message.response !== undefined && message.response !== 'accepted') {
          reject(new LabError(appServerError(path, about, `${String(message.response)}: ${String(message.message ?? '')}`)));
        } else {
          resolve(message);
        }
      }),
    );
    for (const errorId of ERROR_IDS) {
      stops.push(
        socket.on(errorId, (message) => {
          finish();
          reject(new LabError(appServerError(path, about, String(message.message ?? errorId))));
        }),
      );
    }
  });
  reply.catch(() => undefined);
  return reply;
}

/** The `sdpAnswer` of an answer message (the application server's copy of KMS' processOffer result). */
export function sdpAnswerOf(message: AppMessage, path: string): string {
  if (typeof message.sdpAnswer !== 'string') throw new LabError(appServerError(path, String(message.id), 'no sdpAnswer in the message'));
  return message.sdpAnswer;
}

/** kurento-utils' processAnswer as a promise. */
export function processAnswer(peer: WebRtcPeer, sdpAnswer: string): Promise<void> {
  return new Promise((resolve, reject) => peer.processAnswer(sdpAnswer, (error) => (error ? reject(error) : resolve())));
}

/** kurento-utils' generateOffer as a promise. */
export function generateOffer(peer: WebRtcPeer): Promise<string> {
  return new Promise((resolve, reject) => peer.generateOffer((error, sdp) => (error ? reject(error) : resolve(sdp))));
}

/** Sends each local ICE candidate of `peer` to the application server as {id, candidate, ...extra}. */
export function sendCandidates(peer: WebRtcPeer, socket: AppSocket, id: string, extra: AppMessage = {}): void {
  peer.on('icecandidate', (candidate) => socket.send({ id, candidate: kmsCandidate(candidate), ...extra }));
}

function isCandidate(value: unknown): value is RTCIceCandidateInit {
  return typeof value === 'object' && value !== null && typeof (value as { candidate?: unknown }).candidate === 'string';
}

/**
 * A candidate the application server relayed from KMS (it came from an IceCandidateFound event of the endpoint
 * `kmsSource`): recorded in the KMS lane when `kmsSource` is given, and added to `peer`.
 */
export function addRelayedCandidate(context: LabContext, peer: WebRtcPeer, role: string, value: unknown, kmsSource?: string): void {
  if (!isCandidate(value)) {
    context.record('browser', role, 'addIceCandidateError', { message: 'the relayed candidate is not an ICE candidate', value });
    return;
  }
  if (kmsSource) context.record('kms', kmsSource, 'IceCandidateFound', { candidate: value });
  peer.addIceCandidate(value, (error) => {
    if (error) context.record('browser', role, 'addIceCandidateError', { message: String(error) });
  });
}

/** Expected: the application server sent the message `type` (recorded automatically by the lab's app socket). */
export function appMessage(
  id: string,
  path: string,
  type: string,
  label: Localized,
  options: { where?: Readonly<Record<string, unknown>>; after?: string[]; within?: number; hint?: Localized; optional?: boolean } = {},
): ExpectedEvent {
  return { id, label, lane: 'app', source: path, type, ...options, within: options.within ?? 15000 };
}

/** Expected: the browser peer `role` reached ICE connected. */
export function browserConnected(id: string, role: string, after?: string[]): ExpectedEvent {
  return {
    id,
    label: { en: `${role}: iceconnectionstatechange → connected`, 'zh-Hans': `${role}：iceconnectionstatechange → connected` },
    lane: 'browser',
    source: role,
    type: 'iceconnectionstatechange',
    where: { state: 'connected' },
    ...(after ? { after } : {}),
    within: 20000,
    hint: {
      en: 'The browser and KMS found no path yet: the candidates must travel both ways through the application server (onIceCandidate to it, iceCandidate from it). Across networks, set STUN/TURN.',
      'zh-Hans': '浏览器和 KMS 还没有找到通路：候选必须经由应用服务器双向传递（发给它的 onIceCandidate，它发来的 iceCandidate）。跨网络时请配置 STUN/TURN。',
    },
  };
}

/** Expected: the browser peer `role` received a remote video track. */
export function browserTrack(id: string, role: string, after?: string[]): ExpectedEvent {
  return {
    id,
    label: { en: `${role}: track (video)`, 'zh-Hans': `${role}：track（视频）` },
    lane: 'browser',
    source: role,
    type: 'track',
    where: { kind: 'video' },
    ...(after ? { after } : {}),
    within: 20000,
  };
}

/** Expected: KMS found a local candidate for an endpoint, relayed by the application server. */
export function relayedCandidate(id: string, source: string | undefined, label: Localized): ExpectedEvent {
  return {
    id,
    label,
    lane: 'kms',
    ...(source ? { source } : {}),
    type: 'IceCandidateFound',
    within: 20000,
    hint: {
      en: 'KMS starts gathering only after gatherCandidates(), which the application server calls right after it sent the SDP answer. Check its log in the npm start terminal.',
      'zh-Hans': 'KMS 只有在 gatherCandidates() 之后才开始收集候选，应用服务器在发出 SDP 应答后立即调用它。请查看 npm start 终端中的日志。',
    },
  };
}

/** A whole-number parameter, clamped to its spec (the panel may hand over a string or an out-of-range value). */
export function countParam(params: LabParams, spec: LabParamSpec): number {
  const value = Math.round(Number(params[spec.id] ?? spec.default));
  const fallback = Number(spec.default);
  const count = Number.isFinite(value) ? value : fallback;
  return Math.min(spec.max ?? count, Math.max(spec.min ?? count, count));
}

/** A short random tag, so that learners sharing one `npm start` (a workshop) do not collide on names and rooms. */
export function runTag(): string {
  return Math.random().toString(36).slice(2, 6);
}

/** The address of an application server as the browser code shows it. */
export function appUrl(path: string): string {
  return `\`\${location.protocol === 'https:' ? 'wss' : 'ws'}://\${location.host}${path}\``;
}
