// 用 RecorderEndpoint 录下摄像头发送的内容，再用 PlayerEndpoint 回放文件。
// 适用于 kurento-client 7.3 和 kurento-utils 7.3，回调写法：全局变量 kurentoClient 和 kurentoUtils
// 来自 index.html 加载的两个打包文件，和 hello world 一样。

const params = new URLSearchParams(location.search);
const wsUri = params.get('ws_uri') || 'ws://127.0.0.1:8888/kurento';
/** @type {RTCIceServer[]} */
const iceServers = []; // 同一台机器或同一局域网内足够；否则加上 STUN/TURN 服务器

// KMS 所在机器上的文件（用 Docker 时在容器里，除非挂载了数据卷）。
// 内置 KMS 只接受媒体目录之内的文件：用 --media-dir /tmp/kurento-recordings 启动它。
const RECORDING_URI = 'file:///tmp/kurento-recordings/my-recording.webm';
const PROFILE = 'WEBM';
// 每种格式录制的媒体类型：只连接这些类型，也只向浏览器要这些类型。
/** @satisfies {{ [profile: string]: import('kurento-client').MediaType[] }} */
const PROFILE_TYPES = {
  WEBM: ['AUDIO', 'VIDEO'],
  WEBM_VIDEO_ONLY: ['VIDEO'],
  WEBM_AUDIO_ONLY: ['AUDIO'],
  MP4: ['AUDIO', 'VIDEO'],
  MP4_VIDEO_ONLY: ['VIDEO'],
  MP4_AUDIO_ONLY: ['AUDIO'],
};
const types = PROFILE_TYPES[PROFILE];

// 按 id 取 index.html 里的元素：按钮和视频。（/** @type */ 注释是给类型检查器看的，
// 浏览器会忽略它们。）
/** @type {(id: string) => any} */
const $ = (id) => document.getElementById(id);
/** @type {import('kurento-client').KurentoClient | null} */
let client = null;       // 到 KMS 的 WebSocket
/** @type {import('kurento-client').MediaPipeline | null} */
let pipeline = null;     // 录制和回放共用一个管道
/** @type {import('kurento-client').RecorderEndpoint | null} */
let recorder = null;
/** @type {import('kurento-utils').WebRtcPeer | null} */
let cameraPeer = null;   // 浏览器端：摄像头，只发送
/** @type {import('kurento-utils').WebRtcPeer | null} */
let playbackPeer = null; // 浏览器端：回放，只接收

$('record').addEventListener('click', startRecording);
$('stop').addEventListener('click', stopRecording);
$('play').addEventListener('click', playRecording);
$('close').addEventListener('click', closeAll);
window.addEventListener('pagehide', closeAll);

function startRecording() {
  enable({ record: false });
  cameraPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendonly({
    localVideo: $('camera'),
    mediaConstraints: { audio: types.includes('AUDIO'), video: types.includes('VIDEO') },
    configuration: { iceServers: iceServers },
  }, function (error) {
    if (error) return onError(error);
    this.generateOffer(onCameraOffer);
  });
}

/**
 * @param {import('kurento-utils').WebRtcPeerError | null} error
 * @param {string} sdpOffer
 */
function onCameraOffer(error, sdpOffer) {
  if (error) return onError(error);
  kurentoClient(wsUri, { failAfter: 3 }, function (error, kurento) {
    if (error) return onError(error);
    if (!cameraPeer) return kurento.close(); // 期间已经关闭
    client = kurento;
    client.create('MediaPipeline', function (error, _pipeline) {
      if (error) return onError(error);
      if (!cameraPeer) return _pipeline.release(); // 期间已经关闭
      pipeline = _pipeline;
      pipeline.create('WebRtcEndpoint', function (error, cameraEp) {
        if (error) return onError(error);
        if (!cameraPeer) return; // 期间已经关闭：端点随管道一起释放了
        createRecorder(cameraEp);
        negotiate(cameraPeer, cameraEp, sdpOffer);
      });
    });
  });
}

/** @param {import('kurento-client').MediaElement} source */
function createRecorder(source) {
  if (!pipeline) return;
  pipeline.create('RecorderEndpoint', { uri: RECORDING_URI, mediaProfile: PROFILE }, function (error, _recorder) {
    if (error) return onError(error); // URI 在媒体目录之外时，内置 KMS 返回 40107
    recorder = _recorder;

    // 先订阅：KMS 从不重发事件。
    _recorder.on('Error', function (event) {
      onError(new Error('Recorder ' + event.type + ': ' + event.description));
    });
    _recorder.on('UriEndpointStateChanged', function (event) {
      log('Recorder state: ' + event.state);
    });
    /** @type {const} */ (['Recording', 'Paused', 'Stopped']).forEach(function (name) {
      _recorder.on(name, function () {
        log('Recorder event: ' + name);
      });
    });

    // 格式要求的每种媒体都流入录制器后，再调用 record()。
    /** @type {Set<string>} */
    const waiting = new Set(types);
    _recorder.on('MediaFlowInStateChanged', function (event) {
      log(event.mediaType + ' into the recorder: ' + event.state);
      if (event.state !== 'FLOWING' || !waiting.has(event.mediaType)) return;
      waiting.delete(event.mediaType);
      if (waiting.size > 0) return;
      _recorder.record(function (error) {
        if (error) return onError(error);
        enable({ stop: true });
      });
    });

    // 从源连到接收端，并且只连接该格式录制的媒体类型。
    types.forEach(function (mediaType) {
      source.connect(_recorder, mediaType, onError);
    });
  });
}

function stopRecording() {
  if (!recorder) return;
  enable({ stop: false });
  recorder.stopAndWait(function (error) { // 文件写完才回调
    if (error) return onError(error);
    log('File complete: ' + RECORDING_URI);
    if (cameraPeer) cameraPeer.dispose(); // 关掉摄像头；管道留着用来回放
    cameraPeer = null;
    enable({ play: true });
  });
}

function playRecording() {
  enable({ play: false });
  playbackPeer = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
    remoteVideo: $('playback'),
    configuration: { iceServers: iceServers },
  }, function (error) {
    if (error) return onError(error);
    this.generateOffer(onPlaybackOffer);
  });
}

/**
 * @param {import('kurento-utils').WebRtcPeerError | null} error
 * @param {string} sdpOffer
 */
function onPlaybackOffer(error, sdpOffer) {
  if (error) return onError(error);
  if (!pipeline) return;
  pipeline.create('WebRtcEndpoint', function (error, playbackEp) {
    if (error) return onError(error);
    if (!pipeline || !playbackPeer) return; // 期间已经关闭
    const peer = playbackPeer;
    negotiate(peer, playbackEp, sdpOffer);
    pipeline.create('PlayerEndpoint', { uri: RECORDING_URI }, function (error, player) {
      if (error) return onError(error);
      player.on('Error', function (event) {
        onError(new Error('Player ' + event.type + ': ' + event.description));
      });
      player.on('EndOfStream', function () {
        log('End of the recording');
        player.release(onError);     // 文件仍留在磁盘上
        playbackEp.release(onError);
        if (playbackPeer) playbackPeer.dispose();
        playbackPeer = null;
        enable({ play: true });
      });
      player.connect(playbackEp, function (error) {
        if (error) return onError(error);
        // 等浏览器能接收了再播放，这样它能收到文件的第一个关键帧。
        whenConnected(peer.peerConnection, function () {
          player.play(onError);
        });
      });
    });
  });
}

/**
 * 浏览器发 offer，KMS 回 answer，ICE 候选双向交换（和 hello world 一样）。
 * @param {import('kurento-utils').WebRtcPeer} peer
 * @param {import('kurento-client').WebRtcEndpoint} webRtcEp
 * @param {string} sdpOffer
 */
function negotiate(peer, webRtcEp, sdpOffer) {
  webRtcEp.on('IceCandidateFound', function (event) {
    peer.addIceCandidate(event.candidate, function (error) {
      if (error) log('The browser rejected a KMS candidate: ' + error, true);
    });
  });
  peer.on('icecandidate', function (candidate) {
    // Kurento 的 IceCandidate 三个字段都必须有；RTCIceCandidate 的类型允许后两个为 null。
    const iceCandidate = kurentoClient.getComplexType('IceCandidate')({
      candidate: candidate.candidate,
      sdpMid: candidate.sdpMid || '',
      sdpMLineIndex: candidate.sdpMLineIndex || 0,
    });
    webRtcEp.addIceCandidate(iceCandidate, onError);
  });
  webRtcEp.processOffer(sdpOffer, function (error, sdpAnswer) {
    if (error) return onError(error);
    peer.processAnswer(sdpAnswer, onError);
  });
  webRtcEp.gatherCandidates(onError);
}

/**
 * RTCPeerConnection 连通（ICE 和 DTLS 都完成）后回调。
 * @param {RTCPeerConnection} pc
 * @param {() => void} callback
 */
function whenConnected(pc, callback) {
  if (pc.connectionState === 'connected') return callback();
  pc.addEventListener('connectionstatechange', function onChange() {
    if (pc.connectionState !== 'connected') return;
    pc.removeEventListener('connectionstatechange', onChange);
    callback();
  });
}

function closeAll() {
  if (cameraPeer) cameraPeer.dispose();
  if (playbackPeer) playbackPeer.dispose();
  cameraPeer = playbackPeer = null;
  if (pipeline) {
    // 释放录制器前会先停止它：即使录制没结束，得到的也是完整的文件。
    pipeline.release(function (error) {
      if (error) log('release failed: ' + error, true);
    });
    pipeline = null;
  }
  if (client) client.close();
  client = recorder = null;
  enable({ record: true, stop: false, play: false });
}

/** @param {Error | string | null | undefined} error */
function onError(error) {
  if (!error) return; // kurento-client 和 kurento-utils 成功时回调不带参数
  log(typeof error === 'string' ? error : error.message, true);
  closeAll();
}

/** @param {{ [id: string]: boolean }} states */
function enable(states) {
  Object.keys(states).forEach(function (id) {
    $(id).disabled = !states[id];
  });
}

/**
 * @param {string} message
 * @param {boolean} [isError]
 */
function log(message, isError) {
  (isError ? console.error : console.log)(message);
  const item = document.createElement('li');
  item.textContent = new Date().toLocaleTimeString() + '  ' + message;
  if (isError) item.className = 'error';
  $('console').appendChild(item);
}
