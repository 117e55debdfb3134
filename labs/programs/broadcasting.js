// Broadcasting: one presenter, several viewers, all in this page. The presenter is a synthetic red picture with a
// 440 Hz tone, so each viewer's tile shows by its colour that it receives the presenter.
// `viewers` (how many) and `variant` ('direct' or 'dispatcher') are the lab's options, in the settings above.
var presenterVideo = document.getElementById('presenter');
var client;
var pipeline;
var presenterEp;        // the presenter's WebRtcEndpoint
var presenterPeer;      // the presenter's browser side (send-only)
var hub;                // dispatcher variant: the DispatcherOneToMany
var presenterPort;      // dispatcher variant: the HubPort the presenter feeds, the source of the hub
var viewerEps = {};     // 'viewer-1' → that viewer's WebRtcEndpoint
var viewerPeers = {};   // 'viewer-1' → that viewer's browser side (receive-only)
var viewerPorts = {};   // dispatcher variant: 'viewer-1' → the HubPort that feeds that viewer
var leaver;
var presenterSinks;     // what KMS answers to presenterEp.getSinkConnections('VIDEO')
var portSinks = {};     // dispatcher variant: the same for each viewer's HubPort

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

// @step presenter
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
    pipeline.create('WebRtcEndpoint', function (error, endpoint) {
      if (error) return onError(error);
      presenterEp = endpoint;
      presenterPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendonly({
        localVideo: presenterVideo,
        videoStream: testSource({ color: '#d32f2f', label: 'presenter', frequency: 440 }),
        configuration: { iceServers: iceServers },
      }, function (error) {
        if (error) return onError(error);
        negotiate(presenterPeer, presenterEp);
      });
      if (variant === 'dispatcher') createHub();
      // Direct variant: nothing else to create; each viewer will be connected to presenterEp.
    });
  });
});

// Dispatcher variant: the presenter feeds one HubPort, which becomes the source of the hub.
function createHub() {
  pipeline.create('DispatcherOneToMany', function (error, _hub) {
    if (error) return onError(error);
    hub = _hub;
    hub.createHubPort(function (error, port) {
      if (error) return onError(error);
      presenterPort = port;
      presenterEp.connect(presenterPort, function (error) {
        if (error) return onError(error);
        // presenterPort is the real object here. With promises, `await hub.createHubPort()` resolves to a plain
        // copy in kurento-client 7.3, and setSource() would send that copy as JSON instead of its id.
        hub.setSource(presenterPort, onError);
      });
    });
  });
}

// @step viewers
for (var n = 1; n <= viewers; n++) joinViewer('viewer-' + n);

function joinViewer(name) {
  var video = addVideo(name, name, { muted: true });
  pipeline.create('WebRtcEndpoint', function (error, viewerEp) {
    if (error) return onError(error);
    viewerEps[name] = viewerEp;
    if (variant === 'dispatcher') {
      hub.createHubPort(function (error, port) {
        if (error) return onError(error);
        viewerPorts[name] = port;
        port.connect(viewerEp, onError);        // the hub sends its source to every port
      });
    } else {
      presenterEp.connect(viewerEp, onError);   // one more sink for the presenter
    }
    viewerPeers[name] = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
      remoteVideo: video,
      configuration: { iceServers: iceServers },
    }, function (error) {
      if (error) return onError(error);
      negotiate(viewerPeers[name], viewerEp);
    });
  });
}

// @step colours
// Nothing to call: the lab samples the centre of every viewer's tile and compares it with the presenter's red.

// @step leave
leaver = viewers >= 2 ? 'viewer-2' : 'viewer-1';
// Releasing an element disconnects it first: what fed it (presenterEp, or the viewer's port) raises ElementDisconnected.
viewerEps[leaver].release(onError);
if (viewerPorts[leaver]) viewerPorts[leaver].release(onError);
viewerPeers[leaver].dispose();
delete viewerEps[leaver];
delete viewerPorts[leaver];
delete viewerPeers[leaver];

// @step fanout
// Where does the presenter's video go? One entry per sink: { source, sink, type: 'VIDEO', … }, with ids.
presenterEp.getSinkConnections('VIDEO', function (error, connections) {
  if (error) return onError(error);
  presenterSinks = connections;
});
// Dispatcher variant: and where does each viewer's port send it?
Object.keys(viewerPorts).forEach(function (name) {
  viewerPorts[name].getSinkConnections('VIDEO', function (error, connections) {
    if (error) return onError(error);
    portSinks[name] = connections;
  });
});
