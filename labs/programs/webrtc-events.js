// Every event a WebRtcEndpoint can raise, by the class of the KMD hierarchy that defines it:
// MediaObject → MediaElement → SessionEndpoint → BaseRtpEndpoint → WebRtcEndpoint.
var eventsByClass = {
  MediaObject: ['Error'],
  MediaElement: ['ElementConnected', 'ElementDisconnected', 'MediaFlowInStateChanged', 'MediaFlowOutStateChanged', 'MediaTranscodingStateChanged'],
  SessionEndpoint: ['MediaSessionStarted', 'MediaSessionTerminated'],
  BaseRtpEndpoint: ['ConnectionStateChanged', 'MediaStateChanged'],
  WebRtcEndpoint: ['IceCandidateFound', 'IceGatheringDone', 'IceComponentStateChanged', 'NewCandidatePairSelected', 'DtlsConnectionStateChange', 'DataChannelOpened', 'DataChannelClosed'],
};
var videoInput = document.getElementById('videoInput');
var videoOutput = document.getElementById('videoOutput');
var client;
var pipeline;
var webRtcEp;
var subscribed;
var webRtcPeer;
var sdpAnswer;

// @step subscribe
// Subscribe right after create, before anything happens: listeners added after gatherCandidates miss the first events.
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
    pipeline.create('WebRtcEndpoint', function (error, endpoint) {
      if (error) return onError(error);
      webRtcEp = endpoint;
      var names = [];
      Object.keys(eventsByClass).forEach(function (className) {
        eventsByClass[className].forEach(function (name) {
          webRtcEp.on(name, function (event) {
            console.log(className + '.' + name, event);
          });
          names.push(name);
        });
      });
      subscribed = names;
    });
  });
});

// @step connect
// connect() without a media type links AUDIO, VIDEO and DATA: three ElementConnected events.
webRtcEp.connect(webRtcEp, onError);

// @step negotiate
// The browser's side: a camera, candidates both ways, offer → answer, then KMS starts ICE with gatherCandidates.
webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
  localVideo: videoInput,
  remoteVideo: videoOutput,
  configuration: { iceServers: iceServers },
}, function (error) {
  if (error) return onError(error);
  webRtcEp.on('IceCandidateFound', function (event) {
    webRtcPeer.addIceCandidate(event.candidate, onError);
  });
  webRtcPeer.on('icecandidate', function (candidate) {
    webRtcEp.addIceCandidate(kurentoClient.getComplexType('IceCandidate')(candidate), onError);
  });
  webRtcPeer.generateOffer(function (error, sdpOffer) {
    if (error) return onError(error);
    webRtcEp.processOffer(sdpOffer, function (error, answer) {
      if (error) return onError(error);
      sdpAnswer = answer;
      webRtcPeer.processAnswer(sdpAnswer, onError);
      webRtcEp.gatherCandidates(onError);
    });
  });
});

// @step media
// Events announce each change; getters ask for the state now. Once videoOutput shows what came back, ask KMS.
function askMediaState() {
  webRtcEp.isMediaFlowingIn('VIDEO', function (error, flowing) {
    if (error) return onError(error);
    showStatus('isMediaFlowingIn(VIDEO): ' + flowing);
  });
  webRtcEp.getMediaState(function (error, state) {
    if (error) return onError(error);
    showStatus('getMediaState: ' + state);
  });
}
if (videoOutput.readyState >= videoOutput.HAVE_CURRENT_DATA) askMediaState();
else videoOutput.addEventListener('loadeddata', askMediaState, { once: true });
