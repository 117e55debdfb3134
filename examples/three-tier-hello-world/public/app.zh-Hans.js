// app.js：Web 层。原生 RTCPeerConnection，不用 kurento-utils；只和应用服务器通信。
// （/** @type */ 注释是给类型检查器看的，浏览器会忽略它们。）
const localVideo = /** @type {HTMLVideoElement} */ (document.getElementById('local'));
const remoteVideo = /** @type {HTMLVideoElement} */ (document.getElementById('remote'));
const startButton = /** @type {HTMLButtonElement} */ (document.getElementById('start'));
const stopButton = /** @type {HTMLButtonElement} */ (document.getElementById('stop'));

/** @type {WebSocket | undefined} */
let socket; // WebSocket 1：浏览器 ⇄ 应用服务器（信令）
/** @type {RTCPeerConnection | undefined} */
let pc; // 媒体通路在浏览器这一端
/** @type {MediaStream | undefined} */
let camera; // 本地的摄像头和麦克风

/** @param {object} message */
function send(message) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

async function start() {
  startButton.disabled = true;
  stopButton.disabled = false;
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const ws = new WebSocket(scheme + location.host + '/loopback');
  socket = ws;
  ws.onmessage = (event) => onMessage(event).catch(fail);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error('cannot reach the application server'));
  });

  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  if (socket !== ws) return stream.getTracks().forEach((track) => track.stop()); // 这期间已经按了 Stop
  camera = stream;
  localVideo.srcObject = stream;

  const peer = new RTCPeerConnection({ iceServers: [] }); // 中间有 NAT 时，在这里加上 STUN/TURN 服务器
  pc = peer;
  stream.getTracks().forEach((track) => peer.addTrack(track, stream));
  peer.ontrack = ({ track }) => {
    if (!(remoteVideo.srcObject instanceof MediaStream)) remoteVideo.srcObject = new MediaStream();
    remoteVideo.srcObject.addTrack(track);
  };
  peer.onicecandidate = ({ candidate }) => {
    if (candidate) send({ id: 'ADD_ICE_CANDIDATE', candidate: candidate.toJSON() });
  };

  await peer.setLocalDescription(await peer.createOffer());
  if (!peer.localDescription) return; // 这期间已经关闭（按了 Stop）
  send({ id: 'PROCESS_SDP_OFFER', sdpOffer: peer.localDescription.sdp });
}

/** @param {MessageEvent<string>} event */
async function onMessage({ data }) {
  const message = JSON.parse(data);
  if (!pc) return; // 已经停止
  switch (message.id) {
    case 'PROCESS_SDP_ANSWER':
      await pc.setRemoteDescription({ type: 'answer', sdp: message.sdpAnswer });
      break;
    case 'ADD_ICE_CANDIDATE':
      await pc.addIceCandidate(message.candidate);
      break;
    case 'ERROR':
      console.error('Application server error:', message.message);
      stop();
      break;
  }
}

function stop() {
  send({ id: 'STOP' });
  socket?.close();
  pc?.close();
  camera?.getTracks().forEach((track) => track.stop());
  socket = pc = camera = undefined;
  localVideo.srcObject = remoteVideo.srcObject = null;
  startButton.disabled = false;
  stopButton.disabled = true;
}

/** @param {unknown} error */
function fail(error) {
  console.error(error);
  send({ id: 'ERROR', message: String(error) });
  stop();
}

startButton.onclick = () => start().catch(fail);
stopButton.onclick = stop;
