// Bandwidth live: a loopback whose receive limit changes while the video flows. KMS tells the browser the limit
// with REMB (RTCP feedback), and the browser's encoder follows it within seconds. The Stats tab plots the bitrate.
var videoInput = document.getElementById('videoInput');
var videoOutput = document.getElementById('videoOutput');
var webRtcPeer;
var sdpOffer;
var client;
var pipeline;
var webRtcEp;
var sdpAnswer;
var highLimitSet;
var lowLimitSet;
var rembReported;

/**
 * A camera that is hard to compress: a tile of random pixels drawn at a new random offset every frame, so that no
 * frame predicts the next one and the encoder uses every bit it is allowed.
 */
function busyCamera(width, height) {
  var canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  var context = canvas.getContext('2d');
  var tile = document.createElement('canvas');
  tile.width = width * 2;
  tile.height = height * 2;
  var tileContext = tile.getContext('2d');
  var pixels = tileContext.createImageData(tile.width, tile.height);
  for (var i = 0; i < pixels.data.length; i += 4) {
    pixels.data[i] = Math.random() * 255;
    pixels.data[i + 1] = Math.random() * 255;
    pixels.data[i + 2] = Math.random() * 255;
    pixels.data[i + 3] = 255;
  }
  tileContext.putImageData(pixels, 0, 0);
  var frame = 0;
  setInterval(function () {
    context.drawImage(tile, -Math.floor(Math.random() * width), -Math.floor(Math.random() * height));
    context.fillStyle = 'rgba(0, 0, 0, 0.7)';
    context.fillRect(0, 0, width, 30);
    context.fillStyle = '#ffffff';
    context.font = '18px sans-serif';
    context.fillText('busy camera, frame ' + frame, 8, 21);
    frame += 1;
  }, 1000 / 30);
  return canvas.captureStream(30);
}

// @step camera
kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
  localVideo: videoInput,
  remoteVideo: videoOutput,
  videoStream: busyCamera(640, 480),
  mediaConstraints: { audio: false, video: true },
  configuration: { iceServers: iceServers },
}, function (error) {
  if (error) return onError(error);
  webRtcPeer = this;
});

// @step offer
webRtcPeer.generateOffer(function (error, offer) {
  if (error) return onError(error);
  sdpOffer = offer;
});

// @step session
// The hello-world loopback, in one step: pipeline, endpoint, candidates both ways, offer/answer, ICE, connect.
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
    pipeline.create('WebRtcEndpoint', function (error, endpoint) {
      if (error) return onError(error);
      webRtcEp = endpoint;
      webRtcEp.on('IceCandidateFound', function (event) {
        webRtcPeer.addIceCandidate(event.candidate, onError);
      });
      webRtcPeer.on('icecandidate', function (candidate) {
        webRtcEp.addIceCandidate(kurentoClient.getComplexType('IceCandidate')(candidate), onError);
      });
      webRtcEp.processOffer(sdpOffer, function (error, answer) {
        if (error) return onError(error);
        sdpAnswer = answer;
        webRtcPeer.processAnswer(sdpAnswer, onError);
        webRtcEp.gatherCandidates(onError);
        webRtcEp.connect(webRtcEp, onError);
      });
    });
  });
});

// @step high
// A generous limit, set while the video flows: KMS sends it at once in a REMB, then again every second.
webRtcEp.setMaxVideoRecvBandwidth(highLimit, function (error) {
  if (error) return onError(error);
  highLimitSet = highLimit;
  console.log('maxVideoRecvBandwidth = ' + highLimit + ' kbps');
});

// @step low
// A tight limit: the next REMB carries it, and the browser's encoder drops to it within a few seconds.
webRtcEp.setMaxVideoRecvBandwidth(lowLimit, function (error) {
  if (error) return onError(error);
  lowLimitSet = lowLimit;
  console.log('maxVideoRecvBandwidth = ' + lowLimit + ' kbps');
});

// @step remb
// What KMS reports: the inbound video stream's remb is the last REMB value it sent, in bps.
webRtcEp.getStats('VIDEO', function (error, stats) {
  if (error) return onError(error);
  Object.keys(stats).forEach(function (key) {
    if (stats[key].type === 'inboundrtp') rembReported = stats[key].remb;
  });
  console.log('KMS inbound video remb: ' + rembReported + ' bps');
});
