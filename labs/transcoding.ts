/**
 * Transcoding: a sender whose browser sends VP8 (the camera peer, Chromium's first choice) and a receiver that accepts
 * only H.264 (its codec preferences say so, set by the program with setCodecPreferences before the offer). KMS sees
 * the mismatch when the two WebRtcEndpoints are connected and puts a transcoder on the sender's output (agnosticbin),
 * which it reports with MediaTranscodingStateChanged TRANSCODING for VIDEO; the Opus audio goes through untouched
 * (NOT_TRANSCODING). The lab explains what that costs and how to avoid it. The program is
 * labs/programs/transcoding.js.
 */
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import type { CheckResult, LabDefinition, LabView } from './framework/types';

/** The codecs of the video m-line of an SDP, in order (`VP8`, `H264`, … without rtx/red/ulpfec). */
function videoCodecs(sdp: string): string[] {
  const video = sdp.split(/\r?\nm=/).find((section) => section.startsWith('video')) ?? '';
  return [...video.matchAll(/a=rtpmap:\d+ ([\w-]+)\/90000/g)].map((match) => match[1] ?? '').filter((name) => !/^(rtx|red|ulpfec|flexfec-03)$/i.test(name));
}

function answerCodecs(view: LabView, variable: string): string[] {
  return videoCodecs(String(view.read(variable) ?? ''));
}

function receiverPlays(view: LabView): CheckResult {
  const remote = view.media('receiver');
  return { ok: remote.framesDecoded > 0 && remote.width > 0, detail: `receiver framesDecoded ${remote.framesDecoded} (${remote.width}x${remote.height})` };
}

/** The last MediaTranscodingStateChanged state of the sender's endpoint for a media type. */
function transcodingState(view: LabView, mediaType: 'AUDIO' | 'VIDEO'): string {
  const event = view.recorded({ lane: 'kms', source: 'senderEp', type: 'MediaTranscodingStateChanged', where: { mediaType } }).at(-1);
  return typeof event?.data.state === 'string' ? event.data.state : '…';
}

export const transcoding: LabDefinition = {
  id: 'transcoding',
  title: { en: 'Transcoding: VP8 in, H.264 out', 'zh-Hans': '转码：VP8 进，H.264 出' },
  summary: {
    en: 'A sender that sends VP8 and a receiver that accepts only H.264, connected through two WebRtcEndpoints. KMS transcodes the video on the sender\'s output and says so with MediaTranscodingStateChanged; the audio (Opus on both sides) is not touched.',
    'zh-Hans': '一个发送 VP8 的发送端，一个只接受 H.264 的接收端，通过两个 WebRtcEndpoint 相连。KMS 在发送端的输出上对视频转码，并用 MediaTranscodingStateChanged 报告；音频（两边都是 Opus）原样通过。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  program: () => import('./programs/transcoding.js?raw').then((module) => module.default),
  page: {
    videos: [
      { id: 'sender', label: { en: 'The sender: your camera (senderVideo)', 'zh-Hans': '发送端：你的摄像头（senderVideo）' }, muted: true },
      { id: 'receiver', label: { en: 'The receiver, H.264 only (receiverVideo)', 'zh-Hans': '接收端，只收 H.264（receiverVideo）' }, muted: true },
    ],
  },
  steps: [
    {
      id: 'pipeline',
      title: { en: 'Two WebRtcEndpoints, subscribed first', 'zh-Hans': '两个 WebRtcEndpoint，先订阅事件' },
      explain: {
        en: 'One endpoint for the sender, one for the receiver. MediaTranscodingStateChanged is an event of every MediaElement: KMS raises it on the element whose output needs a transcoder, as soon as it inserts one. Subscribe before connecting, or you miss it.',
        'zh-Hans': '发送端一个端点，接收端一个端点。MediaTranscodingStateChanged 是每个 MediaElement 都有的事件：哪个元素的输出需要转码器，KMS 就在插入转码器的那一刻由它触发。要在 connect 之前订阅，否则会错过。',
      },
      sets: ['client', 'pipeline', 'senderEp', 'receiverEp'],
    },
    {
      id: 'sender',
      title: { en: 'The sender offers VP8', 'zh-Hans': '发送端提供 VP8' },
      explain: {
        en: 'A send-only camera peer. Chromium lists VP8 first in its offer, KMS answers with the first codec it supports, so the sender\'s endpoint receives VP8. The check reads the video codecs of KMS\' answer (senderAnswer).',
        'zh-Hans': '一个只发送的摄像头 peer。Chromium 的 offer 把 VP8 排在第一位，KMS 用它支持的第一个编解码器应答，所以发送端的端点收到的是 VP8。检查读取的是 KMS 应答（senderAnswer）中的视频编解码器。',
      },
      sets: ['senderPeer', 'senderAnswer'],
      check: (view) => {
        const codecs = answerCodecs(view, 'senderAnswer');
        return { ok: codecs[0] === 'VP8', detail: `video: ${codecs.join(', ') || '—'}` };
      },
    },
    {
      id: 'receiver',
      title: { en: 'The receiver accepts only H.264', 'zh-Hans': '接收端只接受 H.264' },
      explain: {
        en: 'setCodecPreferences on the receiving transceiver leaves only H.264 in the browser\'s offer (think of a device or a gateway that decodes nothing else). KMS\'s answer for the receiver\'s endpoint therefore has H.264 only: that endpoint must send H.264. A receive-only WebRtcPeer creates its transceivers inside generateOffer(), just before createOffer(), so the program sets the preferences at that moment.',
        'zh-Hans': '在接收用的 transceiver 上调用 setCodecPreferences，浏览器的 offer 里就只剩 H.264（想象一台只会解码 H.264 的设备或网关）。因此 KMS 对接收端端点的应答里也只有 H.264：这个端点必须发送 H.264。只接收的 WebRtcPeer 是在 generateOffer() 里、紧挨着 createOffer() 之前才创建 transceiver 的，所以程序在那一刻设置编解码器偏好。',
      },
      sets: ['receiverPeer', 'receiverAnswer'],
      check: (view) => {
        const codecs = answerCodecs(view, 'receiverAnswer');
        return { ok: codecs.length > 0 && codecs.every((codec) => codec === 'H264'), detail: `video: ${codecs.join(', ') || '—'}` };
      },
    },
    {
      id: 'connect',
      title: { en: 'Connect sender → receiver: KMS transcodes', 'zh-Hans': '连接发送端 → 接收端：KMS 开始转码' },
      explain: {
        en: 'senderEp.connect(receiverEp) links VP8 video to a sink that must send H.264. KMS inserts a decoder and an H.264 encoder on the sender\'s output and raises MediaTranscodingStateChanged TRANSCODING for VIDEO on the sender\'s endpoint. The audio is Opus on both sides, so it is forwarded as it is: NOT_TRANSCODING for AUDIO. The receiver\'s video plays.',
        'zh-Hans': 'senderEp.connect(receiverEp) 把 VP8 视频连到一个必须发送 H.264 的下游。KMS 在发送端的输出上插入解码器和 H.264 编码器，并在发送端端点上触发 VIDEO 的 MediaTranscodingStateChanged TRANSCODING。音频两边都是 Opus，直接转发：AUDIO 为 NOT_TRANSCODING。接收端的视频开始播放。',
      },
      expects: ['video-transcoding', 'audio-not-transcoding'],
      check: (view) => {
        const plays = receiverPlays(view);
        return { ok: plays.ok, detail: `MediaTranscodingStateChanged VIDEO ${transcodingState(view, 'VIDEO')}, AUDIO ${transcodingState(view, 'AUDIO')}; ${plays.detail}` };
      },
      timeout: 25000,
    },
    {
      id: 'cost',
      title: { en: 'What it costs, and how to avoid it', 'zh-Hans': '代价是什么，如何避免' },
      explain: {
        en: 'isMediaTranscoding asks KMS whether an element\'s output goes through a transcoder: VIDEO yes, AUDIO no. Forwarding costs almost nothing; transcoding means decoding every frame and encoding it again — per distinct target codec, shared by all sinks that need it. For 640x480 at 30 fps that is about 9-15 % of one CPU core for each transcoder, plus some delay and a little quality loss. Avoid it by giving both sides the same codec preferences (VP8 everywhere, or H.264 everywhere); watch for MediaTranscodingStateChanged TRANSCODING in production: it usually means a codec mismatch nobody intended.',
        'zh-Hans': 'isMediaTranscoding 询问 KMS 一个元素的输出是否经过转码器：VIDEO 是，AUDIO 否。转发几乎不花什么；转码则要把每一帧解码后重新编码——每种不同的目标编解码器一份，需要它的所有下游共用。640x480、30 fps 的视频，每个转码器大约占一个 CPU 核心的 9-15 %，还会增加一些延迟、损失一点画质。避免的办法是让两边的编解码器偏好一致（都用 VP8，或都用 H.264）；生产环境里要留意 MediaTranscodingStateChanged TRANSCODING：它通常意味着一次没人想要的编解码器不匹配。',
      },
      sets: ['videoTranscoding', 'audioTranscoding'],
      check: (view) => {
        const video = view.read('videoTranscoding');
        const audio = view.read('audioTranscoding');
        const plays = receiverPlays(view);
        return { ok: video === true && audio === false && plays.ok, detail: `isMediaTranscoding VIDEO ${String(video)}, AUDIO ${String(audio)}; ${plays.detail}` };
      },
    },
  ],
  expected: [
    ...WEBRTC_ICE_EXPECTATIONS('receiverEp', { ready: 'optional' }),
    // None of the events below waits for the receiver's ICE: KMS raises them once senderEp.connect(receiverEp) forwards
    // media into the receiver's endpoint, which does not depend on that endpoint's ICE; with a fast connect they come
    // before it is CONNECTED (a run on a fresh clone saw AUDIO NOT_TRANSCODING 7 ms before it).
    {
      id: 'video-transcoding',
      label: { en: 'senderEp: MediaTranscodingStateChanged VIDEO → TRANSCODING', 'zh-Hans': 'senderEp：MediaTranscodingStateChanged VIDEO → TRANSCODING' },
      lane: 'kms',
      source: 'senderEp',
      type: 'MediaTranscodingStateChanged',
      where: { mediaType: 'VIDEO', state: 'TRANSCODING' },
      within: 20000,
      hint: {
        en: 'No transcoder was inserted: did the receiver\'s answer keep H.264 only? If both sides negotiated VP8, KMS just forwards — which is what you want outside this lab.',
        'zh-Hans': '没有插入转码器：接收端的应答里是否只有 H.264？如果两边协商的都是 VP8，KMS 只做转发——在这个实验之外，这正是你想要的。',
      },
    },
    {
      id: 'audio-not-transcoding',
      label: { en: 'senderEp: MediaTranscodingStateChanged AUDIO → NOT_TRANSCODING', 'zh-Hans': 'senderEp：MediaTranscodingStateChanged AUDIO → NOT_TRANSCODING' },
      lane: 'kms',
      source: 'senderEp',
      type: 'MediaTranscodingStateChanged',
      where: { mediaType: 'AUDIO', state: 'NOT_TRANSCODING' },
      within: 20000,
      hint: {
        en: 'The audio should pass untouched (Opus on both sides). Check that the sender sends audio (MediaFlowOutStateChanged AUDIO on senderEp).',
        'zh-Hans': '音频应当原样通过（两边都是 Opus）。请确认发送端在发送音频（senderEp 上的 MediaFlowOutStateChanged AUDIO）。',
      },
    },
    ...flowExpectations('receiverEp', ['AUDIO', 'VIDEO']),
  ],
  completion: {
    en: 'Complete when the sender reported TRANSCODING for VIDEO and NOT_TRANSCODING for AUDIO, and the receiver plays the transcoded video.',
    'zh-Hans': '当发送端报告 VIDEO 为 TRANSCODING、AUDIO 为 NOT_TRANSCODING，且接收端播放出转码后的视频时完成。',
  },
};
