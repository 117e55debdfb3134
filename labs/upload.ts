/**
 * Upload: the browser records its (synthetic, green) camera with MediaRecorder and POSTs the WebM file to the URL of an
 * HttpPostEndpoint, which plays it into a WebRtcEndpoint that this page views. EndOfStream when the upload has played,
 * MediaSessionTerminated and an empty getUrl() once disconnectionTimeout has passed without a new POST. The code of
 * each step is labs/programs/upload.js.
 */
import { GREEN, rgbOf, rgbText, showsColour } from './framework/colours';
import { WEBRTC_ICE_EXPECTATIONS } from './framework/expectations';
import { localize, type CheckResult, type LabDefinition, type LabView } from './framework/types';

/** The viewer shows the uploaded camera: green in the middle. */
export function viewerShowsUpload(view: LabView): CheckResult {
  const media = view.media('videoOutput');
  const sample = view.sampleColorAt('videoOutput', 0.5, 0.5);
  const ok = media.framesDecoded > 0 && showsColour(sample, GREEN);
  const detail = `${media.width}x${media.height}, framesDecoded ${media.framesDecoded}, ${localize({ en: 'centre', 'zh-Hans': '中心' }, view.locale)} ${sample ? rgbText(sample) : '?'} (${localize(GREEN.name, view.locale)} ${rgbText(rgbOf(GREEN.hex))})`;
  return {
    ok,
    detail,
    ...(ok
      ? {}
      : {
          hint: {
            en: 'the green of the uploaded recording in the viewer. Did the POST answer 200 (the status line)? Is httpPostEp connected to webRtcEp, and is ICE connected? A 404 means the URL expired: the POST must come within disconnectionTimeout of the previous one.',
            'zh-Hans': '观看端画面中上传录像的绿色。POST 是否返回了 200（看状态行）？httpPostEp 是否已连接到 webRtcEp，ICE 是否已连接？404 表示 URL 已过期：POST 必须在上一次 POST 结束后的 disconnectionTimeout 之内到达。',
          },
        }),
  };
}

export const upload: LabDefinition = {
  id: 'upload',
  title: { en: 'Upload: POST a recording into a pipeline', 'zh-Hans': '上传：把录像 POST 进管道' },
  summary: {
    en: 'The browser records four seconds of its camera (MediaRecorder, WebM) and POSTs the file to the URL of an HttpPostEndpoint. KMS plays the upload into the pipeline as it arrives, and a WebRtcEndpoint shows it to a viewer: EndOfStream when it has played, and the URL expires after disconnectionTimeout.',
    'zh-Hans': '浏览器用 MediaRecorder 录制四秒摄像头画面（WebM），并把文件 POST 到 HttpPostEndpoint 的 URL。KMS 一边接收一边把上传内容播放进管道，WebRtcEndpoint 再把它显示给观看端：播放完毕时触发 EndOfStream，disconnectionTimeout 之后 URL 失效。',
  },
  elements: ['MediaPipeline', 'HttpPostEndpoint', 'WebRtcEndpoint'],
  program: () => import('./programs/upload.js?raw').then((module) => module.default),
  page: {
    videos: [
      { id: 'videoInput', label: { en: 'Recorded by the browser (videoInput)', 'zh-Hans': '由浏览器录制（videoInput）' }, muted: true },
      { id: 'videoOutput', label: { en: 'The upload, played by KMS (videoOutput)', 'zh-Hans': '上传内容，由 KMS 播放（videoOutput）' }, muted: true },
    ],
  },
  steps: [
    {
      id: 'record',
      title: { en: 'Record four seconds with MediaRecorder', 'zh-Hans': '用 MediaRecorder 录制四秒' },
      explain: {
        en: 'MediaRecorder is the browser\'s own recorder: it encodes the camera into WebM (VP8 and Opus in Chromium) and hands the bytes over in chunks. The file is made entirely in the browser: KMS is not involved yet.',
        'zh-Hans': 'MediaRecorder 是浏览器自带的录制器：它把摄像头画面编码成 WebM（在 Chromium 中是 VP8 和 Opus），并分块交出数据。文件完全在浏览器中生成：此时还没有用到 KMS。',
      },
      sets: ['recordedBlob'],
      check: (view) => {
        const blob = view.read('recordedBlob') as { size?: number } | undefined;
        return { ok: (blob?.size ?? 0) > 10_000, detail: `${blob?.size ?? 0} bytes` };
      },
      timeout: 20000,
    },
    {
      id: 'pipeline',
      title: { en: 'HttpPostEndpoint → WebRtcEndpoint', 'zh-Hans': 'HttpPostEndpoint → WebRtcEndpoint' },
      explain: {
        en: 'An HttpPostEndpoint is a source element fed over HTTP: what is POSTed to its URL comes out of its source pads. disconnectionTimeout says how long KMS keeps the URL once a POST has ended (KMS\' default is 2 s); useEncodedMedia false makes KMS decode the upload and encode it again, which any container and codec survive.',
        'zh-Hans': 'HttpPostEndpoint 是一个通过 HTTP 输入的源元素：POST 到它的 URL 的内容从它的输出端流出。disconnectionTimeout 指定一次 POST 结束后 KMS 保留该 URL 的时长（KMS 默认 2 秒）；useEncodedMedia 为 false 时 KMS 会把上传内容解码再重新编码，任何容器和编解码器都能通过。',
      },
      sets: ['client', 'pipeline', 'httpPostEp', 'webRtcEp'],
    },
    {
      id: 'viewer',
      title: { en: 'A viewer: WebRtcPeerRecvonly', 'zh-Hans': '观看端：WebRtcPeerRecvonly' },
      explain: {
        en: 'The viewer negotiates as in Hello World, receive-only. Until something is POSTed, there is nothing to see.',
        'zh-Hans': '观看端的协商和 Hello World 一样，只接收。在 POST 任何内容之前，没有画面可看。',
      },
      sets: ['webRtcPeer', 'sdpAnswer'],
      expects: ['webRtcEp:connected'],
    },
    {
      id: 'url',
      title: { en: 'getUrl(): where to POST', 'zh-Hans': 'getUrl()：POST 到哪里' },
      explain: {
        en: 'The URL belongs to KMS\' own HTTP server: the KMS port here, or this site\'s https address in workshop mode (the site forwards it), so that the page can reach it. Another origin than the page\'s: KMS answers CORS preflights for any origin, as a real KMS does.',
        'zh-Hans': '这个 URL 属于 KMS 自己的 HTTP 服务器：这里是 KMS 的端口；在研讨会模式下是本站的 https 地址（由本站转发），这样页面才能访问到。它与页面不同源：KMS 会像真正的 KMS 一样，对任何来源的 CORS 预检作出应答。',
      },
      sets: ['uploadUrl'],
      check: (view) => {
        const url = view.read('uploadUrl');
        return { ok: typeof url === 'string' && /^https?:\/\//.test(url), detail: String(url) };
      },
    },
    {
      id: 'upload',
      title: { en: 'POST the recording; the viewer sees it', 'zh-Hans': 'POST 录像；观看端看到它' },
      explain: {
        en: 'One fetch() with the Blob as its body (chunked uploads work too). KMS reads the WebM as it arrives and plays it at its own pace into the pipeline: MediaSessionStarted at the first POST, then the viewer shows the green recording. The check reads the viewer\'s colour.',
        'zh-Hans': '一次 fetch()，请求体就是这个 Blob（分块上传同样可行）。KMS 一边接收 WebM 一边按它自身的节奏播放进管道：第一次 POST 时触发 MediaSessionStarted，然后观看端显示绿色的录像。检查读取观看端的颜色。',
      },
      sets: ['uploadStatus'],
      expects: ['started'],
      check: viewerShowsUpload,
      timeout: 25000,
    },
    {
      id: 'expiry',
      title: { en: 'EndOfStream, then the URL expires', 'zh-Hans': 'EndOfStream，随后 URL 失效' },
      explain: {
        en: 'EndOfStream comes when the upload has played to its end. Once the POST has ended and disconnectionTimeout seconds pass without a new one, KMS ends the HTTP session (MediaSessionTerminated: the one endpoint class that raises it) and the URL answers 404: getUrl() is empty from then on. A client that uploads in several POSTs must keep them closer together than that.',
        'zh-Hans': '上传内容播放完毕时到来 EndOfStream。POST 结束后，如果 disconnectionTimeout 秒内没有新的 POST，KMS 就结束这个 HTTP 会话（MediaSessionTerminated：只有这类端点会触发它），该 URL 从此返回 404：getUrl() 变为空字符串。分多次 POST 上传的客户端，两次 POST 的间隔必须比这更短。',
      },
      sets: ['urlAfterExpiry'],
      expects: ['eos', 'terminated'],
      check: (view) => {
        const url = view.read('urlAfterExpiry');
        return { ok: url === '', detail: `getUrl() = "${String(url)}"` };
      },
      timeout: 30000,
    },
  ],
  expected: [
    ...WEBRTC_ICE_EXPECTATIONS('webRtcEp', { ready: 'optional' }),
    {
      id: 'started',
      label: { en: 'httpPostEp: MediaSessionStarted (the first POST)', 'zh-Hans': 'httpPostEp：MediaSessionStarted（第一次 POST）' },
      lane: 'kms',
      source: 'httpPostEp',
      type: 'MediaSessionStarted',
      within: 30000,
      hint: {
        en: 'No POST reached the endpoint: look at the status line for the HTTP answer and at the browser console for a CORS or network error. The URL must be getUrl()\'s, unchanged.',
        'zh-Hans': '没有 POST 到达该端点：请查看状态行中的 HTTP 应答，以及浏览器控制台中的 CORS 或网络错误。URL 必须原样使用 getUrl() 的返回值。',
      },
    },
    {
      id: 'flow-out',
      label: { en: 'httpPostEp: MediaFlowOutStateChanged VIDEO → FLOWING', 'zh-Hans': 'httpPostEp：MediaFlowOutStateChanged VIDEO → FLOWING' },
      lane: 'kms',
      source: 'httpPostEp',
      type: 'MediaFlowOutStateChanged',
      where: { mediaType: 'VIDEO', state: 'FLOWING' },
      after: ['started'],
      within: 15000,
      hint: {
        en: 'KMS received the POST but plays no video out of it: the body must be WebM or MP4 with a video track (an Error event says what ffmpeg could not read).',
        'zh-Hans': 'KMS 收到了 POST，但没有从中播放出视频：请求体必须是带视频轨道的 WebM 或 MP4（Error 事件会说明 ffmpeg 读不了什么）。',
      },
    },
    {
      id: 'eos',
      label: { en: 'httpPostEp: EndOfStream', 'zh-Hans': 'httpPostEp：EndOfStream' },
      lane: 'kms',
      source: 'httpPostEp',
      type: 'EndOfStream',
      after: ['started'],
      within: 30000,
      hint: {
        en: 'The upload has not finished playing: KMS plays it at its own pace, so EndOfStream comes about as long after the POST as the recording lasts.',
        'zh-Hans': '上传内容还没有播放完：KMS 按自身节奏播放，所以 EndOfStream 大约在 POST 之后、经过与录像时长相当的时间才到来。',
      },
    },
    {
      id: 'terminated',
      label: { en: 'httpPostEp: MediaSessionTerminated (the URL expired)', 'zh-Hans': 'httpPostEp：MediaSessionTerminated（URL 已失效）' },
      lane: 'kms',
      source: 'httpPostEp',
      type: 'MediaSessionTerminated',
      after: ['started'],
      within: 30000,
      hint: {
        en: 'The URL has not expired yet: it does disconnectionTimeout seconds after the last POST ended, if no other POST comes.',
        'zh-Hans': 'URL 还没有失效：它在最后一次 POST 结束 disconnectionTimeout 秒后失效（如果没有新的 POST）。',
      },
    },
  ],
  completion: {
    en: 'Complete when the viewer showed the green recording the browser POSTed, EndOfStream came, and the URL expired (MediaSessionTerminated, getUrl() empty).',
    'zh-Hans': '当观看端显示出浏览器 POST 的绿色录像、收到 EndOfStream，并且 URL 已失效（MediaSessionTerminated，getUrl() 为空）时完成。',
  },
};
