// A one-to-one call in three tiers, after Kurento's one2one-call tutorial. Two browsers share this page: the caller
// and the callee each have what one tutorial page has, a WebSocket to the application server at /call
// (server/apps/one2one-call.ts, after CallHandler.java) and a WebRtcPeer. Their cameras are test pictures, red for the
// caller and blue for the callee, so that you can tell who sees whom.
var callerVideoInput = document.getElementById('callerVideoInput');
var callerVideoOutput = document.getElementById('callerVideoOutput');
var calleeVideoInput = document.getElementById('calleeVideoInput');
var calleeVideoOutput = document.getElementById('calleeVideoOutput');

// A random suffix, so that learners sharing one server do not take each other's names.
var tag = Math.random().toString(36).slice(2, 6);
var callerName = 'alice-' + tag;
var calleeName = 'bob-' + tag;

var callerWs;
var calleeWs;
var callerPeer;
var calleePeer;
var incomingFrom;

function sendMessage(ws, message) {
  ws.send(JSON.stringify(message));
}

function signalingUrl() {
  return app_uri + '/call';
}

// @step register
// The caller's browser.
callerWs = new WebSocket(signalingUrl());
callerWs.onopen = function () {
  sendMessage(callerWs, { id: 'register', name: callerName });
};
callerWs.onmessage = function (message) {
  var parsedMessage = JSON.parse(message.data);
  switch (parsedMessage.id) {
    case 'registerResponse':
      registerResponse(parsedMessage);
      break;
    case 'callResponse':
      callResponse(parsedMessage);
      break;
    case 'iceCandidate':
      callerPeer.addIceCandidate(parsedMessage.candidate, onError);
      break;
    case 'stopCommunication':
      callerPeer.dispose();
      break;
  }
};

// The callee's browser.
calleeWs = new WebSocket(signalingUrl());
calleeWs.onopen = function () {
  sendMessage(calleeWs, { id: 'register', name: calleeName });
};
calleeWs.onmessage = function (message) {
  var parsedMessage = JSON.parse(message.data);
  switch (parsedMessage.id) {
    case 'registerResponse':
      registerResponse(parsedMessage);
      break;
    case 'incomingCall':
      incomingCall(parsedMessage);
      break;
    case 'startCommunication':
      startCommunication(parsedMessage);
      break;
    case 'iceCandidate':
      calleePeer.addIceCandidate(parsedMessage.candidate, onError);
      break;
    case 'stopCommunication':
      calleePeer.dispose();
      break;
  }
};

function registerResponse(message) {
  if (message.response !== 'accepted') return onError('Registration rejected: ' + message.message);
  console.log('Registered');
}

// @step call
callerPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
  localVideo: callerVideoInput,
  remoteVideo: callerVideoOutput,
  videoStream: testSource({ color: '#d32f2f', label: callerName, frequency: 440 }),
  configuration: { iceServers: iceServers },
  onicecandidate: function (candidate) {
    sendMessage(callerWs, { id: 'onIceCandidate', candidate: candidate });
  },
}, function (error) {
  if (error) return onError(error);
  callerPeer.generateOffer(function (error, sdpOffer) {
    if (error) return onError(error);
    sendMessage(callerWs, { id: 'call', from: callerName, to: calleeName, sdpOffer: sdpOffer });
  });
});

// The callee's page rings (the tutorial asks with confirm(); here the next step answers).
function incomingCall(message) {
  incomingFrom = message.from;
  console.log('Incoming call from ' + incomingFrom);
}

// The answer to the caller, once the callee has accepted.
function callResponse(message) {
  if (message.response !== 'accepted') return onError('Call not accepted: ' + message.message);
  callerPeer.processAnswer(message.sdpAnswer, onError);
}

// @step accept
calleePeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
  localVideo: calleeVideoInput,
  remoteVideo: calleeVideoOutput,
  videoStream: testSource({ color: '#1976d2', label: calleeName, frequency: 660 }),
  configuration: { iceServers: iceServers },
  onicecandidate: function (candidate) {
    sendMessage(calleeWs, { id: 'onIceCandidate', candidate: candidate });
  },
}, function (error) {
  if (error) return onError(error);
  calleePeer.generateOffer(function (error, sdpOffer) {
    if (error) return onError(error);
    sendMessage(calleeWs, { id: 'incomingCallResponse', from: incomingFrom, callResponse: 'accept', sdpOffer: sdpOffer });
  });
});

function startCommunication(message) {
  calleePeer.processAnswer(message.sdpAnswer, onError);
}

// @step play
// Nothing to call: kurento-utils attached each remote stream to its videoOutput. The caller's shows the callee
// (blue), the callee's shows the caller (red).
