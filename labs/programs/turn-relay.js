// TURN relay: the browser and KMS both use a TURN server, turnServer in the settings (the coturn that npm start runs,
// or the first TURN server of your ICE servers). The lab's options pick its transport and the right password or a
// wrong one.
var videoInput = document.getElementById('videoInput');
var videoOutput = document.getElementById('videoOutput');

// The TURN server as this run uses it. A turns: URL is TLS and keeps its own transport.
var turnPassword = credentials === 'wrong' ? 'not-the-password' : turnServer.credential;
var turnTransport = turnServer.urls.indexOf('turns:') === 0 ? 'tls' : transport;
var browserTurn = {
  urls: turnTransport === 'tls' ? turnServer.urls : turnServer.urls.split('?')[0] + '?transport=' + turnTransport,
  username: turnServer.username,
  credential: turnPassword,
};
// KMS takes it in its own form, user:password@IPv4:port?transport=udp|tcp|tls (like turnURL in WebRtcEndpoint.conf.ini).
var kmsTurnUrl = turnServer.username + ':' + turnPassword + '@' + kmsTurnAddress + '?transport=' + turnTransport;

var gatherPeer;
var client;
var pipeline;
var gatherEp;
var webRtcPeer;
var webRtcEp;

// @step browser-gather
// A peer whose only ICE server is the TURN server. Generating the offer starts gathering: host candidates, and a
// relay candidate once the TURN server granted an allocation (Allocate, 401, Allocate again with the credential).
gatherPeer = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
  configuration: { iceServers: [browserTurn] },
  onicecandidate: function (candidate) {
    console.log(candidate.candidate); // typ host, srflx, relay
  },
}, function (error) {
  if (error) return onError(error);
  gatherPeer.generateOffer(function (error) {
    if (error) return onError(error);
  });
});

gatherPeer.peerConnection.addEventListener('icecandidateerror', function (event) {
  console.log('icecandidateerror', event.errorCode, event.errorText, event.url); // 401: wrong credentials
});
gatherPeer.peerConnection.addEventListener('icegatheringstatechange', function () {
  if (gatherPeer.peerConnection.iceGatheringState !== 'complete') return;
  // Its candidates are known now; closing it gives its TURN allocations back (a TURN server has few relay ports).
  gatherPeer.dispose();
});

// @step kms-gather
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
    pipeline.create('WebRtcEndpoint', function (error, endpoint) {
      if (error) return onError(error);
      gatherEp = endpoint;
      gatherEp.on('IceCandidateFound', function (event) {
        console.log(event.candidate.candidate); // … typ relay …
      });
      gatherEp.on('IceGatheringDone', function () {
        console.log('KMS gathering done');
      });
      // Before gatherCandidates: the TURN server for this endpoint.
      gatherEp.setTurnUrl(kmsTurnUrl, function (error) {
        if (error) return onError(error);
        // KMS gathers only for a negotiated session: the endpoint makes an offer itself, then gathers.
        gatherEp.generateOffer(function (error) {
          if (error) return onError(error);
          gatherEp.gatherCandidates(onError);
        });
      });
    });
  });
});

// @step relay-loopback
// iceTransportPolicy 'relay': this peer uses relay candidates only, so all its media goes through the TURN server.
webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
  localVideo: videoInput,
  remoteVideo: videoOutput,
  configuration: { iceServers: [browserTurn], iceTransportPolicy: 'relay' },
}, function (error) {
  if (error) return onError(error);
  webRtcPeer.generateOffer(onOffer);
});

// KMS' side, as in Hello World, with the TURN server set on the endpoint.
function onOffer(error, sdpOffer) {
  if (error) return onError(error);
  pipeline.create('WebRtcEndpoint', function (error, endpoint) {
    if (error) return onError(error);
    webRtcEp = endpoint;
    webRtcEp.on('IceCandidateFound', function (event) {
      webRtcPeer.addIceCandidate(event.candidate, onError);
    });
    webRtcPeer.on('icecandidate', function (candidate) {
      webRtcEp.addIceCandidate(kurentoClient.getComplexType('IceCandidate')(candidate), onError);
    });
    webRtcEp.setTurnUrl(kmsTurnUrl, function (error) {
      if (error) return onError(error);
      webRtcEp.processOffer(sdpOffer, function (error, sdpAnswer) {
        if (error) return onError(error);
        webRtcPeer.processAnswer(sdpAnswer, onError);
        webRtcEp.gatherCandidates(onError);
        webRtcEp.connect(webRtcEp, onError);
      });
    });
  });
}
// Then: webRtcPeer.peerConnection.getStats() → the transport's selectedCandidatePairId → its local candidate has
// candidateType 'relay'.
