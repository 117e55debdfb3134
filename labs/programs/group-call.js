// A group call, shaped like Kurento's group-call tutorial: one pipeline for the room; each participant sends to one
// "outgoing" WebRtcEndpoint and receives each other participant through an "incoming" WebRtcEndpoint of their own,
// fed by that participant's outgoing endpoint. Here every participant is in this page, as a synthetic source of
// their own colour and tone. `participants` (2 to 4) is the lab's option, in the settings above.
var people = [
  { name: 'alice', color: '#d32f2f', frequency: 440 },   // red
  { name: 'bob', color: '#2e7d32', frequency: 554 },     // green
  { name: 'carol', color: '#1565c0', frequency: 659 },   // blue
  { name: 'dave', color: '#f9a825', frequency: 784 },    // amber
];
var client;
var pipeline;
var room = [];        // the names of the participants in the room, in the order they joined
var outgoing = {};    // 'alice' → the WebRtcEndpoint alice sends to
var senders = {};     // 'alice' → alice's browser side that sends (send-only)
var incoming = {};    // 'bob-to-alice' → the WebRtcEndpoint where alice receives bob
var receivers = {};   // 'bob-to-alice' → alice's browser side that receives bob (receive-only)

// Candidates both ways, then the browser's offer → processOffer → processAnswer, and gatherCandidates: as in Hello World.
function negotiate(webRtcPeer, webRtcEp) {
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
    });
  });
}

// A participant joins: they publish (their outgoing endpoint), then receive everyone already in the room, and
// everyone in the room receives them (the tutorial's existingParticipants and newParticipantArrived).
function joinRoom(person) {
  var preview = addVideo(person.name, person.name + ' (sends)', { muted: true });
  pipeline.create('WebRtcEndpoint', function (error, webRtcEp) {
    if (error) return onError(error);
    outgoing[person.name] = webRtcEp;
    senders[person.name] = kurentoUtils.WebRtcPeer.WebRtcPeerSendonly({
      localVideo: preview,
      videoStream: testSource({ color: person.color, label: person.name, frequency: person.frequency }),
      configuration: { iceServers: iceServers },
    }, function (error) {
      if (error) return onError(error);
      negotiate(senders[person.name], webRtcEp);
    });
    room.forEach(function (other) {
      receiveVideoFrom(person.name, other);
      receiveVideoFrom(other, person.name);
    });
    room.push(person.name);
  });
}

// `receiver` starts receiving `sender`: a new incoming endpoint, fed by the sender's outgoing endpoint.
function receiveVideoFrom(receiver, sender) {
  var tile = sender + '-to-' + receiver;
  var video = addVideo(tile, receiver + ' receives ' + sender, { muted: true });
  pipeline.create('WebRtcEndpoint', function (error, webRtcEp) {
    if (error) return onError(error);
    incoming[tile] = webRtcEp;
    outgoing[sender].connect(webRtcEp, function (error) {
      if (error) return onError(error);
      receivers[tile] = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
        remoteVideo: video,
        configuration: { iceServers: iceServers },
      }, function (error) {
        if (error) return onError(error);
        negotiate(receivers[tile], webRtcEp);
      });
    });
  });
}

// Connects (on) or disconnects (off) one media type from a participant's outgoing endpoint to every endpoint where
// someone receives them: muting on the server side.
function setMedia(name, mediaType, on) {
  room.forEach(function (other) {
    if (other === name) return;
    var sink = incoming[name + '-to-' + other];
    if (on) outgoing[name].connect(sink, mediaType, onError);
    else outgoing[name].disconnect(sink, mediaType, onError);
  });
}

// A participant leaves: everyone else stops receiving them (the tutorial's cancelVideoFrom), they stop receiving
// everyone, then their outgoing endpoint is released and their browser side closed.
function leaveRoom(name) {
  room = room.filter(function (other) {
    return other !== name;
  });
  room.forEach(function (other) {
    stopReceiving(name + '-to-' + other);
    stopReceiving(other + '-to-' + name);
  });
  outgoing[name].release(onError);
  senders[name].dispose();
  delete outgoing[name];
  delete senders[name];
}

function stopReceiving(tile) {
  incoming[tile].release(onError);
  receivers[tile].dispose();
  delete incoming[tile];
  delete receivers[tile];
}

// @step room
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
  });
});

// @step join
// Everyone but the last participant joins.
people.slice(0, participants - 1).forEach(joinRoom);

// @step newcomer
joinRoom(people[participants - 1]);

// @step tiles
// Nothing to call: the lab samples the centre of every tile. bob-to-alice is what alice receives from bob: green.

// @step mute-video
// alice turns her camera off: her VIDEO stops going to the others; her audio goes on.
setMedia('alice', 'VIDEO', false);

// @step unmute-video
setMedia('alice', 'VIDEO', true);

// @step mute-audio
// bob mutes his microphone: his AUDIO stops going to the others; his video goes on.
setMedia('bob', 'AUDIO', false);

// @step unmute-audio
setMedia('bob', 'AUDIO', true);

// @step leave
// The newcomer leaves.
leaveRoom(people[participants - 1].name);
