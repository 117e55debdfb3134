// KMS 用 PlayerEndpoint 读取一段视频，再用 RecorderEndpoint 写出来：全程不需要浏览器。
import kurentoClient from 'kurento-client';

const SOURCE = 'http://127.0.0.1:3000/media/kurento-labs-sample.webm'; // KMS 必须能访问这个地址
const TARGET = 'file:///tmp/kurento-recordings/sample-copy.mp4';      // KMS 所在机器上的文件

/** @param {Error} error */
function fail(error) {
  console.error('Failed:', error.message);
  process.exit(1);
}

kurentoClient('ws://127.0.0.1:8888/kurento', { failAfter: 3 }, function (error, client) {
  if (error) return fail(error);
  client.create('MediaPipeline', function (error, pipeline) {
    if (error) return fail(error);
    pipeline.create('PlayerEndpoint', { uri: SOURCE }, function (error, player) {
      if (error) return fail(error);
      pipeline.create('RecorderEndpoint', { uri: TARGET, mediaProfile: 'MP4' }, function (error, recorder) {
        if (error) return fail(error);
        player.on('Error', function (event) {
          fail(new Error('player ' + event.type + ': ' + event.description));
        });
        recorder.on('Error', function (event) {
          fail(new Error('recorder ' + event.type + ': ' + event.description));
        });

        // 音频和视频都到达录制器后，再调用 record()。
        const waiting = new Set(['AUDIO', 'VIDEO']);
        recorder.on('MediaFlowInStateChanged', function (event) {
          if (event.state !== 'FLOWING' || !waiting.has(event.mediaType)) return;
          waiting.delete(event.mediaType);
          if (waiting.size > 0) return;
          recorder.record(function (error) {
            if (error) return fail(error);
            console.log('Recording');
          });
        });

        // 视频放完了：写完文件，然后释放一切。
        player.on('EndOfStream', function () {
          recorder.stopAndWait(function (error) {
            if (error) return fail(error);
            console.log('Complete:', TARGET);
            pipeline.release(function () {
              client.close();
            });
          });
        });

        player.getVideoInfo(function (error, info) {
          if (error) return fail(error);
          console.log('Source: ' + info.duration + ' ms, seekable: ' + info.isSeekable);
          player.connect(recorder, function (error) {
            if (error) return fail(error);
            player.play(function (error) {
              if (error) fail(error);
            });
          });
        });
      });
    });
  });
});
