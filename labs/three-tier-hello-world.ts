/**
 * Hello World in three tiers, as Kurento's Java tutorial runs it: the page (web app) ↔ the application server at
 * /helloworld (server/apps/hello-world.ts, the TypeScript twin of HelloWorldHandler.java) ↔ KMS. The page speaks only
 * the tutorial's signaling messages; the server drives KMS and forwards every endpoint event as KMS_EVENT, which the
 * lab records in the KMS lane. The code of each step is labs/programs/three-tier-hello-world.js.
 */
import { WEBRTC_ENDPOINT_EVENTS } from '../core/events';
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import type { LabDefinition } from './framework/types';
import { appMessage, browserConnected, browserTrack, socketsOpen, videosPlay, appServerVars } from './three-tier';

const PATH = '/helloworld';
/** The endpoint of HelloWorldHandler.java, as the KMS lane names it. */
const ENDPOINT = 'webRtcEndpoint';

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export const threeTierHelloWorld: LabDefinition = {
  id: 'three-tier-hello-world',
  title: { en: 'Three tiers: Hello World through an application server', 'zh-Hans': '三层架构：经由应用服务器的 Hello World' },
  summary: {
    en: 'The loopback of the Java hello-world tutorial: the page talks only to the application server (PROCESS_SDP_OFFER, ADD_ICE_CANDIDATE), and the application server drives KMS with its own kurento-client. Both WebSocket channels are visible: app:/helloworld in the inspector, and the application server\'s own frames with KMS (create, invoke, subscribe, onEvent, release) in its app-kms:/helloworld channel, with the KMS events forwarded by the server in the KMS lane.',
    'zh-Hans': 'Java hello-world 教程中的回环：页面只与应用服务器通信（PROCESS_SDP_OFFER、ADD_ICE_CANDIDATE），应用服务器用自己的 kurento-client 驱动 KMS。两条 WebSocket 通道都能看到：检查器中的 app:/helloworld，以及检查器 app-kms:/helloworld 通道中应用服务器自己与 KMS 之间的帧（create、invoke、subscribe、onEvent、release），由服务器转发的 KMS 事件则显示在 KMS 通道中。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  eventClasses: WEBRTC_ENDPOINT_EVENTS,
  program: () => import('./programs/three-tier-hello-world.js?raw').then((module) => module.default),
  settingsVars: appServerVars,
  page: {
    videos: [
      { id: 'videoInput', label: { en: 'Your camera (videoInput)', 'zh-Hans': '你的摄像头（videoInput）' }, muted: true },
      { id: 'videoOutput', label: { en: 'Back from KMS (videoOutput)', 'zh-Hans': '从 KMS 传回（videoOutput）' }, muted: true },
    ],
  },
  // The KMS lane: each KMS_EVENT is the event of the server's WebRtcEndpoint it stands for.
  appEvents: (path, message) =>
    path === PATH && message.id === 'KMS_EVENT' && typeof message.eventType === 'string'
      ? [{ lane: 'kms', source: ENDPOINT, type: message.eventType, data: record(message.data) }]
      : undefined,
  steps: [
    {
      id: 'socket',
      title: { en: 'Open the signaling WebSocket to the application server', 'zh-Hans': '打开到应用服务器的信令 WebSocket' },
      explain: {
        en: 'In the three-tier architecture the page never talks to KMS: it opens a WebSocket to the application server (/helloworld, on the same host as this site: location.host), which holds the kurento-client. The KMS settings of this panel do not apply here: the application server uses the KMS that npm start was given. Besides the tutorial\'s messages, this server forwards each KMS event of the endpoint as KMS_EVENT.',
        'zh-Hans': '在三层架构中，页面从不直接与 KMS 通信：它打开一条到应用服务器的 WebSocket（/helloworld，与本站同一主机：location.host），kurento-client 由应用服务器持有。本面板的 KMS 设置在这里不起作用：应用服务器使用的是 npm start 所指定的 KMS。除了教程中的消息之外，这个服务器还会把端点的每个 KMS 事件作为 KMS_EVENT 转发过来。',
      },
      sets: ['ws'],
      check: (view) => socketsOpen(view, ['ws']),
    },
    {
      id: 'peer',
      title: { en: 'Open the camera with WebRtcPeerSendrecv', 'zh-Hans': '用 WebRtcPeerSendrecv 打开摄像头' },
      explain: {
        en: 'The same kurento-utils peer as in the browser-only tutorial. What changes is where its ICE candidates go: to the application server as ADD_ICE_CANDIDATE, and those of KMS come back from it with the same id.',
        'zh-Hans': '与纯浏览器教程中相同的 kurento-utils peer。不同的是 ICE 候选的去向：以 ADD_ICE_CANDIDATE 发给应用服务器，KMS 的候选也由它以同一个 id 发回来。',
      },
      sets: ['webRtcPeer'],
      check: (view) => {
        const local = view.media('videoInput');
        return { ok: local.width > 0, detail: `${local.width}x${local.height}` };
      },
    },
    {
      id: 'offer',
      title: { en: 'PROCESS_SDP_OFFER → PROCESS_SDP_ANSWER', 'zh-Hans': 'PROCESS_SDP_OFFER → PROCESS_SDP_ANSWER' },
      explain: {
        en: 'The server runs the sequence of HelloWorldHandler.java: create a MediaPipeline and a WebRtcEndpoint, subscribe to all of its events, connect it to itself, processOffer, send PROCESS_SDP_ANSWER, and only then gatherCandidates(). The three lanes show it: the browser sends, the application server answers, KMS raises ElementConnected, MediaSessionStarted and the ICE events.',
        'zh-Hans': '服务器执行 HelloWorldHandler.java 中的流程：创建 MediaPipeline 和 WebRtcEndpoint，订阅它的全部事件，把它连接到自身，processOffer，发出 PROCESS_SDP_ANSWER，然后才调用 gatherCandidates()。三条通道都能看到这个过程：浏览器发送，应用服务器应答，KMS 触发 ElementConnected、MediaSessionStarted 以及各个 ICE 事件。',
      },
      sets: ['sdpAnswer'],
      expects: ['answer'],
    },
    {
      id: 'play',
      title: { en: 'Watch the loopback', 'zh-Hans': '观看回环画面' },
      explain: {
        en: 'The remote video plays what went to KMS and came back. The KMS lane got there through the application server: MediaFlowInStateChanged FLOWING is KMS saying that media enters the endpoint.',
        'zh-Hans': '远端视频播放的是发往 KMS 又传回来的画面。KMS 通道中的事件是经由应用服务器到达的：MediaFlowInStateChanged FLOWING 表示媒体已进入端点。',
      },
      check: (view) => videosPlay(view, ['videoOutput']),
      timeout: 20000,
    },
  ],
  expected: [
    appMessage('answer', PATH, 'PROCESS_SDP_ANSWER', { en: 'PROCESS_SDP_ANSWER (application server)', 'zh-Hans': 'PROCESS_SDP_ANSWER（应用服务器）' }, {
      hint: {
        en: 'The application server did not answer the offer: look for an ERROR message in the inspector (channel app:/helloworld) and at the npm start terminal.',
        'zh-Hans': '应用服务器没有应答 offer：请在检查器（app:/helloworld 通道）中查找 ERROR 消息，并查看 npm start 终端。',
      },
    }),
    appMessage('kms-candidate', PATH, 'ADD_ICE_CANDIDATE', { en: 'ADD_ICE_CANDIDATE (KMS candidate, relayed)', 'zh-Hans': 'ADD_ICE_CANDIDATE（KMS 候选，经转发）' }, { after: ['answer'] }),
    ...WEBRTC_ICE_EXPECTATIONS(ENDPOINT, { ready: 'optional' }),
    ...flowExpectations(ENDPOINT, ['AUDIO', 'VIDEO']),
    browserConnected('browser-connected', 'webRtcPeer', ['answer']),
    browserTrack('browser-track', 'webRtcPeer', ['answer']),
  ],
  completion: {
    en: 'Complete when the application server answered, KMS reported ICE CONNECTED and media FLOWING into the endpoint (forwarded as KMS_EVENT), the browser is connected, and the remote video plays.',
    'zh-Hans': '当应用服务器已应答、KMS 报告 ICE CONNECTED 且媒体 FLOWING 进入端点（以 KMS_EVENT 转发）、浏览器已连接并且远端视频开始播放时完成。',
  },
};
