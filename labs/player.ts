/**
 * PlayerEndpoint: a sample clip served by this site, played into the page, with getVideoInfo, pause, seek, position
 * and EndOfStream. The code of each step is labs/programs/player.js; the clip's URL is built there from siteOrigin
 * (static/media/kurento-labs-sample.webm: 12 s of ffmpeg's testsrc2 pattern with a tone, VP8 + Opus, made for this
 * site).
 */
import type { LabDefinition } from './framework/types';
import { remotePlays } from './hello-world';

/** Where the program seeks to (its `seekTo`) when the learner did not change it. */
const SEEK_TO_MS = 9000;

export const player: LabDefinition = {
  id: 'player',
  title: { en: 'Play a clip with PlayerEndpoint', 'zh-Hans': '用 PlayerEndpoint 播放视频' },
  summary: {
    en: 'A PlayerEndpoint reads a 12-second sample clip from this site over HTTP and plays it into a WebRtcEndpoint: video info, pause, seek, position and EndOfStream.',
    'zh-Hans': 'PlayerEndpoint 通过 HTTP 从本站读取一段 12 秒的示例视频，并播放到一个 WebRtcEndpoint 中：视频信息、暂停、跳转、播放位置和 EndOfStream。',
  },
  elements: ['MediaPipeline', 'PlayerEndpoint', 'WebRtcEndpoint'],
  program: () => import('./programs/player.js?raw').then((module) => module.default),
  page: {
    videos: [{ id: 'videoOutput', label: { en: 'The clip, from KMS (videoOutput)', 'zh-Hans': '来自 KMS 的视频（videoOutput）' }, muted: true }],
  },
  settingsVars: (settings) => ({ siteOrigin: settings.siteOrigin }),
  steps: [
    {
      id: 'create',
      title: { en: 'A PlayerEndpoint for the clip, connected to a WebRtcEndpoint', 'zh-Hans': '为示例视频创建 PlayerEndpoint，并连接到 WebRtcEndpoint' },
      explain: {
        en: 'The URI may be file:// (a file on the KMS machine) or http(s)://: here KMS downloads the clip from this site, so KMS must be able to reach it. The browser only receives (a recvonly peer).',
        'zh-Hans': 'URI 可以是 file://（KMS 机器上的文件）或 http(s)://：这里由 KMS 从本站下载示例视频，因此 KMS 必须能访问本站。浏览器只接收（recvonly peer）。',
      },
      sets: ['client', 'pipeline', 'player', 'webRtcEp', 'webRtcPeer', 'sdpAnswer'],
      check: (view) => {
        const links = view.graph().links.filter((link) => link.source === 'player' && link.sink === 'webRtcEp');
        return { ok: links.some((link) => link.mediaType === 'VIDEO'), detail: links.map((link) => link.mediaType).join(' ') };
      },
    },
    {
      id: 'info',
      title: { en: 'getVideoInfo: duration and seekability', 'zh-Hans': 'getVideoInfo：时长与是否可跳转' },
      explain: {
        en: 'VideoInfo tells whether the source is seekable and its duration in milliseconds: a live stream (RTSP, for instance) would not be seekable.',
        'zh-Hans': 'VideoInfo 说明源是否可以跳转，以及以毫秒计的时长；直播流（例如 RTSP）通常不可跳转。',
      },
      sets: ['videoInfo'],
      check: (view) => {
        const info = view.read('videoInfo') as { duration?: unknown; isSeekable?: unknown } | undefined;
        const duration = Number(info?.duration ?? 0);
        return { ok: duration > 1000, detail: `${(duration / 1000).toFixed(1)} s` };
      },
    },
    {
      id: 'play',
      title: { en: 'play()', 'zh-Hans': 'play()' },
      explain: {
        en: 'The player sends the clip at its own pace; UriEndpointStateChanged START. The position advances with the media.',
        'zh-Hans': '播放器按视频本身的速度发送；触发 UriEndpointStateChanged START。播放位置随媒体前进。',
      },
      sets: ['playPosition'],
      expects: ['start'],
      check: (view) => {
        const position = Number(view.read('playPosition') ?? 0);
        const plays = remotePlays(view, 'videoOutput');
        return { ok: position > 300 && plays.ok, detail: `position ${position} ms` };
      },
    },
    {
      id: 'pause',
      title: { en: 'pause(), then setPosition()', 'zh-Hans': 'pause()，然后 setPosition()' },
      explain: {
        en: 'pause() freezes the position; setPosition() seeks (in milliseconds) — here near the end, so EndOfStream comes soon after play().',
        'zh-Hans': 'pause() 使播放位置停住；setPosition() 按毫秒跳转——这里跳到接近结尾处，因此 play() 之后很快就会出现 EndOfStream。',
      },
      sets: ['pausedAt', 'seekedPosition'],
      expects: ['pause'],
      check: (view) => {
        const target = Number(view.read('seekTo') ?? SEEK_TO_MS);
        const pausedAt = Number(view.read('pausedAt') ?? 0);
        const position = Number(view.read('seekedPosition') ?? 0);
        return { ok: Math.abs(position - target) < 200, detail: `paused at ${pausedAt} ms, now ${position} ms` };
      },
    },
    {
      id: 'end',
      title: { en: 'play() to the end: EndOfStream', 'zh-Hans': 'play() 直到结尾：EndOfStream' },
      explain: {
        en: 'From the new position the clip plays to its end; the player raises EndOfStream. An application typically releases the pipeline then.',
        'zh-Hans': '从新的位置一直播放到结尾，播放器触发 EndOfStream。应用程序通常在这时释放管道。',
      },
      sets: ['endOfStream'],
      expects: ['eos'],
    },
  ],
  expected: [
    {
      id: 'start',
      label: { en: 'UriEndpointStateChanged → START', 'zh-Hans': 'UriEndpointStateChanged → START' },
      lane: 'kms',
      source: 'player',
      type: 'UriEndpointStateChanged',
      where: { state: 'START' },
      within: 15000,
      hint: {
        en: 'play() did not start the player: an Error event tells why (RESOURCE_ERROR_OPEN: KMS cannot reach or read the URI).',
        'zh-Hans': 'play() 没有启动播放器：Error 事件会说明原因（RESOURCE_ERROR_OPEN：KMS 无法访问或读取该 URI）。',
      },
    },
    {
      id: 'flowing',
      label: { en: 'MediaFlowInStateChanged VIDEO → FLOWING on the WebRtcEndpoint', 'zh-Hans': 'WebRtcEndpoint 上的 MediaFlowInStateChanged VIDEO → FLOWING' },
      lane: 'kms',
      source: 'webRtcEp',
      type: 'MediaFlowInStateChanged',
      where: { state: 'FLOWING', mediaType: 'VIDEO' },
      after: ['start'],
      within: 10000,
    },
    {
      id: 'pause',
      label: { en: 'UriEndpointStateChanged → PAUSE', 'zh-Hans': 'UriEndpointStateChanged → PAUSE' },
      lane: 'kms',
      source: 'player',
      type: 'UriEndpointStateChanged',
      where: { state: 'PAUSE' },
      after: ['start'],
    },
    {
      id: 'eos',
      label: { en: 'EndOfStream', 'zh-Hans': 'EndOfStream' },
      lane: 'kms',
      source: 'player',
      type: 'EndOfStream',
      after: ['pause'],
      within: 15000,
    },
  ],
  completion: {
    en: 'Complete when the clip played, paused, jumped to 9 s, and reached its EndOfStream.',
    'zh-Hans': '当视频播放、暂停、跳到第 9 秒并到达 EndOfStream 时完成。',
  },
};
