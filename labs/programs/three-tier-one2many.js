// One presenter, many viewers, in three tiers, after Kurento's one2many-call tutorial. Every browser of the tutorial
// is in this page: the presenter, and `viewers` viewers (an option of the lab). Each has its own WebSocket to the
// application server at /one2many (server/apps/one2many-call.ts, after CallHandler.java) and its own WebRtcPeer.
var presenterVideo = document.getElementById('presenterVideo');
var presenterWs;
var presenterPeer;
var viewerSockets = [];
var viewerPeers = [];

function sendMessage(ws, message) {
  ws.send(JSON.stringify(message));
}

function signalingUrl() {
  return app_uri + '/one2many';
}

// @step presenter
presenterWs = new WebSocket(signalingUrl());
presenterWs.onmessage = function (message) {
  var parsedMessage = JSON.parse(message.data);
  switch (parsedMessage.id) {
    case 'presenterResponse':
      if (parsedMessage.response !== 'accepted') return onError('Presenter not accepted: ' + parsedMessage.message);
      presenterPeer.processAnswer(parsedMessage.sdpAnswer, onError);
      break;
    case 'iceCandidate':
      presenterPeer.addIceCandidate(parsedMessage.candidate, onError);
      break;
  }
};

presenterWs.onopen = function () {
  // A send-only peer: the presenter's camera goes to KMS, nothing comes back.
  presenterPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendonly({
    localVideo: presenterVideo,
    configuration: { iceServers: iceServers },
    onicecandidate: function (candidate) {
      sendMessage(presenterWs, { id: 'onIceCandidate', candidate: candidate });
    },
  }, function (error) {
    if (error) return onError(error);
    presenterPeer.generateOffer(function (error, sdpOffer) {
      if (error) return onError(error);
      sendMessage(presenterWs, { id: 'presenter', sdpOffer: sdpOffer });
    });
  });
};

// @step viewers
for (var i = 0; i < viewers; i++) {
  startViewer(i);
}

// One viewer: its own socket, and a receive-only peer that plays the presenter in a video of its own.
function startViewer(index) {
  var video = addVideo('viewer' + (index + 1), 'viewer ' + (index + 1), { muted: true });
  var ws = new WebSocket(signalingUrl());
  viewerSockets[index] = ws;
  ws.onmessage = function (message) {
    var parsedMessage = JSON.parse(message.data);
    switch (parsedMessage.id) {
      case 'viewerResponse':
        if (parsedMessage.response !== 'accepted') return onError('Viewer not accepted: ' + parsedMessage.message);
        viewerPeers[index].processAnswer(parsedMessage.sdpAnswer, onError);
        break;
      case 'iceCandidate':
        viewerPeers[index].addIceCandidate(parsedMessage.candidate, onError);
        break;
      case 'stopCommunication':
        // The presenter left.
        viewerPeers[index].dispose();
        break;
    }
  };
  ws.onopen = function () {
    viewerPeers[index] = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
      remoteVideo: video,
      configuration: { iceServers: iceServers },
      onicecandidate: function (candidate) {
        sendMessage(ws, { id: 'onIceCandidate', candidate: candidate });
      },
    }, function (error) {
      if (error) return onError(error);
      viewerPeers[index].generateOffer(function (error, sdpOffer) {
        if (error) return onError(error);
        sendMessage(ws, { id: 'viewer', sdpOffer: sdpOffer });
      });
    });
  };
}

// @step play
// Nothing to call: each viewer's video plays on its own, kurento-utils attached the remote stream to it.
