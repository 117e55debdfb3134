/**
 * Exercises: a task on a lab's program, a starting state, hints, a solution, and a judge that passes only when the
 * learner's change did the task, from what the run showed (events, the pipeline graph, stats, pixels), never from the
 * code's text. `<Exercise id="…"/>` in a chapter shows one.
 */
import { BLACK, BLUE, GREEN, RED, nearestColour, rgbText, showsColour, colourCheck } from './framework/colours';
import { bitrateKbps, createdObjects, downloadOnce, elementsOfType, inspectRecording, kmsErrors, kmsRequests, linksInto, mediaDownloadUrl, mirrorCorrelation, type RecordedFile } from './framework/judging';
import { localize, type CheckResult, type Exercise, type GraphElement, type LabView, type Localized } from './framework/types';
import { CELL_COLOURS, gridOf } from './mixing';
import { overlayGains, signedGain } from './magic-mirror';
import { HAT_GAIN } from './framework/pictures';

function flowing(view: LabView, source: string, mediaType: 'AUDIO' | 'VIDEO'): boolean {
  const events = view.recorded({ lane: 'kms', source, type: 'MediaFlowInStateChanged', where: { mediaType } });
  return events.at(-1)?.data.state === 'FLOWING';
}

const loopbackAudio: Exercise = {
  id: 'loopback-audio',
  lab: 'hello-world',
  title: { en: 'Loop back the audio only', 'zh-Hans': '只回环音频' },
  task: {
    en: 'Change the step “Connect the WebRtcEndpoint to itself” so that only your microphone comes back: the endpoint sends you its AUDIO, and no VIDEO. Run, and look at the pipeline graph and at videoOutput.',
    'zh-Hans': '修改“把 WebRtcEndpoint 连接到自身”这一步，让传回来的只有麦克风的声音：端点把 AUDIO 发回给你，不发 VIDEO。运行后看看管道图和 videoOutput。',
  },
  step: 'loopback',
  hints: [
    { en: 'connect() has a form with a media type between the sink and the callback.', 'zh-Hans': 'connect() 有一种在接收端和回调之间带媒体类型参数的形式。' },
    { en: "The media types are the strings 'AUDIO', 'VIDEO' and 'DATA'.", 'zh-Hans': "媒体类型是字符串 'AUDIO'、'VIDEO' 和 'DATA'。" },
    { en: "webRtcEp.connect(webRtcEp, 'AUDIO', callback) links one media type only.", 'zh-Hans': "webRtcEp.connect(webRtcEp, 'AUDIO', callback) 只连接一种媒体类型。" },
  ],
  solution: `webRtcEp.connect(webRtcEp, 'AUDIO', function (error) {
  if (error) return onError(error);
  console.log('Audio loopback established');
});`,
  check: (view): CheckResult => {
    const links = linksInto(view.graph(), 'webRtcEp').filter((link) => link.source === 'webRtcEp');
    const types = links.map((link) => link.mediaType).sort();
    const detail = `webRtcEp → webRtcEp: ${types.join(' ') || 'nothing'}`;
    if (types.includes('VIDEO') && types.includes('AUDIO')) {
      return { ok: false, detail, settled: true, hint: { en: 'VIDEO is still connected: connect(sink) without a media type connects AUDIO, VIDEO and DATA.', 'zh-Hans': 'VIDEO 仍然是连接的：不带媒体类型的 connect(sink) 会连接 AUDIO、VIDEO 和 DATA。' } };
    }
    if (types.includes('VIDEO')) {
      // A VIDEO link KMS has made stays wrong whatever else comes: the verdict need not wait for media.
      return { ok: false, detail, settled: true, hint: { en: 'You connected the VIDEO, not the AUDIO: the media type names what is connected.', 'zh-Hans': '你连接的是 VIDEO，不是 AUDIO：媒体类型参数指明连接的是什么。' } };
    }
    if (!types.includes('AUDIO')) {
      return { ok: false, detail, hint: { en: 'Nothing comes back yet: the endpoint must be connected to itself for AUDIO.', 'zh-Hans': '还没有任何内容传回：端点必须以 AUDIO 连接到自身。' } };
    }
    if (!flowing(view, 'webRtcEp', 'AUDIO')) return { ok: false, detail: `${detail}; waiting for AUDIO to flow` };
    const remote = view.media('videoOutput');
    return { ok: remote.framesDecoded === 0, detail: `${detail}; videoOutput decoded ${remote.framesDecoded} frames` };
  },
};

const mirror: Exercise = {
  id: 'mirror',
  lab: 'hello-world',
  title: { en: 'A mirror with a GStreamerFilter', 'zh-Hans': '用 GStreamerFilter 做一面镜子' },
  task: {
    en: 'Put a GStreamerFilter between the endpoint and itself so that the video comes back mirrored (left and right swapped), as in a mirror. Change the step “Connect the WebRtcEndpoint to itself”.',
    'zh-Hans': '在端点和它自身之间放一个 GStreamerFilter，让视频像镜子一样左右翻转着传回来。修改“把 WebRtcEndpoint 连接到自身”这一步。',
  },
  step: 'loopback',
  hints: [
    { en: "Create the filter in the pipeline: pipeline.create('GStreamerFilter', { command: … }, callback).", 'zh-Hans': "在管道中创建过滤器：pipeline.create('GStreamerFilter', { command: … }, callback)。" },
    { en: "GStreamer's videoflip element flips pictures; its method property says how.", 'zh-Hans': 'GStreamer 的 videoflip 元素用来翻转画面；它的 method 属性决定翻转方式。' },
    { en: "command: 'videoflip method=horizontal-flip', then webRtcEp.connect(filter) and filter.connect(webRtcEp).", 'zh-Hans': "command: 'videoflip method=horizontal-flip'，然后 webRtcEp.connect(filter)，再 filter.connect(webRtcEp)。" },
  ],
  solution: `pipeline.create('GStreamerFilter', { command: 'videoflip method=horizontal-flip' }, function (error, filter) {
  if (error) return onError(error);
  webRtcEp.connect(filter, function (error) {
    if (error) return onError(error);
    filter.connect(webRtcEp, onError);
  });
});`,
  check: (view): CheckResult => {
    const filters = elementsOfType(view.graph(), 'GStreamerFilter');
    const filter = filters[0];
    if (!filter) return { ok: false, detail: 'no GStreamerFilter in the pipeline', hint: { en: 'There is no GStreamerFilter in the pipeline yet.', 'zh-Hans': '管道中还没有 GStreamerFilter。' } };
    const into = linksInto(view.graph(), filter).some((link) => link.source === 'webRtcEp' && link.mediaType === 'VIDEO');
    const back = linksInto(view.graph(), 'webRtcEp').some((link) => link.source === filter && link.mediaType === 'VIDEO');
    if (!into || !back) {
      return { ok: false, detail: `webRtcEp → ${filter}: ${into}; ${filter} → webRtcEp: ${back}`, hint: { en: 'The video must go webRtcEp → filter → webRtcEp: two connect calls.', 'zh-Hans': '视频必须经过 webRtcEp → 过滤器 → webRtcEp：需要两次 connect 调用。' } };
    }
    if (view.media('videoOutput').framesDecoded < 10) return { ok: false, detail: 'waiting for the filtered video' };
    const relation = mirrorCorrelation(view, 'videoInput', 'videoOutput');
    if (!relation) return { ok: false, detail: 'no picture to compare yet' };
    const detail = `left/right correlation ${relation.mirrored.toFixed(2)}, upside-down ${relation.vertical.toFixed(2)}`;
    if (relation.mirrored < -0.5) return { ok: true, detail };
    if (relation.vertical > 0.5 && relation.mirrored > -0.5) {
      return { ok: false, detail, hint: { en: 'The picture comes back upside down: that is a vertical flip, not a mirror.', 'zh-Hans': '画面上下颠倒了：这是垂直翻转，不是镜像。' } };
    }
    return { ok: false, detail, hint: { en: 'The picture comes back the right way round: the filter does not mirror it yet.', 'zh-Hans': '画面传回来时方向没变：过滤器还没有把它镜像。' } };
  },
  timeout: 20000,
};

const bandwidth: Exercise = {
  id: 'bandwidth',
  lab: 'hello-world',
  title: { en: 'Cap what the browser sends', 'zh-Hans': '限制浏览器发送的码率' },
  task: {
    en: 'Make the browser send its video at 150 kbps at most, by telling KMS what it may receive: KMS writes the limit into its SDP answer (b=AS), and the browser’s encoder obeys. Change the step “processOffer on KMS, processAnswer in the browser”, run, and watch the bitrate in the Stats tab.',
    'zh-Hans': '让浏览器发送视频的码率不超过 150 kbps：告诉 KMS 它最多接收多少，KMS 会把这个上限写进 SDP 应答（b=AS），浏览器的编码器就会遵守。修改“KMS 执行 processOffer，浏览器执行 processAnswer”这一步，运行后在“统计”标签页中观察码率。',
  },
  step: 'negotiate',
  hints: [
    { en: 'WebRtcEndpoint has setMaxVideoRecvBandwidth(kbps): the most video KMS wants to receive.', 'zh-Hans': 'WebRtcEndpoint 有 setMaxVideoRecvBandwidth(kbps)：KMS 最多想接收的视频码率。' },
    { en: 'The limit travels in the SDP answer, so it must be set before processOffer.', 'zh-Hans': '这个上限随 SDP 应答一起发出，所以必须在 processOffer 之前设置。' },
    { en: 'webRtcEp.setMaxVideoRecvBandwidth(150, …) then, in its callback, processOffer as before.', 'zh-Hans': '先调用 webRtcEp.setMaxVideoRecvBandwidth(150, …)，然后在它的回调里像原来一样调用 processOffer。' },
  ],
  solution: `webRtcEp.setMaxVideoRecvBandwidth(150, function (error) {
  if (error) return onError(error);
  webRtcEp.processOffer(sdpOffer, function (error, answer) {
    if (error) return onError(error);
    sdpAnswer = answer;
    webRtcPeer.processAnswer(sdpAnswer, onError);
  });
});`,
  check: (view): CheckResult => {
    const answer = String(view.read('sdpAnswer') ?? '');
    const limit = /m=video[\s\S]*?b=AS:(\d+)/.exec(answer)?.[1];
    const rate = bitrateKbps(view.stats(), 'browser:webRtcPeer', 'video', 'outbound', 3000);
    const detail = `b=AS in the video of the answer: ${limit ?? 'none'}; the browser sends ${rate === undefined ? '…' : `${Math.round(rate)} kbps`}`;
    if (limit === undefined || Number(limit) > 150) {
      // The SDP answer, once there, is final.
      return { ok: false, detail, settled: answer !== '', hint: { en: 'The SDP answer does not limit video to 150 kbps: set the limit on the endpoint before processOffer.', 'zh-Hans': 'SDP 应答没有把视频限制在 150 kbps：要在 processOffer 之前给端点设置上限。' } };
    }
    if (view.now() < 6000 || rate === undefined) return { ok: false, detail };
    return { ok: rate > 20 && rate <= 175, detail };
  },
  timeout: 25000,
};

const kmsError: Exercise = {
  id: 'kms-error',
  lab: 'hello-world',
  title: { en: 'Make KMS refuse, and catch it', 'zh-Hans': '让 KMS 拒绝，并捕获错误' },
  task: {
    en: 'Provoke an error on purpose in the step “processOffer on KMS, processAnswer in the browser”: give KMS something it must refuse, and catch its error in the callback (hand it to onError). The inspector shows KMS’s error response; the lab shows the code and what it means.',
    'zh-Hans': '在“KMS 执行 processOffer，浏览器执行 processAnswer”这一步中故意制造一个错误：给 KMS 一个它必然拒绝的东西，并在回调中捕获这个错误（交给 onError）。检查器会显示 KMS 的错误响应，实验会显示错误码及其含义。',
  },
  step: 'negotiate',
  hints: [
    { en: 'processOffer needs an SDP offer: what does KMS answer to a string that is not one?', 'zh-Hans': 'processOffer 需要一个 SDP offer：如果给它一个不是 SDP 的字符串，KMS 会怎么回答？' },
    { en: 'Errors reach you only in the callback form: processOffer(offer, function (error, answer) { … }).', 'zh-Hans': '只有回调形式才能拿到错误：processOffer(offer, function (error, answer) { … })。' },
    { en: "webRtcEp.processOffer('not an SDP offer', function (error) { if (error) return onError(error); });", 'zh-Hans': "webRtcEp.processOffer('not an SDP offer', function (error) { if (error) return onError(error); });" },
  ],
  solution: `webRtcEp.processOffer('not an SDP offer', function (error, answer) {
  if (error) {
    console.error('KMS refused the offer:', error.code, error.message);
    return onError(error);
  }
  sdpAnswer = answer;
});`,
  check: (view): CheckResult => {
    const refused = kmsErrors(view.frames());
    // Caught in the step of the exercise (a later step failing on the endpoint left unnegotiated does not count).
    const caught = view.errors().filter((error) => error.kind === 'reported' && error.section === 'negotiate' && error.code !== undefined && error.code >= 40000 && error.code < 50000);
    const detail = `KMS errors on the wire: ${refused.map((error) => `${error.code} ${error.type ?? ''}`.trim()).join(', ') || 'none'}; caught by onError: ${caught.map((error) => error.code).join(', ') || 'none'}`;
    if (refused.length === 0) {
      return { ok: false, detail, hint: { en: 'No request failed: KMS accepted everything. Give processOffer something that is not an SDP offer.', 'zh-Hans': '没有请求失败：KMS 接受了所有请求。给 processOffer 一个不是 SDP offer 的东西。' } };
    }
    if (caught.length === 0) {
      // The error reply is in: a callback that caught it ran when it arrived.
      return { ok: false, detail, settled: true, hint: { en: 'KMS answered with an error, but your code did not catch it: pass a callback and hand the error to onError.', 'zh-Hans': 'KMS 回复了错误，但你的代码没有捕获它：传入回调，并把错误交给 onError。' } };
    }
    return { ok: true, detail };
  },
};

// Recording ----------------------------------------------------------------------------------------------------------

/** The recorder as KMS got it: the last RecorderEndpoint the program created, its URI and profile (WEBM by default). */
interface RecorderSeen {
  id: string;
  role: string;
  uri: string;
  profile: string;
  /** The file name of the URI and its extension (lower case). */
  name: string;
  extension: string;
  /** Media types connected into the recorder (graph links). */
  connected: string[];
}

function recorderSeen(view: LabView): RecorderSeen | undefined {
  const created = createdObjects(view.frames(), 'RecorderEndpoint').at(-1);
  if (!created) return undefined;
  const uri = String(created.params.uri ?? '');
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const role = view.graph().elements.find((element) => element.id === created.id)?.role ?? created.id;
  const connected = [...new Set(linksInto(view.graph(), role).map((link) => link.mediaType))].filter((type) => type !== 'DATA').sort();
  return { id: created.id, role, uri, profile: String(created.params.mediaProfile ?? 'WEBM'), name, extension: dot < 0 ? '' : name.slice(dot + 1).toLowerCase(), connected };
}

function recorderText(recorder: RecorderSeen): string {
  return `RecorderEndpoint mediaProfile ${recorder.profile}, file ${recorder.name || '?'}; connected into it: ${recorder.connected.join(' ') || 'nothing'}`;
}

const NO_RECORDER: CheckResult = {
  ok: false,
  detail: 'no RecorderEndpoint created',
  hint: { en: 'No RecorderEndpoint was created: the step must create one in the pipeline.', 'zh-Hans': '没有创建 RecorderEndpoint：这一步必须在管道中创建一个。' },
};

/**
 * The recording, once the recorder raised Stopped: the file read back through the site (embedded KMS), or, with
 * another KMS whose files stay on its machine, `null` (the events are all there is to judge).
 */
async function recordedFile(view: LabView, recorder: RecorderSeen): Promise<{ stopped: boolean; file?: RecordedFile | null; url?: string }> {
  const stopped = view.recorded({ lane: 'kms', type: 'Stopped' }).some((event) => event.objectId === recorder.id);
  if (!stopped) return { stopped };
  const url = mediaDownloadUrl(view.settings, recorder.uri);
  if (!url) return { stopped, file: null };
  const bytes = await downloadOnce(view, url);
  return bytes ? { stopped, file: inspectRecording(bytes), url } : { stopped, url };
}

function fileText(file: RecordedFile): string {
  const tracks = [file.video ? 'video' : '', file.audio ? 'audio' : ''].filter(Boolean).join(' + ') || 'no track';
  return `the file: ${file.container}, ${tracks}, ${file.bytes} bytes`;
}

const recordAudio: Exercise = {
  id: 'record-audio',
  lab: 'recording',
  title: { en: 'Record the audio only', 'zh-Hans': '只录制音频' },
  task: {
    en: 'Change the step “Create the RecorderEndpoint and connect the source to it” so that the file holds your microphone only: a recorder whose media profile records audio only (WEBM_AUDIO_ONLY), with only the AUDIO of the endpoint connected to it. Run: the check reads the recorder KMS created, the pipeline graph, and the file itself.',
    'zh-Hans': '修改“创建 RecorderEndpoint，并把源连接到它”这一步，让文件里只有麦克风的声音：录制器使用只录音频的媒体格式（WEBM_AUDIO_ONLY），并且只把端点的 AUDIO 连接到它。运行后，检查会读取 KMS 创建的录制器、管道图以及文件本身。',
  },
  step: 'recorder',
  params: { profile: 'WEBM', seconds: 2 },
  hints: [
    { en: 'The media profile is a constructor parameter of the RecorderEndpoint: it decides which media types the file has.', 'zh-Hans': '媒体格式是 RecorderEndpoint 的构造参数：它决定文件里有哪些媒体类型。' },
    { en: "connect() without a media type connects AUDIO, VIDEO and DATA; connect(sink, 'AUDIO', callback) connects one.", 'zh-Hans': "不带媒体类型的 connect() 会连接 AUDIO、VIDEO 和 DATA；connect(sink, 'AUDIO', callback) 只连接一种。" },
    { en: "pipeline.create('RecorderEndpoint', { uri: recordingUri, mediaProfile: 'WEBM_AUDIO_ONLY' }, …), then webRtcEp.connect(recorder, 'AUDIO', …).", 'zh-Hans': "pipeline.create('RecorderEndpoint', { uri: recordingUri, mediaProfile: 'WEBM_AUDIO_ONLY' }, …)，然后 webRtcEp.connect(recorder, 'AUDIO', …)。" },
  ],
  solution: `// An audio-only profile, and only the AUDIO of the camera's endpoint connected to the recorder.
pipeline.create('RecorderEndpoint', { uri: recordingUri, mediaProfile: 'WEBM_AUDIO_ONLY' }, function (error, _recorder) {
  if (error) return onError(error);
  webRtcEp.connect(_recorder, 'AUDIO', function (error) {
    if (error) return onError(error);
    recorder = _recorder;
  });
});`,
  check: async (view): Promise<CheckResult> => {
    const recorder = recorderSeen(view);
    if (!recorder) return NO_RECORDER;
    let detail = recorderText(recorder);
    if (!/_AUDIO_ONLY$/.test(recorder.profile)) {
      // From the recorder KMS created and the links it made: final.
      return {
        ok: false,
        detail,
        settled: true,
        hint: {
          en: `The recorder was created with mediaProfile ${recorder.profile}, a profile for audio and video: ask for one that records audio only (WEBM_AUDIO_ONLY).`,
          'zh-Hans': `录制器创建时用的是 mediaProfile ${recorder.profile}，这是录制音频加视频的格式：要用只录音频的格式（WEBM_AUDIO_ONLY）。`,
        },
      };
    }
    const container = recorder.profile.startsWith('MP4') ? 'mp4' : 'webm';
    if (!(container === 'webm' ? ['webm', 'weba'] : ['mp4', 'm4a']).includes(recorder.extension)) {
      // From the recorder KMS created and the links it made: final.
      return {
        ok: false,
        detail,
        settled: true,
        hint: {
          en: `The file is named ${recorder.name}, but ${recorder.profile} writes ${container.toUpperCase()}: the profile that fits this file name is WEBM_AUDIO_ONLY.`,
          'zh-Hans': `文件名是 ${recorder.name}，但 ${recorder.profile} 写出的是 ${container.toUpperCase()}：与这个文件名相符的格式是 WEBM_AUDIO_ONLY。`,
        },
      };
    }
    if (recorder.connected.includes('VIDEO')) {
      // From the recorder KMS created and the links it made: final.
      return {
        ok: false,
        detail,
        settled: true,
        hint: {
          en: "VIDEO still reaches the recorder: with an audio-only profile, connect the AUDIO only (webRtcEp.connect(recorder, 'AUDIO', …)); connect() without a media type connects the video too.",
          'zh-Hans': "VIDEO 仍然连到了录制器：使用只录音频的格式时，只连接 AUDIO（webRtcEp.connect(recorder, 'AUDIO', …)）；不带媒体类型的 connect() 会把视频也连上。",
        },
      };
    }
    if (!recorder.connected.includes('AUDIO')) {
      return {
        ok: false,
        detail,
        hint: { en: "No AUDIO reaches the recorder: connect the camera's endpoint to it for AUDIO (webRtcEp.connect(recorder, 'AUDIO', …)).", 'zh-Hans': "没有 AUDIO 到达录制器：把摄像头的端点以 AUDIO 连接到它（webRtcEp.connect(recorder, 'AUDIO', …)）。" },
      };
    }
    if (!flowing(view, recorder.role, 'AUDIO')) return { ok: false, detail: `${detail}; waiting for AUDIO to flow into the recorder` };
    const { stopped, file, url } = await recordedFile(view, recorder);
    if (!stopped) return { ok: false, detail: `${detail}; waiting for Stopped` };
    if (file === null) return { ok: true, detail: `${detail}; Stopped (the file is on the KMS machine)` };
    if (!file) return { ok: false, detail: `${detail}; ${url ?? ''} could not be downloaded` };
    detail = `${detail}; ${fileText(file)}`;
    return { ok: file.container === container && file.audio && !file.video, detail };
  },
  timeout: 30000,
};

const recordMp4: Exercise = {
  id: 'record-mp4',
  lab: 'recording',
  title: { en: 'Record to MP4', 'zh-Hans': '录制成 MP4' },
  task: {
    en: 'Switch the recording from WebM to MP4 in the step “Create the RecorderEndpoint and connect the source to it”: the recorder writes an MP4 file (audio and video), and the file is named .mp4, so that the download link and the playback of the later steps get the MP4 file. Run: the check reads the recorder KMS created and the file itself.',
    'zh-Hans': '在“创建 RecorderEndpoint，并把源连接到它”这一步中，把录制从 WebM 改成 MP4：录制器写出 MP4 文件（音频和视频），文件名也以 .mp4 结尾，这样后面步骤的下载链接和回放拿到的都是这个 MP4 文件。运行后，检查会读取 KMS 创建的录制器以及文件本身。',
  },
  step: 'recorder',
  params: { profile: 'WEBM', seconds: 2 },
  hints: [
    { en: 'KMS chooses the container by the mediaProfile, never by the file name: the profile and the name must both change.', 'zh-Hans': 'KMS 按 mediaProfile 选择容器格式，从不看文件名：格式和文件名都要改。' },
    { en: 'The declarations build fileName and recordingUri from the Options; the download step links fileName and the playback step plays recordingUri. Assign both in this step.', 'zh-Hans': '声明部分根据选项生成 fileName 和 recordingUri；下载步骤链接的是 fileName，回放步骤播放的是 recordingUri。在这一步里给两者重新赋值。' },
    { en: "fileName = 'lab-' + Date.now() + '.mp4'; recordingUri = recordingsFolder + '/' + fileName; then create the recorder with { uri: recordingUri, mediaProfile: 'MP4' }.", 'zh-Hans': "fileName = 'lab-' + Date.now() + '.mp4'; recordingUri = recordingsFolder + '/' + fileName; 然后用 { uri: recordingUri, mediaProfile: 'MP4' } 创建录制器。" },
  ],
  solution: `// The profile chooses the container; the name says the same, and the later steps use fileName and recordingUri.
fileName = 'lab-' + Date.now() + '.mp4';
recordingUri = recordingsFolder + '/' + fileName;
pipeline.create('RecorderEndpoint', { uri: recordingUri, mediaProfile: 'MP4' }, function (error, _recorder) {
  if (error) return onError(error);
  recorder = _recorder;
  recordedTypes.forEach(function (mediaType) {
    webRtcEp.connect(recorder, mediaType, onError);
  });
});`,
  check: async (view): Promise<CheckResult> => {
    const recorder = recorderSeen(view);
    if (!recorder) return NO_RECORDER;
    let detail = recorderText(recorder);
    if (recorder.profile !== 'MP4') {
      let hint: Localized;
      if (recorder.profile.startsWith('MP4')) {
        hint = { en: `${recorder.profile} records one media type: the task keeps audio and video, that is mediaProfile 'MP4'.`, 'zh-Hans': `${recorder.profile} 只录一种媒体类型：任务要保留音频和视频，也就是 mediaProfile 'MP4'。` };
      } else if (recorder.extension === 'mp4') {
        hint = {
          en: `The file is named ${recorder.name}, but the recorder was created with mediaProfile ${recorder.profile}: KMS chooses the container by the profile, not by the name, so the file is WebM inside. Create it with mediaProfile 'MP4'.`,
          'zh-Hans': `文件名是 ${recorder.name}，但录制器创建时用的是 mediaProfile ${recorder.profile}：KMS 按格式而不是按文件名选择容器，所以文件里面仍是 WebM。请用 mediaProfile 'MP4' 创建录制器。`,
        };
      } else {
        hint = { en: `The recorder still writes ${recorder.profile}: create it with mediaProfile 'MP4'.`, 'zh-Hans': `录制器写出的仍是 ${recorder.profile}：请用 mediaProfile 'MP4' 创建它。` };
      }
      // The profile KMS created the recorder with, and (below) its file name: final.
      return { ok: false, detail, settled: true, hint };
    }
    if (recorder.extension !== 'mp4') {
      return {
        ok: false,
        detail,
        settled: true,
        hint: {
          en: `The recorder writes MP4 now, but the file's name still ends in .${recorder.extension}: name it .mp4 (fileName and recordingUri), so that the download link and the players say what it is.`,
          'zh-Hans': `录制器现在写的是 MP4，但文件名仍以 .${recorder.extension} 结尾：把它改成 .mp4（fileName 和 recordingUri），让下载链接和播放器知道它是什么格式。`,
        },
      };
    }
    if (!recorder.connected.includes('AUDIO') || !recorder.connected.includes('VIDEO')) {
      return { ok: false, detail, hint: { en: 'Connect both AUDIO and VIDEO of the camera’s endpoint to the recorder: the MP4 keeps both.', 'zh-Hans': '把摄像头端点的 AUDIO 和 VIDEO 都连接到录制器：MP4 两者都要保留。' } };
    }
    const { stopped, file, url } = await recordedFile(view, recorder);
    if (!stopped) return { ok: false, detail: `${detail}; waiting for Stopped` };
    // The later steps must find the file: the download link (embedded KMS) and the player read the recorder's URI.
    const link = view.read('downloadUrl');
    if (typeof link === 'string' && url && link !== url) {
      return { ok: false, detail: `${detail}; download link ${link}`, hint: { en: `The download step links ${link.slice(link.lastIndexOf('/') + 1)}, not the recording: assign fileName too.`, 'zh-Hans': `下载步骤链接的是 ${link.slice(link.lastIndexOf('/') + 1)}，而不是这次的录像：也要给 fileName 赋值。` } };
    }
    const played = createdObjects(view.frames(), 'PlayerEndpoint').at(-1);
    if (played && played.params.uri !== recorder.uri) {
      return { ok: false, detail: `${detail}; the player plays ${String(played.params.uri)}`, hint: { en: 'The playback step plays another file than the recording: assign recordingUri too.', 'zh-Hans': '回放步骤播放的不是这次的录像：也要给 recordingUri 赋值。' } };
    }
    if (file === null) return { ok: true, detail: `${detail}; Stopped (the file is on the KMS machine)` };
    if (!file) return { ok: false, detail: `${detail}; ${url ?? ''} could not be downloaded` };
    detail = `${detail}; ${fileText(file)}`;
    return { ok: file.container === 'mp4' && file.audio && file.video, detail };
  },
  timeout: 30000,
};

// Routing ------------------------------------------------------------------------------------------------------------

/** Where a viewer's media of one type comes from, followed back through the Dispatcher's routes. */
type Origin =
  | { kind: 'none' }
  | { kind: 'direct'; from: string }
  | { kind: 'unrouted'; port: string }
  | { kind: 'unfed'; port: string }
  | { kind: 'source'; from: string; via: string };

/** The Dispatcher's routes (sink port id → source port id) from its connect calls KMS accepted, the last one winning. */
function dispatcherRoutes(view: LabView, dispatcher: GraphElement): Map<string, string> {
  const routes = new Map<string, string>();
  for (const request of kmsRequests(view.frames(), 'invoke')) {
    if (request.params.object !== dispatcher.id || request.params.operation !== 'connect' || !request.answered?.ok) continue;
    const args = (request.params.operationParams ?? {}) as { source?: unknown; sink?: unknown };
    if (typeof args.source === 'string' && typeof args.sink === 'string') routes.set(args.sink, args.source);
  }
  return routes;
}

function originOf(view: LabView, sink: string, mediaType: 'AUDIO' | 'VIDEO'): Origin {
  const graph = view.graph();
  const dispatcher = graph.elements.find((element) => element.type === 'Dispatcher');
  const into = linksInto(graph, sink).find((link) => link.mediaType === mediaType);
  if (!into) return { kind: 'none' };
  const port = graph.elements.find((element) => element.role === into.source);
  if (!dispatcher || port?.type !== 'HubPort' || port.parentRole !== dispatcher.role) return { kind: 'direct', from: into.source };
  const routed = dispatcherRoutes(view, dispatcher).get(port.id);
  const sourcePort = graph.elements.find((element) => element.id === routed);
  if (!sourcePort) return { kind: 'unrouted', port: port.role };
  const feed = linksInto(graph, sourcePort.role).find((link) => link.mediaType === mediaType);
  if (!feed) return { kind: 'unfed', port: sourcePort.role };
  return { kind: 'source', from: feed.source, via: `${sourcePort.role} → ${port.role}` };
}

function originText(mediaType: string, origin: Origin): string {
  switch (origin.kind) {
    case 'none':
      return `${mediaType} ← nothing`;
    case 'direct':
      return `${mediaType} ← ${origin.from} (directly)`;
    case 'unrouted':
      return `${mediaType} ← ${origin.port} ← no route`;
    case 'unfed':
      return `${mediaType} ← ${origin.port} ← no ${mediaType} into it`;
    case 'source':
      return `${mediaType} ← ${origin.from} via ${origin.via}`;
  }
}

/** The hint for a media type that does not come from the right source through the Dispatcher. */
function originHint(mediaType: 'AUDIO' | 'VIDEO', origin: Origin, wanted: string): Localized | undefined {
  switch (origin.kind) {
    case 'none':
      return { en: `viewer-1 receives no ${mediaType}: its Dispatcher port must be connected to it.`, 'zh-Hans': `viewer-1 没有收到 ${mediaType}：它在 Dispatcher 上的端口必须连接到它。` };
    case 'direct':
      return {
        en: `viewer-1 takes its ${mediaType} straight from ${origin.from}, not through the Dispatcher: connect sources to HubPorts, and route a port to viewer-1's port with dispatcher.connect(sourcePort, viewerPort).`,
        'zh-Hans': `viewer-1 的 ${mediaType} 直接来自 ${origin.from}，没有经过 Dispatcher：把源连接到 HubPort，再用 dispatcher.connect(sourcePort, viewerPort) 把端口路由到 viewer-1 的端口。`,
      };
    case 'unrouted':
      return { en: `No route reaches ${origin.port}: dispatcher.connect(sourcePort, ${origin.port}) decides what it sends.`, 'zh-Hans': `没有路由到达 ${origin.port}：要用 dispatcher.connect(sourcePort, ${origin.port}) 决定它送出什么。` };
    case 'unfed':
      return {
        en: `${origin.port} is routed to viewer-1 but receives no ${mediaType}: connect a source to it for ${mediaType} (source.connect(port, '${mediaType}')).`,
        'zh-Hans': `${origin.port} 已路由到 viewer-1，但它没有收到 ${mediaType}：把一个源以 ${mediaType} 连接到它（source.connect(port, '${mediaType}')）。`,
      };
    case 'source':
      if (origin.from === wanted) return undefined;
      return {
        en: `viewer-1's ${mediaType} comes from ${origin.from}: it must come from ${wanted}.`,
        'zh-Hans': `viewer-1 的 ${mediaType} 来自 ${origin.from}：它应当来自 ${wanted}。`,
      };
  }
}

/** How far a heard tone may be from the source's (the analyser's bins are about 6 Hz wide). */
const TONE_TOLERANCE_HZ = 25;

const dispatcher: Exercise = {
  id: 'dispatcher',
  lab: 'routing',
  title: { en: 'One source’s picture, another’s sound, through a Dispatcher', 'zh-Hans': '经过 Dispatcher：一个源的画面，另一个源的声音' },
  task: {
    en: 'In the step “Part 1 — Dispatcher”, send viewer-1 the video of red (the presenter) with the audio of green (a second source, its 554 Hz tone), both through the Dispatcher: viewer-1 takes its media from its Dispatcher port, not straight from the sources. viewer-2 may stay as it is. The run stops after this step; the check follows each media type back through the Dispatcher’s routes, looks at viewer-1’s picture and listens to its tone.',
    'zh-Hans': '在“第 1 部分 — Dispatcher”这一步中，把 red（主讲人）的视频和 green（第二个源，554 Hz 音调）的音频一起送给 viewer-1，而且两者都要经过 Dispatcher：viewer-1 从它在 Dispatcher 上的端口取媒体，而不是直接从源取。viewer-2 可以保持不变。运行在这一步之后停止；检查会沿着 Dispatcher 的路由逐个媒体类型往回追溯，查看 viewer-1 的画面，并听它的音调。',
  },
  step: 'dispatcher',
  until: 'dispatcher',
  hints: [
    { en: 'dispatcher.connect(sourcePort, viewerPort) routes everything a port receives, audio and video together; a second route to the same viewer port replaces the first.', 'zh-Hans': 'dispatcher.connect(sourcePort, viewerPort) 会把一个端口收到的全部媒体（音频和视频一起）路由出去；对同一个观众端口的第二条路由会取代第一条。' },
    { en: "So mix before the hub: a HubPort can take its VIDEO from one element and its AUDIO from another, with connect(port, 'VIDEO') and connect(port, 'AUDIO').", 'zh-Hans': "所以要在进入集线器之前组合：一个 HubPort 可以用 connect(port, 'VIDEO') 和 connect(port, 'AUDIO') 分别从两个元素取得 VIDEO 和 AUDIO。" },
    { en: "dispatcher.createHubPort(…) for a new port; sources.red.connect(port, 'VIDEO', …), sources.green.connect(port, 'AUDIO', …); then dispatcher.connect(port, dispatcherPorts['viewer-1'], …).", 'zh-Hans': "用 dispatcher.createHubPort(…) 建一个新端口；sources.red.connect(port, 'VIDEO', …)，sources.green.connect(port, 'AUDIO', …)；然后 dispatcher.connect(port, dispatcherPorts['viewer-1'], …)。" },
  ],
  solution: `pipeline.create('Dispatcher', function (error, _dispatcher) {
  if (error) return onError(error);
  addPorts(_dispatcher, dispatcherPorts, function () {
    // A Dispatcher routes whole ports: one more port takes red's VIDEO and green's AUDIO, and goes to viewer-1.
    _dispatcher.createHubPort(function (error, port) {
      if (error) return onError(error);
      dispatcherPorts.mix = port;
      sources.red.connect(port, 'VIDEO', function (error) {
        if (error) return onError(error);
        sources.green.connect(port, 'AUDIO', function (error) {
          if (error) return onError(error);
          _dispatcher.connect(port, dispatcherPorts['viewer-1'], function (error) {
            if (error) return onError(error);
            _dispatcher.connect(dispatcherPorts.green, dispatcherPorts['viewer-2'], onError);
            dispatcher = _dispatcher;
          });
        });
      });
    });
  });
});`,
  check: async (view): Promise<CheckResult> => {
    const viewer = 'viewers.viewer-1';
    const video = originOf(view, viewer, 'VIDEO');
    const audio = originOf(view, viewer, 'AUDIO');
    let detail = `viewer-1: ${originText('VIDEO', video)}; ${originText('AUDIO', audio)}`;
    if (video.kind === 'source' && audio.kind === 'source' && video.from === audio.from) {
      return {
        ok: false,
        detail,
        hint: {
          en: `viewer-1 gets both its video and its audio from ${video.from}: a Dispatcher route carries everything a port receives, and a second route to the same viewer port replaces the first. Feed one port with red's VIDEO and green's AUDIO, and route that port to viewer-1.`,
          'zh-Hans': `viewer-1 的视频和音频都来自 ${video.from}：Dispatcher 的一条路由会带上端口收到的全部媒体，而对同一个观众端口的第二条路由会取代第一条。让一个端口接收 red 的 VIDEO 和 green 的 AUDIO，再把这个端口路由到 viewer-1。`,
        },
      };
    }
    const hint = originHint('VIDEO', video, 'sources.red') ?? originHint('AUDIO', audio, 'sources.green');
    if (hint) return { ok: false, detail, hint };
    const picture = colourCheck(view, [{ video: 'viewer-1', colour: RED }]);
    const tone = await view.dominantFrequency('viewer-1');
    detail = `${detail}; ${picture.detail ?? ''}; tone ${tone === undefined ? '…' : `${tone} Hz`}`;
    const heard = tone !== undefined && Math.abs(tone - GREEN.frequency) <= TONE_TOLERANCE_HZ;
    return { ok: picture.ok && heard, detail };
  },
  timeout: 25000,
};

// Mixing -------------------------------------------------------------------------------------------------------------

/** One HubPort of the Composite: the element that feeds it VIDEO, and whether the port feeds that element back. */
interface Member {
  port: string;
  from?: string;
  back: boolean;
}

function compositeMembers(view: LabView): Member[] | undefined {
  const graph = view.graph();
  const composite = graph.elements.find((element) => element.type === 'Composite');
  if (!composite) return undefined;
  return graph.elements
    .filter((element) => element.type === 'HubPort' && element.parentRole === composite.role)
    .map((port) => {
      const from = linksInto(graph, port.role).find((link) => link.mediaType === 'VIDEO')?.source;
      const back = graph.links.some((link) => link.source === port.role && link.mediaType === 'VIDEO' && (from === undefined || link.sink === from));
      return { port: port.role, ...(from ? { from } : {}), back };
    });
}

/** The cells of a participant's grid, by their nearest colour (undefined: no picture yet). */
function gridCells(view: LabView, video: string, count: number): Array<{ colour?: typeof RED; text: string }> {
  const { columns, rows } = gridOf(count);
  return Array.from({ length: columns * rows }, (_, index) => {
    const rgb = view.sampleColorAt(video, ((index % columns) + 0.5) / columns, (Math.floor(index / columns) + 0.5) / rows);
    const colour = rgb ? nearestColour(rgb, CELL_COLOURS) : undefined;
    const good = colour !== undefined && showsColour(rgb, colour, CELL_COLOURS);
    return { ...(good ? { colour } : {}), text: `${String.fromCodePoint(0x2460 + index)} ${good ? localize(colour.name, view.locale) : rgb ? rgbText(rgb) : '—'}` };
  });
}

const compositeThird: Exercise = {
  id: 'composite-third',
  lab: 'mixing',
  title: { en: 'A third participant in the Composite', 'zh-Hans': '给 Composite 加第三个参与者' },
  task: {
    en: 'In the step “alice and bob join”, let carol (people[2]: blue, 659 Hz) join too, as the third participant of the Composite: her own WebRtcEndpoint and HubPort, connected both ways, and her browser peer. The run stops after this step; the check reads the Composite’s ports in the pipeline graph and every cell of alice’s grid, which must show red, green and blue, and one black cell.',
    'zh-Hans': '在“alice 和 bob 加入”这一步中，让 carol（people[2]：蓝色，659 Hz）也加入，成为 Composite 的第三个参与者：她自己的 WebRtcEndpoint 和 HubPort，双向连接，再加上她的浏览器 peer。运行在这一步之后停止；检查会读取管道图中 Composite 的端口，以及 alice 的网格的每一格：必须显示红、绿、蓝，外加一个黑色格子。',
  },
  step: 'two',
  until: 'two',
  params: { participants: 3 },
  hints: [
    { en: "A participant of a Composite is a WebRtcEndpoint plus a HubPort of her own: pipeline.create('WebRtcEndpoint', …) and composite.createHubPort(…).", 'zh-Hans': "Composite 的参与者就是一个 WebRtcEndpoint 加上她自己的 HubPort：pipeline.create('WebRtcEndpoint', …) 和 composite.createHubPort(…)。" },
    { en: 'The port is connected both ways: webRtcEp.connect(port) puts her picture and voice into the mix, port.connect(webRtcEp) brings the grid and the audio mix back. Then her browser peer negotiates with her endpoint.', 'zh-Hans': '端口要双向连接：webRtcEp.connect(port) 把她的画面和声音送进混流，port.connect(webRtcEp) 把网格和混音送回来。然后她的浏览器 peer 与她的端点协商。' },
    { en: "join() in the declarations does all of this for alice and bob: join(people[2]) after bob's join, or write the same steps out for carol.", 'zh-Hans': '声明部分的 join() 为 alice 和 bob 做的正是这些：在 bob 的 join 之后调用 join(people[2])，或者为 carol 把同样的步骤写出来。' },
  ],
  solution: `join(people[0], function () {   // alice: red, 440 Hz
  join(people[1], function () { // bob: green, 554 Hz
    // carol, written out: her endpoint and her port of the Composite, connected both ways, then her browser.
    var carol = people[2];
    var grid = addVideo(carol.name + '-grid', carol.name + ' receives', { muted: true });
    pipeline.create('WebRtcEndpoint', function (error, webRtcEp) {
      if (error) return onError(error);
      composite.createHubPort(function (error, port) {
        if (error) return onError(error);
        endpoints.carol = webRtcEp;
        ports.carol = port;
        room.push(carol.name);
        webRtcEp.connect(port, onError);   // what she sends goes into the mix
        port.connect(webRtcEp, onError);   // the grid and the audio mix come back
        peers.carol = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
          remoteVideo: grid,
          videoStream: testSource({ color: carol.color, label: carol.name, frequency: carol.frequency }),
          configuration: { iceServers: iceServers },
        }, function (error) {
          if (error) return onError(error);
          negotiate(peers.carol, webRtcEp);
        });
      });
    });
  });
});`,
  check: (view): CheckResult => {
    const members = compositeMembers(view);
    if (!members) return { ok: false, detail: 'no Composite' };
    let detail = `Composite ports: ${members.map((member) => `${member.port} ← ${member.from ?? '∅'}${member.back ? ' ⇄' : ''}`).join(', ') || 'none'}`;
    if (members.length < 3) {
      return {
        ok: false,
        detail,
        hint: {
          en: `The Composite has ${members.length} HubPort(s): every participant needs a port of her own, so carol needs a third one (composite.createHubPort).`,
          'zh-Hans': `Composite 上只有 ${members.length} 个 HubPort：每个参与者都需要自己的端口，所以 carol 需要第三个（composite.createHubPort）。`,
        },
      };
    }
    if (members.length > 3) {
      return { ok: false, detail, hint: { en: `The Composite has ${members.length} HubPorts: the task adds one participant, carol.`, 'zh-Hans': `Composite 上有 ${members.length} 个 HubPort：任务只要求加一个参与者 carol。` } };
    }
    const unfed = members.find((member) => member.from === undefined);
    if (unfed) {
      return {
        ok: false,
        detail,
        hint: {
          en: `${unfed.port} of the Composite receives nothing: creating a port does not connect it. Connect the participant's endpoint to it (webRtcEp.connect(port)), and the port back to the endpoint (port.connect(webRtcEp)).`,
          'zh-Hans': `Composite 的 ${unfed.port} 什么也没收到：创建端口并不会连接它。把参与者的端点连接到它（webRtcEp.connect(port)），再把端口连回端点（port.connect(webRtcEp)）。`,
        },
      };
    }
    const oneWay = members.find((member) => !member.back);
    if (oneWay) {
      return {
        ok: false,
        detail,
        hint: {
          en: `${oneWay.from ?? ''} sends into the mix, but ${oneWay.port} sends nothing back: port.connect(webRtcEp) brings the grid and the audio mix to the participant.`,
          'zh-Hans': `${oneWay.from ?? ''} 把媒体送进了混流，但 ${oneWay.port} 没有送回任何东西：port.connect(webRtcEp) 才会把网格和混音送给参与者。`,
        },
      };
    }
    // Three pictures make a 2x2 grid in the order the ports were created: red, green and blue in ①–③, ④ black.
    const cells = gridCells(view, 'alice-grid', 3);
    detail = `${detail}; alice-grid: ${cells.map((cell) => cell.text).join(' ')}`;
    const people = cells.slice(0, 3).map((cell) => cell.colour);
    const ok = [RED, GREEN, BLUE].every((colour) => people.includes(colour)) && cells[3]?.colour === BLACK;
    return { ok, detail };
  },
  timeout: 40000,
};

/**
 * A mask of the hat's image makes the middle of the sample face at least this much purpler (about +33 measured: the
 * crown covers less than half of the sampled patch there); no image leaves it within a few units of 0.
 */
const MASK_GAIN = 20;

const faceMask: Exercise = {
  id: 'face-mask',
  lab: 'magic-mirror',
  title: { en: 'A mask instead of a hat', 'zh-Hans': '把帽子变成面具' },
  task: {
    en: 'Change the step “setOverlayedImage: the hat” so that the image covers exactly the box in which KMS found the face — a (purple) mask instead of a hat. The check compares both videos in the middle of the face, where the image must now be, and above the head, where the hat was.',
    'zh-Hans': '修改“setOverlayedImage：戴上帽子”这一步，让图片正好盖住 KMS 找到人脸的那个框——一副（紫色的）面具，而不是帽子。检查会在脸的中央（图片现在应该在那里）和头顶上方（原来帽子的位置）比较两个视频。',
  },
  step: 'hat',
  params: { source: 'sample' },
  hints: [
    { en: 'The four numbers of setOverlayedImage are in face sizes: two offsets from the face box\'s top-left corner, then the width and the height of the image.', 'zh-Hans': 'setOverlayedImage 的四个数都以脸的大小为单位：先是相对人脸框左上角的两个偏移，然后是图片的宽和高。' },
    { en: 'An offset of 0 puts the image\'s corner on the face box\'s corner; a size of 1 makes the image as wide (or as high) as the face.', 'zh-Hans': '偏移为 0 时，图片的角与人脸框的角重合；大小为 1 时，图片和脸一样宽（或一样高）。' },
    { en: 'faceOverlay.setOverlayedImage(hatUri, 0, 0, 1, 1, callback)', 'zh-Hans': 'faceOverlay.setOverlayedImage(hatUri, 0, 0, 1, 1, callback)' },
  ],
  solution: `// The image over the face box itself: no offset, one face wide and high.
faceOverlay.setOverlayedImage(hatUri, 0, 0, 1, 1, function (error) {
  if (error) return onError(error);
  hatSet = true;
  showStatus('Mask set');
});`,
  check: (view): CheckResult => {
    const gains = overlayGains(view);
    const detail = localize(
      {
        en: `face: purple ${signedGain(gains.face)}; above the head: ${signedGain(gains.crown)}; elsewhere ${gains.away.ok ? 'unchanged' : `changed (${gains.away.text})`}`,
        'zh-Hans': `脸上：紫色 ${signedGain(gains.face)}；头顶上方：${signedGain(gains.crown)}；其他位置${gains.away.ok ? '没有变化' : `有变化（${gains.away.text}）`}`,
      },
      view.locale,
    );
    if ((gains.crown ?? 0) >= HAT_GAIN) {
      return {
        ok: false,
        detail,
        hint: {
          en: 'The image is still above the head: offsetYPercent -1.2 starts it 1.2 face heights above the face. Offsets of 0 start it at the face box.',
          'zh-Hans': '图片仍然在头顶上方：offsetYPercent 为 -1.2 时，图片从脸上方 1.2 个脸高处开始。偏移为 0 时，它从人脸框开始。',
        },
      };
    }
    if ((gains.face ?? 0) < MASK_GAIN) {
      return {
        ok: false,
        detail,
        hint: {
          en: 'No image over the face yet: check the four numbers (a width or height of 0 draws nothing), and look for an Error event on faceOverlay.',
          'zh-Hans': '脸上还没有图片：请检查这四个数（宽或高为 0 时什么也不画），并查看 faceOverlay 上有没有 Error 事件。',
        },
      };
    }
    return { ok: gains.away.ok, detail };
  },
  timeout: 20000,
};

export const EXERCISES: readonly Exercise[] = [loopbackAudio, mirror, bandwidth, kmsError, recordAudio, recordMp4, dispatcher, compositeThird, faceMask];

export function getExercise(id: string): Exercise | undefined {
  return EXERCISES.find((exercise) => exercise.id === id);
}
