// Mixing with a Composite: every participant is in this page, a synthetic source of their own colour and tone, with a
// send-receive WebRtcEndpoint connected to their own HubPort of one Composite. Each receives one grid of everybody's
// video and the mix of everybody's audio but their own. `participants` (3 or 4) is the lab's option, above.
var people = [
  { name: 'alice', color: '#d32f2f', frequency: 440 },   // red
  { name: 'bob', color: '#2e7d32', frequency: 554 },     // green
  { name: 'carol', color: '#1565c0', frequency: 659 },   // blue
  { name: 'dave', color: '#f9a825', frequency: 784 },    // amber
];
var client;
var pipeline;
var composite;
var room = [];        // the names of the participants, in the order their ports were created
var endpoints = {};   // 'alice' → alice's WebRtcEndpoint
var ports = {};       // 'alice' → alice's HubPort of the Composite
var peers = {};       // 'alice' → alice's browser side (send-receive)
var leaver;

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

// One participant joins: a WebRtcEndpoint and a HubPort, connected both ways, then their browser negotiates.
// `done` runs once their port exists: the grid places pictures in the order the ports were created.
function join(person, done) {
  var grid = addVideo(person.name + '-grid', person.name + ' receives', { muted: true });
  pipeline.create('WebRtcEndpoint', function (error, webRtcEp) {
    if (error) return onError(error);
    endpoints[person.name] = webRtcEp;
    composite.createHubPort(function (error, port) {
      if (error) return onError(error);
      ports[person.name] = port;
      room.push(person.name);
      webRtcEp.connect(port, onError);   // what they send goes into the mix
      port.connect(webRtcEp, onError);   // the grid and the audio mix come back
      peers[person.name] = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
        remoteVideo: grid,
        videoStream: testSource({ color: person.color, label: person.name, frequency: person.frequency }),
        configuration: { iceServers: iceServers },
      }, function (error) {
        if (error) return onError(error);
        negotiate(peers[person.name], webRtcEp);
      });
      if (done) done();
    });
  });
}

// @step composite
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
    // A Hub: elements connect to its HubPorts, not to it. The size and frame rate of the grid are optional.
    pipeline.create('Composite', { width: 800, height: 600, framerate: 15 }, function (error, _composite) {
      if (error) return onError(error);
      composite = _composite;
    });
  });
});

// @step two
join(people[0], function () {   // alice: red, 440 Hz
  join(people[1]);              // bob: green, 554 Hz
});

// @step more
join(people[2], function () {   // carol: blue, 659 Hz
  if (participants === 4) join(people[3]);   // dave: amber, 784 Hz
});

// @step everyone
// Nothing to call: every port sends the same grid, and each participant a mix of the others' audio. The lab samples
// every cell of every participant's grid, and watches MediaFlowInStateChanged AUDIO on every endpoint.

// @step leave
// The last one to join leaves: the Composite takes their picture out and lays the grid out again.
leaver = room.pop();
ports[leaver].release(onError);
endpoints[leaver].release(onError);
peers[leaver].dispose();
delete ports[leaver];
delete endpoints[leaver];
delete peers[leaver];
