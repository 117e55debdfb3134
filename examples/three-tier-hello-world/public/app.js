// app.js: the web tier. Plain RTCPeerConnection, no kurento-utils; talks only to the application server.
// (The /** @type */ comments are for the type checker; browsers ignore them.)
const localVideo = /** @type {HTMLVideoElement} */ (document.getElementById('local'));
const remoteVideo = /** @type {HTMLVideoElement} */ (document.getElementById('remote'));
const startButton = /** @type {HTMLButtonElement} */ (document.getElementById('start'));
const stopButton = /** @type {HTMLButtonElement} */ (document.getElementById('stop'));

/** @type {WebSocket | undefined} */
let socket; // WebSocket 1: browser ⇄ application server (signaling)
/** @type {RTCPeerConnection | undefined} */
let pc; // the browser's end of the media path
/** @type {MediaStream | undefined} */
let camera; // the local camera and microphone

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
  if (socket !== ws) return stream.getTracks().forEach((track) => track.stop()); // Stop was pressed meanwhile
  camera = stream;
  localVideo.srcObject = stream;

  const peer = new RTCPeerConnection({ iceServers: [] }); // add STUN/TURN servers here when NAT is in the way
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
  if (!peer.localDescription) return; // closed meanwhile (Stop)
  send({ id: 'PROCESS_SDP_OFFER', sdpOffer: peer.localDescription.sdp });
}

/** @param {MessageEvent<string>} event */
async function onMessage({ data }) {
  const message = JSON.parse(data);
  if (!pc) return; // stopped
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
