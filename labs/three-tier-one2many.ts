/**
 * One-to-many call in three tiers, as Kurento's Java one2many-call tutorial runs it: one presenter and N viewers (all
 * in this page) talk to the application server at /one2many (server/apps/one2many-call.ts, after CallHandler.java).
 * The presenter's WebRtcEndpoint is connected straight to each viewer's WebRtcEndpoint. The code is
 * labs/programs/three-tier-one2many.js.
 */
import type { LabDefinition, LabParamSpec, LabView } from './framework/types';
import { appMessage, appReplies, browserConnected, browserTrack, relayedCandidate, relayedCandidateEvents, videosPlay, appServerVars } from './three-tier';

const PATH = '/one2many';
/** The KMS lane's name for the endpoints whose candidates the server relays (its message does not say which one). */
const ENDPOINTS = 'WebRtcEndpoint';

const VIEWERS: LabParamSpec = {
  id: 'viewers',
  label: { en: 'Viewers', 'zh-Hans': '观看者人数' },
  kind: 'number',
  default: 2,
  min: 1,
  max: 4,
};

/** The number of viewers of this run (the program's `viewers`). */
function viewerCount(view: LabView): number {
  const count = Math.round(Number(view.params.viewers ?? VIEWERS.default));
  return Number.isFinite(count) ? count : Number(VIEWERS.default);
}

/** The viewers' videos, which the program adds to the page: viewer1, viewer2, … */
function viewerVideos(view: LabView): string[] {
  return Array.from({ length: viewerCount(view) }, (_, index) => `viewer${index + 1}`);
}

export const threeTierOne2Many: LabDefinition = {
  id: 'three-tier-one2many',
  title: { en: 'Three tiers: one presenter, many viewers', 'zh-Hans': '三层架构：一个主播，多个观看者' },
  summary: {
    en: 'The Java one2many-call tutorial: a presenter sends its camera, the viewers receive it. The application server keeps one presenter at a time and connects the presenter\'s WebRtcEndpoint to one WebRtcEndpoint per viewer, in the presenter\'s pipeline.',
    'zh-Hans': 'Java one2many-call 教程：主播发送摄像头画面，观看者接收。应用服务器同一时间只允许一个主播，并在主播的管道中把主播的 WebRtcEndpoint 连接到每个观看者各自的 WebRtcEndpoint。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  params: [VIEWERS],
  program: () => import('./programs/three-tier-one2many.js?raw').then((module) => module.default),
  settingsVars: appServerVars,
  page: {
    videos: [{ id: 'presenterVideo', label: { en: 'Presenter: its camera', 'zh-Hans': '主播：自己的摄像头' }, muted: true }],
  },
  appEvents: (path, message) => (path === PATH ? relayedCandidateEvents(message, ENDPOINTS) : undefined),
  steps: [
    {
      id: 'presenter',
      title: { en: 'The presenter: presenter {sdpOffer}', 'zh-Hans': '主播：presenter {sdpOffer}' },
      explain: {
        en: 'A send-only peer offers its camera. The server creates the pipeline and the presenter\'s endpoint, answers presenterResponse {response: \'accepted\', sdpAnswer} and starts ICE. There is one presenter per server: while another learner presents, this one gets \'rejected\' with the reason.',
        'zh-Hans': '一个只发送的 peer 提供摄像头画面。服务器创建管道和主播的端点，回复 presenterResponse {response: \'accepted\', sdpAnswer} 并启动 ICE。每台服务器只有一个主播：如果另一位学员正在做主播，这里会收到带原因的 \'rejected\'。',
      },
      sets: ['presenterWs', 'presenterPeer'],
      expects: ['presenter-accepted'],
    },
    {
      id: 'viewers',
      title: { en: 'The viewers: viewer {sdpOffer}', 'zh-Hans': '观看者：viewer {sdpOffer}' },
      explain: {
        en: 'Each viewer is a receive-only peer with its own socket. For each, the server creates a WebRtcEndpoint in the presenter\'s pipeline, connects presenterWebRtc.connect(viewerWebRtc), and answers viewerResponse. A viewer that comes while nobody presents is rejected: \'No active sender now\'.',
        'zh-Hans': '每个观看者都是只接收的 peer，并拥有自己的 WebSocket。服务器为每个观看者在主播的管道中创建一个 WebRtcEndpoint，执行 presenterWebRtc.connect(viewerWebRtc)，并回复 viewerResponse。没有主播时到来的观看者会被拒绝：\'No active sender now\'。',
      },
      check: (view) => {
        const accepted = appReplies(view, PATH, 'viewerResponse', { response: 'accepted' });
        const count = viewerCount(view);
        return { ok: accepted >= count, detail: `viewerResponse accepted ${accepted}/${count}` };
      },
    },
    {
      id: 'play',
      title: { en: 'Every viewer plays the presenter', 'zh-Hans': '每个观看者都在播放主播的画面' },
      explain: {
        en: 'One stream in, N streams out: KMS forwards the presenter\'s media to each viewer\'s endpoint without transcoding. When the presenter\'s socket closes, the server sends stopCommunication to every viewer and releases the pipeline, as CallHandler.java does; Stop and Reset close every socket of this page.',
        'zh-Hans': '一路流进，N 路流出：KMS 把主播的媒体不经转码地转发给每个观看者的端点。主播的 WebSocket 关闭时，服务器会向每个观看者发送 stopCommunication 并释放管道，与 CallHandler.java 的做法相同；“停止”和“重置”会关闭本页面的所有 WebSocket。',
      },
      check: (view) => videosPlay(view, viewerVideos(view)),
      timeout: 20000,
    },
  ],
  expected: [
    appMessage('presenter-accepted', PATH, 'presenterResponse', { en: "presenterResponse → 'accepted'", 'zh-Hans': "presenterResponse → 'accepted'" }, {
      where: { response: 'accepted' },
      hint: {
        en: 'The presenter was not accepted: the inspector (channel app:/one2many) shows the reason. Another learner may be presenting on this server.',
        'zh-Hans': '主播没有被接受：检查器（app:/one2many 通道）中可以看到原因。可能有其他学员正在这台服务器上做主播。',
      },
    }),
    appMessage('viewer-accepted', PATH, 'viewerResponse', { en: "viewerResponse → 'accepted'", 'zh-Hans': "viewerResponse → 'accepted'" }, {
      where: { response: 'accepted' },
      after: ['presenter-accepted'],
    }),
    relayedCandidate('kms-candidate', ENDPOINTS, { en: 'IceCandidateFound (a KMS candidate, relayed as iceCandidate)', 'zh-Hans': 'IceCandidateFound（KMS 候选，以 iceCandidate 转发）' }),
    browserConnected('presenter-connected', 'presenterPeer', ['presenter-accepted']),
    browserConnected('viewer-connected', 'viewerPeers[0]', ['viewer-accepted']),
    browserTrack('viewer-track', 'viewerPeers[0]', ['viewer-accepted']),
  ],
  completion: {
    en: 'Complete when the presenter and the viewers were accepted, their peers are ICE-connected, and every viewer plays the presenter\'s video.',
    'zh-Hans': '当主播和观看者都被接受、各自的 peer 都已 ICE 连接、并且每个观看者都在播放主播的视频时完成。',
  },
};
