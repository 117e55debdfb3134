/**
 * One-to-many call in three tiers, as Kurento's Java one2many-call tutorial runs it: one presenter and N viewers (all
 * in this page) talk to the application server at /one2many (server/apps/one2many-call.ts, after CallHandler.java).
 * The presenter's WebRtcEndpoint is connected straight to each viewer's WebRtcEndpoint.
 */
import { js } from '../core/kurento';
import type { AppSocket, LabContext, LabDefinition, LabParamSpec, WebRtcPeer } from './framework/types';
import {
  addRelayedCandidate,
  appMessage,
  appUrl,
  browserConnected,
  browserTrack,
  countParam,
  expectReply,
  generateOffer,
  processAnswer,
  relayedCandidate,
  sdpAnswerOf,
  sendCandidates,
} from './three-tier-signaling';

const PATH = '/one2many';

const VIEWERS: LabParamSpec = {
  id: 'viewers',
  label: { en: 'Viewers', 'zh-Hans': '观看者人数' },
  kind: 'number',
  default: 2,
  min: 1,
  max: 4,
};

interface State {
  presenter?: WebRtcPeer;
  viewers: string[];
}

/** A socket to /one2many for `role`, closed by Stop/Reset, whose relayed KMS candidates go to the role's peer. */
async function openSocket(context: LabContext, role: string, peer: () => WebRtcPeer | undefined): Promise<AppSocket> {
  const socket = await context.appSocket(PATH);
  context.onCleanup(() => socket.close());
  socket.on('iceCandidate', (message) => {
    const target = peer();
    if (target) addRelayedCandidate(context, target, role, message.candidate, `${role}WebRtc`);
    else context.record('browser', role, 'addIceCandidateError', { message: 'iceCandidate before the peer exists' });
  });
  return socket;
}

/** presenter {sdpOffer} or viewer {sdpOffer}, then the answer into the peer. */
async function negotiate(socket: AppSocket, peer: WebRtcPeer, request: 'presenter' | 'viewer'): Promise<void> {
  sendCandidates(peer, socket, 'onIceCandidate');
  const sdpOffer = await generateOffer(peer);
  const response = expectReply(socket, PATH, `${request}Response`, { request });
  socket.send({ id: request, sdpOffer });
  await processAnswer(peer, sdpAnswerOf(await response, PATH));
}

export const threeTierOne2Many: LabDefinition<State> = {
  id: 'three-tier-one2many',
  title: { en: 'Three tiers: one presenter, many viewers', 'zh-Hans': '三层架构：一个主播，多个观看者' },
  summary: {
    en: 'The Java one2many-call tutorial: a presenter sends its camera, the viewers receive it. The application server keeps one presenter at a time and connects the presenter\'s WebRtcEndpoint to one WebRtcEndpoint per viewer, in the presenter\'s pipeline.',
    'zh-Hans': 'Java one2many-call 教程：主播发送摄像头画面，观看者接收。应用服务器同一时间只允许一个主播，并在主播的管道中把主播的 WebRtcEndpoint 连接到每个观看者各自的 WebRtcEndpoint。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  params: [VIEWERS],
  createState: () => ({ viewers: [] }),
  steps: [
    {
      id: 'presenter',
      title: { en: 'The presenter: presenter {sdpOffer}', 'zh-Hans': '主播：presenter {sdpOffer}' },
      explain: {
        en: 'A send-only peer offers its camera. The server creates the pipeline and the presenter\'s endpoint, answers presenterResponse {response: \'accepted\', sdpAnswer} and starts ICE. There is one presenter per server: while another learner presents, this one gets \'rejected\' with the reason.',
        'zh-Hans': '一个只发送的 peer 提供摄像头画面。服务器创建管道和主播的端点，回复 presenterResponse {response: \'accepted\', sdpAnswer} 并启动 ICE。每台服务器只有一个主播：如果另一位学员正在做主播，这里会收到带原因的 \'rejected\'。',
      },
      code: ({ iceServers }) => `const ws = new WebSocket(${appUrl(PATH)});
webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendonly({
  localVideo: video,
  configuration: { iceServers: ${js(iceServers)} },
  onicecandidate: (candidate) => sendMessage({ id: 'onIceCandidate', candidate }),
}, (error) => {
  if (error) return onError(error);
  webRtcPeer.generateOffer((error, offerSdp) => sendMessage({ id: 'presenter', sdpOffer: offerSdp }));
});
// ws.onmessage: case 'presenterResponse': webRtcPeer.processAnswer(message.sdpAnswer);`,
      run: async (context, state) => {
        const socket = await openSocket(context, 'presenter', () => state.presenter);
        const peer = await context.peer('presenter', { mode: 'sendonly', localVideo: 'presenter' });
        state.presenter = peer;
        await negotiate(socket, peer, 'presenter');
      },
    },
    {
      id: 'viewers',
      title: { en: 'The viewers: viewer {sdpOffer}', 'zh-Hans': '观看者：viewer {sdpOffer}' },
      explain: {
        en: 'Each viewer is a receive-only peer with its own socket. For each, the server creates a WebRtcEndpoint in the presenter\'s pipeline, connects presenterWebRtc.connect(viewerWebRtc), and answers viewerResponse. A viewer that comes while nobody presents is rejected: \'No active sender now\'.',
        'zh-Hans': '每个观看者都是只接收的 peer，并拥有自己的 WebSocket。服务器为每个观看者在主播的管道中创建一个 WebRtcEndpoint，执行 presenterWebRtc.connect(viewerWebRtc)，并回复 viewerResponse。没有主播时到来的观看者会被拒绝：\'No active sender now\'。',
      },
      code: ({ params }) => `// ${String(params.viewers ?? VIEWERS.default)} viewers, each in its own browser:
const ws = new WebSocket(${appUrl(PATH)});
webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
  remoteVideo: video,
  onicecandidate: (candidate) => sendMessage({ id: 'onIceCandidate', candidate }),
}, (error) => {
  webRtcPeer.generateOffer((error, offerSdp) => sendMessage({ id: 'viewer', sdpOffer: offerSdp }));
});
// ws.onmessage: case 'viewerResponse': webRtcPeer.processAnswer(message.sdpAnswer);
//               case 'stopCommunication': dispose();   (the presenter left)`,
      run: async (context, state) => {
        const count = countParam(context.params, VIEWERS);
        for (let index = 1; index <= count; index += 1) {
          const role = `viewer${index}`;
          const viewer: { peer?: WebRtcPeer } = {};
          const socket = await openSocket(context, role, () => viewer.peer);
          viewer.peer = await context.peer(role, { mode: 'recvonly', remoteVideo: role });
          await negotiate(socket, viewer.peer, 'viewer');
          state.viewers.push(role);
        }
      },
    },
    {
      id: 'play',
      title: { en: 'Every viewer plays the presenter', 'zh-Hans': '每个观看者都在播放主播的画面' },
      explain: {
        en: 'One stream in, N streams out: KMS forwards the presenter\'s media to each viewer\'s endpoint without transcoding. When the presenter\'s socket closes, the server sends stopCommunication to every viewer and releases the pipeline, as CallHandler.java does; Stop and Reset close every socket of this page.',
        'zh-Hans': '一路流进，N 路流出：KMS 把主播的媒体不经转码地转发给每个观看者的端点。主播的 WebSocket 关闭时，服务器会向每个观看者发送 stopCommunication 并释放管道，与 CallHandler.java 的做法相同；“停止”和“重置”会关闭本页面的所有 WebSocket。',
      },
      code: () => `// Each viewer's video element plays on its own: kurento-utils attached the remote stream to it.`,
      run: async (context, state) => {
        for (const role of state.viewers) await context.waitForPlayback(role, 20000);
      },
      check: (context, state) => {
        const frames = state.viewers.map((role) => context.media(role).framesDecoded);
        return { ok: frames.length > 0 && frames.every((count) => count > 0), detail: `framesDecoded ${frames.join(' / ')}` };
      },
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
    relayedCandidate('presenter-candidate', 'presenterWebRtc', { en: 'presenterWebRtc: IceCandidateFound (relayed as iceCandidate)', 'zh-Hans': 'presenterWebRtc：IceCandidateFound（以 iceCandidate 转发）' }),
    relayedCandidate('viewer-candidate', 'viewer1WebRtc', { en: 'viewer1WebRtc: IceCandidateFound (relayed as iceCandidate)', 'zh-Hans': 'viewer1WebRtc：IceCandidateFound（以 iceCandidate 转发）' }),
    browserConnected('presenter-connected', 'presenter', ['presenter-accepted']),
    browserConnected('viewer-connected', 'viewer1', ['viewer-accepted']),
    browserTrack('viewer-track', 'viewer1', ['viewer-accepted']),
  ],
  completion: {
    en: 'Complete when the presenter and the viewers were accepted, their peers are ICE-connected, and every viewer plays the presenter\'s video.',
    'zh-Hans': '当主播和观看者都被接受、各自的 peer 都已 ICE 连接、并且每个观看者都在播放主播的视频时完成。',
  },
};
