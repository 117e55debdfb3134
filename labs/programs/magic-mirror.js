// Magic Mirror: the camera goes through a FaceOverlayFilter and comes back with a hat on every face KMS finds.
// KMS itself downloads the hat from this site (siteOrigin), so KMS must be able to reach it. With `source` set to
// 'sample', the camera is a photograph served by this site (OpenCV's sample picture messi5.jpg, cropped).
var hatUri = siteOrigin + '/media/magic-mirror-hat.png';
var sampleFaceUrl = siteOrigin + '/media/sample-face.jpg';
var videoInput = document.getElementById('videoInput');
var videoOutput = document.getElementById('videoOutput');
var webRtcPeer;
var client;
var pipeline;
var webRtcEp;
var faceOverlay;
var sdpAnswer;
var hatSet;

// @step camera
// Your webcam, or the sample photograph shown as a camera (imageSource draws it on a canvas and captures that).
kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
  localVideo: videoInput,
  remoteVideo: videoOutput,
  videoStream: source === 'sample' ? imageSource({ url: sampleFaceUrl, width: 320, height: 240 }) : undefined,
  configuration: { iceServers: iceServers },
}, function (error) {
  if (error) return onError(error);
  webRtcPeer = this;
});

// @step pipeline
// One MediaPipeline with a WebRtcEndpoint for the browser and the filter that finds faces.
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
    pipeline.create('WebRtcEndpoint', function (error, endpoint) {
      if (error) return onError(error);
      webRtcEp = endpoint;
      pipeline.create('FaceOverlayFilter', function (error, filter) {
        if (error) return onError(error);
        faceOverlay = filter;
      });
    });
  });
});

// @step negotiate
// The same SDP and ICE exchange as in Hello World.
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

// @step connect
// webRtcEp → faceOverlay → webRtcEp. Without an image the filter lets the video through unchanged.
webRtcEp.connect(faceOverlay, function (error) {
  if (error) return onError(error);
  faceOverlay.connect(webRtcEp, onError);
});

// @step hat
// Over each face: 1.6 faces wide and high, 0.35 face widths to the left and 1.2 face heights above the face's top.
faceOverlay.setOverlayedImage(hatUri, -0.35, -1.2, 1.6, 1.6, function (error) {
  if (error) return onError(error);
  hatSet = true;
  showStatus('Hat set: it follows every face KMS finds');
});
