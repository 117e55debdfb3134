// PlayerEndpoint: KMS reads a 12-second sample clip from this site over HTTP and plays it into the page.
// siteOrigin is the address of this site: KMS itself downloads the clip from there, so KMS must be able to reach it.
var clipUri = siteOrigin + '/media/kurento-labs-sample.webm';
var seekTo = 9000;
var videoOutput = document.getElementById('videoOutput');
var client;
var pipeline;
var player;
var webRtcEp;
var webRtcPeer;
var sdpAnswer;
var videoInfo;
var playPosition;
var pausedAt;
var seekedPosition;
var endOfStream;

// Asks KMS where the player is in the clip (milliseconds), shows it, and hands it to done.
function readPosition(done) {
  player.getPosition(function (error, position) {
    if (error) return onError(error);
    showStatus('position ' + position + ' ms');
    done(position);
  });
}

// @step create
// The URI may be file:// (a file on the KMS machine) or http(s)://. The browser only receives: a recvonly peer.
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  client.create('MediaPipeline', function (error, _pipeline) {
    if (error) return onError(error);
    pipeline = _pipeline;
    pipeline.create('PlayerEndpoint', { uri: clipUri }, function (error, _player) {
      if (error) return onError(error);
      player = _player;
      pipeline.create('WebRtcEndpoint', function (error, endpoint) {
        if (error) return onError(error);
        webRtcEp = endpoint;
        webRtcPeer = kurentoUtils.WebRtcPeer.WebRtcPeerRecvonly({
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
          player.connect(webRtcEp, onError);
        });
      });
    });
  });
});

// @step info
// VideoInfo: whether the source is seekable, and its duration in milliseconds (a live RTSP stream is not seekable).
player.getVideoInfo(function (error, info) {
  if (error) return onError(error);
  videoInfo = info;
  showStatus('duration ' + info.duration + ' ms, seekable: ' + info.isSeekable);
});

// @step play
// The player sends the clip at its own pace. Two seconds later, the position has moved with the media.
player.play(function (error) {
  if (error) return onError(error);
  setTimeout(function () {
    readPosition(function (position) {
      playPosition = position;
    });
  }, 2000);
});

// @step pause
// pause() freezes the position; setPosition() seeks, in milliseconds: near the end, so EndOfStream comes soon.
player.pause(function (error) {
  if (error) return onError(error);
  readPosition(function (position) {
    pausedAt = position;
    player.setPosition(seekTo, function (error) {
      if (error) return onError(error);
      readPosition(function (position) {
        seekedPosition = position;
      });
    });
  });
});

// @step end
// From the new position the clip plays to its end. An application usually releases the pipeline on EndOfStream
// (pipeline.release()); the lab keeps it so that you can look at it, and Reset releases it.
player.on('EndOfStream', function () {
  endOfStream = true;
  showStatus('EndOfStream');
});
player.play(onError);
