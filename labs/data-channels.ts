/**
 * Data channels through KMS: a WebRtcEndpoint created with useDataChannels, connected to itself, echoes what the
 * browser sends. DataChannelOpened when the channel opens, DataChannelClosed when the browser closes it. The code of
 * each step is labs/programs/data-channels.js.
 */
import { WEBRTC_ICE_EXPECTATIONS } from './framework/expectations';
import type { LabDefinition } from './framework/types';

export const dataChannels: LabDefinition = {
  id: 'data-channels',
  title: { en: 'Data channels through a WebRtcEndpoint', 'zh-Hans': '经过 WebRtcEndpoint 的数据通道' },
  summary: {
    en: 'A WebRtcEndpoint with useDataChannels: true, connected to itself: text sent on the browser\'s data channel goes through KMS and comes back.',
    'zh-Hans': '一个 useDataChannels: true 的 WebRtcEndpoint 连接到自身：浏览器数据通道上发送的文字经过 KMS 再传回来。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  program: () => import('./programs/data-channels.js?raw').then((module) => module.default),
  page: {
    videos: [
      { id: 'videoInput', label: { en: 'Your camera (videoInput)', 'zh-Hans': '你的摄像头（videoInput）' }, muted: true },
      { id: 'videoOutput', label: { en: 'Back from KMS (videoOutput)', 'zh-Hans': '从 KMS 传回（videoOutput）' }, muted: true },
    ],
  },
  steps: [
    {
      id: 'endpoint',
      title: { en: 'A WebRtcEndpoint with useDataChannels', 'zh-Hans': '带 useDataChannels 的 WebRtcEndpoint' },
      explain: {
        en: 'Data channels are off by default on KMS: the endpoint must be created with useDataChannels: true, and the browser peer with dataChannels: true.',
        'zh-Hans': 'KMS 默认不启用数据通道：端点必须以 useDataChannels: true 创建，浏览器端的 peer 也要设置 dataChannels: true。',
      },
      sets: ['client', 'pipeline', 'webRtcEp'],
      // The loopback includes DATA: without it, nothing would come back.
      check: (view) => {
        const links = view.graph().links.filter((link) => link.source === 'webRtcEp' && link.sink === 'webRtcEp');
        return { ok: links.some((link) => link.mediaType === 'DATA'), detail: links.map((link) => link.mediaType).join(' ') };
      },
    },
    {
      id: 'negotiate',
      title: { en: 'Negotiate with a data channel in the offer', 'zh-Hans': '协商：offer 中带有数据通道' },
      explain: {
        en: 'kurento-utils adds an SCTP m-line (m=application) for the channel; once ICE and DTLS are up, the channel opens on both sides and KMS raises DataChannelOpened. KMS 7.x raises it twice per channel: the timeline shows what a real KMS sends.',
        'zh-Hans': 'kurento-utils 会为通道加上一条 SCTP m 行（m=application）；ICE 和 DTLS 建立后，通道在两端打开，KMS 触发 DataChannelOpened。KMS 7.x 对每个通道会触发两次：时间线显示的正是真实 KMS 发送的内容。',
      },
      // Both ends: KMS' DataChannelOpened comes over the WebSocket and the browser's open over SCTP, in either order.
      // Sending before KMS' event is in would let an echo arrive before it, out of the expected order.
      sets: ['webRtcPeer', 'sdpAnswer', 'channelOpen'],
      expects: ['opened'],
      check: (view) => {
        const answer = String(view.read('sdpAnswer') ?? '');
        return { ok: /m=application/.test(answer), detail: /m=application[^\r\n]*/.exec(answer)?.[0] ?? 'no m=application in the answer' };
      },
    },
    {
      id: 'echo',
      title: { en: 'Send text and read it back', 'zh-Hans': '发送文字并读回来' },
      explain: {
        en: 'webRtcPeer.send() writes on the data channel; KMS passes the message from the endpoint\'s output to its own input (the DATA link) and sends it back on the same channel.',
        'zh-Hans': 'webRtcPeer.send() 写入数据通道；KMS 把消息从端点的输出经由 DATA 连接传到自己的输入，再在同一通道上发回。',
      },
      sets: ['allEchoed'],
      expects: ['echo'],
      // Every message the program sent (its `messages`) came back to the browser's data channel.
      check: (view) => {
        const sent = view.read('messages');
        const messages = Array.isArray(sent) ? sent.map(String) : [];
        const received = new Set(view.recorded({ lane: 'browser', source: 'webRtcPeer', type: 'datachannel-message' }).map((event) => event.data.data));
        const echoed = messages.filter((message) => received.has(message)).length;
        return { ok: messages.length > 0 && echoed === messages.length, detail: `${echoed}/${messages.length}` };
      },
    },
    {
      id: 'close',
      title: { en: 'Close the channel', 'zh-Hans': '关闭通道' },
      explain: {
        en: 'Closing the browser side resets the SCTP stream; KMS notices and raises DataChannelClosed.',
        'zh-Hans': '关闭浏览器一端会重置 SCTP 流；KMS 察觉后触发 DataChannelClosed。',
      },
      sets: ['channelClosed'],
      expects: ['closed'],
    },
  ],
  expected: [
    ...WEBRTC_ICE_EXPECTATIONS('webRtcEp', { ready: 'optional' }),
    {
      id: 'opened',
      label: { en: 'DataChannelOpened', 'zh-Hans': 'DataChannelOpened' },
      lane: 'kms',
      source: 'webRtcEp',
      type: 'DataChannelOpened',
      after: ['webRtcEp:connected'],
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
      source: 'webRtcPeer',
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
      source: 'webRtcEp',
      type: 'DataChannelClosed',
      after: ['opened'],
    },
  ],
  completion: {
    en: 'Complete when DataChannelOpened was seen, every message came back, and DataChannelClosed followed the close.',
    'zh-Hans': '当看到 DataChannelOpened、每条消息都传了回来、并在关闭后出现 DataChannelClosed 时完成。',
  },
};
