// Hello World in three tiers: this page is only the web app. It never talks to KMS: it talks to the application
// server at /helloworld (server/apps/hello-world.ts, after HelloWorldHandler.java), which holds the kurento-client.
// The variables the steps share:
var videoInput = document.getElementById('videoInput');
var videoOutput = document.getElementById('videoOutput');
var ws;
var webRtcPeer;
var sdpAnswer;

function sendMessage(message) {
  ws.send(JSON.stringify(message));
}

// @step socket
// app_uri (in the settings) is the application server: npm start runs it on the site's own address. Kurento's
// tutorials build it from location.host, since their application server also serves the page.
ws = new WebSocket(app_uri + '/helloworld');

ws.onmessage = function (message) {
  var jsonMessage = JSON.parse(message.data);
  switch (jsonMessage.id) {
    case 'PROCESS_SDP_ANSWER':
      handleProcessSdpAnswer(jsonMessage);
      break;
    case 'ADD_ICE_CANDIDATE':
      handleAddIceCandidate(jsonMessage);
      break;
    case 'KMS_EVENT':
      // Kurento Labs' addition: the server forwards every event of its WebRtcEndpoint.
      console.log('[KMS] ' + jsonMessage.eventType, jsonMessage.data);
      break;
    case 'ERROR':
      onError(jsonMessage.message);
      break;
  }
};

// @step peer
webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
  localVideo: videoInput,
  remoteVideo: videoOutput,
  configuration: { iceServers: iceServers },
  // Each local candidate goes to the application server, which adds it to its WebRtcEndpoint.
  onicecandidate: function (candidate) {
    sendMessage({ id: 'ADD_ICE_CANDIDATE', candidate: candidate });
  },
}, function (error) {
  if (error) return onError(error);
});

// KMS' candidates come back from the application server with the same id.
function handleAddIceCandidate(jsonMessage) {
  webRtcPeer.addIceCandidate(jsonMessage.candidate, onError);
}

// @step offer
webRtcPeer.generateOffer(function (error, sdpOffer) {
  if (error) return onError(error);
  sendMessage({ id: 'PROCESS_SDP_OFFER', sdpOffer: sdpOffer });
});

function handleProcessSdpAnswer(jsonMessage) {
  sdpAnswer = jsonMessage.sdpAnswer;
  webRtcPeer.processAnswer(sdpAnswer, onError);
}

// @step play
// Nothing to call: kurento-utils attached the remote stream to videoOutput, which plays on its own.
