// Upload: the browser records a few seconds of its camera (MediaRecorder, WebM) and POSTs the file to the URL of an
// HttpPostEndpoint. KMS decodes what arrives as it arrives, and a WebRtcEndpoint shows it to a viewer on this page.
var recordSeconds = 4;
// Seconds without a new POST, once one has ended, after which KMS forgets the upload URL (HttpPostEndpoint's
// disconnectionTimeout; KMS' default is 2).
var disconnectionTimeout = 6;
var videoInput = document.getElementById('videoInput');
var videoOutput = document.getElementById('videoOutput');
var camera;
var recorder;
var recordedBlob;
var client;
var pipeline;
var httpPostEp;
var webRtcEp;
var webRtcPeer;
var sdpAnswer;
var uploadUrl;
var uploadStatus;
var endOfStream;
var urlAfterExpiry;

// @step record
// A synthetic green camera, recorded by the browser itself into WebM (VP8 + Opus where the browser can).
camera = testSource({ color: '#2e7d32', label: 'uploaded', frequency: 554 });
videoInput.srcObject = camera;
var chunks = [];
var mimeType = MediaRecorder.isTypeSupported('video/webm;codecs=vp8,opus') ? 'video/webm;codecs=vp8,opus' : 'video/webm';
recorder = new MediaRecorder(camera, { mimeType: mimeType });
recorder.ondataavailable = function (event) {
  if (event.data.size > 0) chunks.push(event.data);
};
recorder.onstop = function () {
  recordedBlob = new Blob(chunks, { type: 'video/webm' });
  showStatus('Recorded ' + recordSeconds + ' s: ' + recordedBlob.size + ' bytes of ' + mimeType);
};
recorder.start(1000);
setTimeout(function () {
  recorder.stop();
}, recordSeconds * 1000);

// @step pipeline
// HttpPostEndpoint → WebRtcEndpoint. useEncodedMedia false: KMS decodes the upload and encodes it again for WebRTC.
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
    pipeline.create('HttpPostEndpoint', { disconnectionTimeout: disconnectionTimeout, useEncodedMedia: false }, function (error, endpoint) {
      if (error) return onError(error);
      httpPostEp = endpoint;
      // EndOfStream: the whole upload has been played into the pipeline.
      httpPostEp.on('EndOfStream', function () {
        endOfStream = true;
        showStatus('EndOfStream: the upload has played to its end');
      });
      pipeline.create('WebRtcEndpoint', function (error, _webRtcEp) {
        if (error) return onError(error);
        webRtcEp = _webRtcEp;
        httpPostEp.connect(webRtcEp, onError);
      });
    });
  });
});

// @step viewer
// The viewer only receives: a recvonly peer, with the SDP and ICE exchange of Hello World.
webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
  remoteVideo: videoOutput,
  configuration: { iceServers: iceServers },
}, function (error) {
  if (error) return onError(error);
  webRtcEp.on('IceCandidateFound', function (event) {
    webRtcPeer.addIceCandidate(event.candidate, onError);
  });
  webRtcPeer.on('icecandidate', function (candidate) {
    webRtcEp.addIceCandidate(kurentoClient.getComplexType('IceCandidate')(candidate), onError);
  });
  webRtcPeer.generateOffer(function (error, sdpOffer) {
    if (error) return onError(error);
    webRtcEp.processOffer(sdpOffer, function (error, answer) {
      if (error) return onError(error);
      sdpAnswer = answer;
      webRtcPeer.processAnswer(sdpAnswer, onError);
      webRtcEp.gatherCandidates(onError);
    });
  });
});

// @step url
// Where to POST: an address of KMS' own HTTP server (or of this site, which forwards it, in workshop mode).
httpPostEp.getUrl(function (error, url) {
  if (error) return onError(error);
  uploadUrl = url;
  showStatus('Upload URL: ' + uploadUrl);
});

// @step upload
// One POST with the whole file. KMS answers once it has read the body; the viewer sees the media as KMS plays it.
fetch(uploadUrl, { method: 'POST', headers: { 'Content-Type': 'video/webm' }, body: recordedBlob })
  .then(function (response) {
    uploadStatus = response.status;
    showStatus('POST answered HTTP ' + response.status);
    if (!response.ok) onError('The upload was refused: HTTP ' + response.status);
  })
  .catch(onError);

// @step expiry
// disconnectionTimeout seconds after the POST, with no new one, KMS ends the HTTP session
// (MediaSessionTerminated) and the URL is gone: getUrl() answers an empty string.
httpPostEp.on('MediaSessionTerminated', function () {
  httpPostEp.getUrl(function (error, url) {
    if (error) return onError(error);
    urlAfterExpiry = url;
    showStatus('After MediaSessionTerminated, getUrl() answers "' + url + '"');
  });
});
