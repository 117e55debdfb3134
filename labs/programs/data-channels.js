// Data channels through KMS: a WebRtcEndpoint created with useDataChannels, connected to itself, sends back
// what the browser writes on its data channel.
var videoInput = document.getElementById('videoInput');
var videoOutput = document.getElementById('videoOutput');
var messages = ['hello Kurento', '你好，Kurento', 'third message'];
var echoes = [];
var client;
var pipeline;
var webRtcEp;
var webRtcPeer;
var sdpAnswer;
var channelOpen;
var allEchoed;
var channelClosed;

// What the browser's data channel receives: the echoes from KMS.
function onChannelMessage(event) {
  echoes.push(event.data);
  showStatus('echo: ' + event.data);
  if (echoes.length >= messages.length) allEchoed = true;
}

// @step endpoint
// Data channels are off by default on KMS: the endpoint needs useDataChannels: true.
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
    pipeline.create('WebRtcEndpoint', { useDataChannels: true }, function (error, endpoint) {
      if (error) return onError(error);
      webRtcEp = endpoint;
      webRtcEp.on('DataChannelOpened', function (event) {
        console.log('DataChannelOpened', event.channelId);
      });
      webRtcEp.on('DataChannelClosed', function (event) {
        console.log('DataChannelClosed', event.channelId);
      });
      // Without a media type, connect() links DATA too: what comes in on the channel goes back out.
      webRtcEp.connect(webRtcEp, onError);
    });
  });
});

// @step negotiate
// The browser's peer asks for a data channel too (dataChannels: true): the offer gets an m=application line (SCTP).
webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
  localVideo: videoInput,
  remoteVideo: videoOutput,
  configuration: { iceServers: iceServers },
  dataChannels: true,
  dataChannelConfig: {
    onopen: function () {
      channelOpen = true;
      showStatus('data channel open');
    },
    onmessage: onChannelMessage,
    onclose: function () {
      channelClosed = true;
      showStatus('data channel closed');
    },
  },
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

// @step echo
// send() writes on the data channel; KMS passes it through the DATA link and sends it back on the same channel.
messages.forEach(function (message) {
  webRtcPeer.send(message);
});

// @step close
// Closing the browser's side resets the SCTP stream; KMS notices and raises DataChannelClosed.
webRtcPeer.dataChannel.close();
