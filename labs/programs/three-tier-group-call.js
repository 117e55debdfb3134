// A group call in three tiers, after Kurento's group-call tutorial. Every participant of the room is in this page,
// `participants` of them (an option of the lab). Each is what one browser of the tutorial is: its own WebSocket to
// the application server at /groupcall (server/apps/group-call.ts, after Room.java and UserSession.java), one
// WebRtcPeer that sends its camera, and one WebRtcPeer per other participant that receives that participant.
// Their cameras are test pictures of one colour each, so that you can tell who is who.
var COLOURS = { ana: '#d32f2f', ben: '#388e3c', chen: '#1976d2', dana: '#f9a825' };
var names = ['ana', 'ben', 'chen', 'dana'].slice(0, participants);

// A room of your own: learners sharing one server do not meet in it.
var room = 'room-' + Math.random().toString(36).slice(2, 6);

var sockets = {}; // each participant's WebSocket, by name
var inRoom = {}; // by name: the others that participant knows are in the room
var peers = {}; // peers.ana sends ana's camera; peers['ben←ana'] is ben receiving ana

// The peer of `viewer` that carries `sender`'s media: its own camera when they are the same.
function peerName(viewer, sender) {
  return viewer === sender ? viewer : viewer + '←' + sender;
}

function sendMessage(name, message) {
  sockets[name].send(JSON.stringify(message));
}

function onMessage(name, message) {
  var parsedMessage = JSON.parse(message.data);
  switch (parsedMessage.id) {
    case 'existingParticipants':
      inRoom[name] = parsedMessage.data.slice();
      joined(name);
      break;
    case 'newParticipantArrived':
      // The tutorial receives the newcomer at once; this program does it for everyone in the step "receive".
      inRoom[name].push(parsedMessage.name);
      break;
    case 'participantLeft':
      inRoom[name].splice(inRoom[name].indexOf(parsedMessage.name), 1);
      if (peers[peerName(name, parsedMessage.name)]) peers[peerName(name, parsedMessage.name)].dispose();
      break;
    case 'receiveVideoAnswer':
      peers[peerName(name, parsedMessage.name)].processAnswer(parsedMessage.sdpAnswer, onError);
      break;
    case 'iceCandidate':
      peers[peerName(name, parsedMessage.name)].addIceCandidate(parsedMessage.candidate, onError);
      break;
  }
}

// @step join
// One after the other, as people arrive: each joins once the one before is in the room.
join(names[0]);

function join(name) {
  inRoom[name] = [];
  var ws = new WebSocket(app_uri + '/groupcall');
  sockets[name] = ws;
  ws.onmessage = function (message) {
    onMessage(name, message);
  };
  ws.onopen = function () {
    sendMessage(name, { id: 'joinRoom', name: name, room: room });
  };
}

function joined(name) {
  console.log(name + ' is in ' + room + ' with ' + (inRoom[name].join(', ') || 'nobody yet'));
  var next = names[names.indexOf(name) + 1];
  if (next) join(next);
}

// @step publish
// A participant sends its camera by asking to receive video from itself.
names.forEach(function (name) {
  var video = addVideo(name, name + ' (camera)', { muted: true });
  peers[name] = kurentoUtils.WebRtcPeer.WebRtcPeerSendonly({
    localVideo: video,
    videoStream: testSource({ color: COLOURS[name], label: name }),
    configuration: { iceServers: iceServers },
    // Each candidate names the participant whose media it is for: here, the sender itself.
    onicecandidate: function (candidate) {
      sendMessage(name, { id: 'onIceCandidate', candidate: candidate, name: name });
    },
  }, function (error) {
    if (error) return onError(error);
    peers[name].generateOffer(function (error, sdpOffer) {
      if (error) return onError(error);
      sendMessage(name, { id: 'receiveVideoFrom', sender: name, sdpOffer: sdpOffer });
    });
  });
});

// @step receive
names.forEach(function (name) {
  inRoom[name].forEach(function (sender) {
    receiveVideo(name, sender);
  });
});

// `viewer` receives `sender`: a receive-only peer and its own video.
function receiveVideo(viewer, sender) {
  var id = peerName(viewer, sender);
  var video = addVideo(id, viewer + ' sees ' + sender, { muted: true });
  peers[id] = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
    remoteVideo: video,
    configuration: { iceServers: iceServers },
    onicecandidate: function (candidate) {
      sendMessage(viewer, { id: 'onIceCandidate', candidate: candidate, name: sender });
    },
  }, function (error) {
    if (error) return onError(error);
    peers[id].generateOffer(function (error, sdpOffer) {
      if (error) return onError(error);
      sendMessage(viewer, { id: 'receiveVideoFrom', sender: sender, sdpOffer: sdpOffer });
    });
  });
}

// @step play
// Nothing to call: each video plays on its own, kurento-utils attached the remote streams to them.
