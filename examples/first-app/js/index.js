// Hello World (WebRTC in loopback) for kurento-client 7.3 and kurento-utils 7.3, callback style.
// kurentoClient and kurentoUtils are globals, defined by the two bundles index.html loads first.

// Where KMS listens. ?ws_uri=... in the page address overrides it, as in the official tutorials.
const DEFAULT_WS_URI = 'ws://127.0.0.1:8888/kurento';
const params = new URLSearchParams(location.search);
const wsUri = params.get('ws_uri') || DEFAULT_WS_URI;
// Browser-side ICE servers, e.g. ?ice_servers=[{"urls":"stun:192.168.1.10:3478"}].
// None by default: enough when the browser and KMS run on the same machine.
/** @type {RTCIceServer[]} */
const iceServers = JSON.parse(params.get('ice_servers') || '[]');

// The elements of index.html. (The /** @type */ comments are for the type checker; browsers ignore them.)
const videoInput = /** @type {HTMLVideoElement} */ (document.getElementById('videoInput'));
const videoOutput = /** @type {HTMLVideoElement} */ (document.getElementById('videoOutput'));
const startButton = /** @type {HTMLButtonElement} */ (document.getElementById('start'));
const stopButton = /** @type {HTMLButtonElement} */ (document.getElementById('stop'));
const consoleList = /** @type {HTMLUListElement} */ (document.getElementById('console'));

/** @type {import('kurento-utils').WebRtcPeer | null} */
let webRtcPeer = null; // kurento-utils: the browser side (RTCPeerConnection + camera)
/** @type {import('kurento-client').KurentoClient | null} */
let client = null;     // kurento-client: the WebSocket to KMS
/** @type {import('kurento-client').MediaPipeline | null} */
let pipeline = null;   // the MediaPipeline inside KMS

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
    configuration: { iceServers: iceServers }, // without it, kurento-utils picks two public STUN servers
  };

  // Creates the RTCPeerConnection and calls getUserMedia; the callback runs when the camera is ready.
  webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv(options, function (error) {
    if (error) return onError(error);
    this.generateOffer(onOffer); // here, this is the WebRtcPeer
  });
}

/**
 * @param {import('kurento-utils').WebRtcPeerError | null} error
 * @param {string} sdpOffer
 */
function onOffer(error, sdpOffer) {
  if (error) return onError(error);
  log('SDP offer ready (' + sdpOffer.length + ' bytes). Connecting to ' + wsUri);

  // failAfter: give up after 3 attempts instead of retrying forever when no KMS answers.
  kurentoClient(wsUri, { failAfter: 3 }, function (error, kurento) {
    if (error) return onError(error);
    if (!webRtcPeer) return kurento.close(); // Stop was pressed meanwhile
    client = kurento;
    client.on('disconnect', function () {
      log('Lost the connection to KMS.', true);
    });

    client.create('MediaPipeline', function (error, _pipeline) {
      if (error) return onError(error);
      if (!webRtcPeer) return _pipeline.release(); // Stop was pressed meanwhile
      pipeline = _pipeline;

      pipeline.create('WebRtcEndpoint', function (error, webRtcEp) {
        if (error) return onError(error);
        if (!webRtcPeer) return; // Stop was pressed meanwhile: the endpoint went with the pipeline

        // Subscribe first, so that no event is missed.
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

        // Send the offer to KMS; its answer goes back into the browser's RTCPeerConnection.
        webRtcEp.processOffer(sdpOffer, function (error, sdpAnswer) {
          if (error) return onError(error);
          if (!webRtcPeer) return; // Stop was pressed meanwhile
          log('SDP answer received');
          webRtcPeer.processAnswer(sdpAnswer, onError);
        });

        // Start ICE on the KMS side. kurento-client sends requests in call order,
        // so KMS receives this after processOffer.
        webRtcEp.gatherCandidates(onError);

        // Loopback: what the endpoint receives from the browser is sent back to it.
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
  // KMS -> browser: each local candidate KMS finds goes into the RTCPeerConnection.
  webRtcEp.on('IceCandidateFound', function (event) {
    peer.addIceCandidate(event.candidate, function (error) {
      if (error) log('Browser rejected a KMS candidate: ' + error, true);
    });
  });
  // Browser -> KMS: wrap each candidate in Kurento's IceCandidate type, which requires all three fields
  // (browsers fill in sdpMid and sdpMLineIndex for every candidate they gather; RTCIceCandidate allows null).
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
    webRtcPeer.dispose(); // closes the RTCPeerConnection and the camera
    webRtcPeer = null;
  }
  if (pipeline) {
    pipeline.release(function (error) { // releases the WebRtcEndpoint too
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
  if (!error) return; // kurento-utils and kurento-client call back with nothing on success
  log(typeof error === 'string' ? error : error.message, true);
  stop();
}

// A tiny stand-in for demo-console: every message goes to the browser console and to the page.
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
