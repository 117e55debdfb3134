/**
 * TURN relay: the coturn that `npm start` runs (or the learner's own TURN server) in the loop. The browser gathers
 * relay candidates through it, KMS gathers its own with setTurnUrl, and a browser peer restricted to relay candidates
 * (iceTransportPolicy 'relay') gets its camera back from KMS through the TURN server. With wrong credentials the TURN
 * server answers 401 Unauthorized: the lab shows where that surfaces (the browser's icecandidateerror), and that no
 * relay candidate, hence no relayed media, exists then. The code is labs/programs/turn-relay.js; the TURN server comes
 * from the settings (settings.turn) as the program's turnServer and kmsTurnAddress.
 */
import type { TurnSettings } from '../core/settings';
import { turnFromIceServer } from '../core/settings';
import { explain } from './framework/explain';
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import type { ExpectedEvent, LabDefinition, LabEvent, LabParams, LabSettings, LabView } from './framework/types';

type Transport = 'udp' | 'tcp';

/** The TURN server as a run uses it: the chosen transport, the right or a wrong password. */
export interface LabTurn {
  /** Browser form: `turn:ip:port?transport=udp|tcp`. */
  urls: string;
  username: string;
  credential: string;
  /** KMS form: `user:password@ip:port?transport=udp|tcp`; empty when the TURN host is a name. */
  kmsTurnUrl: string;
  transport: Transport | 'tls';
  wrong: boolean;
}

type TurnServer = Pick<TurnSettings, 'urls' | 'username' | 'credential' | 'kmsTurnUrl' | 'transport'>;

/** What the password becomes in the 'wrong' variant (the program has the same). */
const WRONG_PASSWORD = 'not-the-password';
/** KMS' own turnURL expression (kmswebrtcsession.c). */
const KMS_TURN_URL = /^(.+):(.+)@([0-9.]+):([0-9]+)(?:\?transport=(udp|tcp|tls))?$/;
/** The TURN server the code shows when the settings have none (the run then stops with turnMissing). */
const PLACEHOLDER: TurnServer = {
  urls: 'turn:127.0.0.1:3478?transport=udp',
  username: 'kurento-labs',
  credential: 'PASSWORD',
  kmsTurnUrl: 'kurento-labs:PASSWORD@127.0.0.1:3478?transport=udp',
  transport: 'udp',
};

function transportOf(params: LabParams): Transport {
  return params.transport === 'tcp' ? 'tcp' : 'udp';
}

/**
 * The TURN server with the lab's transport and credentials applied, in both forms: what the program's declarations
 * compute from turnServer, kmsTurnAddress, transport and credentials (tests/unit/coturn.test.ts runs them to compare).
 */
export function labTurn(turn: TurnServer, params: LabParams): LabTurn {
  const wrong = params.credentials === 'wrong';
  const credential = wrong ? WRONG_PASSWORD : turn.credential;
  // turns: (TLS) URLs keep their own transport; turn: URLs take the chosen one.
  const transport = turn.transport === 'tls' ? 'tls' : transportOf(params);
  const urls = turn.transport === 'tls' ? turn.urls : `${turn.urls.replace(/\?.*$/, '')}?transport=${transport}`;
  const kms = KMS_TURN_URL.exec(turn.kmsTurnUrl);
  const kmsTurnUrl = kms ? `${kms[1] ?? ''}:${wrong ? WRONG_PASSWORD : (kms[2] ?? '')}@${kms[3] ?? ''}:${kms[4] ?? ''}?transport=${transport}` : '';
  return { urls, username: turn.username, credential, kmsTurnUrl, transport, wrong };
}

/** The TURN server of the settings: the run's, or the first TURN server of the ICE servers, or the placeholder. */
function turnServerOf(settings: LabSettings): TurnServer {
  return settings.turn ?? settings.iceServers.map((server) => turnFromIceServer(server, 'panel')).find((turn) => turn !== undefined) ?? PLACEHOLDER;
}

/** The TURN server as this run uses it. */
function runTurn(view: LabView): LabTurn {
  return labTurn(turnServerOf(view.settings), view.params);
}

/** Candidate type from a candidate line. */
function typeOf(candidate: string): string {
  return / typ (\w+)/.exec(candidate)?.[1] ?? '';
}

function kmsCandidates(view: LabView, source: string): string[] {
  return view.recorded({ lane: 'kms', source, type: 'IceCandidateFound' }).map((event) => String((event.data.candidate as { candidate?: unknown } | undefined)?.candidate ?? ''));
}

function browserCandidates(view: LabView, source: string): LabEvent[] {
  return view.recorded({ lane: 'browser', source, type: 'icecandidate' });
}

function turnErrors(view: LabView, source: string): LabEvent[] {
  return view.recorded({ lane: 'browser', source, type: 'icecandidateerror' });
}

interface SelectedPair {
  localType: string;
  remoteType: string;
  relayProtocol: string;
  local: string;
  remote: string;
}

/** The browser's selected candidate pair, from RTCPeerConnection.getStats (transport → candidate-pair → candidates). */
async function browserSelectedPair(peer: { peerConnection?: RTCPeerConnection } | undefined): Promise<SelectedPair | undefined> {
  const pc = peer?.peerConnection;
  if (!pc || pc.signalingState === 'closed') return undefined;
  const report = await pc.getStats();
  const stats: Array<Record<string, unknown>> = [];
  report.forEach((stat: Record<string, unknown>) => stats.push(stat));
  const byId = new Map(stats.map((stat) => [String(stat.id), stat]));
  const transport = stats.find((stat) => stat.type === 'transport' && typeof stat.selectedCandidatePairId === 'string');
  const pair =
    (transport ? byId.get(String(transport.selectedCandidatePairId)) : undefined) ??
    stats.find((stat) => stat.type === 'candidate-pair' && stat.nominated === true && stat.state === 'succeeded');
  if (!pair) return undefined;
  const local = byId.get(String(pair.localCandidateId));
  const remote = byId.get(String(pair.remoteCandidateId));
  const where = (candidate: Record<string, unknown> | undefined): string => `${String(candidate?.address ?? candidate?.ip ?? '?')}:${String(candidate?.port ?? '?')}`;
  return {
    localType: String(local?.candidateType ?? ''),
    remoteType: String(remote?.candidateType ?? ''),
    relayProtocol: String(local?.relayProtocol ?? ''),
    local: where(local),
    remote: where(remote),
  };
}

/**
 * Whether KMS' NewCandidatePairSelected of webRtcEp shows the relay: `typ relay` on one side, or a remote candidate at
 * the address of one of the browser's relay candidates (KMS may have learnt it as prflx from the first check).
 */
function kmsRelayPair(view: LabView): { ok: boolean; local: string; remote: string } | undefined {
  const selected = view.recorded({ lane: 'kms', source: 'webRtcEp', type: 'NewCandidatePairSelected' }).at(-1);
  const pair = selected?.data.candidatePair as { localCandidate?: string; remoteCandidate?: string } | undefined;
  if (!pair) return undefined;
  const local = String(pair.localCandidate ?? '');
  const remote = String(pair.remoteCandidate ?? '');
  const relayAddresses = new Set(
    browserCandidates(view, 'webRtcPeer')
      .filter((event) => typeOf(String(event.data.candidate)) === 'relay')
      .map((event) => /^\S+ \d+ \S+ \d+ (\S+ \d+)/.exec(String(event.data.candidate).replace(/^candidate:/, ''))?.[1] ?? ''),
  );
  const remoteAddress = /^\S+ \d+ \S+ \d+ (\S+ \d+)/.exec(remote.replace(/^candidate:/, ''))?.[1] ?? '-';
  return { ok: typeOf(local) === 'relay' || typeOf(remote) === 'relay' || relayAddresses.has(remoteAddress), local: typeOf(local), remote: typeOf(remote) };
}

const optional = (expectations: ExpectedEvent[], note: { en: string; 'zh-Hans': string }): ExpectedEvent[] =>
  expectations.map((expectation) => ({
    ...expectation,
    optional: true,
    hint: expectation.hint ? { en: `${note.en} ${expectation.hint.en}`, 'zh-Hans': `${note['zh-Hans']}${expectation.hint['zh-Hans']}` } : expectation.hint,
  }));

const RIGHT_ONLY = {
  en: 'Only with the right credentials (with wrong ones there is no relay path).',
  'zh-Hans': '仅在凭据正确时出现（凭据错误时没有中继路径）。',
};

export const turnRelay: LabDefinition = {
  id: 'turn-relay',
  title: { en: 'TURN: media relayed through coturn', 'zh-Hans': 'TURN：经 coturn 中继的媒体' },
  summary: {
    en: 'The browser and KMS gather relay candidates from a real TURN server (the coturn of npm start, or yours), then a browser peer that may only use relay candidates gets its camera back from KMS through it. Switch the credentials to "wrong" to see the 401 a TURN server answers.',
    'zh-Hans': '浏览器和 KMS 从一台真实的 TURN 服务器（npm start 运行的 coturn，或你自己的）收集 relay 候选；随后，一个只允许使用 relay 候选的浏览器 peer 经由它从 KMS 收回自己的摄像头画面。把凭据切换为“错误”，可以看到 TURN 服务器返回的 401。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  params: [
    {
      id: 'transport',
      label: { en: 'TURN transport', 'zh-Hans': 'TURN 传输协议' },
      kind: 'choice',
      default: 'udp',
      choices: [
        { value: 'udp', label: { en: 'UDP (?transport=udp)', 'zh-Hans': 'UDP（?transport=udp）' } },
        { value: 'tcp', label: { en: 'TCP (?transport=tcp)', 'zh-Hans': 'TCP（?transport=tcp）' } },
      ],
    },
    {
      id: 'credentials',
      label: { en: 'TURN credentials', 'zh-Hans': 'TURN 凭据' },
      kind: 'choice',
      default: 'right',
      choices: [
        { value: 'right', label: { en: 'right', 'zh-Hans': '正确' } },
        { value: 'wrong', label: { en: 'wrong password', 'zh-Hans': '错误的密码' } },
      ],
    },
  ],
  program: () => import('./programs/turn-relay.js?raw').then((module) => module.default),
  page: {
    videos: [
      { id: 'videoInput', label: { en: 'Your camera (videoInput)', 'zh-Hans': '你的摄像头（videoInput）' }, muted: true },
      { id: 'videoOutput', label: { en: 'Back from KMS through the relay (videoOutput)', 'zh-Hans': '经中继从 KMS 传回（videoOutput）' }, muted: true },
    ],
  },
  // The TURN server of the settings, as the program's variables: the browser's RTCIceServer and KMS' IPv4:port.
  settingsVars: (settings) => {
    const turn = turnServerOf(settings);
    const kms = KMS_TURN_URL.exec(turn.kmsTurnUrl);
    return {
      turnServer: { urls: turn.urls, username: turn.username, credential: turn.credential },
      kmsTurnAddress: kms ? `${kms[3] ?? ''}:${kms[4] ?? ''}` : '',
    };
  },
  // No TURN server, or one KMS cannot take: the lab says what to do before anything runs.
  unavailable: (settings) => {
    const turn = turnServerOf(settings);
    if (turn === PLACEHOLDER) return explain.turnMissing(settings.turnStatus?.reason);
    if (!KMS_TURN_URL.test(turn.kmsTurnUrl)) {
      const host = /^turns?:([^:?]+)/.exec(turn.urls)?.[1] ?? turn.urls;
      return explain.turnMissing(`the TURN server "${host}" is a host name, and KMS' turnURL only takes an IPv4 address`);
    }
    return undefined;
  },
  steps: [
    {
      id: 'browser-gather',
      title: { en: 'The browser gathers candidates with the TURN server', 'zh-Hans': '浏览器借助 TURN 服务器收集候选' },
      explain: {
        en: 'A receive-only kurento-utils peer whose RTCPeerConnection has the TURN server as its only ICE server. After setLocalDescription (generateOffer) the browser asks the TURN server for an allocation (Allocate, answered 401 first, then again with the long-term credential): the relayed address comes back as a typ relay candidate. The Candidates tab lists every candidate with its type, address and the server it came from. With a wrong password the TURN server answers 401 Unauthorized again, the browser fires icecandidateerror, and no relay candidate appears.',
        'zh-Hans': '创建一个只接收的 kurento-utils peer，它的 RTCPeerConnection 只以该 TURN 服务器为 ICE 服务器。setLocalDescription（generateOffer）之后，浏览器向 TURN 服务器申请分配（Allocate：先得到 401，再带上长期凭据重发），中继地址以 typ relay 候选的形式返回。“候选”标签页列出每个候选的类型、地址和来源服务器。密码错误时 TURN 服务器再次返回 401 Unauthorized，浏览器触发 icecandidateerror，不会出现 relay 候选。',
      },
      sets: ['gatherPeer'],
      expects: ['browser:gathered'],
      check: (view) => {
        const turn = runTurn(view);
        const candidates = browserCandidates(view, 'gatherPeer');
        const relay = candidates.filter((event) => event.data.type === 'relay');
        const errors = turnErrors(view, 'gatherPeer');
        const codes = [...new Set(errors.map((event) => String(event.data.errorCode)))].join(', ');
        if (turn.wrong) {
          const unauthorized = errors.some((event) => Number(event.data.errorCode) === 401);
          return {
            ok: unauthorized && relay.length === 0,
            detail: unauthorized
              ? `icecandidateerror 401 from ${turn.urls}: the TURN server refused the password; ${relay.length} relay candidates`
              : `no 401 yet (${candidates.length} candidates, errors: ${codes || 'none'})`,
          };
        }
        // Chromium says which server a candidate came from: over TCP, the relay must come from the ?transport=tcp URL.
        const fromUrl = relay.filter((event) => typeof event.data.url !== 'string' || event.data.url === '' || event.data.url === turn.urls);
        return {
          ok: fromUrl.length > 0,
          detail:
            fromUrl.length > 0
              ? `${relay.length} relay candidate(s) from ${turn.urls}, ${candidates.length} candidates in all`
              : `no relay candidate (${candidates.length} candidates; TURN errors: ${codes || 'none'})`,
        };
      },
      timeout: 25000,
    },
    {
      id: 'kms-gather',
      title: { en: 'KMS gathers candidates with setTurnUrl', 'zh-Hans': 'KMS 通过 setTurnUrl 收集候选' },
      explain: {
        en: 'KMS takes the TURN server in its own format, user:password@ip:port?transport=udp|tcp (turnURL of WebRtcEndpoint.conf.ini, or setTurnUrl per endpoint before gatherCandidates). KMS only gathers for a negotiated session, so the endpoint makes an offer itself (generateOffer) and gathers: IceCandidateFound brings a typ relay candidate next to the host ones. KMS raises no event when the TURN server refuses its credentials: with a wrong password, IceGatheringDone simply comes without a relay candidate.',
        'zh-Hans': 'KMS 使用自己的格式描述 TURN 服务器：user:password@ip:port?transport=udp|tcp（WebRtcEndpoint.conf.ini 中的 turnURL，或者在 gatherCandidates 之前对单个端点调用 setTurnUrl）。KMS 只为已协商的会话收集候选，所以这里让端点自己生成 offer（generateOffer）再收集：IceCandidateFound 会在 host 候选之外带来一个 typ relay 候选。TURN 服务器拒绝凭据时 KMS 不会触发任何事件：密码错误时，IceGatheringDone 只是不带 relay 候选地到来。',
      },
      sets: ['client', 'pipeline', 'gatherEp'],
      expects: ['gatherEp:done'],
      check: (view) => {
        const turn = runTurn(view);
        const candidates = kmsCandidates(view, 'gatherEp');
        const relay = candidates.filter((candidate) => typeOf(candidate) === 'relay');
        const unique = new Set(candidates).size;
        if (turn.wrong) {
          return {
            ok: relay.length === 0,
            detail: `${relay.length} relay candidates, ${unique} host: KMS got no allocation with the wrong password (the TURN server's log shows the 401: var/turn/turnserver.log for the coturn of npm start)`,
          };
        }
        return {
          ok: relay.length > 0,
          detail: relay.length > 0 ? `typ relay ${relay[0]?.split(' ').slice(4, 6).join(':') ?? ''} through ${turn.kmsTurnUrl.replace(/:[^:@]*@/, ':•••@')}` : `no relay candidate among ${unique}`,
        };
      },
      timeout: 35000,
    },
    {
      id: 'relay-loopback',
      title: { en: 'A relay-only loopback', 'zh-Hans': '只走中继的回环' },
      explain: {
        en: "The browser peer gets iceTransportPolicy: 'relay': it offers only relay candidates, so every packet between it and KMS goes through the TURN server, whatever the network. The endpoint (with setTurnUrl as well) is connected to itself; the remote video plays what came back through the relay. The browser's getStats shows the selected candidate pair starting at a relay candidate, and KMS' NewCandidatePairSelected has the relay on one side. With a wrong password this peer gathers no candidate at all: with relay only and no allocation, ICE has nothing to try, and no media flows.",
        'zh-Hans': "浏览器 peer 设置 iceTransportPolicy: 'relay'：它只提供 relay 候选，因此无论网络如何，它与 KMS 之间的每个包都经过 TURN 服务器。端点（同样调用了 setTurnUrl）连接到自身，远端视频播放经中继传回的画面。浏览器的 getStats 显示选中的候选对从 relay 候选出发，KMS 的 NewCandidatePairSelected 也有一端是 relay。密码错误时，这个 peer 一个候选也收集不到：只允许中继而又没有分配到中继地址，ICE 无路可试，也就没有媒体传输。",
      },
      sets: ['webRtcPeer'],
      check: async (view) => {
        const turn = runTurn(view);
        if (turn.wrong) {
          const candidates = browserCandidates(view, 'webRtcPeer');
          const gathered = view.recorded({ lane: 'browser', source: 'webRtcPeer', type: 'icegatheringstatechange', where: { state: 'complete' } }).length > 0;
          const unauthorized = turnErrors(view, 'webRtcPeer').some((event) => Number(event.data.errorCode) === 401);
          return {
            ok: gathered && candidates.length === 0 && unauthorized,
            detail: `relay only, wrong password: ${candidates.length} candidates, ${unauthorized ? '401 Unauthorized' : 'no 401'}; no path, no media`,
          };
        }
        const remote = view.media('videoOutput');
        const pair = await browserSelectedPair(view.read('webRtcPeer') as { peerConnection?: RTCPeerConnection } | undefined);
        const kms = kmsRelayPair(view);
        const playing = remote.currentTime > 0 && remote.framesDecoded > 0;
        const ok = playing && pair?.localType === 'relay' && kms?.ok === true;
        const through = `${turn.urls}${pair?.relayProtocol ? ` (relayProtocol ${pair.relayProtocol})` : ''}`;
        return {
          ok,
          detail: ok
            ? `relayed through ${through}: browser ${pair.local} relay → ${pair.remote} ${pair.remoteType}, KMS pair ${kms.local} / ${kms.remote}, framesDecoded ${remote.framesDecoded}`
            : `browser pair ${pair ? `${pair.localType} → ${pair.remoteType}` : 'not selected yet'}, KMS pair ${kms ? `${kms.local} / ${kms.remote}` : 'not selected yet'}, framesDecoded ${remote.framesDecoded}`,
        };
      },
      timeout: 30000,
    },
  ],
  expected: [
    {
      id: 'browser:gathered',
      label: { en: 'icegatheringstatechange → complete (browser)', 'zh-Hans': 'icegatheringstatechange → complete（浏览器）' },
      lane: 'browser',
      source: 'gatherPeer',
      type: 'icegatheringstatechange',
      where: { state: 'complete' },
      within: 20000,
      hint: {
        en: 'The browser waits for the TURN server before it completes gathering. An unreachable TURN server (wrong address or port, a firewall, coturn not running) delays it by many seconds and ends in icecandidateerror 701.',
        'zh-Hans': '浏览器要等 TURN 服务器应答才会完成收集。TURN 服务器不可达（地址或端口错误、防火墙、coturn 没有运行）会让它拖延很多秒，并以 icecandidateerror 701 结束。',
      },
    },
    {
      id: 'browser:turn-error',
      label: { en: 'icecandidateerror (TURN refused or unreachable)', 'zh-Hans': 'icecandidateerror（TURN 拒绝或不可达）' },
      lane: 'browser',
      source: 'gatherPeer',
      type: 'icecandidateerror',
      optional: true,
      hint: {
        en: 'Expected only with the wrong password: errorCode 401 means the TURN server refused the credentials (username, password or realm).',
        'zh-Hans': '只有密码错误时才会出现：errorCode 401 表示 TURN 服务器拒绝了凭据（用户名、密码或 realm）。',
      },
    },
    {
      id: 'gatherEp:gathering',
      label: { en: 'IceComponentStateChanged → GATHERING (KMS)', 'zh-Hans': 'IceComponentStateChanged → GATHERING（KMS）' },
      lane: 'kms',
      source: 'gatherEp',
      type: 'IceComponentStateChanged',
      where: { state: 'GATHERING' },
      after: ['browser:gathered'],
      within: 15000,
      hint: {
        en: 'KMS gathers only after generateOffer (or processOffer) and gatherCandidates: check that both calls succeeded.',
        'zh-Hans': 'KMS 只有在 generateOffer（或 processOffer）和 gatherCandidates 之后才会收集：请确认两个调用都成功了。',
      },
    },
    {
      id: 'gatherEp:candidate',
      label: { en: 'IceCandidateFound (KMS)', 'zh-Hans': 'IceCandidateFound（KMS）' },
      lane: 'kms',
      source: 'gatherEp',
      type: 'IceCandidateFound',
      after: ['gatherEp:gathering'],
      within: 10000,
      hint: {
        en: 'KMS found no candidate at all: it has no usable network interface (networkInterfaces in WebRtcEndpoint.conf.ini).',
        'zh-Hans': 'KMS 一个候选也没有找到：它没有可用的网络接口（WebRtcEndpoint.conf.ini 中的 networkInterfaces）。',
      },
    },
    {
      id: 'gatherEp:done',
      label: { en: 'IceGatheringDone (KMS)', 'zh-Hans': 'IceGatheringDone（KMS）' },
      lane: 'kms',
      source: 'gatherEp',
      type: 'IceGatheringDone',
      after: ['gatherEp:gathering'],
      within: 25000,
      hint: {
        en: 'KMS waits for the TURN server before it reports the end of gathering: a TURN server that does not answer delays IceGatheringDone by several seconds (one that refuses the credentials answers at once).',
        'zh-Hans': 'KMS 要等 TURN 服务器应答后才报告收集结束：不应答的 TURN 服务器会让 IceGatheringDone 推迟好几秒（拒绝凭据的服务器会立即应答）。',
      },
    },
    ...optional(WEBRTC_ICE_EXPECTATIONS('webRtcEp', { ready: 'optional' }), RIGHT_ONLY),
    ...optional(flowExpectations('webRtcEp', ['AUDIO', 'VIDEO']), RIGHT_ONLY),
  ],
  completion: {
    en: 'Right credentials: complete when the browser and KMS both gathered a typ relay candidate, the relay-only loopback selected a relay pair (browser getStats and KMS NewCandidatePairSelected) and the remote video plays. Wrong credentials: complete when the browser reported icecandidateerror 401 (the TURN server refused the password) and neither side got a relay candidate, so no media could flow.',
    'zh-Hans': '凭据正确时：浏览器和 KMS 都收集到 typ relay 候选、只走中继的回环选中了 relay 候选对（浏览器 getStats 与 KMS NewCandidatePairSelected）且远端视频开始播放，即告完成。凭据错误时：浏览器报告 icecandidateerror 401（TURN 服务器拒绝了密码），且双方都没有 relay 候选、因而没有媒体能够传输，即告完成。',
  },
};
