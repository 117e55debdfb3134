/**
 * Hello World, the browser-only JavaScript sample of the original notes (section 006): the page is both the web app
 * and the Kurento client. WebRtcPeerSendrecv → generateOffer → kurentoClient → MediaPipeline → WebRtcEndpoint →
 * candidates both ways → processOffer / processAnswer → gatherCandidates → connect to itself. The code of each step is
 * labs/programs/hello-world.js.
 */
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import type { LabDefinition, LabView } from './framework/types';

/** The remote video plays: its time advances and frames are decoded. */
export function remotePlays(view: LabView, id = 'videoOutput'): { ok: boolean; detail: string } {
  const remote = view.media(id);
  return { ok: remote.currentTime > 0 && remote.framesDecoded > 0 && remote.width > 0, detail: `framesDecoded ${remote.framesDecoded}` };
}

export const helloWorld: LabDefinition = {
  id: 'hello-world',
  title: { en: 'Hello World: a WebRTC loopback', 'zh-Hans': 'Hello World：WebRTC 回环' },
  summary: {
    en: 'Your camera goes to KMS and comes back: one MediaPipeline, one WebRtcEndpoint connected to itself, driven from the browser with kurento-utils and kurento-client.',
    'zh-Hans': '摄像头画面发送到 KMS 再传回来：一个 MediaPipeline，一个连接到自身的 WebRtcEndpoint，全部由浏览器通过 kurento-utils 和 kurento-client 驱动。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  program: () => import('./programs/hello-world.js?raw').then((module) => module.default),
  page: {
    videos: [
      { id: 'videoInput', label: { en: 'Your camera (videoInput)', 'zh-Hans': '你的摄像头（videoInput）' }, muted: true },
      { id: 'videoOutput', label: { en: 'Back from KMS (videoOutput)', 'zh-Hans': '从 KMS 传回（videoOutput）' }, muted: true },
    ],
  },
  steps: [
    {
      id: 'camera',
      title: { en: 'Open the camera with WebRtcPeerSendrecv', 'zh-Hans': '用 WebRtcPeerSendrecv 打开摄像头' },
      explain: {
        en: 'kurento-utils creates an RTCPeerConnection and calls getUserMedia; videoInput shows your camera. The callback runs once the camera is open, with the WebRtcPeer as `this`: the step keeps it in webRtcPeer then, so the next step can make its offer. The ICE servers are the ones of the KMS settings (none by default, which works on one machine).',
        'zh-Hans': 'kurento-utils 创建 RTCPeerConnection 并调用 getUserMedia，videoInput 显示摄像头画面。摄像头打开后回调才执行，此时 `this` 就是 WebRtcPeer：这一步在回调里把它存进 webRtcPeer，下一步就可以生成 offer 了。ICE 服务器来自 KMS 设置（默认没有，在同一台机器上即可工作）。',
      },
      sets: ['webRtcPeer'],
      // The camera is open when the local stream has a live video track: its settings give the size getUserMedia chose.
      check: (view) => {
        const peer = view.read('webRtcPeer') as { getLocalStream?: () => MediaStream | undefined } | undefined;
        const track = peer?.getLocalStream?.()?.getVideoTracks()[0];
        const { width = 0, height = 0 } = track?.getSettings() ?? {};
        return { ok: track?.readyState === 'live' && width > 0, detail: `${width}x${height}` };
      },
    },
    {
      id: 'offer',
      title: { en: 'Generate the SDP offer', 'zh-Hans': '生成 SDP offer' },
      explain: {
        en: 'The browser describes what it can send and receive: one audio and one video m-line with their codecs (VP8 and opus first in Chromium).',
        'zh-Hans': '浏览器描述它能收发的内容：一条音频和一条视频 m 行，以及各自的编解码器（Chromium 中 VP8 和 opus 排在最前）。',
      },
      sets: ['sdpOffer'],
      check: (view) => {
        const offer = String(view.read('sdpOffer') ?? '');
        return { ok: /m=video/.test(offer), detail: `${offer.length} bytes` };
      },
    },
    {
      id: 'client',
      title: { en: 'Connect kurento-client to KMS', 'zh-Hans': '用 kurento-client 连接 KMS' },
      explain: {
        en: 'A WebSocket to the KMS at ws_uri, speaking the Kurento protocol (JSON-RPC 2.0). The inspector below shows its first frames: ping, describe of the ServerManager, getInfo.',
        'zh-Hans': '一条到 ws_uri 所指 KMS 的 WebSocket，使用 Kurento 协议（JSON-RPC 2.0）。下方的检查器显示最初的几帧：ping、对 ServerManager 的 describe、getInfo。',
      },
      sets: ['client'],
    },
    {
      id: 'pipeline',
      title: { en: 'Create the MediaPipeline and the WebRtcEndpoint', 'zh-Hans': '创建 MediaPipeline 和 WebRtcEndpoint' },
      explain: {
        en: 'A pipeline holds the media elements; the WebRtcEndpoint is the browser\'s counterpart inside KMS. The lab subscribes to every event of each object as soon as KMS created it, before your callback runs, so the timeline misses none.',
        'zh-Hans': '管道容纳媒体元素；WebRtcEndpoint 是浏览器在 KMS 内的对端。每个对象一经 KMS 创建，实验就在你的回调执行之前订阅它的所有事件，所以时间线不会漏掉任何事件。',
      },
      sets: ['pipeline', 'webRtcEp'],
    },
    {
      id: 'ice',
      title: { en: 'Exchange ICE candidates both ways', 'zh-Hans': '双向交换 ICE 候选' },
      explain: {
        en: 'KMS reports each local candidate with IceCandidateFound; the browser adds it. The browser reports its own with the icecandidate event; KMS adds them with addIceCandidate. Candidates that arrive before gatherCandidates are kept by KMS.',
        'zh-Hans': 'KMS 用 IceCandidateFound 报告每个本地候选，浏览器把它加入；浏览器用 icecandidate 事件报告自己的候选，KMS 用 addIceCandidate 加入。在 gatherCandidates 之前到达的候选会被 KMS 保存起来。',
      },
    },
    {
      id: 'negotiate',
      title: { en: 'processOffer on KMS, processAnswer in the browser', 'zh-Hans': 'KMS 执行 processOffer，浏览器执行 processAnswer' },
      explain: {
        en: 'KMS answers the offer with the codecs it chose (the first of the offer it supports) and no candidates: those come by trickle ICE. MediaSessionStarted follows.',
        'zh-Hans': 'KMS 用它选定的编解码器（offer 中它支持的第一个）应答，应答中不带候选：候选通过 trickle ICE 送达。随后触发 MediaSessionStarted。',
      },
      sets: ['sdpAnswer'],
    },
    {
      id: 'gather',
      title: { en: 'gatherCandidates', 'zh-Hans': 'gatherCandidates' },
      explain: {
        en: 'Only now does KMS start ICE: IceComponentStateChanged GATHERING, then its candidates, then connectivity checks as soon as a remote candidate is known.',
        'zh-Hans': '直到此时 KMS 才开始 ICE：先是 IceComponentStateChanged GATHERING，然后是它的候选，一旦知道远端候选就开始连通性检查。',
      },
      expects: ['webRtcEp:gathering'],
    },
    {
      id: 'loopback',
      title: { en: 'Connect the WebRtcEndpoint to itself', 'zh-Hans': '把 WebRtcEndpoint 连接到自身' },
      explain: {
        en: 'connect(webRtcEp) links the endpoint\'s output to its own input for AUDIO, VIDEO and DATA (three ElementConnected events): what the browser sends comes back to it.',
        'zh-Hans': 'connect(webRtcEp) 把端点的输出连到自己的输入，涉及 AUDIO、VIDEO 和 DATA（三个 ElementConnected 事件）：浏览器发出的内容会回到浏览器。',
      },
      check: (view) => {
        const links = view.graph().links.filter((link) => link.source === 'webRtcEp' && link.sink === 'webRtcEp');
        return { ok: links.length > 0, detail: links.map((link) => link.mediaType).join(' ') };
      },
    },
    {
      id: 'play',
      title: { en: 'Watch the remote video', 'zh-Hans': '观看远端视频' },
      explain: {
        en: 'videoOutput plays what KMS sent back. MediaFlowInStateChanged FLOWING for AUDIO and VIDEO proves media enters the endpoint from the pipeline.',
        'zh-Hans': 'videoOutput 播放的是 KMS 传回的画面。AUDIO 和 VIDEO 的 MediaFlowInStateChanged FLOWING 证明媒体从管道进入了端点。',
      },
      check: (view) => remotePlays(view),
    },
  ],
  expected: [...WEBRTC_ICE_EXPECTATIONS('webRtcEp', { ready: 'optional' }), ...flowExpectations('webRtcEp', ['AUDIO', 'VIDEO'])],
  completion: {
    en: 'Complete when MediaFlowInStateChanged is FLOWING for AUDIO and VIDEO and the remote video plays.',
    'zh-Hans': '当 AUDIO 和 VIDEO 的 MediaFlowInStateChanged 均为 FLOWING 且远端视频开始播放时完成。',
  },
};
