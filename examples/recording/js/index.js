// Record what the camera sends with a RecorderEndpoint, then play the file back with a PlayerEndpoint.
// kurento-client 7.3 and kurento-utils 7.3, callback style: the globals kurentoClient and kurentoUtils come from
// the two bundles index.html loads, as in the hello world.

const params = new URLSearchParams(location.search);
const wsUri = params.get('ws_uri') || 'ws://127.0.0.1:8888/kurento';
/** @type {RTCIceServer[]} */
const iceServers = []; // enough on one machine or one LAN; add STUN/TURN servers otherwise

// A file on the KMS machine (inside the container with Docker, unless you mount a volume).
// The embedded KMS only accepts files inside its media directory: start it with --media-dir /tmp/kurento-recordings.
const RECORDING_URI = 'file:///tmp/kurento-recordings/my-recording.webm';
const PROFILE = 'WEBM';
// The media types each profile records: connect exactly these, and ask the browser for exactly these.
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

// The elements of index.html by id: buttons and videos. (The /** @type */ comments are for the type checker;
// browsers ignore them.)
/** @type {(id: string) => any} */
const $ = (id) => document.getElementById(id);
/** @type {import('kurento-client').KurentoClient | null} */
let client = null;       // the WebSocket to KMS
/** @type {import('kurento-client').MediaPipeline | null} */
let pipeline = null;     // one pipeline for the recording and the playback
/** @type {import('kurento-client').RecorderEndpoint | null} */
let recorder = null;
/** @type {import('kurento-utils').WebRtcPeer | null} */
let cameraPeer = null;   // browser side: the camera, send only
/** @type {import('kurento-utils').WebRtcPeer | null} */
let playbackPeer = null; // browser side: the playback, receive only

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
    if (!cameraPeer) return kurento.close(); // closed meanwhile
    client = kurento;
    client.create('MediaPipeline', function (error, _pipeline) {
      if (error) return onError(error);
      if (!cameraPeer) return _pipeline.release(); // closed meanwhile
      pipeline = _pipeline;
      pipeline.create('WebRtcEndpoint', function (error, cameraEp) {
        if (error) return onError(error);
        if (!cameraPeer) return; // closed meanwhile: the endpoint went with the pipeline
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
    if (error) return onError(error); // the embedded KMS answers 40107 for a URI outside its media directory
    recorder = _recorder;

    // Subscribe first: KMS never replays an event.
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

    // record() once every media type of the profile reaches the recorder.
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

    // Source to sink, and only the media types the profile records.
    types.forEach(function (mediaType) {
      source.connect(_recorder, mediaType, onError);
    });
  });
}

function stopRecording() {
  if (!recorder) return;
  enable({ stop: false });
  recorder.stopAndWait(function (error) { // answers once the file is complete
    if (error) return onError(error);
    log('File complete: ' + RECORDING_URI);
    if (cameraPeer) cameraPeer.dispose(); // camera off; the pipeline stays for the playback
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
    if (!pipeline || !playbackPeer) return; // closed meanwhile
    const peer = playbackPeer;
    negotiate(peer, playbackEp, sdpOffer);
    pipeline.create('PlayerEndpoint', { uri: RECORDING_URI }, function (error, player) {
      if (error) return onError(error);
      player.on('Error', function (event) {
        onError(new Error('Player ' + event.type + ': ' + event.description));
      });
      player.on('EndOfStream', function () {
        log('End of the recording');
        player.release(onError);     // the file stays on disk
        playbackEp.release(onError);
        if (playbackPeer) playbackPeer.dispose();
        playbackPeer = null;
        enable({ play: true });
      });
      player.connect(playbackEp, function (error) {
        if (error) return onError(error);
        // Play once the browser can receive, so that it gets the first key frame of the file.
        whenConnected(peer.peerConnection, function () {
          player.play(onError);
        });
      });
    });
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

function closeAll() {
  if (cameraPeer) cameraPeer.dispose();
  if (playbackPeer) playbackPeer.dispose();
  cameraPeer = playbackPeer = null;
  if (pipeline) {
    // Releasing a recorder stops it first: even an unfinished recording ends as a complete file.
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
  if (!error) return; // kurento-client and kurento-utils call back with nothing on success
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
