// The RTP gateway: KMS between WebRTC and a tool that speaks plain RTP, here ffmpeg. A page cannot run ffmpeg, so an
// application server does (server/apps/rtp-gateway.ts, at /rtpgateway): it holds the kurento-client, creates the
// RtpEndpoints, writes ffmpeg's side of their SDP and starts ffmpeg itself. This page asks for each step and shows
// both sides of each SDP. The variables the steps share:
var videoInput = document.getElementById('videoInput');
var videoOutput = document.getElementById('videoOutput');
var ws;
var webRtcPeer;
var sdpAnswer;
var rtpIn;
var rtpOut;
var recording;

function sendMessage(message) {
  ws.send(JSON.stringify(message));
}

// Shows a text (an SDP, a command line) in the page under a title.
function showText(title, text) {
  var details = document.createElement('details');
  details.open = true;
  var summary = document.createElement('summary');
  summary.textContent = title;
  var pre = document.createElement('pre');
  pre.textContent = text;
  details.appendChild(summary);
  details.appendChild(pre);
  document.body.appendChild(details);
}

// @step socket
// The application server is on the site's own address (app_uri, in the settings).
ws = new WebSocket(app_uri + '/rtpgateway');

ws.onmessage = function (message) {
  var jsonMessage = JSON.parse(message.data);
  switch (jsonMessage.id) {
    case 'PROCESS_SDP_ANSWER':
      sdpAnswer = jsonMessage.sdpAnswer;
      webRtcPeer.processAnswer(sdpAnswer, onError);
      break;
    case 'ADD_ICE_CANDIDATE':
      webRtcPeer.addIceCandidate(jsonMessage.candidate, onError);
      break;
    case 'RTP_IN_STARTED':
      rtpIn = jsonMessage;
      showText('rtpIn: the offer the application server wrote for ffmpeg', rtpIn.rtpOffer);
      showText('rtpIn: the answer of KMS (where ffmpeg sends)', rtpIn.rtpAnswer);
      showText('The sender the application server started', rtpIn.ffmpeg.join(' '));
      break;
    case 'RTP_OUT_STARTED':
      rtpOut = jsonMessage;
      showText('rtpOut: the offer of KMS (generateOffer)', rtpOut.rtpOffer);
      showText('rtpOut: the answer the application server wrote for ffmpeg', rtpOut.rtpAnswer);
      showText('The recorder the application server started (it reads this SDP)', rtpOut.ffmpegSdp + '\n' + rtpOut.ffmpeg.join(' '));
      break;
    case 'RECORDING':
      recording = jsonMessage;
      showStatus('ffmpeg recorded ' + recording.file + ': ' + recording.durationSeconds.toFixed(1) + ' s, ' +
        (recording.video ? recording.video.codec + ' ' + recording.video.width + 'x' + recording.video.height : 'no video'));
      break;
    case 'KMS_EVENT':
      // Kurento Labs' addition: every event of the server's endpoints, with the endpoint it comes from.
      console.log('[KMS] ' + jsonMessage.source + ' ' + jsonMessage.eventType, jsonMessage.data);
      break;
    case 'FFMPEG_EXITED':
      onError('ffmpeg (' + jsonMessage.role + ') stopped on its own: ' + jsonMessage.log);
      break;
    case 'ERROR':
      onError(jsonMessage.message);
      break;
  }
};

// @step peer
// A synthetic blue camera: what goes out to ffmpeg in the last steps. The remote video stays black until then.
webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({
  localVideo: videoInput,
  remoteVideo: videoOutput,
  videoStream: testSource({ color: '#1565c0', label: 'browser camera', frequency: 440 }),
  configuration: { iceServers: iceServers },
  onicecandidate: function (candidate) {
    sendMessage({ id: 'ADD_ICE_CANDIDATE', candidate: candidate });
  },
}, function (error) {
  if (error) return onError(error);
});

// @step offer
// The application server makes the pipeline and a WebRtcEndpoint for this page, and answers.
webRtcPeer.generateOffer(function (error, sdpOffer) {
  if (error) return onError(error);
  sendMessage({ id: 'PROCESS_SDP_OFFER', sdpOffer: sdpOffer });
});

// @step rtp-in
// ffmpeg → rtpIn → WebRtcEndpoint → this page. `transport` (a setting): 'srtp' encrypts ffmpeg's packets (SDES).
sendMessage({ id: 'START_RTP_IN', srtp: transport === 'srtp' });

// @step rtp-out
// This page's camera → WebRtcEndpoint → rtpOut → ffmpeg, which writes a WebM file.
sendMessage({ id: 'START_RTP_OUT' });

// @step stop-recording
// After four seconds, ffmpeg finishes the file and the application server reads it back with ffprobe.
setTimeout(function () {
  sendMessage({ id: 'STOP_RTP_OUT' });
}, 4000);
