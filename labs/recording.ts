/**
 * Recording: the loopback goes into a RecorderEndpoint in the profile the learner chooses, then the file comes back
 * through a PlayerEndpoint. The connect direction (source.connect(recorder)) and the media types of the profile are
 * what most recording problems come from; the lab shows both. The code of each step is labs/programs/recording.js.
 */
import { recordingsUri, type LabDefinition, type LabSettings } from './framework/types';
import { remotePlays } from './hello-world';

const PROFILES = ['WEBM', 'WEBM_VIDEO_ONLY', 'WEBM_AUDIO_ONLY', 'MP4', 'MP4_VIDEO_ONLY', 'MP4_AUDIO_ONLY'] as const;

/**
 * The URL under which the site serves the recordings folder of its embedded KMS (with a trailing slash), or null when
 * the lab uses another KMS: its files stay on that machine.
 */
export function recordingsDownloadBase(settings: LabSettings): string | null {
  const media = settings.media;
  if (!media) return null;
  const root = `file://${media.directory.replace(/\/+$/, '')}/`;
  const folder = recordingsUri(media);
  const relative = folder.startsWith(root) ? `${folder.slice(root.length)}/` : '';
  return `${settings.siteOrigin}${media.downloadBase}${relative}`;
}

export const recording: LabDefinition = {
  id: 'recording',
  title: { en: 'Record the loopback, then play it back', 'zh-Hans': '录制回环，再回放录像' },
  summary: {
    en: 'A RecorderEndpoint writes what your camera sends to a file in the profile you choose; a PlayerEndpoint then plays the file back into the page.',
    'zh-Hans': 'RecorderEndpoint 按你选择的格式把摄像头发送的内容写入文件；随后 PlayerEndpoint 把文件回放到页面中。',
  },
  elements: ['MediaPipeline', 'WebRtcEndpoint', 'RecorderEndpoint', 'PlayerEndpoint'],
  params: [
    {
      id: 'profile',
      label: { en: 'Media profile', 'zh-Hans': '媒体格式（mediaProfile）' },
      kind: 'choice',
      default: 'WEBM',
      choices: PROFILES.map((value) => ({ value, label: { en: value, 'zh-Hans': value } })),
    },
    { id: 'seconds', label: { en: 'Seconds to record', 'zh-Hans': '录制秒数' }, kind: 'number', default: 5, min: 2, max: 30 },
  ],
  program: () => import('./programs/recording.js?raw').then((module) => module.default),
  page: {
    videos: [
      { id: 'videoInput', label: { en: 'Your camera (videoInput)', 'zh-Hans': '你的摄像头（videoInput）' }, muted: true },
      { id: 'videoOutput', label: { en: 'Back from KMS (videoOutput)', 'zh-Hans': '从 KMS 传回（videoOutput）' }, muted: true },
      { id: 'videoPlayback', label: { en: 'The recording, played back (videoPlayback)', 'zh-Hans': '回放的录像（videoPlayback）' }, muted: true },
    ],
  },
  settingsVars: (settings) => ({ recordingsFolder: recordingsUri(settings.media), downloadBase: recordingsDownloadBase(settings) }),
  steps: [
    {
      id: 'loopback',
      title: { en: 'A loopback to record', 'zh-Hans': '准备一个可录制的回环' },
      explain: {
        en: 'The camera goes to a WebRtcEndpoint connected to itself, as in the hello world: this endpoint is the source the recorder will take from.',
        'zh-Hans': '摄像头画面进入一个连接到自身的 WebRtcEndpoint，和 hello world 一样：录制器将从这个端点取得媒体。',
      },
      sets: ['client', 'pipeline', 'webRtcEp', 'webRtcPeer', 'sdpAnswer'],
      check: (view) => remotePlays(view, 'videoOutput'),
    },
    {
      id: 'recorder',
      title: { en: 'Create the RecorderEndpoint and connect the source to it', 'zh-Hans': '创建 RecorderEndpoint，并把源连接到它' },
      explain: {
        en: 'The recorder is a sink: source.connect(recorder), never the reverse (a reversed connect gives a 0-byte file). An _AUDIO_ONLY or _VIDEO_ONLY profile takes one media type, so connect only that one. MediaFlowInStateChanged FLOWING on the recorder proves media reaches it.',
        'zh-Hans': '录制器是接收端：应当 source.connect(recorder)，不能反过来（连反了会得到 0 字节的文件）。_AUDIO_ONLY 或 _VIDEO_ONLY 格式只接收一种媒体类型，所以只连接那一种。录制器上的 MediaFlowInStateChanged FLOWING 证明媒体已经到达。',
      },
      sets: ['recorder'],
      expects: ['recorder-flowing'],
      // What reaches the recorder: one link per media type of the profile, from the camera's endpoint.
      check: (view) => {
        const links = view.graph().links.filter((link) => link.sink === 'recorder');
        return { ok: links.length > 0 && links.every((link) => link.source === 'webRtcEp'), detail: links.map((link) => `${link.source} → recorder ${link.mediaType}`).join(', ') };
      },
    },
    {
      id: 'record',
      title: { en: 'record(), then stopAndWait()', 'zh-Hans': 'record()，然后 stopAndWait()' },
      explain: {
        en: 'record() raises Recording; stopAndWait() returns once the file is complete (stop() would return at once and raise Stopped later). Releasing a recorder also stops it first.',
        'zh-Hans': 'record() 触发 Recording；stopAndWait() 在文件写完之后才返回（stop() 会立即返回，稍后才触发 Stopped）。释放录制器时也会先停止录制。',
      },
      sets: ['recordedMs'],
      expects: ['stopped'],
      // The longest recording (30 s) and the time to close the file.
      timeout: 50000,
      check: (view) => {
        const recordedMs = Number(view.read('recordedMs') ?? 0);
        return { ok: recordedMs > 0, detail: `${(recordedMs / 1000).toFixed(1)} s` };
      },
    },
    {
      id: 'download',
      title: { en: 'Download the file', 'zh-Hans': '下载文件' },
      explain: {
        en: 'The file is on the KMS machine. With the embedded KMS, this site serves its media folder, so the link below downloads it; with your own KMS, look in the folder of the URI (with Docker, inside the container unless you mounted a volume).',
        'zh-Hans': '文件在 KMS 所在的机器上。使用内置 KMS 时，本站会提供它的媒体目录，下面的链接可以直接下载；使用你自己的 KMS 时，请到 URI 所指的目录中查找（用 Docker 时文件在容器里，除非挂载了数据卷）。',
      },
      sets: ['downloadUrl'],
      // The detail is the link (the panel shows an http(s) detail as a download link), else the file's URI on the KMS.
      check: (view) => {
        const url = view.read('downloadUrl');
        return { ok: true, detail: typeof url === 'string' && url !== '' ? url : String(view.read('recordingUri')) };
      },
    },
    {
      id: 'playback',
      title: { en: 'Play the recording back through a PlayerEndpoint', 'zh-Hans': '用 PlayerEndpoint 回放录像' },
      explain: {
        en: 'A PlayerEndpoint with the same URI feeds a second WebRtcEndpoint, received by a receive-only peer. EndOfStream comes when the file ends.',
        'zh-Hans': '使用同一个 URI 的 PlayerEndpoint 把文件送入第二个 WebRtcEndpoint，由一个只接收的 peer 接收。文件放完时触发 EndOfStream。',
      },
      sets: ['player', 'playbackEp', 'playbackPeer'],
      expects: ['end-of-stream'],
      // The recording (up to 30 s) plays in real time.
      timeout: 50000,
      // With video in the profile, videoPlayback showed it.
      check: (view) => (/_AUDIO_ONLY$/.test(String(view.params.profile)) ? { ok: true, detail: 'audio only' } : remotePlays(view, 'videoPlayback')),
    },
  ],
  expected: [
    {
      id: 'recorder-flowing',
      label: { en: 'MediaFlowInStateChanged → FLOWING on the recorder', 'zh-Hans': '录制器上的 MediaFlowInStateChanged → FLOWING' },
      lane: 'kms',
      source: 'recorder',
      type: 'MediaFlowInStateChanged',
      where: { state: 'FLOWING' },
      within: 10000,
      hint: {
        en: 'Nothing reaches the recorder: is it connected in the right direction (source.connect(recorder)) and for the media type of the profile?',
        'zh-Hans': '没有任何媒体到达录制器：连接方向对吗（source.connect(recorder)）？连接的媒体类型和格式相符吗？',
      },
    },
    {
      id: 'recording',
      label: { en: 'Recording', 'zh-Hans': 'Recording' },
      lane: 'kms',
      source: 'recorder',
      type: 'Recording',
      after: ['recorder-flowing'],
      within: 10000,
    },
    {
      id: 'stopped',
      label: { en: 'Stopped', 'zh-Hans': 'Stopped' },
      lane: 'kms',
      source: 'recorder',
      type: 'Stopped',
      after: ['recording'],
      within: 40000,
      hint: {
        en: 'The recorder did not finish the file: look for an Error event (RESOURCE_ERROR_OPEN means the folder cannot be written).',
        'zh-Hans': '录制器没能写完文件：请查找 Error 事件（RESOURCE_ERROR_OPEN 表示目录不可写）。',
      },
    },
    {
      id: 'end-of-stream',
      label: { en: 'EndOfStream (PlayerEndpoint)', 'zh-Hans': 'EndOfStream（PlayerEndpoint）' },
      lane: 'kms',
      source: 'player',
      type: 'EndOfStream',
      after: ['stopped'],
      within: 45000,
    },
  ],
  completion: {
    en: 'Complete when the recorder received media, recorded and stopped, and the player played the file to its EndOfStream.',
    'zh-Hans': '当录制器收到媒体、完成录制并停止，且播放器把文件一直播放到 EndOfStream 时完成。',
  },
};
