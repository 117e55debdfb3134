// Play a file or a stream into the page with a PlayerEndpoint: video info, pause, seek, position, EndOfStream.
// kurento-client 7.3 and kurento-utils 7.3, callback style: the globals kurentoClient and kurentoUtils come from
// the two bundles index.html loads, as in the hello world.

const params = new URLSearchParams(location.search);
const wsUri = params.get('ws_uri') || 'ws://127.0.0.1:8888/kurento';
/** @type {RTCIceServer[]} */
const iceServers = []; // enough on one machine or one LAN; add STUN/TURN servers otherwise

// The elements of index.html by id: buttons, inputs and the video. (The /** @type */ comments are for the type
// checker; browsers ignore them.)
/** @type {(id: string) => any} */
const $ = (id) => document.getElementById(id);
/** @type {import('kurento-client').KurentoClient | null} */
let client = null;
/** @type {import('kurento-client').MediaPipeline | null} */
let pipeline = null;
/** @type {import('kurento-client').PlayerEndpoint | null} */
let player = null;
/** @type {import('kurento-utils').WebRtcPeer | null} */
let viewer = null;        // kurento-utils WebRtcPeerRecvonly: the browser only receives
/** @type {ReturnType<typeof setInterval> | undefined} */
let positionTimer;
let seeking = false;      // the user is dragging the seek bar

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
  const uri = $('uri').value.trim(); // as KMS sees it: a file on the KMS machine, or a URL KMS can reach
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
    if (!viewer) return kurento.close(); // stopped meanwhile
    client = kurento;
    client.create('MediaPipeline', function (error, _pipeline) {
      if (error) return onError(error);
      if (!viewer) return _pipeline.release(); // stopped meanwhile
      pipeline = _pipeline;
      _pipeline.create('PlayerEndpoint', { uri: uri }, function (error, _player) {
        if (error) return onError(error); // the embedded KMS answers 40107 for a URI it does not accept
        player = _player;
        // Subscribe first: KMS never replays an event.
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
          if (!viewer) return; // stopped meanwhile
          const peer = viewer;
          negotiate(peer, webRtcEp, sdpOffer);
          _player.connect(webRtcEp, function (error) {
            if (error) return onError(error);
            // Play once the browser can receive, so that it gets the first key frame.
            whenConnected(peer.peerConnection, function () {
              if (player !== _player) return; // stopped meanwhile
              _player.play(function (error) {
                if (error) return onError(error);
                if (player !== _player) return; // stopped meanwhile
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
    slider.disabled = !info.isSeekable; // a live stream (RTSP) cannot seek
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
  const position = Number($('seek').value); // milliseconds
  player.setPosition(position, function (error) {
    seeking = false;
    // 40700 PLAYER_SEEK_FAIL: the source is not seekable, or the position is out of range
    if (error) log('Seek to ' + position + ' ms failed: ' + error.message, true);
  });
}

/**
 * Offer from the browser, answer from KMS, ICE candidates both ways (as in the hello world).
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
    // Kurento's IceCandidate requires all three fields; RTCIceCandidate allows null for the last two.
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
 * Calls back once the RTCPeerConnection is connected (ICE and DTLS done).
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
    pipeline.release(function (error) { // releases the player and the endpoint too
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
  if (!error) return; // kurento-client and kurento-utils call back with nothing on success
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
