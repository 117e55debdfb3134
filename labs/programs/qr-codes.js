// QR codes: the camera goes through a ZBarFilter, which reads the QR and bar codes it sees and raises CodeFound.
// With `source` set to 'sample', the camera shows a QR code served by this site (made with qrencode).
var sampleQrUrl = siteOrigin + '/media/sample-qr.png';
var videoInput = document.getElementById('videoInput');
var videoOutput = document.getElementById('videoOutput');
var webRtcPeer;
var client;
var pipeline;
var webRtcEp;
var zbar;
var sdpAnswer;
var lastCode;

// @step camera
// Your webcam (hold a QR code up to it), or the sample QR code shown as a camera.
kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
  localVideo: videoInput,
  remoteVideo: videoOutput,
  videoStream: source === 'sample' ? imageSource({ url: sampleQrUrl, width: 480, height: 360 }) : undefined,
  configuration: { iceServers: iceServers },
}, function (error) {
  if (error) return onError(error);
  webRtcPeer = this;
});

// @step pipeline
// One MediaPipeline with a WebRtcEndpoint for the browser and the code reader.
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
    pipeline.create('WebRtcEndpoint', function (error, endpoint) {
      if (error) return onError(error);
      webRtcEp = endpoint;
      pipeline.create('ZBarFilter', function (error, filter) {
        if (error) return onError(error);
        zbar = filter;
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

// @step listen
// What the application wants from this filter is its events: subscribe before media reaches it.
zbar.on('CodeFound', function (event) {
  lastCode = { codeType: event.codeType, value: event.value };
  showStatus('CodeFound: ' + event.codeType + ' ' + event.value);
});

// @step connect
// webRtcEp → zbar → webRtcEp. ZBarFilter only reads: the video comes back unchanged.
webRtcEp.connect(zbar, function (error) {
  if (error) return onError(error);
  zbar.connect(webRtcEp, onError);
});
