// Audio and video routing: three sources (red, green and blue synthetic pictures with tones of 440, 554 and 659 Hz)
// and two receive-only viewers, each with its own WebRtcEndpoint in one pipeline. Then three ways to decide who
// receives whom: a Dispatcher, a DispatcherOneToMany, and connect() by media type.
var client;
var pipeline;
var sources = {};         // 'red' → the WebRtcEndpoint of the red source
var sourcePeers = {};     // 'red' → its browser side (send-only)
var viewers = {};         // 'viewer-1' → the WebRtcEndpoint of viewer-1
var viewerPeers = {};     // 'viewer-1' → its browser side (receive-only)
var dispatcher;
var dispatcherPorts = {}; // 'red', …, 'viewer-1', … → that member's HubPort of the Dispatcher
var oneToMany;
var oneToManyPorts = {};  // the same for the DispatcherOneToMany
var viewer1Sources;       // what KMS answers to getSourceConnections() on viewer-1

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

// One HubPort of `hub` per member: each source feeds its port, each viewer's port feeds the viewer. `done` runs once
// every port is there.
function addPorts(hub, ports, done) {
  var names = ['red', 'green', 'blue', 'viewer-1', 'viewer-2'];
  names.forEach(function (name) {
    hub.createHubPort(function (error, port) {
      if (error) return onError(error);
      ports[name] = port;
      if (sources[name]) sources[name].connect(port, onError);   // source → its port
      else port.connect(viewers[name], onError);                  // viewer's port → viewer
      if (Object.keys(ports).length === names.length) done();
    });
  });
}

// @step members
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
    addSource('red', '#d32f2f', 440);
    addSource('green', '#2e7d32', 554);
    addSource('blue', '#1565c0', 659);
    addViewer('viewer-1');
    addViewer('viewer-2');
  });
});

function addSource(name, color, frequency) {
  pipeline.create('WebRtcEndpoint', function (error, webRtcEp) {
    if (error) return onError(error);
    sources[name] = webRtcEp;
    sourcePeers[name] = kurentoUtils.WebRtcPeer.WebRtcPeerSendonly({
      localVideo: document.getElementById(name),
      videoStream: testSource({ color: color, label: name, frequency: frequency }),
      configuration: { iceServers: iceServers },
    }, function (error) {
      if (error) return onError(error);
      negotiate(sourcePeers[name], webRtcEp);
    });
  });
}

function addViewer(name) {
  pipeline.create('WebRtcEndpoint', function (error, webRtcEp) {
    if (error) return onError(error);
    viewers[name] = webRtcEp;
    viewerPeers[name] = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
      remoteVideo: document.getElementById(name),
      configuration: { iceServers: iceServers },
    }, function (error) {
      if (error) return onError(error);
      negotiate(viewerPeers[name], webRtcEp);
    });
  });
}

// @step dispatcher
pipeline.create('Dispatcher', function (error, _dispatcher) {
  if (error) return onError(error);
  dispatcher = _dispatcher;
  addPorts(dispatcher, dispatcherPorts, function () {
    // Like a patch panel: which source port goes to which viewer port.
    dispatcher.connect(dispatcherPorts.red, dispatcherPorts['viewer-1'], onError);
    dispatcher.connect(dispatcherPorts.green, dispatcherPorts['viewer-2'], onError);
  });
});

// @step dispatcher-switch
// Another route to the same viewer port replaces the one it had.
dispatcher.connect(dispatcherPorts.blue, dispatcherPorts['viewer-1'], onError);
dispatcher.connect(dispatcherPorts.red, dispatcherPorts['viewer-2'], onError);

// @step one-to-many
pipeline.create('DispatcherOneToMany', function (error, hub) {
  if (error) return onError(error);
  oneToMany = hub;
  // Connecting its viewer ports to the viewers replaces the Dispatcher's ports upstream of them.
  addPorts(oneToMany, oneToManyPorts, function () {
    // Pass the object createHubPort() handed over: with promises, `await hub.createHubPort()` resolves to a plain
    // copy in kurento-client 7.3, and setSource() would send that copy as JSON instead of its id.
    oneToMany.setSource(oneToManyPorts.green, onError);
  });
});

// @step one-to-many-switch
// One call switches every viewer.
oneToMany.setSource(oneToManyPorts.blue, onError);

// @step by-media-type
// The audio of red and the video of green to viewer-1; each replaces the hub's port for its own media type only.
sources.red.connect(viewers['viewer-1'], 'AUDIO', function (error) {
  if (error) return onError(error);
  sources.green.connect(viewers['viewer-1'], 'VIDEO', function (error) {
    if (error) return onError(error);
    viewers['viewer-1'].getSourceConnections(function (error, connections) {
      if (error) return onError(error);
      // ElementConnectionData, one per media type: { source, sink, type }, source and sink as ids.
      connections.forEach(function (connection) {
        console.log(connection.type, '←', connection.source);
      });
      viewer1Sources = connections;
    });
  });
});
