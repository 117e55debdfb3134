// Hello World: the browser is both the web app and the Kurento client.
// The variables the steps share (each step is a script of this page, like the tutorial's).
var videoInput = document.getElementById('videoInput');
var videoOutput = document.getElementById('videoOutput');
var webRtcPeer;
var sdpOffer;
var client;
var pipeline;
var webRtcEp;
var sdpAnswer;

// @step camera
kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
  localVideo: videoInput,
  remoteVideo: videoOutput,
  configuration: { iceServers: iceServers },
}, function (error) {
  if (error) return onError(error);
  webRtcPeer = this; // the camera is open: in this callback, `this` is the WebRtcPeer
});

// @step offer
webRtcPeer.generateOffer(function (error, offer) {
  if (error) return onError(error);
  sdpOffer = offer;
});

// @step client
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
});

// @step pipeline
client.create('MediaPipeline', function (error, _pipeline) {
  if (error) return onError(error);
  pipeline = _pipeline;
  pipeline.create('WebRtcEndpoint', function (error, endpoint) {
    if (error) return onError(error);
    webRtcEp = endpoint;
  });
});

// @step ice
webRtcEp.on('IceCandidateFound', function (event) {
  webRtcPeer.addIceCandidate(event.candidate, onError);
});
webRtcPeer.on('icecandidate', function (candidate) {
  webRtcEp.addIceCandidate(kurentoClient.getComplexType('IceCandidate')(candidate), onError);
});

// @step negotiate
webRtcEp.processOffer(sdpOffer, function (error, answer) {
  if (error) return onError(error);
  sdpAnswer = answer;
  webRtcPeer.processAnswer(sdpAnswer, onError);
});

// @step gather
webRtcEp.gatherCandidates(onError);

// @step loopback
webRtcEp.connect(webRtcEp, function (error) {
  if (error) return onError(error);
  console.log('Loopback established');
});

// @step play
// Nothing to call: kurento-utils attached the remote stream to videoOutput, which plays on its own.
