// Hello World（WebRTC 回环），适用于 kurento-client 7.3 和 kurento-utils 7.3，回调写法。
// kurentoClient 和 kurentoUtils 是全局变量，由 index.html 先加载的两个打包文件定义。

// KMS 的地址。和官方教程一样，可以在页面地址里用 ?ws_uri=... 覆盖。
const DEFAULT_WS_URI = 'ws://127.0.0.1:8888/kurento';
const params = new URLSearchParams(location.search);
const wsUri = params.get('ws_uri') || DEFAULT_WS_URI;
// 浏览器端的 ICE 服务器，例如 ?ice_servers=[{"urls":"stun:192.168.1.10:3478"}]。
// 默认不用：浏览器和 KMS 在同一台机器上时就够了。
/** @type {RTCIceServer[]} */
const iceServers = JSON.parse(params.get('ice_servers') || '[]');

// index.html 里的元素。（/** @type */ 注释是给类型检查器看的，浏览器会忽略它们。）
const videoInput = /** @type {HTMLVideoElement} */ (document.getElementById('videoInput'));
const videoOutput = /** @type {HTMLVideoElement} */ (document.getElementById('videoOutput'));
const startButton = /** @type {HTMLButtonElement} */ (document.getElementById('start'));
const stopButton = /** @type {HTMLButtonElement} */ (document.getElementById('stop'));
const consoleList = /** @type {HTMLUListElement} */ (document.getElementById('console'));

/** @type {import('kurento-utils').WebRtcPeer | null} */
let webRtcPeer = null; // kurento-utils：浏览器端（RTCPeerConnection + 摄像头）
/** @type {import('kurento-client').KurentoClient | null} */
let client = null;     // kurento-client：到 KMS 的 WebSocket
/** @type {import('kurento-client').MediaPipeline | null} */
let pipeline = null;   // KMS 里的 MediaPipeline

startButton.addEventListener('click', start);
stopButton.addEventListener('click', stop);
window.addEventListener('pagehide', stop);

if (!window.isSecureContext) {
  log('This page is not a secure context: getUserMedia needs https:// or http://localhost.', true);
}

function start() {
  if (!navigator.mediaDevices) {
    return log('navigator.mediaDevices is missing: open the page over https:// or on localhost.', true);
  }
  startButton.disabled = true;
  stopButton.disabled = false;
  log('Opening the camera and microphone...');

  const options = {
    localVideo: videoInput,
    remoteVideo: videoOutput,
    configuration: { iceServers: iceServers }, // 不写的话，kurento-utils 会随机挑两个公共 STUN 服务器
  };

  // 创建 RTCPeerConnection 并调用 getUserMedia；摄像头就绪后执行回调。
  webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv(options, function (error) {
    if (error) return onError(error);
    this.generateOffer(onOffer); // 这里的 this 就是 WebRtcPeer
  });
}

/**
 * @param {import('kurento-utils').WebRtcPeerError | null} error
 * @param {string} sdpOffer
 */
function onOffer(error, sdpOffer) {
  if (error) return onError(error);
  log('SDP offer ready (' + sdpOffer.length + ' bytes). Connecting to ' + wsUri);

  // failAfter：KMS 没有响应时，尝试 3 次后放弃，而不是无限重连。
  kurentoClient(wsUri, { failAfter: 3 }, function (error, kurento) {
    if (error) return onError(error);
    if (!webRtcPeer) return kurento.close(); // 这期间已经按了 Stop
    client = kurento;
    client.on('disconnect', function () {
      log('Lost the connection to KMS.', true);
    });

    client.create('MediaPipeline', function (error, _pipeline) {
      if (error) return onError(error);
      if (!webRtcPeer) return _pipeline.release(); // 这期间已经按了 Stop
      pipeline = _pipeline;

      pipeline.create('WebRtcEndpoint', function (error, webRtcEp) {
        if (error) return onError(error);
        if (!webRtcPeer) return; // 这期间已经按了 Stop：端点随管道一起释放了

        // 先订阅，一个事件都不漏。
        webRtcEp.on('Error', function (event) {
          onError(new Error('WebRtcEndpoint error ' + event.type + ': ' + event.description));
        });
        webRtcEp.on('IceComponentStateChanged', function (event) {
          log('ICE: ' + event.state);
        });
        webRtcEp.on('MediaFlowInStateChanged', function (event) {
          log(event.mediaType + ' into the endpoint: ' + event.state);
        });
        setIceCandidateCallbacks(webRtcPeer, webRtcEp);

        // 把 offer 发给 KMS；KMS 的 answer 再交给浏览器的 RTCPeerConnection。
        webRtcEp.processOffer(sdpOffer, function (error, sdpAnswer) {
          if (error) return onError(error);
          if (!webRtcPeer) return; // 这期间已经按了 Stop
          log('SDP answer received');
          webRtcPeer.processAnswer(sdpAnswer, onError);
        });

        // 在 KMS 端启动 ICE。kurento-client 按调用顺序发送请求，
        // 所以 KMS 会在 processOffer 之后收到它。
        webRtcEp.gatherCandidates(onError);

        // 回环：端点从浏览器收到的内容再发回给浏览器。
        webRtcEp.connect(webRtcEp, function (error) {
          if (error) return onError(error);
          log('Loopback established');
        });
      });
    });
  });
}

/**
 * @param {import('kurento-utils').WebRtcPeer} peer
 * @param {import('kurento-client').WebRtcEndpoint} webRtcEp
 */
function setIceCandidateCallbacks(peer, webRtcEp) {
  // KMS -> 浏览器：KMS 找到的每个本地候选都交给 RTCPeerConnection。
  webRtcEp.on('IceCandidateFound', function (event) {
    peer.addIceCandidate(event.candidate, function (error) {
      if (error) log('Browser rejected a KMS candidate: ' + error, true);
    });
  });
  // 浏览器 -> KMS：把每个候选包装成 Kurento 的 IceCandidate 类型，三个字段都必须有
  // （浏览器收集到的每个候选都带有 sdpMid 和 sdpMLineIndex；RTCIceCandidate 的类型允许它们为 null）。
  peer.on('icecandidate', function (candidate) {
    const iceCandidate = kurentoClient.getComplexType('IceCandidate')({
      candidate: candidate.candidate,
      sdpMid: candidate.sdpMid || '',
      sdpMLineIndex: candidate.sdpMLineIndex || 0,
    });
    webRtcEp.addIceCandidate(iceCandidate, function (error) {
      if (error) log('KMS rejected a browser candidate: ' + error, true);
    });
  });
}

function stop() {
  if (webRtcPeer) {
    webRtcPeer.dispose(); // 关闭 RTCPeerConnection 和摄像头
    webRtcPeer = null;
  }
  if (pipeline) {
    pipeline.release(function (error) { // 连同 WebRtcEndpoint 一起释放
      if (error) log('release failed: ' + error, true);
    });
    pipeline = null;
  }
  if (client) {
    client.close();
    client = null;
  }
  startButton.disabled = false;
  stopButton.disabled = true;
}

/** @param {Error | string | null | undefined} error */
function onError(error) {
  if (!error) return; // 成功时 kurento-utils 和 kurento-client 的回调不带参数
  log(typeof error === 'string' ? error : error.message, true);
  stop();
}

// demo-console 的极简替代：每条消息同时写到浏览器控制台和页面上。
/**
 * @param {string} message
 * @param {boolean} [isError]
 */
function log(message, isError) {
  (isError ? console.error : console.log)(message);
  const item = document.createElement('li');
  item.textContent = new Date().toLocaleTimeString() + '  ' + message;
  if (isError) item.className = 'error';
  consoleList.appendChild(item);
  consoleList.scrollTop = consoleList.scrollHeight;
}
