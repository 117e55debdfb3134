/**
 * The Magic Mirror of Kurento's tutorials: WebRtcEndpoint → FaceOverlayFilter → WebRtcEndpoint, with a hat over every
 * face KMS finds. The camera is a photograph served by this site by default (a learner may have no webcam, or want a
 * picture whose face KMS certainly finds), or the learner's webcam. The check compares the two videos of the page:
 * where the hat must be, the picture that comes back is purple and the one sent is not; elsewhere both are alike.
 * The code of each step is labs/programs/magic-mirror.js; the pictures are labs/framework/pictures.ts.
 */
import { channelDistance, rgbText } from './framework/colours';
import { WEBRTC_ICE_EXPECTATIONS, flowExpectations } from './framework/expectations';
import { HAT_GAIN, SAMPLE_FACE, SAME_PICTURE, purpleGain, sampleCrownCentre } from './framework/pictures';
import { localize, type CheckResult, type LabDefinition, type LabView, type Localized } from './framework/types';
import { remotePlays } from './hello-world';

/** Where the check looks away from the hat (the bottom left of the sample photograph: arm and shirt). */
const AWAY = { x: 0.12, y: 0.85 } as const;

/** The points a webcam's picture is searched at for the hat: the face may be anywhere. */
const GRID = [0.15, 0.3, 0.45, 0.6, 0.75, 0.9].flatMap((y) => [0.15, 0.3, 0.45, 0.6, 0.75, 0.9].map((x) => ({ x, y })));

/** What the hat check says is missing (the step's timeout lists it), with a webcam: usually a face KMS did not find. */
const NO_FACE: Localized = {
  en: 'a hat in the picture that came back: KMS found no face. Face the webcam straight on in good light, close enough that your face is a fifth of the picture, or choose the sample photograph',
  'zh-Hans': '传回画面中的帽子：KMS 没有找到人脸。请正对摄像头、光线充足，并靠近到脸约占画面的五分之一；也可以改用示例照片',
};

/** The same with the sample photograph, whose face KMS finds: the image, its numbers or its URI are the cause. */
const NO_HAT: Localized = {
  en: "the hat's purple over the sample face: check the numbers of setOverlayedImage (the tutorial's are -0.35, -1.2, 1.6, 1.6: left, up, width, height in face sizes), and look for an Error event on faceOverlay (KMS could not download the image)",
  'zh-Hans': '示例人脸上方帽子的紫色：请检查 setOverlayedImage 的数值（教程中是 -0.35、-1.2、1.6、1.6：以脸的大小为单位的左移、上移、宽、高），并查看 faceOverlay 上有没有 Error 事件（KMS 无法下载图片）',
};

/** The input and the output show the same picture at a point (the filter changed nothing there). */
function samePicture(view: LabView, x: number, y: number): { ok: boolean; text: string } {
  const before = view.sampleColorAt('videoInput', x, y);
  const after = view.sampleColorAt('videoOutput', x, y);
  if (!before || !after) return { ok: false, text: localize({ en: 'no picture yet', 'zh-Hans': '还没有画面' }, view.locale) };
  const distance = channelDistance(before, after);
  return { ok: distance <= SAME_PICTURE, text: `${rgbText(before)} → ${rgbText(after)}` };
}

function signed(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '?' : `${value >= 0 ? '+' : ''}${Math.round(value)}`;
}

function at(point: { x: number; y: number }): string {
  return `(${point.x.toFixed(2)}, ${point.y.toFixed(2)})`;
}

/** The middle of the sample photograph's face, as fractions of the frame. */
export function sampleFaceCentre(): { x: number; y: number } {
  const face = SAMPLE_FACE.face;
  return { x: face.x + face.width / 2, y: face.y + face.height / 2 };
}

/**
 * How much purpler the output is than the input over the sample face, over the hat's place above it, and whether the
 * picture is unchanged away from both: what the face-mask exercise judges.
 */
export function overlayGains(view: LabView): { face?: number; crown?: number; away: { ok: boolean; text: string } } {
  const face = sampleFaceCentre();
  const crown = sampleCrownCentre();
  const faceGain = purpleGain(view, 'videoInput', 'videoOutput', face.x, face.y);
  const crownGain = purpleGain(view, 'videoInput', 'videoOutput', crown.x, crown.y);
  return { ...(faceGain !== undefined ? { face: faceGain } : {}), ...(crownGain !== undefined ? { crown: crownGain } : {}), away: samePicture(view, AWAY.x, AWAY.y) };
}

export { signed as signedGain };

/** The hat is drawn: over the sample face where the tutorial's numbers put it, or anywhere in a webcam's picture. */
export function hatDrawn(view: LabView): CheckResult {
  if (view.params.source === 'sample') {
    const crown = sampleCrownCentre();
    const gain = purpleGain(view, 'videoInput', 'videoOutput', crown.x, crown.y);
    const away = samePicture(view, AWAY.x, AWAY.y);
    const ok = gain !== undefined && gain >= HAT_GAIN && away.ok;
    const detail: Localized = {
      en: `hat at ${at(crown)}: purple ${signed(gain)}; elsewhere ${away.ok ? 'unchanged' : `changed (${away.text})`}`,
      'zh-Hans': `帽子位置 ${at(crown)}：紫色 ${signed(gain)}；其他位置${away.ok ? '没有变化' : `有变化（${away.text}）`}`,
    };
    return { ok, detail: localize(detail, view.locale), ...(ok ? {} : { hint: NO_HAT }) };
  }
  let best = { gain: -Infinity, x: 0, y: 0 };
  for (const point of GRID) {
    const gain = purpleGain(view, 'videoInput', 'videoOutput', point.x, point.y);
    if (gain !== undefined && gain > best.gain) best = { gain, ...point };
  }
  const ok = best.gain >= HAT_GAIN;
  const detail: Localized = Number.isFinite(best.gain)
    ? { en: `most purple at ${at(best)}: ${signed(best.gain)}`, 'zh-Hans': `最紫的位置 ${at(best)}：${signed(best.gain)}` }
    : { en: 'no picture yet', 'zh-Hans': '还没有画面' };
  return { ok, detail: localize(detail, view.locale), ...(ok ? {} : { hint: NO_FACE }) };
}

export const magicMirror: LabDefinition = {
  id: 'magic-mirror',
  title: { en: 'Magic Mirror: a hat on every face', 'zh-Hans': '魔镜：给每张脸戴上帽子' },
  summary: {
    en: 'The camera goes through a FaceOverlayFilter and comes back with a hat on each face: OpenCV finds the faces inside KMS, and setOverlayedImage says what to draw and where. Works with a sample photograph or your webcam.',
    'zh-Hans': '摄像头画面经过 FaceOverlayFilter 再传回来，每张脸上都戴着一顶帽子：KMS 内部用 OpenCV 找到人脸，setOverlayedImage 决定画什么、画在哪里。可以用示例照片，也可以用你的摄像头。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint', 'FaceOverlayFilter'],
  params: [
    {
      id: 'source',
      label: { en: 'Camera', 'zh-Hans': '摄像头' },
      kind: 'choice',
      default: 'sample',
      choices: [
        { value: 'sample', label: { en: 'The sample photograph (no webcam needed)', 'zh-Hans': '示例照片（不需要摄像头）' } },
        { value: 'camera', label: { en: 'Your webcam', 'zh-Hans': '你的摄像头' } },
      ],
    },
  ],
  program: () => import('./programs/magic-mirror.js?raw').then((module) => module.default),
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
      title: { en: 'Open the camera: your webcam or the sample photograph', 'zh-Hans': '打开摄像头：你的摄像头或示例照片' },
      explain: {
        en: 'With the sample photograph, imageSource() paints the picture on a canvas and captures it as a camera stream, which WebRtcPeerSendrecv sends instead of calling getUserMedia (its videoStream option). The photograph is OpenCV\'s own sample picture: a face the detector finds for sure.',
        'zh-Hans': '选择示例照片时，imageSource() 把照片画到 canvas 上，再把它捕获成摄像头那样的视频流；WebRtcPeerSendrecv 发送这个流，而不调用 getUserMedia（它的 videoStream 选项）。这张照片是 OpenCV 自带的示例图片，检测器一定能找到其中的人脸。',
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
      title: { en: 'A pipeline with a WebRtcEndpoint and a FaceOverlayFilter', 'zh-Hans': '一个包含 WebRtcEndpoint 和 FaceOverlayFilter 的管道' },
      explain: {
        en: 'FaceOverlayFilter is a filter of KMS\' filters module (kurento-client-filters). It has one sink and one source, like any MediaElement; inside, OpenCV looks for faces in every frame it has time for.',
        'zh-Hans': 'FaceOverlayFilter 属于 KMS 的 filters 模块（kurento-client-filters）。和所有 MediaElement 一样，它有一个输入和一个输出；在内部，OpenCV 在它来得及处理的每一帧里寻找人脸。',
      },
      sets: ['client', 'pipeline', 'webRtcEp', 'faceOverlay'],
    },
    {
      id: 'negotiate',
      title: { en: 'SDP and ICE, as in Hello World', 'zh-Hans': 'SDP 与 ICE，和 Hello World 一样' },
      explain: {
        en: 'Candidates both ways, the offer to processOffer, the answer to processAnswer, then gatherCandidates. Nothing here is about the filter: the browser only talks to the WebRtcEndpoint.',
        'zh-Hans': '双向交换候选，offer 交给 processOffer，answer 交给 processAnswer，然后 gatherCandidates。这里和过滤器无关：浏览器只和 WebRtcEndpoint 打交道。',
      },
      sets: ['sdpAnswer'],
      expects: ['webRtcEp:connected'],
    },
    {
      id: 'connect',
      title: { en: 'webRtcEp → faceOverlay → webRtcEp', 'zh-Hans': 'webRtcEp → faceOverlay → webRtcEp' },
      explain: {
        en: 'Two connect() calls put the filter in the loopback. It has no image yet, so the video comes back as it went: the check compares both videos where the hat will be.',
        'zh-Hans': '两次 connect() 把过滤器放进回环。它还没有图片，所以视频原样返回：检查会在帽子将要出现的位置比较两个视频。',
      },
      check: (view) => {
        const links = view.graph().links;
        const into = links.some((link) => link.source === 'webRtcEp' && link.sink === 'faceOverlay' && link.mediaType === 'VIDEO');
        const back = links.some((link) => link.source === 'faceOverlay' && link.sink === 'webRtcEp' && link.mediaType === 'VIDEO');
        const plays = remotePlays(view, 'videoOutput');
        if (!into || !back || !plays.ok) return { ok: false, detail: `${into ? '✓' : '✗'} webRtcEp → faceOverlay, ${back ? '✓' : '✗'} faceOverlay → webRtcEp; ${plays.detail}` };
        if (view.params.source !== 'sample') return { ok: true, detail: plays.detail };
        const crown = sampleCrownCentre();
        const same = samePicture(view, crown.x, crown.y);
        const detail: Localized = {
          en: `no image yet: ${same.ok ? 'the same picture comes back' : 'the picture differs'} at ${at(crown)} (${same.text}); ${plays.detail}`,
          'zh-Hans': `还没有图片：${at(crown)} 处${same.ok ? '传回的画面与发送的相同' : '画面不同'}（${same.text}）；${plays.detail}`,
        };
        return { ok: same.ok, detail: localize(detail, view.locale) };
      },
    },
    {
      id: 'hat',
      title: { en: 'setOverlayedImage: the hat', 'zh-Hans': 'setOverlayedImage：戴上帽子' },
      explain: {
        en: 'KMS downloads the PNG from this site (so KMS must reach it) and draws it over each face it finds: offsetXPercent and offsetYPercent move it by fractions of the face\'s width and height, widthPercent and heightPercent size it. These are the tutorial\'s numbers: a hat 1.6 faces wide and high, resting on the head. The check finds the hat\'s purple where it belongs, and the rest of the picture unchanged.',
        'zh-Hans': 'KMS 从本站下载这张 PNG（因此 KMS 必须能访问本站），并画在它找到的每张脸上：offsetXPercent 和 offsetYPercent 按脸宽、脸高的比例移动图片，widthPercent 和 heightPercent 决定它的大小。这里用的是教程里的数值：帽子宽、高都是脸的 1.6 倍，正好戴在头上。检查会在应有的位置找到帽子的紫色，并确认画面其余部分没有变化。',
      },
      sets: ['hatSet'],
      check: hatDrawn,
      timeout: 45000,
    },
  ],
  expected: [
    ...WEBRTC_ICE_EXPECTATIONS('webRtcEp', { ready: 'optional' }),
    ...flowExpectations('faceOverlay', ['VIDEO']),
    ...flowExpectations('webRtcEp', ['VIDEO']),
  ],
  completion: {
    en: 'Complete when the video comes back through the FaceOverlayFilter with the hat drawn where the face is, and nowhere else.',
    'zh-Hans': '当视频经过 FaceOverlayFilter 传回、帽子画在人脸所在的位置且别处没有变化时完成。',
  },
};
