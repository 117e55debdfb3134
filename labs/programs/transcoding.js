// Transcoding: a sender whose browser sends VP8 (your camera; Chromium offers VP8 first) and a receiver that accepts
// only H.264. KMS sees the mismatch when the two WebRtcEndpoints are connected, and decodes and re-encodes the video.
var senderVideo = document.getElementById('sender');
var receiverVideo = document.getElementById('receiver');
var client;
var pipeline;
var senderEp;
var receiverEp;
var senderPeer;
var receiverPeer;
var senderAnswer;     // KMS' SDP answer to the sender: the codecs the sender's endpoint receives
var receiverAnswer;   // KMS' SDP answer to the receiver: the codecs the receiver's endpoint must send
var videoTranscoding;
var audioTranscoding;

// Candidates both ways, then the browser's offer → processOffer → processAnswer, and gatherCandidates: as in Hello
// World. `onAnswer` gets KMS' answer.
function negotiate(webRtcPeer, webRtcEp, onAnswer) {
  webRtcEp.on('IceCandidateFound', function (event) {
    webRtcPeer.addIceCandidate(event.candidate, onError);
  });
  webRtcPeer.on('icecandidate', function (candidate) {
    webRtcEp.addIceCandidate(kurentoClient.getComplexType('IceCandidate')(candidate), onError);
  });
  webRtcPeer.generateOffer(function (error, sdpOffer) {
    if (error) return onError(error);
    webRtcEp.processOffer(sdpOffer, function (error, sdpAnswer) {
      if (error) return onError(error);
      webRtcPeer.processAnswer(sdpAnswer, onError);
      webRtcEp.gatherCandidates(onError);
      onAnswer(sdpAnswer);
    });
  });
}

// @step pipeline
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
    pipeline.create('WebRtcEndpoint', function (error, endpoint) {
      if (error) return onError(error);
      senderEp = endpoint;
      // KMS raises it on the element whose output needs a transcoder, when it inserts one: subscribe before connecting.
      senderEp.on('MediaTranscodingStateChanged', function (event) {
        console.log('senderEp', event.mediaType, event.state);   // VIDEO TRANSCODING, AUDIO NOT_TRANSCODING
      });
      pipeline.create('WebRtcEndpoint', function (error, endpoint) {
        if (error) return onError(error);
        receiverEp = endpoint;
      });
    });
  });
});

// @step sender
senderPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendonly({
  localVideo: senderVideo,
  configuration: { iceServers: iceServers },
}, function (error) {
  if (error) return onError(error);
  negotiate(senderPeer, senderEp, function (answer) {
    senderAnswer = answer;
  });
});

// @step receiver
// Only H.264 for the receiver's video (think of a device or a gateway that decodes nothing else): the H.264 codecs
// the browser can receive, with the helpers that go with any codec (retransmission, redundancy, error correction).
var h264Only = RTCRtpReceiver.getCapabilities('video').codecs.filter(function (codec) {
  return codec.mimeType === 'video/H264' || /\/(rtx|red|ulpfec)$/.test(codec.mimeType);
});

receiverPeer = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
  remoteVideo: receiverVideo,
  configuration: { iceServers: iceServers },
}, function (error) {
  if (error) return onError(error);
  // The preferences go on the video transceiver, before the offer is created. A receive-only WebRtcPeer adds its
  // transceivers inside generateOffer(), right before it calls createOffer(): so they are set at that moment.
  var pc = receiverPeer.peerConnection;
  var createOffer = pc.createOffer.bind(pc);
  pc.createOffer = function () {
    pc.getTransceivers().forEach(function (transceiver) {
      if (transceiver.receiver.track.kind === 'video') transceiver.setCodecPreferences(h264Only);
    });
    return createOffer();
  };
  negotiate(receiverPeer, receiverEp, function (answer) {
    receiverAnswer = answer;
  });
});

// @step connect
senderEp.connect(receiverEp, function (error) {
  if (error) return onError(error);
  console.log('senderEp → receiverEp: VP8 in, H.264 out');
});

// @step cost
// Is KMS transcoding the sender's output? VIDEO: yes (VP8 → H.264). AUDIO: no (Opus on both sides).
senderEp.isMediaTranscoding('VIDEO', function (error, transcoding) {
  if (error) return onError(error);
  videoTranscoding = transcoding;
});
senderEp.isMediaTranscoding('AUDIO', function (error, transcoding) {
  if (error) return onError(error);
  audioTranscoding = transcoding;
});
// To avoid a transcoder, give both sides the same codec preferences (VP8 everywhere, or H.264 everywhere), and watch
// for MediaTranscodingStateChanged TRANSCODING in production: it usually means a codec mismatch nobody intended.
