/**
 * One-to-one call in three tiers, as Kurento's Java one2one-call tutorial runs it: two browsers (here, two sockets and
 * two peers in one program: the caller and the callee) register with the application server at /call
 * (server/apps/one2one-call.ts, after CallHandler.java), one calls the other, the other accepts; the server builds
 * one pipeline with two cross-connected WebRtcEndpoints. The code is labs/programs/three-tier-one2one.js.
 */
import type { LabDefinition } from './framework/types';
import { appMessage, appReplies, browserConnected, browserTrack, relayedCandidate, relayedCandidateEvents, socketsOpen, videosShow, appServerVars } from './three-tier';

const PATH = '/call';
/** The KMS lane's name for the endpoints whose candidates the server relays (its message does not say which one). */
const ENDPOINTS = 'WebRtcEndpoint';

export const threeTierOne2One: LabDefinition = {
  id: 'three-tier-one2one',
  title: { en: 'Three tiers: a one-to-one call', 'zh-Hans': '三层架构：一对一通话' },
  summary: {
    en: 'The Java one2one-call tutorial with two browsers in one page: both register with the application server, the caller calls, the callee accepts. The server creates one MediaPipeline with two WebRtcEndpoints connected to each other and relays the SDP answers and ICE candidates.',
    'zh-Hans': '在一个页面中用两个浏览器角色运行 Java one2one-call 教程：双方先向应用服务器注册，主叫发起呼叫，被叫接听。服务器创建一个 MediaPipeline，其中两个 WebRtcEndpoint 互相连接，并负责转发 SDP 应答和 ICE 候选。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  program: () => import('./programs/three-tier-one2one.js?raw').then((module) => module.default),
  settingsVars: appServerVars,
  page: {
    videos: [
      { id: 'callerVideoInput', label: { en: 'Caller: its camera (red)', 'zh-Hans': '主叫：自己的摄像头（红色）' }, muted: true },
      { id: 'callerVideoOutput', label: { en: 'Caller: the callee', 'zh-Hans': '主叫：看到的被叫' }, muted: true },
      { id: 'calleeVideoInput', label: { en: 'Callee: its camera (blue)', 'zh-Hans': '被叫：自己的摄像头（蓝色）' }, muted: true },
      { id: 'calleeVideoOutput', label: { en: 'Callee: the caller', 'zh-Hans': '被叫：看到的主叫' }, muted: true },
    ],
  },
  appEvents: (path, message) => (path === PATH ? relayedCandidateEvents(message, ENDPOINTS) : undefined),
  steps: [
    {
      id: 'register',
      title: { en: 'Both browsers register', 'zh-Hans': '两个浏览器分别注册' },
      explain: {
        en: 'Each browser opens its own WebSocket to /call and sends register {name}; the server keeps a registry of names (UserRegistry.java) and answers registerResponse. The program adds a random suffix to alice and bob, so that learners sharing one server do not collide: a taken name is rejected.',
        'zh-Hans': '每个浏览器各自打开一条到 /call 的 WebSocket 并发送 register {name}；服务器维护一张名字登记表（UserRegistry.java），并回复 registerResponse。程序在 alice 和 bob 后面加上随机后缀，以免共用一台服务器的学员之间冲突：已被占用的名字会被拒绝。',
      },
      sets: ['callerWs', 'calleeWs'],
      check: (view) => {
        const sockets = socketsOpen(view, ['callerWs', 'calleeWs']);
        const registered = appReplies(view, PATH, 'registerResponse', { response: 'accepted' });
        return { ok: sockets.ok && registered >= 2, detail: `${sockets.detail}, registerResponse accepted ${registered}/2` };
      },
    },
    {
      id: 'call',
      title: { en: 'The caller sends call {from, to, sdpOffer}', 'zh-Hans': '主叫发送 call {from, to, sdpOffer}' },
      explain: {
        en: 'The caller opens its camera and sends its offer with the call. The server does not touch KMS yet: it keeps the offer and tells the callee incomingCall {from}. The caller\'s ICE candidates (onIceCandidate) already flow; the server queues them until the caller has an endpoint.',
        'zh-Hans': '主叫打开摄像头，把 offer 随 call 一起发出。服务器此时还不访问 KMS：它保存 offer，并向被叫发送 incomingCall {from}。主叫的 ICE 候选（onIceCandidate）已经开始发送；服务器把它们排队，直到主叫有了端点。',
      },
      sets: ['callerPeer', 'incomingFrom'],
      expects: ['incoming'],
    },
    {
      id: 'accept',
      title: { en: 'The callee accepts: incomingCallResponse', 'zh-Hans': '被叫接听：incomingCallResponse' },
      explain: {
        en: 'The callee answers incomingCallResponse {from, callResponse: \'accept\', sdpOffer}. Now the server creates the pipeline and the two endpoints, connects each to the other, and negotiates both: startCommunication {sdpAnswer} goes to the callee, callResponse {response: \'accepted\', sdpAnswer} to the caller. KMS\' candidates come back to each as iceCandidate.',
        'zh-Hans': '被叫回复 incomingCallResponse {from, callResponse: \'accept\', sdpOffer}。此时服务器才创建管道和两个端点，把它们互相连接，并分别完成协商：startCommunication {sdpAnswer} 发给被叫，callResponse {response: \'accepted\', sdpAnswer} 发给主叫。KMS 的候选以 iceCandidate 发回给各自的浏览器。',
      },
      sets: ['calleePeer'],
      expects: ['start', 'accepted'],
    },
    {
      id: 'play',
      title: { en: 'Each side sees the other', 'zh-Hans': '双方看到对方' },
      explain: {
        en: 'callerVideoOutput plays what the callee sends (blue) and calleeVideoOutput what the caller sends (red), through the caller\'s endpoint → the callee\'s endpoint and back. Stop or Reset closes both sockets: the server releases the pipeline, as CallHandler.java does in afterConnectionClosed.',
        'zh-Hans': 'callerVideoOutput 播放被叫发送的画面（蓝色），calleeVideoOutput 播放主叫发送的画面（红色），经由主叫的端点 → 被叫的端点以及反方向。“停止”或“重置”会关闭两条 WebSocket：服务器随即释放管道，就像 CallHandler.java 在 afterConnectionClosed 中所做的那样。',
      },
      check: (view) => videosShow(view, { callerVideoOutput: 'blue', calleeVideoOutput: 'red' }),
      timeout: 20000,
    },
  ],
  expected: [
    appMessage('registered', PATH, 'registerResponse', { en: "registerResponse → 'accepted'", 'zh-Hans': "registerResponse → 'accepted'" }, {
      where: { response: 'accepted' },
      hint: {
        en: 'No accepted registration: the inspector (channel app:/call) shows the registerResponse and its message.',
        'zh-Hans': '没有注册成功：检查器（app:/call 通道）中可以看到 registerResponse 及其说明。',
      },
    }),
    appMessage('incoming', PATH, 'incomingCall', { en: 'incomingCall (to the callee)', 'zh-Hans': 'incomingCall（发给被叫）' }, { after: ['registered'] }),
    appMessage('start', PATH, 'startCommunication', { en: 'startCommunication (to the callee)', 'zh-Hans': 'startCommunication（发给被叫）' }, {
      after: ['incoming'],
      hint: {
        en: 'The server did not finish setting up the call: look for an error message in the inspector and in the npm start terminal.',
        'zh-Hans': '服务器没有完成通话的建立：请在检查器和 npm start 终端中查找错误消息。',
      },
    }),
    appMessage('accepted', PATH, 'callResponse', { en: "callResponse → 'accepted' (to the caller)", 'zh-Hans': "callResponse → 'accepted'（发给主叫）" }, {
      where: { response: 'accepted' },
      after: ['incoming'],
    }),
    relayedCandidate('kms-candidate', ENDPOINTS, { en: 'IceCandidateFound (a KMS candidate, relayed as iceCandidate)', 'zh-Hans': 'IceCandidateFound（KMS 候选，以 iceCandidate 转发）' }),
    browserConnected('caller-connected', 'callerPeer', ['accepted']),
    browserConnected('callee-connected', 'calleePeer', ['start']),
    browserTrack('caller-track', 'callerPeer', ['accepted']),
    browserTrack('callee-track', 'calleePeer', ['start']),
  ],
  completion: {
    en: 'Complete when both registered, the call was accepted (startCommunication and callResponse accepted), both browsers are ICE-connected, and each plays the other\'s video.',
    'zh-Hans': '当双方均已注册、通话被接听（startCommunication 以及 accepted 的 callResponse）、两个浏览器都已 ICE 连接并且各自播放对方的视频时完成。',
  },
};
