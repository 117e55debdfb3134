// Recording: the camera's loopback goes into a RecorderEndpoint in the chosen profile (mediaProfile), then a
// PlayerEndpoint plays the file back into the page.
// profile and seconds are the lab's options; recordingsFolder is where the KMS writes (a file:// URI on the KMS
// machine), downloadBase where this site serves that folder (null when the KMS is not the site's own).
var videoInput = document.getElementById('videoInput');
var videoOutput = document.getElementById('videoOutput');
var videoPlayback = document.getElementById('videoPlayback');
var extension = profile.indexOf('MP4') === 0 ? 'mp4' : 'webm';
// An _AUDIO_ONLY or _VIDEO_ONLY profile records one media type: connect only that one to the recorder.
var recordedTypes = /_AUDIO_ONLY$/.test(profile) ? ['AUDIO'] : /_VIDEO_ONLY$/.test(profile) ? ['VIDEO'] : ['AUDIO', 'VIDEO'];
var fileName = 'lab-' + Date.now() + '.' + extension;
var recordingUri = recordingsFolder + '/' + fileName;
var client;
var pipeline;
var webRtcEp;
var webRtcPeer;
var sdpAnswer;
var recorder;
var recordedMs;
var downloadUrl;
var player;
var playbackEp;
var playbackPeer;

// Connects a kurento-utils peer with a WebRtcEndpoint: candidates both ways, offer → answer, then KMS gathers.
// done(sdpAnswer) runs once KMS started gathering.
function negotiate(peer, endpoint, done) {
  endpoint.on('IceCandidateFound', function (event) {
    peer.addIceCandidate(event.candidate, onError);
  });
  peer.on('icecandidate', function (candidate) {
    endpoint.addIceCandidate(kurentoClient.getComplexType('IceCandidate')(candidate), onError);
  });
  peer.generateOffer(function (error, sdpOffer) {
    if (error) return onError(error);
    endpoint.processOffer(sdpOffer, function (error, sdpAnswer) {
      if (error) return onError(error);
      peer.processAnswer(sdpAnswer, function (error) {
        if (error) return onError(error);
        endpoint.gatherCandidates(function (error) {
          if (error) return onError(error);
          done(sdpAnswer);
        });
      });
    });
  });
}

// @step loopback
// The source to record: the camera goes to a WebRtcEndpoint connected to itself, as in the Hello World.
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
    pipeline.create('WebRtcEndpoint', function (error, endpoint) {
      if (error) return onError(error);
      webRtcEp = endpoint;
      webRtcEp.connect(webRtcEp, onError);
      webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
        localVideo: videoInput,
        remoteVideo: videoOutput,
        configuration: { iceServers: iceServers },
      }, function (error) {
        if (error) return onError(error);
        negotiate(webRtcPeer, webRtcEp, function (answer) {
          sdpAnswer = answer;
        });
      });
    });
  });
});

// @step recorder
// The recorder is a sink: source.connect(recorder), never the reverse (that records a 0-byte file).
pipeline.create('RecorderEndpoint', { uri: recordingUri, mediaProfile: profile }, function (error, _recorder) {
  if (error) return onError(error);
  recorder = _recorder;
  recordedTypes.forEach(function (mediaType) {
    webRtcEp.connect(recorder, mediaType, onError);
  });
});

// @step record
// record() raises Recording; stopAndWait() answers once the file is complete (stop() answers at once).
recorder.record(function (error) {
  if (error) return onError(error);
  var started = Date.now();
  showStatus('Recording ' + seconds + ' s to ' + recordingUri);
  setTimeout(function () {
    recorder.stopAndWait(function (error) {
      if (error) return onError(error);
      recordedMs = Date.now() - started;
      showStatus('Recorded ' + (recordedMs / 1000).toFixed(1) + ' s');
    });
  }, seconds * 1000);
});

// @step download
// The file is on the KMS machine. This site serves the embedded KMS's folder; another KMS keeps it to itself.
downloadUrl = downloadBase ? downloadBase + fileName : null;
showStatus(downloadUrl ? 'Download: ' + downloadUrl : 'On the KMS machine: ' + recordingUri);

// @step playback
// A PlayerEndpoint reads the same URI and feeds a second WebRtcEndpoint, received by a receive-only peer.
pipeline.create('PlayerEndpoint', { uri: recordingUri }, function (error, _player) {
  if (error) return onError(error);
  player = _player;
  player.on('EndOfStream', function () {
    showStatus('The recording ended (EndOfStream)');
  });
  pipeline.create('WebRtcEndpoint', function (error, endpoint) {
    if (error) return onError(error);
    playbackEp = endpoint;
    playbackPeer = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
      remoteVideo: videoPlayback,
      configuration: { iceServers: iceServers },
    }, function (error) {
      if (error) return onError(error);
      negotiate(playbackPeer, playbackEp, function () {
        player.connect(playbackEp, function (error) {
          if (error) return onError(error);
          player.play(onError);
        });
      });
    });
  });
});
