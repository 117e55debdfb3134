/**
 * Bandwidth live: a loopback WebRtcEndpoint fed by a camera that is hard to compress; the receive limit
 * (maxVideoRecvBandwidth) is raised, then lowered while the video flows, and the browser's outbound video bitrate
 * follows it, because KMS sends the limit to the browser as REMB. The checks measure the bitrate from the browser's
 * outbound-rtp stats. The program is labs/programs/bandwidth.js.
 */
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import { bitrateKbps, kmsRequests } from './framework/judging';
import type { CheckResult, LabDefinition, LabView } from './framework/types';
import { remotePlays } from './hello-world';

const SERIES = 'browser:webRtcPeer';
/** The bitrate is averaged over this window (the Stats tab samples once a second). */
const WINDOW_MS = 3000;
/**
 * After the low limit is set, the encoder gets this long (then a window) to follow it: a rate averaged over a window
 * that lies wholly after the call passes as soon as it is within the limit; one still above it after SETTLE_MS +
 * WINDOW_MS is KMS not applying the limit live (see followed()).
 */
const SETTLE_MS = 4000;
/** The measured rate may exceed the limit by this much: RTP headers, a key frame, the encoder's overshoot. */
const MARGIN = 1.25;
/** "Clearly higher before": at least this many times the low limit. */
const BEFORE_FACTOR = 1.6;

function limits(view: LabView): { high: number; low: number } {
  return { high: Number(view.params.highLimit), low: Number(view.params.lowLimit) };
}

function kbps(rate: number | undefined): string {
  return rate === undefined ? '…' : `${Math.round(rate)} kbps`;
}

/** When the program set maxVideoRecvBandwidth to `value` (ms of the run), from the requests on the wire. */
function limitSetAt(view: LabView, value: number): number | undefined {
  // kurento-client sends the setter as invoke { operation: 'setMaxVideoRecvBandwidth', operationParams: { maxVideoRecvBandwidth } }.
  return kmsRequests(view.frames(), 'invoke').find(
    (request) =>
      request.params.operation === 'setMaxVideoRecvBandwidth' &&
      Object.values((request.params.operationParams ?? {}) as Record<string, unknown>).includes(value) &&
      request.answered?.ok === true,
  )?.t;
}

/** The browser's outbound video bitrate averaged over the WINDOW_MS that end at `t`. */
function rateBefore(view: LabView, t: number): number | undefined {
  return bitrateKbps(view.stats().filter((sample) => sample.t <= t), SERIES, 'video', 'outbound', WINDOW_MS);
}

function climbed(view: LabView): CheckResult {
  const { high, low } = limits(view);
  const rate = bitrateKbps(view.stats(), SERIES, 'video', 'outbound', WINDOW_MS);
  const detail = `limit ${high} kbps; the browser sends ${kbps(rate)}`;
  if (view.read('highLimitSet') === undefined) return { ok: false, detail };
  return { ok: rate !== undefined && rate >= low * BEFORE_FACTOR, detail };
}

function followed(view: LabView): CheckResult {
  const { low } = limits(view);
  const at = limitSetAt(view, low);
  if (at === undefined || view.read('lowLimitSet') === undefined) return { ok: false, detail: `waiting for setMaxVideoRecvBandwidth(${low})` };
  const before = rateBefore(view, at);
  // Only the samples after the call: the window never mixes the rate before the change with the rate after it.
  const after = bitrateKbps(view.stats().filter((sample) => sample.t >= at), SERIES, 'video', 'outbound', WINDOW_MS);
  const detail = `before the change ${kbps(before)}, now ${kbps(after)} (limit ${low} kbps)`;
  if (before === undefined || before < low * BEFORE_FACTOR) {
    return {
      ok: false,
      detail,
      hint: {
        en: `Before the change the browser sent less than ${Math.round(low * BEFORE_FACTOR)} kbps, so a fall cannot show: run the step “Raise the limit” again and wait until the plot climbs.`,
        'zh-Hans': `改变之前浏览器发送的码率低于 ${Math.round(low * BEFORE_FACTOR)} kbps，因此看不出下降：重新运行“提高上限”这一步，等曲线升上去。`,
      },
    };
  }
  if (view.now() - at < WINDOW_MS || after === undefined) return { ok: false, detail };
  if (after <= low * MARGIN) return { ok: true, detail };
  if (view.now() - at < SETTLE_MS + WINDOW_MS) return { ok: false, detail };
  // Read in kms-core's sources (not tried on a real KMS here): KMS 7.3 gives its REMB estimator the receive limit
  // when the endpoint negotiates, and a later setMaxVideoRecvBandwidth only stores the value. The embedded KMS applies
  // it live; on another KMS the lab reports what happened instead of failing on it.
  if (!usesEmbeddedKms(view)) return { ok: true, detail: `${detail}: ${NOT_LIVE.en}` };
  return { ok: false, detail };
}

/** The lab runs on the site's embedded KMS (the settings then name its media folder). */
function usesEmbeddedKms(view: LabView): boolean {
  return view.settings.media !== undefined;
}

const NOT_LIVE = {
  en: 'this KMS did not apply the new limit live; KMS 7.3 takes the receive limit when the endpoint negotiates, so set it before processOffer',
  'zh-Hans': '这个 KMS 没有实时应用新的上限；KMS 7.3 在端点协商时读取接收上限，所以请在 processOffer 之前设置它',
} as const;

export const bandwidth: LabDefinition = {
  id: 'bandwidth',
  title: { en: 'Bandwidth live: REMB caps what the browser sends', 'zh-Hans': '带宽实时实验：REMB 限制浏览器的发送码率' },
  summary: {
    en: 'A loopback with a camera that is hard to compress. The limit of what KMS may receive (maxVideoRecvBandwidth) is raised, then lowered while the video flows; KMS sends it to the browser as REMB, and the Stats tab plots the browser’s video bitrate following it.',
    'zh-Hans': '一个回环，摄像头画面很难压缩。在视频流动的同时先提高、再降低 KMS 最多接收的码率（maxVideoRecvBandwidth）；KMS 用 REMB 把它告诉浏览器，“统计”标签页画出浏览器视频码率随之变化的曲线。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint'],
  params: [
    { id: 'highLimit', label: { en: 'First limit (kbps)', 'zh-Hans': '第一个上限（kbps）' }, kind: 'number', default: 1500, min: 800, max: 3000 },
    { id: 'lowLimit', label: { en: 'Second limit (kbps)', 'zh-Hans': '第二个上限（kbps）' }, kind: 'number', default: 300, min: 100, max: 500 },
  ],
  program: () => import('./programs/bandwidth.js?raw').then((module) => module.default),
  page: {
    videos: [
      { id: 'videoInput', label: { en: 'Busy camera (videoInput)', 'zh-Hans': '繁忙的摄像头（videoInput）' }, muted: true },
      { id: 'videoOutput', label: { en: 'Back from KMS (videoOutput)', 'zh-Hans': '从 KMS 传回（videoOutput）' }, muted: true },
    ],
  },
  steps: [
    {
      id: 'camera',
      title: { en: 'A camera that is hard to compress', 'zh-Hans': '一个难以压缩的摄像头' },
      explain: {
        en: 'busyCamera() draws random pixels at a new offset every frame: no frame predicts the next, so the encoder wants far more than 1 Mbps and any limit shows at once. WebRtcPeerSendrecv sends it (videoStream) instead of the real camera.',
        'zh-Hans': 'busyCamera() 每一帧都在新的位置画随机像素：没有哪一帧能预测下一帧，所以编码器想要的码率远超 1 Mbps，任何上限都会立刻显现。WebRtcPeerSendrecv 发送它（videoStream），而不是真正的摄像头。',
      },
      sets: ['webRtcPeer'],
    },
    {
      id: 'offer',
      title: { en: 'Generate the SDP offer', 'zh-Hans': '生成 SDP offer' },
      explain: {
        en: 'Chrome’s offer lists, for each video codec, the feedback it understands: a=rtcp-fb:<pt> goog-remb (REMB) and transport-cc. KMS answers goog-remb, so REMB is how it will steer the bitrate.',
        'zh-Hans': 'Chrome 的 offer 为每个视频编解码器列出它理解的反馈：a=rtcp-fb:<pt> goog-remb（REMB）和 transport-cc。KMS 在应答中保留 goog-remb，于是它用 REMB 来调节码率。',
      },
      sets: ['sdpOffer'],
      check: (view) => {
        const offer = String(view.read('sdpOffer') ?? '');
        return { ok: /m=video/.test(offer), detail: /goog-remb/.test(offer) ? 'goog-remb offered' : 'no goog-remb in the offer' };
      },
    },
    {
      id: 'session',
      title: { en: 'The loopback session', 'zh-Hans': '回环会话' },
      explain: {
        en: 'The hello-world loopback in one step. No limit is set yet: maxVideoRecvBandwidth is 0 (unlimited), the answer has no b=AS, and the browser starts around 300 kbps and climbs on its own.',
        'zh-Hans': '一步完成 hello-world 回环。此时还没有设置上限：maxVideoRecvBandwidth 为 0（不限），应答中没有 b=AS，浏览器从约 300 kbps 起步，自行往上升。',
      },
      sets: ['pipeline', 'webRtcEp', 'sdpAnswer'],
      check: (view) => remotePlays(view),
      timeout: 20000,
    },
    {
      id: 'high',
      title: { en: 'Raise the limit', 'zh-Hans': '提高上限' },
      explain: {
        en: 'setMaxVideoRecvBandwidth(highLimit) while the video flows. The SDP is already answered, so b=AS cannot carry it: REMB does, an RTCP message KMS sends once a second. The step waits until the browser sends clearly more than the second limit (Stats tab); climbing takes Chrome several seconds.',
        'zh-Hans': '在视频流动时调用 setMaxVideoRecvBandwidth(highLimit)。SDP 已经应答过了，b=AS 无法再传达它：由 REMB 传达，这是 KMS 每秒发送一次的 RTCP 消息。这一步等待浏览器的发送码率明显高于第二个上限（见“统计”标签页）；Chrome 需要好几秒才能升上去。',
      },
      sets: ['highLimitSet'],
      check: climbed,
      timeout: 60000,
    },
    {
      id: 'low',
      title: { en: 'Lower the limit live', 'zh-Hans': '实时降低上限' },
      explain: {
        en: 'setMaxVideoRecvBandwidth(lowLimit): the next REMB carries the new value and the browser’s encoder drops to it within a few seconds, without any new negotiation. The check compares the bitrate just before the call with the bitrate a few seconds after it.',
        'zh-Hans': 'setMaxVideoRecvBandwidth(lowLimit)：下一个 REMB 带着新值，浏览器的编码器在几秒内降下来，无需重新协商。检查比较调用之前一刻的码率与调用几秒之后的码率。',
      },
      sets: ['lowLimitSet'],
      check: followed,
      timeout: 30000,
    },
    {
      id: 'remb',
      title: { en: 'Read the REMB value in KMS’ stats', 'zh-Hans': '在 KMS 的统计中读取 REMB 值' },
      explain: {
        en: 'getStats(\'VIDEO\') on the endpoint: the inbound video entry’s remb is the last REMB value KMS sent the browser, in bps (kbps × 1000).',
        'zh-Hans': '在端点上调用 getStats(\'VIDEO\')：入站视频条目的 remb 是 KMS 最近发给浏览器的 REMB 值，单位 bps（kbps × 1000）。',
      },
      sets: ['rembReported'],
      check: (view) => {
        const remb = Number(view.read('rembReported'));
        // On another KMS than the embedded one the value is that KMS's own estimate (see followed()).
        const within = remb <= limits(view).low * 1000 || !usesEmbeddedKms(view);
        return { ok: remb > 0 && within, detail: `remb ${remb} bps` };
      },
    },
  ],
  expected: [...WEBRTC_ICE_EXPECTATIONS('webRtcEp', { ready: 'optional' }), ...flowExpectations('webRtcEp', ['VIDEO'])],
  completion: {
    en: 'Complete when the browser’s video bitrate, measured from its outbound-rtp stats, was clearly above the second limit before it was set and within it (with a 25 % margin) a few seconds after.',
    'zh-Hans': '当浏览器的视频码率（由其 outbound-rtp 统计测得）在设置第二个上限之前明显高于它、设置几秒之后回到它以内（允许 25% 的余量）时完成。',
  },
};
