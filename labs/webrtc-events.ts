/**
 * Every event a WebRtcEndpoint can raise, by the class of the KMD hierarchy that defines it (MediaObject →
 * MediaElement → SessionEndpoint → BaseRtpEndpoint → WebRtcEndpoint), observed live on a loopback. The code of each
 * step is labs/programs/webrtc-events.js.
 */
import { WEBRTC_ENDPOINT_EVENTS } from '../core/events';
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import type { LabDefinition } from './framework/types';
import { remotePlays } from './hello-world';

export const webrtcEvents: LabDefinition = {
  id: 'webrtc-events',
  title: { en: 'Every WebRtcEndpoint event, live', 'zh-Hans': '实时观察 WebRtcEndpoint 的全部事件' },
  summary: {
    en: 'Subscribes to all the events of MediaObject, MediaElement, SessionEndpoint, BaseRtpEndpoint and WebRtcEndpoint before anything happens, then runs a loopback: the documented ICE sequence unfolds up to READY.',
    'zh-Hans': '在一切开始之前订阅 MediaObject、MediaElement、SessionEndpoint、BaseRtpEndpoint 和 WebRtcEndpoint 的全部事件，然后运行一个回环：文档中的 ICE 事件序列会一直进行到 READY。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  eventClasses: WEBRTC_ENDPOINT_EVENTS,
  program: () => import('./programs/webrtc-events.js?raw').then((module) => module.default),
  page: {
    videos: [
      { id: 'videoInput', label: { en: 'Your camera (videoInput)', 'zh-Hans': '你的摄像头（videoInput）' }, muted: true },
      { id: 'videoOutput', label: { en: 'Back from KMS (videoOutput)', 'zh-Hans': '从 KMS 传回（videoOutput）' }, muted: true },
    ],
  },
  steps: [
    {
      id: 'subscribe',
      title: { en: 'Create the endpoint and subscribe to every event first', 'zh-Hans': '创建端点，并先订阅所有事件' },
      explain: {
        en: 'Listeners added after gatherCandidates miss the first events: this is the most common reason for "events that never fire". Here every event of the hierarchy is subscribed right after create.',
        'zh-Hans': '在 gatherCandidates 之后才添加的监听器会错过最早的事件，这正是“事件从不触发”最常见的原因。这里在创建后立即订阅整个继承链上的所有事件。',
      },
      sets: ['client', 'pipeline', 'webRtcEp', 'subscribed'],
      check: (view) => {
        const subscribed = view.read('subscribed');
        const count = Array.isArray(subscribed) ? subscribed.length : 0;
        return { ok: count > 0, detail: `${count} events` };
      },
    },
    {
      id: 'connect',
      title: { en: 'Connect the endpoint to itself', 'zh-Hans': '把端点连接到自身' },
      explain: {
        en: 'ElementConnected comes three times, for AUDIO, VIDEO and DATA, because connect() without a media type links all three.',
        'zh-Hans': 'ElementConnected 会出现三次，分别对应 AUDIO、VIDEO 和 DATA，因为不带媒体类型的 connect() 会把三者都连上。',
      },
      expects: ['connected-audio', 'connected-video', 'connected-data'],
    },
    {
      id: 'negotiate',
      title: { en: 'Negotiate and start ICE', 'zh-Hans': '协商并启动 ICE' },
      explain: {
        en: 'processOffer raises MediaSessionStarted; gatherCandidates starts the ICE events; DtlsConnectionStateChange and ConnectionStateChanged follow once the connection is up.',
        'zh-Hans': 'processOffer 会触发 MediaSessionStarted；gatherCandidates 开启 ICE 事件；连接建立后接着是 DtlsConnectionStateChange 和 ConnectionStateChanged。',
      },
      sets: ['webRtcPeer', 'sdpAnswer'],
      expects: ['session-started', 'webRtcEp:gathering'],
    },
    {
      id: 'media',
      title: { en: 'Media flows: MediaStateChanged, MediaFlow events', 'zh-Hans': '媒体开始流动：MediaStateChanged 与 MediaFlow 事件' },
      explain: {
        en: 'MediaFlowOut/In FLOWING per media type when the first packets pass; MediaStateChanged CONNECTED when RTCP from the browser arrives. Were the browser to stop sending while the pipeline lives (a muted track, a lost network), NOT_FLOWING would follow 2 to 4 s later; Stop and Reset release the pipeline, which ends its events.',
        'zh-Hans': '第一批数据包通过时，每种媒体类型都会触发 MediaFlowOut/In FLOWING；收到浏览器的 RTCP 时触发 MediaStateChanged CONNECTED。如果在管道仍存在时浏览器停止发送（轨道被静音、网络中断），2 到 4 秒后会出现 NOT_FLOWING；而“停止”和“重置”会释放管道，管道的事件也随之结束。',
      },
      check: (view) => remotePlays(view),
    },
  ],
  expected: [
    {
      id: 'connected-audio',
      label: { en: 'ElementConnected AUDIO', 'zh-Hans': 'ElementConnected AUDIO' },
      lane: 'kms',
      source: 'webRtcEp',
      type: 'ElementConnected',
      where: { mediaType: 'AUDIO' },
      within: 10000,
    },
    {
      id: 'connected-video',
      label: { en: 'ElementConnected VIDEO', 'zh-Hans': 'ElementConnected VIDEO' },
      lane: 'kms',
      source: 'webRtcEp',
      type: 'ElementConnected',
      where: { mediaType: 'VIDEO' },
      within: 10000,
    },
    {
      id: 'connected-data',
      label: { en: 'ElementConnected DATA', 'zh-Hans': 'ElementConnected DATA' },
      lane: 'kms',
      source: 'webRtcEp',
      type: 'ElementConnected',
      where: { mediaType: 'DATA' },
      within: 10000,
    },
    {
      id: 'session-started',
      label: { en: 'MediaSessionStarted', 'zh-Hans': 'MediaSessionStarted' },
      lane: 'kms',
      source: 'webRtcEp',
      type: 'MediaSessionStarted',
      within: 10000,
      hint: {
        en: 'processOffer did not succeed: look for its error in the JSON-RPC inspector.',
        'zh-Hans': 'processOffer 没有成功：请在 JSON-RPC 检查器中查看它的错误。',
      },
    },
    ...WEBRTC_ICE_EXPECTATIONS('webRtcEp', { ready: 'required' }),
    {
      id: 'dtls',
      label: { en: 'DtlsConnectionStateChange → CONNECTED', 'zh-Hans': 'DtlsConnectionStateChange → CONNECTED' },
      lane: 'kms',
      source: 'webRtcEp',
      type: 'DtlsConnectionStateChange',
      where: { state: 'CONNECTED' },
      after: ['webRtcEp:connected'],
      within: 10000,
      hint: {
        en: 'ICE is up but the DTLS handshake did not finish: something drops packets on the selected pair.',
        'zh-Hans': 'ICE 已建立，但 DTLS 握手没有完成：所选候选对上有东西在丢包。',
      },
    },
    {
      id: 'connection-state',
      label: { en: 'ConnectionStateChanged → CONNECTED', 'zh-Hans': 'ConnectionStateChanged → CONNECTED' },
      lane: 'kms',
      source: 'webRtcEp',
      type: 'ConnectionStateChanged',
      where: { newState: 'CONNECTED' },
      after: ['webRtcEp:connected'],
      within: 10000,
    },
    ...flowExpectations('webRtcEp', ['AUDIO', 'VIDEO'], { direction: 'both', after: ['webRtcEp:connected'] }),
    {
      id: 'media-state',
      label: { en: 'MediaStateChanged → CONNECTED', 'zh-Hans': 'MediaStateChanged → CONNECTED' },
      lane: 'kms',
      source: 'webRtcEp',
      type: 'MediaStateChanged',
      where: { newState: 'CONNECTED' },
      after: ['webRtcEp:connected'],
      within: 15000,
      hint: {
        en: 'MediaStateChanged follows RTCP from the browser; it comes a second or so after media starts.',
        'zh-Hans': 'MediaStateChanged 取决于浏览器发来的 RTCP；通常在媒体开始后一秒左右出现。',
      },
    },
    {
      id: 'not-transcoding',
      label: { en: 'MediaTranscodingStateChanged → NOT_TRANSCODING', 'zh-Hans': 'MediaTranscodingStateChanged → NOT_TRANSCODING' },
      lane: 'kms',
      source: 'webRtcEp',
      type: 'MediaTranscodingStateChanged',
      where: { state: 'NOT_TRANSCODING' },
      optional: true,
    },
  ],
  completion: {
    en: 'Complete when the documented ICE sequence up to READY and MediaStateChanged CONNECTED were observed.',
    'zh-Hans': '当观察到文档中直到 READY 的 ICE 事件序列以及 MediaStateChanged CONNECTED 时完成。',
  },
};
