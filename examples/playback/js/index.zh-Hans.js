// 用 PlayerEndpoint 把文件或流播放到页面里：视频信息、暂停、跳转、播放位置、EndOfStream。
// 适用于 kurento-client 7.3 和 kurento-utils 7.3，回调写法：全局变量 kurentoClient 和 kurentoUtils
// 来自 index.html 加载的两个打包文件，和 hello world 一样。

const params = new URLSearchParams(location.search);
const wsUri = params.get('ws_uri') || 'ws://127.0.0.1:8888/kurento';
/** @type {RTCIceServer[]} */
const iceServers = []; // 同一台机器或同一局域网内足够；否则加上 STUN/TURN 服务器

// 按 id 取 index.html 里的元素：按钮、输入框和视频。（/** @type */ 注释是给类型检查器看的，
// 浏览器会忽略它们。）
/** @type {(id: string) => any} */
const $ = (id) => document.getElementById(id);
/** @type {import('kurento-client').KurentoClient | null} */
let client = null;
/** @type {import('kurento-client').MediaPipeline | null} */
let pipeline = null;
/** @type {import('kurento-client').PlayerEndpoint | null} */
let player = null;
/** @type {import('kurento-utils').WebRtcPeer | null} */
let viewer = null;        // kurento-utils 的 WebRtcPeerRecvonly：浏览器只接收
/** @type {ReturnType<typeof setInterval> | undefined} */
let positionTimer;
let seeking = false;      // 用户正在拖动进度条

$('start').addEventListener('click', start);
$('stop').addEventListener('click', stop);
$('pause').addEventListener('click', function () {
  if (player) player.pause(onError);
});
$('resume').addEventListener('click', function () {
  if (player) player.play(onError);
});
$('seek').addEventListener('input', function () {
  seeking = true;
});
$('seek').addEventListener('change', seek);
window.addEventListener('pagehide', stop);

function start() {
  const uri = $('uri').value.trim(); // 以 KMS 的视角：KMS 机器上的文件，或 KMS 能访问的地址
  enable({ start: false, stop: true });
  viewer = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
    remoteVideo: $('video'),
    configuration: { iceServers: iceServers },
  }, function (error) {
    if (error) return onError(error);
    this.generateOffer(function (error, sdpOffer) {
      if (error) return onError(error);
      createPipeline(uri, sdpOffer);
    });
  });
}

/**
 * @param {string} uri
 * @param {string} sdpOffer
 */
function createPipeline(uri, sdpOffer) {
  kurentoClient(wsUri, { failAfter: 3 }, function (error, kurento) {
    if (error) return onError(error);
    if (!viewer) return kurento.close(); // 期间已经停止
    client = kurento;
    client.create('MediaPipeline', function (error, _pipeline) {
      if (error) return onError(error);
      if (!viewer) return _pipeline.release(); // 期间已经停止
      pipeline = _pipeline;
      _pipeline.create('PlayerEndpoint', { uri: uri }, function (error, _player) {
        if (error) return onError(error); // 内置 KMS 对它不接受的 URI 返回 40107
        player = _player;
        // 先订阅：KMS 从不重发事件。
        _player.on('Error', function (event) {
          onError(new Error('Player ' + event.type + ': ' + event.description));
        });
        _player.on('UriEndpointStateChanged', function (event) {
          log('Player state: ' + event.state);
          enable({ pause: event.state === 'START', resume: event.state === 'PAUSE' });
        });
        _player.on('EndOfStream', function () {
          log('EndOfStream: the source has ended');
          stop();
        });
        _pipeline.create('WebRtcEndpoint', function (error, webRtcEp) {
          if (error) return onError(error);
          if (!viewer) return; // 期间已经停止
          const peer = viewer;
          negotiate(peer, webRtcEp, sdpOffer);
          _player.connect(webRtcEp, function (error) {
            if (error) return onError(error);
            // 等浏览器能接收了再播放，这样它能收到第一个关键帧。
            whenConnected(peer.peerConnection, function () {
              if (player !== _player) return; // 期间已经停止
              _player.play(function (error) {
                if (error) return onError(error);
                if (player !== _player) return; // 期间已经停止
                showVideoInfo();
                positionTimer = setInterval(showPosition, 500);
              });
            });
          });
        });
      });
    });
  });
}

function showVideoInfo() {
  if (!player) return;
  player.getVideoInfo(function (error, info) {
    if (error) return onError(error);
    log('Seekable: ' + info.isSeekable + ', duration: ' + info.duration + ' ms');
    const slider = $('seek');
    slider.min = info.seekableInit;
    slider.max = info.seekableEnd;
    slider.disabled = !info.isSeekable; // 直播流（RTSP）不能跳转
  });
}

function showPosition() {
  if (!player) return;
  player.getPosition(function (error, position) {
    if (error) return log('getPosition failed: ' + error.message, true);
    $('position').textContent = (position / 1000).toFixed(1) + ' s';
    if (!seeking) $('seek').value = position;
  });
}

function seek() {
  if (!player) return;
  const position = Number($('seek').value); // 毫秒
  player.setPosition(position, function (error) {
    seeking = false;
    // 40700 PLAYER_SEEK_FAIL：源不可跳转，或位置超出范围
    if (error) log('Seek to ' + position + ' ms failed: ' + error.message, true);
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

function stop() {
  clearInterval(positionTimer);
  positionTimer = undefined;
  if (viewer) viewer.dispose();
  viewer = null;
  if (pipeline) {
    pipeline.release(function (error) { // 播放器和端点也一并释放
      if (error) log('release failed: ' + error, true);
    });
    pipeline = null;
  }
  if (client) client.close();
  client = player = null;
  enable({ start: true, stop: false, pause: false, resume: false, seek: false });
}

/** @param {Error | string | null | undefined} error */
function onError(error) {
  if (!error) return; // kurento-client 和 kurento-utils 成功时回调不带参数
  log(typeof error === 'string' ? error : error.message, true);
  stop();
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
