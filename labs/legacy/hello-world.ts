/**
 * Hello World, the browser-only JavaScript sample of the original notes (section 006): the page is both the web app
 * and the Kurento client. WebRtcPeerSendrecv → generateOffer → MediaPipeline → WebRtcEndpoint → IceCandidateFound
 * handler → processOffer → processAnswer → gatherCandidates → connect to itself.
 */
import type { KurentoClient, MediaPipeline, WebRtcEndpoint } from 'kurento-client';
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import { browserCandidate, call, create, js, kmsCandidate, required } from '../core/kurento';
import type { LabDefinition, WebRtcPeer } from './framework/types';

interface State {
  peer?: WebRtcPeer;
  offer?: string;
  client?: KurentoClient;
  pipeline?: MediaPipeline;
  endpoint?: WebRtcEndpoint;
  answer?: string;
}

export const helloWorld: LabDefinition<State> = {
  id: 'hello-world',
  title: { en: 'Hello World: a WebRTC loopback', 'zh-Hans': 'Hello World：WebRTC 回环' },
  summary: {
    en: 'Your camera goes to KMS and comes back: one MediaPipeline, one WebRtcEndpoint connected to itself, driven from the browser with kurento-utils and kurento-client.',
    'zh-Hans': '摄像头画面发送到 KMS 再传回来：一个 MediaPipeline，一个连接到自身的 WebRtcEndpoint，全部由浏览器通过 kurento-utils 和 kurento-client 驱动。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  createState: () => ({}),
  steps: [
    {
      id: 'peer',
      title: { en: 'Open the camera with WebRtcPeerSendrecv', 'zh-Hans': '用 WebRtcPeerSendrecv 打开摄像头' },
      explain: {
        en: 'kurento-utils creates an RTCPeerConnection and calls getUserMedia; the local video shows your camera. The ICE servers are the ones of the KMS settings (none by default, which works on one machine).',
        'zh-Hans': 'kurento-utils 创建 RTCPeerConnection 并调用 getUserMedia，本地视频显示摄像头画面。ICE 服务器来自 KMS 设置（默认没有，在同一台机器上即可工作）。',
      },
      code: ({ iceServers }) => `const webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
  localVideo: document.getElementById('videoInput'),
  remoteVideo: document.getElementById('videoOutput'),
  configuration: { iceServers: ${js(iceServers)} },
}, (error) => {
  if (error) return onError(error);
  // next: webRtcPeer.generateOffer(onOffer)
});`,
      run: async (context, state) => {
        state.peer = await context.peer('browser', { mode: 'sendrecv', localVideo: 'local', remoteVideo: 'remote' });
      },
      // The camera is open when the local stream has a live video track: its settings give the size getUserMedia chose
      // (the local tile shows it a few frames later; the offer does not need to wait for that).
      check: (_context, state) => {
        const track = state.peer?.getLocalStream()?.getVideoTracks()[0];
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
      code: () => `webRtcPeer.generateOffer((error, sdpOffer) => {
  if (error) return onError(error);
  onOffer(sdpOffer);
});`,
      run: async (_context, state) => {
        const peer = required(state.peer, 'peer');
        state.offer = await call<string>((done) => peer.generateOffer((error, sdp) => done(error, sdp)));
      },
      check: (_context, state) => ({ ok: /m=video/.test(state.offer ?? ''), detail: `${(state.offer ?? '').length} bytes` }),
    },
    {
      id: 'client',
      title: { en: 'Connect kurento-client to KMS', 'zh-Hans': '用 kurento-client 连接 KMS' },
      explain: {
        en: 'A WebSocket to the KMS, speaking the Kurento protocol (JSON-RPC 2.0). The inspector below shows its first frames: ping, describe of the ServerManager, getInfo.',
        'zh-Hans': '一条到 KMS 的 WebSocket，使用 Kurento 协议（JSON-RPC 2.0）。下方的检查器显示最初的几帧：ping、对 ServerManager 的 describe、getInfo。',
      },
      code: ({ kmsUrl }) => `kurentoClient(${js(kmsUrl)}, (error, client) => {
  if (error) return onError(error);
  // next: client.create('MediaPipeline', ...)
});`,
      run: async (context, state) => {
        state.client = await context.connect();
      },
    },
    {
      id: 'pipeline',
      title: { en: 'Create the MediaPipeline and the WebRtcEndpoint', 'zh-Hans': '创建 MediaPipeline 和 WebRtcEndpoint' },
      explain: {
        en: 'A pipeline holds the media elements; the WebRtcEndpoint is the browser\'s counterpart inside KMS. The lab subscribes to the endpoint\'s events now, before anything happens, so none is missed.',
        'zh-Hans': '管道容纳媒体元素；WebRtcEndpoint 是浏览器在 KMS 内的对端。实验在一切开始之前先订阅端点事件，这样不会漏掉任何一个。',
      },
      code: () => `client.create('MediaPipeline', (error, pipeline) => {
  if (error) return onError(error);
  pipeline.create('WebRtcEndpoint', (error, webRtcEp) => {
    if (error) return onError(error);
    // next: ICE candidate callbacks, then processOffer
  });
});`,
      run: async (context, state) => {
        const client = required(state.client, 'client');
        const [pipeline] = await create<MediaPipeline>((done) => client.create('MediaPipeline', done));
        context.own(pipeline);
        state.pipeline = pipeline;
        await context.observe(pipeline, 'pipeline', []);
        const [endpoint] = await create<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
        state.endpoint = endpoint;
        await context.observe(endpoint, 'webRtcEndpoint', [
          'IceCandidateFound',
          'IceGatheringDone',
          'IceComponentStateChanged',
          'NewCandidatePairSelected',
          'DtlsConnectionStateChange',
          'ConnectionStateChanged',
          'MediaStateChanged',
          'MediaTranscodingStateChanged',
          'MediaSessionStarted',
          'Error',
        ]);
      },
    },
    {
      id: 'ice',
      title: { en: 'Exchange ICE candidates both ways', 'zh-Hans': '双向交换 ICE 候选' },
      explain: {
        en: 'KMS reports each local candidate with IceCandidateFound; the browser adds it. The browser reports its own with the icecandidate event; KMS adds them with addIceCandidate. Candidates that arrive before gatherCandidates are kept by KMS.',
        'zh-Hans': 'KMS 用 IceCandidateFound 报告每个本地候选，浏览器把它加入；浏览器用 icecandidate 事件报告自己的候选，KMS 用 addIceCandidate 加入。在 gatherCandidates 之前到达的候选会被 KMS 保存起来。',
      },
      code: () => `webRtcEp.on('IceCandidateFound', (event) => {
  webRtcPeer.addIceCandidate(event.candidate);
});
webRtcPeer.on('icecandidate', (candidate) => {
  webRtcEp.addIceCandidate(kurentoClient.getComplexType('IceCandidate')(candidate));
});`,
      run: async (context, state) => {
        const peer = required(state.peer, 'peer');
        const endpoint = required(state.endpoint, 'endpoint');
        endpoint.on('IceCandidateFound', (event) => {
          peer.addIceCandidate(browserCandidate(event.candidate), (error) => {
            if (error) context.record('browser', 'browser', 'addIceCandidateError', { message: String(error) });
          });
        });
        peer.on('icecandidate', (candidate) => {
          endpoint.addIceCandidate(kmsCandidate(candidate), (error: unknown) => {
            if (error) context.record('kms', 'webRtcEndpoint', 'addIceCandidateError', { message: String(error) });
          });
        });
      },
    },
    {
      id: 'negotiate',
      title: { en: 'processOffer on KMS, processAnswer in the browser', 'zh-Hans': 'KMS 执行 processOffer，浏览器执行 processAnswer' },
      explain: {
        en: 'KMS answers the offer with the codecs it chose (the first of the offer it supports) and no candidates: those come by trickle ICE. MediaSessionStarted follows.',
        'zh-Hans': 'KMS 用它选定的编解码器（offer 中它支持的第一个）应答，应答中不带候选：候选通过 trickle ICE 送达。随后触发 MediaSessionStarted。',
      },
      code: () => `webRtcEp.processOffer(sdpOffer, (error, sdpAnswer) => {
  if (error) return onError(error);
  webRtcPeer.processAnswer(sdpAnswer, onError);
});`,
      run: async (_context, state) => {
        const peer = required(state.peer, 'peer');
        const endpoint = required(state.endpoint, 'endpoint');
        state.answer = await call<string>((done) => endpoint.processOffer(required(state.offer, 'offer'), done));
        const answer = state.answer;
        await call<void>((done) => peer.processAnswer(answer, (error) => done(error, undefined)));
      },
    },
    {
      id: 'gather',
      title: { en: 'gatherCandidates', 'zh-Hans': 'gatherCandidates' },
      explain: {
        en: 'Only now does KMS start ICE: IceComponentStateChanged GATHERING, then its candidates, then connectivity checks as soon as a remote candidate is known.',
        'zh-Hans': '直到此时 KMS 才开始 ICE：先是 IceComponentStateChanged GATHERING，然后是它的候选，一旦知道远端候选就开始连通性检查。',
      },
      code: () => `webRtcEp.gatherCandidates(onError);`,
      run: async (_context, state) => {
        const endpoint = required(state.endpoint, 'endpoint');
        await call<void>((done) => endpoint.gatherCandidates((error: unknown) => done(error, undefined)));
      },
    },
    {
      id: 'loopback',
      title: { en: 'Connect the WebRtcEndpoint to itself', 'zh-Hans': '把 WebRtcEndpoint 连接到自身' },
      explain: {
        en: 'connect(webRtcEp) links the endpoint\'s output to its own input for AUDIO, VIDEO and DATA (three ElementConnected events): what the browser sends comes back to it.',
        'zh-Hans': 'connect(webRtcEp) 把端点的输出连到自己的输入，涉及 AUDIO、VIDEO 和 DATA（三个 ElementConnected 事件）：浏览器发出的内容会回到浏览器。',
      },
      code: () => `webRtcEp.connect(webRtcEp, (error) => {
  if (error) return onError(error);
  console.log('Loopback established');
});`,
      run: async (_context, state) => {
        const endpoint = required(state.endpoint, 'endpoint');
        await call<void>((done) => endpoint.connect(endpoint, (error: unknown) => done(error, undefined)));
      },
    },
    {
      id: 'play',
      title: { en: 'Watch the remote video', 'zh-Hans': '观看远端视频' },
      explain: {
        en: 'The remote video plays what KMS sent back. MediaFlowInStateChanged FLOWING for AUDIO and VIDEO proves media enters the endpoint from the pipeline.',
        'zh-Hans': '远端视频播放的是 KMS 传回的画面。AUDIO 和 VIDEO 的 MediaFlowInStateChanged FLOWING 证明媒体从管道进入了端点。',
      },
      code: () => `// The remote <video> element plays on its own: kurento-utils attached the remote stream to it.`,
      run: async (context) => {
        await context.waitForPlayback('remote', 15000);
      },
      check: (context) => {
        const remote = context.media('remote');
        return { ok: remote.currentTime > 0 && remote.framesDecoded > 0, detail: `framesDecoded ${remote.framesDecoded}` };
      },
    },
  ],
  expected: [...WEBRTC_ICE_EXPECTATIONS('webRtcEndpoint', { ready: 'optional' }), ...flowExpectations('webRtcEndpoint', ['AUDIO', 'VIDEO'])],
  completion: {
    en: 'Complete when MediaFlowInStateChanged is FLOWING for AUDIO and VIDEO and the remote video plays.',
    'zh-Hans': '当 AUDIO 和 VIDEO 的 MediaFlowInStateChanged 均为 FLOWING 且远端视频开始播放时完成。',
  },
};
