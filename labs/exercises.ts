/**
 * Exercises: a task on a lab's program, a starting state, hints, a solution, and a judge that passes only when the
 * learner's change did the task, from what the run showed (events, the pipeline graph, stats, pixels), never from the
 * code's text. `<Exercise id="…"/>` in a chapter shows one.
 */
import { bitrateKbps, elementsOfType, kmsErrors, linksInto, mirrorCorrelation } from './framework/judging';
import type { CheckResult, Exercise, LabView } from './framework/types';

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
      return { ok: false, detail, hint: { en: 'VIDEO is still connected: connect(sink) without a media type connects AUDIO, VIDEO and DATA.', 'zh-Hans': 'VIDEO 仍然是连接的：不带媒体类型的 connect(sink) 会连接 AUDIO、VIDEO 和 DATA。' } };
    }
    if (types.includes('VIDEO')) {
      return { ok: false, detail, hint: { en: 'You connected the VIDEO, not the AUDIO: the media type names what is connected.', 'zh-Hans': '你连接的是 VIDEO，不是 AUDIO：媒体类型参数指明连接的是什么。' } };
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
      return { ok: false, detail, hint: { en: 'The SDP answer does not limit video to 150 kbps: set the limit on the endpoint before processOffer.', 'zh-Hans': 'SDP 应答没有把视频限制在 150 kbps：要在 processOffer 之前给端点设置上限。' } };
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
      return { ok: false, detail, hint: { en: 'KMS answered with an error, but your code did not catch it: pass a callback and hand the error to onError.', 'zh-Hans': 'KMS 回复了错误，但你的代码没有捕获它：传入回调，并把错误交给 onError。' } };
    }
    return { ok: true, detail };
  },
};

export const EXERCISES: readonly Exercise[] = [loopbackAudio, mirror, bandwidth, kmsError];

export function getExercise(id: string): Exercise | undefined {
  return EXERCISES.find((exercise) => exercise.id === id);
}
