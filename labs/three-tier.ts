/**
 * What the definitions of the three-tier labs share. In them the lab's page is only the web app: its program talks to
 * an application server of `npm start` (server/apps, the TypeScript twins of Kurento's Java tutorials) over signaling
 * WebSockets, and the application server talks to KMS. The page never sees a KMS object, so the KMS lane holds what
 * the application server hands on: the KMS events it forwards, the KMS candidates it relays. These helpers build the
 * expected events of the three lanes, map relayed candidates to timeline events, and check sockets and videos.
 */
import type { CheckResult, ExpectedEvent, LabSettings, LabView, Localized, Rgb, TimelineEvent } from './framework/types';

/**
 * The settings variable of every three-tier program: `app_uri`, the application servers' WebSocket base, which is the
 * site's own origin (npm start serves both). A page outside the site (an app downloaded from the lab) keeps it.
 */
export function appServerVars(settings: LabSettings): Record<string, unknown> {
  return { app_uri: settings.siteOrigin.replace(/^http/, 'ws') };
}

/** Expected: the application server sent the message `type` (the lab records every message of its sockets). */
export function appMessage(
  id: string,
  path: string,
  type: string,
  label: Localized,
  options: { where?: Readonly<Record<string, unknown>>; after?: string[]; within?: number; hint?: Localized; optional?: boolean } = {},
): ExpectedEvent {
  return { id, label, lane: 'app', source: path, type, ...options, within: options.within ?? 15000 };
}

/** Expected: the browser peer held in `peer` (a program variable) reached ICE connected. */
export function browserConnected(id: string, peer: string, after?: string[]): ExpectedEvent {
  return {
    id,
    label: { en: `${peer}: iceconnectionstatechange → connected`, 'zh-Hans': `${peer}：iceconnectionstatechange → connected` },
    lane: 'browser',
    source: peer,
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

/** Expected: the browser peer held in `peer` received a remote video track. */
export function browserTrack(id: string, peer: string, after?: string[]): ExpectedEvent {
  return {
    id,
    label: { en: `${peer}: track (video)`, 'zh-Hans': `${peer}：track（视频）` },
    lane: 'browser',
    source: peer,
    type: 'track',
    where: { kind: 'video' },
    ...(after ? { after } : {}),
    within: 20000,
  };
}

/** Expected: KMS found a local candidate for an endpoint, and the application server relayed it to the page. */
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

/**
 * A KMS candidate the application server relayed ({id: 'iceCandidate', candidate, name?}) as the KMS lane's
 * IceCandidateFound of `source`. The message does not say which endpoint found it, only (in the group call) whose
 * media the endpoint carries.
 */
export function relayedCandidateEvents(message: Record<string, unknown>, source: string): TimelineEvent[] | undefined {
  const candidate = message.candidate;
  if (message.id !== 'iceCandidate' || typeof candidate !== 'object' || candidate === null) return undefined;
  return [{ lane: 'kms', source, type: 'IceCandidateFound', data: { candidate } }];
}

/** The page's variables that hold WebSockets are all open. */
export function socketsOpen(view: LabView, names: readonly string[]): CheckResult {
  const states = names.map((name) => (view.read(name) as { readyState?: number } | undefined)?.readyState);
  const open = states.filter((state) => state === 1).length;
  return { ok: open === names.length, detail: `${open}/${names.length} WebSocket open` };
}

/** How many messages `type` the application server at `path` sent to the page (with the given fields). */
export function appReplies(view: LabView, path: string, type: string, where?: Readonly<Record<string, unknown>>): number {
  return view.recorded({ lane: 'app', source: path, type, ...(where ? { where } : {}) }).length;
}

/** Every one of these videos of the page plays: its time advances and it decoded frames. */
export function videosPlay(view: LabView, ids: readonly string[]): CheckResult {
  const frames = ids.map((id) => view.media(id));
  const playing = frames.filter((media) => media.currentTime > 0 && media.framesDecoded > 0).length;
  return { ok: ids.length > 0 && playing === ids.length, detail: `${playing}/${ids.length} playing, framesDecoded ${frames.map((media) => media.framesDecoded).join(' / ')}` };
}

/** The colours of the test pictures (testSource) of the three-tier labs, by name. */
export const TEST_COLOURS = { red: '#d32f2f', green: '#388e3c', blue: '#1976d2', yellow: '#f9a825' } as const;
export type TestColour = keyof typeof TEST_COLOURS;

/** Which test colour a sampled pixel patch is, if any (video coding shifts the values a little). */
export function colourName(rgb: Rgb | undefined): TestColour | undefined {
  if (!rgb) return undefined;
  const { r, g, b } = rgb;
  if (r > 150 && g > 110 && b < 100) return 'yellow';
  if (r > 120 && g < 100 && b < 100) return 'red';
  if (g > 100 && r < 100 && b < 120) return 'green';
  if (b > 120 && r < 100) return 'blue';
  return undefined;
}

/** Each video (by id) plays, and its centre shows the test colour of the one it should receive. */
export function videosShow(view: LabView, expected: Readonly<Record<string, TestColour>>): CheckResult {
  const ids = Object.keys(expected);
  const playing = videosPlay(view, ids);
  const seen = ids.map((id) => ({ id, colour: colourName(view.sampleColorAt(id, 0.5, 0.5)) }));
  const right = seen.filter(({ id, colour }) => colour === expected[id]).length;
  return {
    ok: playing.ok && right === ids.length,
    detail: `${playing.detail}; ${seen.map(({ id, colour }) => `${id} ${colour ?? '?'}`).join(', ')}`,
  };
}
