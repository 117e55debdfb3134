/**
 * Data channels through KMS: a WebRtcEndpoint created with useDataChannels, connected to itself, echoes what the
 * browser sends. DataChannelOpened when the channel opens, DataChannelClosed when the browser closes it.
 */
import type { KurentoClient, MediaPipeline, WebRtcEndpoint } from 'kurento-client';
import { WEBRTC_ICE_EXPECTATIONS } from './framework/expectations';
import { call, create, required } from '../core/kurento';
import type { LabDefinition, WebRtcPeer } from './framework/types';
import { negotiate } from './framework/webrtc';

interface State {
  peer?: WebRtcPeer;
  client?: KurentoClient;
  endpoint?: WebRtcEndpoint;
  sent: string[];
}

const MESSAGES = ['hello Kurento', '你好，Kurento', 'third message'];

export const dataChannels: LabDefinition<State> = {
  id: 'data-channels',
  title: { en: 'Data channels through a WebRtcEndpoint', 'zh-Hans': '经过 WebRtcEndpoint 的数据通道' },
  summary: {
    en: 'A WebRtcEndpoint with useDataChannels: true, connected to itself: text sent on the browser\'s data channel goes through KMS and comes back.',
    'zh-Hans': '一个 useDataChannels: true 的 WebRtcEndpoint 连接到自身：浏览器数据通道上发送的文字经过 KMS 再传回来。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  createState: () => ({ sent: [] }),
  steps: [
    {
      id: 'endpoint',
      title: { en: 'A WebRtcEndpoint with useDataChannels', 'zh-Hans': '带 useDataChannels 的 WebRtcEndpoint' },
      explain: {
        en: 'Data channels are off by default on KMS: the endpoint must be created with useDataChannels: true, and the browser peer with dataChannels: true.',
        'zh-Hans': 'KMS 默认不启用数据通道：端点必须以 useDataChannels: true 创建，浏览器端的 peer 也要设置 dataChannels: true。',
      },
      code: () => `pipeline.create('WebRtcEndpoint', { useDataChannels: true }, (error, webRtcEp) => {
  webRtcEp.on('DataChannelOpened', (event) => console.log('opened', event.channelId));
  webRtcEp.on('DataChannelClosed', (event) => console.log('closed', event.channelId));
  webRtcEp.connect(webRtcEp, onError);
});`,
      run: async (context, state) => {
        state.client = await context.connect();
        const client = state.client;
        const [pipeline] = await create<MediaPipeline>((done) => client.create('MediaPipeline', done));
        context.own(pipeline);
        [state.endpoint] = await create<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', { useDataChannels: true }, done));
        await context.observe(state.endpoint, 'webRtcEndpoint', ['DataChannelOpened', 'DataChannelClosed', 'IceComponentStateChanged', 'IceCandidateFound', 'IceGatheringDone', 'NewCandidatePairSelected']);
        const endpoint = state.endpoint;
        await call<void>((done) => endpoint.connect(endpoint, (error: unknown) => done(error, undefined)));
      },
    },
    {
      id: 'negotiate',
      title: { en: 'Negotiate with a data channel in the offer', 'zh-Hans': '协商：offer 中带有数据通道' },
      explain: {
        en: 'kurento-utils adds an SCTP m-line (m=application) for the channel; once ICE and DTLS are up, the channel opens on both sides and KMS raises DataChannelOpened. KMS 7.x raises it twice per channel: the timeline shows what a real KMS sends.',
        'zh-Hans': 'kurento-utils 会为通道加上一条 SCTP m 行（m=application）；ICE 和 DTLS 建立后，通道在两端打开，KMS 触发 DataChannelOpened。KMS 7.x 对每个通道会触发两次：时间线显示的正是真实 KMS 发送的内容。',
      },
      code: () => `const webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({ dataChannels: true, /* … */ }, (error) => {
  webRtcPeer.generateOffer(onOffer);
});`,
      run: async (context, state) => {
        state.peer = await context.peer('browser', { mode: 'sendrecv', localVideo: 'local', remoteVideo: 'remote', dataChannels: true });
        await negotiate(context, state.peer, required(state.endpoint, 'endpoint'), 'webRtcEndpoint');
        await context.waitForEvent({ lane: 'browser', source: 'browser', type: 'datachannel-open' }, 15000);
        // Both ends: KMS' DataChannelOpened comes over the WebSocket and the browser's open over SCTP, in either order.
        // Sending before KMS' event is in would let an echo arrive before it, out of the expected order.
        await context.waitForEvent({ lane: 'kms', source: 'webRtcEndpoint', type: 'DataChannelOpened' }, 15000);
      },
    },
    {
      id: 'echo',
      title: { en: 'Send text and read it back', 'zh-Hans': '发送文字并读回来' },
      explain: {
        en: 'webRtcPeer.send() writes on the data channel; KMS passes the message from the endpoint\'s output to its own input (the DATA link) and sends it back on the same channel.',
        'zh-Hans': 'webRtcPeer.send() 写入数据通道；KMS 把消息从端点的输出经由 DATA 连接传到自己的输入，再在同一通道上发回。',
      },
      code: () => `webRtcPeer.dataChannel.onmessage = (event) => console.log('echo:', event.data);
webRtcPeer.send('hello Kurento');`,
      run: async (_context, state) => {
        const peer = required(state.peer, 'peer');
        for (const message of MESSAGES) {
          peer.send(message);
          state.sent.push(message);
        }
      },
      check: (context) => {
        const received = new Set(context.recorded({ lane: 'browser', source: 'browser', type: 'datachannel-message' }).map((event) => event.data.data));
        const echoed = MESSAGES.filter((message) => received.has(message)).length;
        return { ok: echoed === MESSAGES.length, detail: `${echoed}/${MESSAGES.length}` };
      },
    },
    {
      id: 'close',
      title: { en: 'Close the channel', 'zh-Hans': '关闭通道' },
      explain: {
        en: 'Closing the browser side resets the SCTP stream; KMS notices and raises DataChannelClosed.',
        'zh-Hans': '关闭浏览器一端会重置 SCTP 流；KMS 察觉后触发 DataChannelClosed。',
      },
      code: () => `webRtcPeer.dataChannel.close();`,
      run: async (context, state) => {
        required(state.peer, 'peer').dataChannel?.close();
        await context.waitForEvent({ lane: 'kms', source: 'webRtcEndpoint', type: 'DataChannelClosed' }, 15000);
      },
    },
  ],
  expected: [
    ...WEBRTC_ICE_EXPECTATIONS('webRtcEndpoint', { ready: 'optional' }),
    {
      id: 'opened',
      label: { en: 'DataChannelOpened', 'zh-Hans': 'DataChannelOpened' },
      lane: 'kms',
      source: 'webRtcEndpoint',
      type: 'DataChannelOpened',
      after: ['webRtcEndpoint:connected'],
      within: 10000,
      hint: {
        en: 'No channel opened: was the endpoint created with useDataChannels: true, and the peer with dataChannels: true?',
        'zh-Hans': '没有通道打开：端点是否以 useDataChannels: true 创建？peer 是否设置了 dataChannels: true？',
      },
    },
    {
      id: 'echo',
      label: { en: 'datachannel-message (echo in the browser)', 'zh-Hans': 'datachannel-message（浏览器收到回显）' },
      lane: 'browser',
      source: 'browser',
      type: 'datachannel-message',
      after: ['opened'],
      within: 10000,
      hint: {
        en: 'Messages are not coming back: the endpoint must be connected to itself, including DATA (connect without a media type, or with DATA).',
        'zh-Hans': '消息没有传回来：端点必须连接到自身，并且包含 DATA（不带媒体类型的 connect，或指定 DATA）。',
      },
    },
    {
      id: 'closed',
      label: { en: 'DataChannelClosed', 'zh-Hans': 'DataChannelClosed' },
      lane: 'kms',
      source: 'webRtcEndpoint',
      type: 'DataChannelClosed',
      after: ['opened'],
    },
  ],
  completion: {
    en: 'Complete when DataChannelOpened was seen, every message came back, and DataChannelClosed followed the close.',
    'zh-Hans': '当看到 DataChannelOpened、每条消息都传了回来、并在关闭后出现 DataChannelClosed 时完成。',
  },
};
