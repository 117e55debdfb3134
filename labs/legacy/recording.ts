/**
 * Recording: the loopback goes into a RecorderEndpoint in the profile the learner chooses, then the file comes back
 * through a PlayerEndpoint. The connect direction (source.connect(recorder)) and the media types of the profile are
 * what most recording problems come from; the lab shows both.
 */
import type { KurentoClient, MediaPipeline, MediaType, PlayerEndpoint, RecorderEndpoint, WebRtcEndpoint } from 'kurento-client';
import { call, create, js, required } from '../core/kurento';
import { recordingsUri, type LabDefinition, type WebRtcPeer } from './framework/types';
import { negotiate } from './framework/webrtc';

interface State {
  client?: KurentoClient;
  pipeline?: MediaPipeline;
  camera?: WebRtcEndpoint;
  recorder?: RecorderEndpoint;
  uri?: string;
  player?: PlayerEndpoint;
  playback?: WebRtcEndpoint;
  playbackPeer?: WebRtcPeer;
  recordedMs?: number;
}

const PROFILES = ['WEBM', 'WEBM_VIDEO_ONLY', 'WEBM_AUDIO_ONLY', 'MP4', 'MP4_VIDEO_ONLY', 'MP4_AUDIO_ONLY'] as const;
type Profile = (typeof PROFILES)[number];

function mediaTypes(profile: Profile): MediaType[] {
  if (profile.endsWith('_AUDIO_ONLY')) return ['AUDIO'];
  if (profile.endsWith('_VIDEO_ONLY')) return ['VIDEO'];
  return ['AUDIO', 'VIDEO'];
}

function extension(profile: Profile): string {
  return profile.startsWith('MP4') ? 'mp4' : 'webm';
}

const voidDone = (done: (error: unknown, value: undefined) => void) => (error: unknown) => done(error, undefined);

export const recording: LabDefinition<State> = {
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
  createState: () => ({}),
  steps: [
    {
      id: 'loopback',
      title: { en: 'A loopback to record', 'zh-Hans': '准备一个可录制的回环' },
      explain: {
        en: 'The camera goes to a WebRtcEndpoint connected to itself, as in the hello world: this endpoint is the source the recorder will take from.',
        'zh-Hans': '摄像头画面进入一个连接到自身的 WebRtcEndpoint，和 hello world 一样：录制器将从这个端点取得媒体。',
      },
      code: () => `pipeline.create('WebRtcEndpoint', (error, webRtcEp) => {
  // offer/answer and ICE as in the hello world, then:
  webRtcEp.connect(webRtcEp, onError);
});`,
      run: async (context, state) => {
        const client = (state.client = await context.connect());
        const [pipeline] = await create<MediaPipeline>((done) => client.create('MediaPipeline', done));
        context.own(pipeline);
        state.pipeline = pipeline;
        const [camera] = await create<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
        state.camera = camera;
        await context.observe(camera, 'webRtcEndpoint', ['IceComponentStateChanged']);
        const peer = await context.peer('browser', { mode: 'sendrecv', localVideo: 'camera', remoteVideo: 'loopback' });
        await negotiate(context, peer, camera, 'webRtcEndpoint');
        await call<void>((done) => camera.connect(camera, voidDone(done)));
        await context.waitForPlayback('loopback', 15000);
      },
    },
    {
      id: 'recorder',
      title: { en: 'Create the RecorderEndpoint and connect the source to it', 'zh-Hans': '创建 RecorderEndpoint，并把源连接到它' },
      explain: {
        en: 'The recorder is a sink: source.connect(recorder), never the reverse (a reversed connect gives a 0-byte file). An _AUDIO_ONLY or _VIDEO_ONLY profile takes one media type, so connect only that one. MediaFlowInStateChanged FLOWING on the recorder proves media reaches it.',
        'zh-Hans': '录制器是接收端：应当 source.connect(recorder)，不能反过来（连反了会得到 0 字节的文件）。_AUDIO_ONLY 或 _VIDEO_ONLY 格式只接收一种媒体类型，所以只连接那一种。录制器上的 MediaFlowInStateChanged FLOWING 证明媒体已经到达。',
      },
      code: ({ params, recordingsUri: folder }) => {
        const profile = String(params.profile) as Profile;
        const types = mediaTypes(profile);
        const connect = types.length === 2 ? 'webRtcEp.connect(recorder, onError);' : `webRtcEp.connect(recorder, ${js(types[0])}, onError);`;
        return `pipeline.create('RecorderEndpoint', {
  uri: ${js(`${folder}/lab-recording.${extension(profile)}`)},
  mediaProfile: ${js(profile)},
}, (error, recorder) => {
  ${connect}
});`;
      },
      run: async (context, state) => {
        const pipeline = required(state.pipeline, 'pipeline');
        const profile = String(context.params.profile) as Profile;
        state.uri = `${recordingsUri(context.settings.media)}/lab-${Date.now()}.${extension(profile)}`;
        const uri = state.uri;
        const [recorder] = await create<RecorderEndpoint>((done) => pipeline.create('RecorderEndpoint', { uri, mediaProfile: profile }, done));
        state.recorder = recorder;
        await context.observe(recorder, 'recorder', ['Recording', 'Paused', 'Stopped', 'UriEndpointStateChanged', 'Error']);
        const camera = required(state.camera, 'camera');
        for (const type of mediaTypes(profile)) {
          await call<void>((done) => camera.connect(recorder, type, voidDone(done)));
        }
        const first = mediaTypes(profile)[0] ?? 'VIDEO';
        await context.waitForEvent({ lane: 'kms', source: 'recorder', type: 'MediaFlowInStateChanged', where: { state: 'FLOWING', mediaType: first } }, 10000);
      },
    },
    {
      id: 'record',
      title: { en: 'record(), then stopAndWait()', 'zh-Hans': 'record()，然后 stopAndWait()' },
      explain: {
        en: 'record() raises Recording; stopAndWait() returns once the file is complete (stop() would return at once and raise Stopped later). Releasing a recorder also stops it first.',
        'zh-Hans': 'record() 触发 Recording；stopAndWait() 在文件写完之后才返回（stop() 会立即返回，稍后才触发 Stopped）。释放录制器时也会先停止录制。',
      },
      code: ({ params }) => `recorder.record(onError);
setTimeout(() => recorder.stopAndWait(onError), ${Number(params.seconds) * 1000});`,
      run: async (context, state) => {
        const recorder = required(state.recorder, 'recorder');
        const started = context.now();
        await call<void>((done) => recorder.record(voidDone(done)));
        await context.sleep(Number(context.params.seconds) * 1000);
        await call<void>((done) => recorder.stopAndWait(voidDone(done)));
        state.recordedMs = context.now() - started;
      },
      check: (context, state) => ({
        ok: context.recorded({ lane: 'kms', source: 'recorder', type: 'Stopped' }).length > 0,
        detail: `${((state.recordedMs ?? 0) / 1000).toFixed(1)} s`,
      }),
    },
    {
      id: 'download',
      title: { en: 'Download the file', 'zh-Hans': '下载文件' },
      explain: {
        en: 'The file is on the KMS machine. With the embedded KMS, this site serves its media folder, so the link below downloads it; with your own KMS, look in the folder of the URI (with Docker, inside the container unless you mounted a volume).',
        'zh-Hans': '文件在 KMS 所在的机器上。使用内置 KMS 时，本站会提供它的媒体目录，下面的链接可以直接下载；使用你自己的 KMS 时，请到 URI 所指的目录中查找（用 Docker 时文件在容器里，除非挂载了数据卷）。',
      },
      code: ({ recordingsUri: folder }) => `// ${folder}/lab-recording.webm on the KMS machine`,
      run: async () => undefined,
      check: (context, state) => {
        const uri = required(state.uri, 'uri');
        const media = context.settings.media;
        if (!media) return { ok: true, detail: uri };
        const relative = uri.replace(`file://${media.directory.replace(/\/+$/, '')}/`, '');
        return { ok: true, detail: `${context.settings.siteOrigin}${media.downloadBase}${relative}` };
      },
    },
    {
      id: 'playback',
      title: { en: 'Play the recording back through a PlayerEndpoint', 'zh-Hans': '用 PlayerEndpoint 回放录像' },
      explain: {
        en: 'A PlayerEndpoint with the same URI feeds a second WebRtcEndpoint, received by a receive-only peer. EndOfStream comes when the file ends.',
        'zh-Hans': '使用同一个 URI 的 PlayerEndpoint 把文件送入第二个 WebRtcEndpoint，由一个只接收的 peer 接收。文件放完时触发 EndOfStream。',
      },
      code: ({ params, recordingsUri: folder }) => `pipeline.create('PlayerEndpoint', { uri: ${js(`${folder}/lab-recording.${extension(String(params.profile) as Profile)}`)} }, (error, player) => {
  player.on('EndOfStream', () => console.log('the recording ended'));
  player.connect(playbackEp, onError);
  player.play(onError);
});`,
      run: async (context, state) => {
        const pipeline = required(state.pipeline, 'pipeline');
        const uri = required(state.uri, 'uri');
        const [player] = await create<PlayerEndpoint>((done) => pipeline.create('PlayerEndpoint', { uri }, done));
        state.player = player;
        await context.observe(player, 'player', ['EndOfStream', 'UriEndpointStateChanged', 'Error']);
        const [playback] = await create<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
        state.playback = playback;
        await context.observe(playback, 'playbackEndpoint', []);
        const peer = await context.peer('playback', { mode: 'recvonly', remoteVideo: 'playback' });
        state.playbackPeer = peer;
        await negotiate(context, peer, playback, 'playbackEndpoint');
        await call<void>((done) => player.connect(playback, voidDone(done)));
        await call<void>((done) => player.play(voidDone(done)));
        if (mediaTypes(String(context.params.profile) as Profile).includes('VIDEO')) await context.waitForPlayback('playback', 15000);
        await context.waitForEvent({ lane: 'kms', source: 'player', type: 'EndOfStream' }, Number(context.params.seconds) * 1000 + 15000);
      },
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
