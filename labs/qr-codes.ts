/**
 * QR codes: WebRtcEndpoint → ZBarFilter → WebRtcEndpoint. The filter reads the codes in the video and raises CodeFound
 * (codeType, value); the check reads the events KMS sent and proves the value is the text the sample code was made
 * from (qrencode, scripts/make-filter-media.ts). The camera is that QR code by default, or the learner's webcam with
 * any code held up to it. The code of each step is labs/programs/qr-codes.js.
 */
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import { SAMPLE_QR } from './framework/pictures';
import { localize, type CheckResult, type LabDefinition, type LabView } from './framework/types';
import { remotePlays } from './hello-world';

/** The codes KMS reported (CodeFound on the timeline), and whether the program's listener got one. */
export function codeRead(view: LabView): CheckResult {
  const found = view.recorded({ lane: 'kms', source: 'zbar', type: 'CodeFound' });
  const heard = view.read('lastCode') as { value?: unknown } | undefined;
  const plays = remotePlays(view, 'videoOutput');
  const last = found.at(-1);
  const seen = localize(
    last
      ? { en: `${found.length} × CodeFound, last ${String(last.data.codeType)} "${String(last.data.value)}"`, 'zh-Hans': `${found.length} 次 CodeFound，最近一次 ${String(last.data.codeType)} "${String(last.data.value)}"` }
      : { en: 'no CodeFound yet', 'zh-Hans': '还没有 CodeFound' },
    view.locale,
  );
  if (view.params.source !== 'sample') {
    const ok = last !== undefined && heard !== undefined && plays.ok;
    return {
      ok,
      detail: `${seen}; ${plays.detail}`,
      ...(ok
        ? {}
        : {
            hint: {
              en: 'a code read by KMS: hold a QR code up to the camera, flat and sharp, filling about a third of the picture (a phone screen showing one works), or choose the sample QR code',
              'zh-Hans': 'KMS 读到的条码：请把一个二维码举到摄像头前，放平、对焦清楚，约占画面的三分之一（手机屏幕上显示的二维码也可以），或者改用示例二维码',
            },
          }),
    };
  }
  const right = found.filter((event) => event.data.codeType === 'QR-Code' && event.data.value === SAMPLE_QR.text);
  const wrong = found.find((event) => event.data.value !== SAMPLE_QR.text);
  const ok = right.length > 0 && wrong === undefined && heard !== undefined && plays.ok;
  return {
    ok,
    detail: `${seen}${wrong ? localize({ en: `; expected "${SAMPLE_QR.text}"`, 'zh-Hans': `；应为 "${SAMPLE_QR.text}"` }, view.locale) : ''}; ${plays.detail}`,
    ...(ok
      ? {}
      : {
          hint: wrong
            ? {
                en: `the sample's text: KMS read "${String(wrong.data.value)}", but the sample code says "${SAMPLE_QR.text}" (the camera shows another code)`,
                'zh-Hans': `示例二维码的文本：KMS 读到的是 "${String(wrong.data.value)}"，而示例二维码的内容是 "${SAMPLE_QR.text}"（摄像头拍到的是别的二维码）`,
              }
            : {
                en: 'a CodeFound with the sample\'s text: check that zbar is connected to the endpoint that receives the camera (webRtcEp.connect(zbar)) and that video flows into it (MediaFlowInStateChanged on zbar)',
                'zh-Hans': '内容为示例文本的 CodeFound：请确认 zbar 已连接到接收摄像头的端点（webRtcEp.connect(zbar)），并且有视频流入它（zbar 上的 MediaFlowInStateChanged）',
              },
        }),
  };
}

export const qrCodes: LabDefinition = {
  id: 'qr-codes',
  title: { en: 'Read QR codes with ZBarFilter', 'zh-Hans': '用 ZBarFilter 读取二维码' },
  summary: {
    en: 'The camera goes through a ZBarFilter, which reads the QR and bar codes in the video and raises CodeFound with their type and text. Works with a sample QR code or your webcam.',
    'zh-Hans': '摄像头画面经过 ZBarFilter，它读取视频中的二维码和条形码，并以 CodeFound 事件报告类型和内容。可以用示例二维码，也可以用你的摄像头。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint', 'ZBarFilter'],
  params: [
    {
      id: 'source',
      label: { en: 'Camera', 'zh-Hans': '摄像头' },
      kind: 'choice',
      default: 'sample',
      choices: [
        { value: 'sample', label: { en: 'The sample QR code (no webcam needed)', 'zh-Hans': '示例二维码（不需要摄像头）' } },
        { value: 'camera', label: { en: 'Your webcam (hold a code up to it)', 'zh-Hans': '你的摄像头（把二维码举到镜头前）' } },
      ],
    },
  ],
  program: () => import('./programs/qr-codes.js?raw').then((module) => module.default),
  page: {
    videos: [
      { id: 'videoInput', label: { en: 'Sent to KMS (videoInput)', 'zh-Hans': '发送给 KMS（videoInput）' }, muted: true },
      { id: 'videoOutput', label: { en: 'Back through the filter (videoOutput)', 'zh-Hans': '经过过滤器传回（videoOutput）' }, muted: true },
    ],
  },
  settingsVars: (settings) => ({ siteOrigin: settings.siteOrigin }),
  steps: [
    {
      id: 'camera',
      title: { en: 'Open the camera: your webcam or the sample QR code', 'zh-Hans': '打开摄像头：你的摄像头或示例二维码' },
      explain: {
        en: 'With the sample, imageSource() paints the QR code on a canvas and captures it as a camera stream, which WebRtcPeerSendrecv sends instead of calling getUserMedia. The code holds the text https://labs.kurento.example/qr-codes?room=42; this site made it with qrencode.',
        'zh-Hans': '选择示例时，imageSource() 把二维码画到 canvas 上，再捕获成摄像头那样的视频流，WebRtcPeerSendrecv 发送这个流而不调用 getUserMedia。二维码的内容是 https://labs.kurento.example/qr-codes?room=42，由本站用 qrencode 生成。',
      },
      sets: ['webRtcPeer'],
      check: (view) => {
        const peer = view.read('webRtcPeer') as { getLocalStream?: () => MediaStream | undefined } | undefined;
        const track = peer?.getLocalStream?.()?.getVideoTracks()[0];
        const { width = 0, height = 0 } = track?.getSettings() ?? {};
        return { ok: track?.readyState === 'live' && width > 0, detail: `${width}x${height}` };
      },
    },
    {
      id: 'pipeline',
      title: { en: 'A pipeline with a WebRtcEndpoint and a ZBarFilter', 'zh-Hans': '一个包含 WebRtcEndpoint 和 ZBarFilter 的管道' },
      explain: {
        en: 'ZBarFilter is a filter of KMS\' filters module, built on the zbar library. It takes no parameters: it reads every code it can in every frame.',
        'zh-Hans': 'ZBarFilter 属于 KMS 的 filters 模块，基于 zbar 库。它没有参数：在每一帧里读取它能识别的所有条码。',
      },
      sets: ['client', 'pipeline', 'webRtcEp', 'zbar'],
    },
    {
      id: 'negotiate',
      title: { en: 'SDP and ICE, as in Hello World', 'zh-Hans': 'SDP 与 ICE，和 Hello World 一样' },
      explain: {
        en: 'Candidates both ways, the offer to processOffer, the answer to processAnswer, then gatherCandidates. The browser only talks to the WebRtcEndpoint.',
        'zh-Hans': '双向交换候选，offer 交给 processOffer，answer 交给 processAnswer，然后 gatherCandidates。浏览器只和 WebRtcEndpoint 打交道。',
      },
      sets: ['sdpAnswer'],
      expects: ['webRtcEp:connected'],
    },
    {
      id: 'listen',
      title: { en: "Subscribe to the filter's CodeFound", 'zh-Hans': '订阅过滤器的 CodeFound 事件' },
      explain: {
        en: 'The filter\'s result is an event, not a picture: CodeFound carries codeType (QR-Code, EAN-13, CODE-128…) and value, the decoded text. Subscribe before media reaches the filter; a real application would pass the value on, to its page or to a data channel.',
        'zh-Hans': '这个过滤器的结果是事件而不是画面：CodeFound 带有 codeType（QR-Code、EAN-13、CODE-128……）和 value（解码出的文本）。要在媒体到达过滤器之前订阅；真正的应用会把 value 转交给页面或数据通道。',
      },
    },
    {
      id: 'connect',
      title: { en: 'webRtcEp → zbar → webRtcEp: CodeFound', 'zh-Hans': 'webRtcEp → zbar → webRtcEp：CodeFound' },
      explain: {
        en: 'Once media flows into the filter, CodeFound comes for each code it reads, and again about once a second while the same code stays in view. The video comes back unchanged. The check compares the value with the text the sample was made from.',
        'zh-Hans': '媒体流入过滤器后，它每读到一个条码就触发一次 CodeFound；同一个条码一直在画面中时，大约每秒再报告一次。视频原样传回。检查会把 value 与生成示例二维码所用的文本进行比较。',
      },
      sets: ['lastCode'],
      expects: ['code-found'],
      check: codeRead,
      timeout: 30000,
    },
  ],
  expected: [
    ...WEBRTC_ICE_EXPECTATIONS('webRtcEp', { ready: 'optional' }),
    ...flowExpectations('zbar', ['VIDEO']),
    {
      id: 'code-found',
      label: { en: 'CodeFound on the ZBarFilter', 'zh-Hans': 'ZBarFilter 上的 CodeFound' },
      lane: 'kms',
      source: 'zbar',
      type: 'CodeFound',
      after: ['zbar:flow-in-VIDEO'],
      within: 15000,
      hint: {
        en: 'The filter receives video but reads no code: the code must be sharp, flat and large enough (a third of the picture), with its white margin around it.',
        'zh-Hans': '过滤器收到了视频，但没有读到条码：条码必须清晰、平整、足够大（约占画面的三分之一），四周还要留有白边。',
      },
    },
    ...flowExpectations('webRtcEp', ['VIDEO']),
  ],
  completion: {
    en: 'Complete when KMS raised CodeFound with the text the QR code holds and the video came back through the filter.',
    'zh-Hans': '当 KMS 以二维码中的文本触发 CodeFound、且视频经过过滤器传回时完成。',
  },
};
