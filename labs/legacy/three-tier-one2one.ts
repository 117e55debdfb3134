/**
 * One-to-one call in three tiers, as Kurento's Java one2one-call tutorial runs it: two browsers (here, two sockets and
 * two peers in one page: the caller and the callee) register with the application server at /call
 * (server/apps/one2one-call.ts, after CallHandler.java), one calls the other, the other accepts; the server builds
 * one pipeline with two cross-connected WebRtcEndpoints.
 */
import { js, required } from '../core/kurento';
import type { AppSocket, LabContext, LabDefinition, WebRtcPeer } from './framework/types';
import {
  addRelayedCandidate,
  appMessage,
  appUrl,
  browserConnected,
  browserTrack,
  expectReply,
  generateOffer,
  processAnswer,
  relayedCandidate,
  runTag,
  sdpAnswerOf,
  sendCandidates,
  type AppMessage,
} from './three-tier-signaling';

const PATH = '/call';
type Role = 'caller' | 'callee';
const ROLES: readonly Role[] = ['caller', 'callee'];
/** The endpoints of CallMediaPipeline.java, as the KMS lane names them. */
const ENDPOINT: Record<Role, string> = { caller: 'callerWebRtcEp', callee: 'calleeWebRtcEp' };

interface Side {
  name: string;
  socket?: AppSocket;
  peer?: WebRtcPeer;
}

interface State {
  sides: Record<Role, Side>;
  callResponse?: Promise<AppMessage>;
}

function side(state: State, role: Role): Side {
  return state.sides[role];
}

async function register(context: LabContext, state: State, role: Role): Promise<void> {
  const current = side(state, role);
  const socket = await context.appSocket(PATH);
  context.onCleanup(() => socket.close());
  current.socket = socket;
  // KMS' candidates for this browser's endpoint, relayed by the server as iceCandidate.
  socket.on('iceCandidate', (message) => {
    const peer = current.peer;
    if (peer) addRelayedCandidate(context, peer, role, message.candidate, ENDPOINT[role]);
    else context.record('browser', role, 'addIceCandidateError', { message: 'iceCandidate before the peer exists' });
  });
  const response = expectReply(socket, PATH, 'registerResponse', { request: 'register' });
  socket.send({ id: 'register', name: current.name });
  await response;
}

async function openPeer(context: LabContext, state: State, role: Role): Promise<{ peer: WebRtcPeer; socket: AppSocket; sdpOffer: string }> {
  const current = side(state, role);
  const socket = required(current.socket, `${role} socket`);
  const peer = await context.peer(role, { mode: 'sendrecv', localVideo: `${role}-local`, remoteVideo: `${role}-remote` });
  current.peer = peer;
  sendCandidates(peer, socket, 'onIceCandidate');
  return { peer, socket, sdpOffer: await generateOffer(peer) };
}

export const threeTierOne2One: LabDefinition<State> = {
  id: 'three-tier-one2one',
  title: { en: 'Three tiers: a one-to-one call', 'zh-Hans': '三层架构：一对一通话' },
  summary: {
    en: 'The Java one2one-call tutorial with two browsers in one page: both register with the application server, the caller calls, the callee accepts. The server creates one MediaPipeline with two WebRtcEndpoints connected to each other and relays the SDP answers and ICE candidates.',
    'zh-Hans': '在一个页面中用两个浏览器角色运行 Java one2one-call 教程：双方先向应用服务器注册，主叫发起呼叫，被叫接听。服务器创建一个 MediaPipeline，其中两个 WebRtcEndpoint 互相连接，并负责转发 SDP 应答和 ICE 候选。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  createState: () => {
    const tag = runTag();
    return { sides: { caller: { name: `alice-${tag}` }, callee: { name: `bob-${tag}` } } };
  },
  steps: [
    {
      id: 'register',
      title: { en: 'Both browsers register', 'zh-Hans': '两个浏览器分别注册' },
      explain: {
        en: 'Each browser opens its own WebSocket to /call and sends register {name}; the server keeps a registry of names (UserRegistry.java) and answers registerResponse. The lab adds a random suffix to alice and bob, so that learners sharing one server do not collide: a taken name is rejected.',
        'zh-Hans': '每个浏览器各自打开一条到 /call 的 WebSocket 并发送 register {name}；服务器维护一张名字登记表（UserRegistry.java），并回复 registerResponse。实验在 alice 和 bob 后面加上随机后缀，以免共用一台服务器的学员之间冲突：已被占用的名字会被拒绝。',
      },
      code: () => `const ws = new WebSocket(${appUrl(PATH)});
ws.onmessage = (message) => {
  const parsedMessage = JSON.parse(message.data);
  switch (parsedMessage.id) {
    case 'registerResponse': registerResponse(parsedMessage); break;
    case 'callResponse': callResponse(parsedMessage); break;
    case 'incomingCall': incomingCall(parsedMessage); break;
    case 'startCommunication': startCommunication(parsedMessage); break;
    case 'stopCommunication': stop(true); break;
    case 'iceCandidate': webRtcPeer.addIceCandidate(parsedMessage.candidate); break;
  }
};
ws.onopen = () => sendMessage({ id: 'register', name: 'alice' });   // 'bob' in the other browser`,
      run: async (context, state) => {
        for (const role of ROLES) await register(context, state, role);
      },
    },
    {
      id: 'call',
      title: { en: 'The caller sends call {from, to, sdpOffer}', 'zh-Hans': '主叫发送 call {from, to, sdpOffer}' },
      explain: {
        en: 'The caller opens its camera and sends its offer with the call. The server does not touch KMS yet: it keeps the offer and tells the callee incomingCall {from}. The caller\'s ICE candidates (onIceCandidate) already flow; the server queues them until the caller has an endpoint.',
        'zh-Hans': '主叫打开摄像头，把 offer 随 call 一起发出。服务器此时还不访问 KMS：它保存 offer，并向被叫发送 incomingCall {from}。主叫的 ICE 候选（onIceCandidate）已经开始发送；服务器把它们排队，直到主叫有了端点。',
      },
      code: ({ iceServers }) => `webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
  localVideo: videoInput,
  remoteVideo: videoOutput,
  configuration: { iceServers: ${js(iceServers)} },
  onicecandidate: (candidate) => sendMessage({ id: 'onIceCandidate', candidate }),
}, (error) => {
  if (error) return console.error(error);
  webRtcPeer.generateOffer((error, offerSdp) => {
    sendMessage({ id: 'call', from: 'alice', to: 'bob', sdpOffer: offerSdp });
  });
});`,
      run: async (context, state) => {
        const caller = side(state, 'caller');
        const callee = side(state, 'callee');
        const { socket, sdpOffer } = await openPeer(context, state, 'caller');
        const incoming = expectReply(required(callee.socket, 'callee socket'), PATH, 'incomingCall', { request: 'call' });
        state.callResponse = expectReply(socket, PATH, 'callResponse', { request: 'call', timeout: 30000 });
        socket.send({ id: 'call', from: caller.name, to: callee.name, sdpOffer });
        await incoming;
      },
    },
    {
      id: 'accept',
      title: { en: 'The callee accepts: incomingCallResponse', 'zh-Hans': '被叫接听：incomingCallResponse' },
      explain: {
        en: 'The callee answers incomingCallResponse {from, callResponse: \'accept\', sdpOffer}. Now the server creates the pipeline and the two endpoints, connects each to the other, and negotiates both: startCommunication {sdpAnswer} goes to the callee, callResponse {response: \'accepted\', sdpAnswer} to the caller. KMS\' candidates come back to each as iceCandidate.',
        'zh-Hans': '被叫回复 incomingCallResponse {from, callResponse: \'accept\', sdpOffer}。此时服务器才创建管道和两个端点，把它们互相连接，并分别完成协商：startCommunication {sdpAnswer} 发给被叫，callResponse {response: \'accepted\', sdpAnswer} 发给主叫。KMS 的候选以 iceCandidate 发回给各自的浏览器。',
      },
      code: () => `function incomingCall(message) {
  webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv(options, (error) => {
    webRtcPeer.generateOffer((error, offerSdp) => {
      sendMessage({ id: 'incomingCallResponse', from: message.from, callResponse: 'accept', sdpOffer: offerSdp });
    });
  });
}
function startCommunication(message) {   // callee
  webRtcPeer.processAnswer(message.sdpAnswer);
}
function callResponse(message) {         // caller
  if (message.response !== 'accepted') return stop();
  webRtcPeer.processAnswer(message.sdpAnswer);
}`,
      run: async (context, state) => {
        const caller = side(state, 'caller');
        const { peer, socket, sdpOffer } = await openPeer(context, state, 'callee');
        const start = expectReply(socket, PATH, 'startCommunication', { request: 'incomingCallResponse' });
        socket.send({ id: 'incomingCallResponse', from: caller.name, callResponse: 'accept', sdpOffer });
        await processAnswer(peer, sdpAnswerOf(await start, PATH));
        const accepted = await required(state.callResponse, 'callResponse');
        await processAnswer(required(caller.peer, 'caller peer'), sdpAnswerOf(accepted, PATH));
      },
    },
    {
      id: 'play',
      title: { en: 'Each side sees the other', 'zh-Hans': '双方看到对方' },
      explain: {
        en: 'caller-remote plays what the callee sends and callee-remote what the caller sends, through callerWebRtcEp → calleeWebRtcEp and back. Stop or Reset closes both sockets: the server releases the pipeline, as CallHandler.java does in afterConnectionClosed.',
        'zh-Hans': 'caller-remote 播放被叫发送的画面，callee-remote 播放主叫发送的画面，经由 callerWebRtcEp → calleeWebRtcEp 以及反方向。“停止”或“重置”会关闭两条 WebSocket：服务器随即释放管道，就像 CallHandler.java 在 afterConnectionClosed 中所做的那样。',
      },
      code: () => `// videoOutput plays on its own in each browser: kurento-utils attached the remote stream to it.`,
      run: async (context) => {
        for (const role of ROLES) await context.waitForPlayback(`${role}-remote`, 20000);
      },
      check: (context) => {
        const frames = ROLES.map((role) => context.media(`${role}-remote`).framesDecoded);
        return { ok: frames.every((count) => count > 0), detail: `framesDecoded ${frames.join(' / ')}` };
      },
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
    relayedCandidate('caller-candidate', ENDPOINT.caller, { en: 'callerWebRtcEp: IceCandidateFound (relayed as iceCandidate)', 'zh-Hans': 'callerWebRtcEp：IceCandidateFound（以 iceCandidate 转发）' }),
    relayedCandidate('callee-candidate', ENDPOINT.callee, { en: 'calleeWebRtcEp: IceCandidateFound (relayed as iceCandidate)', 'zh-Hans': 'calleeWebRtcEp：IceCandidateFound（以 iceCandidate 转发）' }),
    browserConnected('caller-connected', 'caller', ['accepted']),
    browserConnected('callee-connected', 'callee', ['start']),
    browserTrack('caller-track', 'caller', ['accepted']),
    browserTrack('callee-track', 'callee', ['start']),
  ],
  completion: {
    en: 'Complete when both registered, the call was accepted (startCommunication and callResponse accepted), both browsers are ICE-connected, and each plays the other\'s video.',
    'zh-Hans': '当双方均已注册、通话被接听（startCommunication 以及 accepted 的 callResponse）、两个浏览器都已 ICE 连接并且各自播放对方的视频时完成。',
  },
};
