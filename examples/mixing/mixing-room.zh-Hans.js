const kurentoClient = require('kurento-client');

// 给类型检查器（`npm run typecheck`）看的类型；Node 会忽略这些注释。
/** @typedef {import('kurento-client').WebRtcEndpoint} WebRtcEndpoint */
/** @typedef {import('kurento-client').HubPort} HubPort */
/**
 * @typedef {object} Room
 * @property {import('kurento-client').MediaPipeline} pipeline
 * @property {import('kurento-client').Composite} composite
 * @property {Map<string, { webRtcEp: WebRtcEndpoint, port: HubPort }>} users
 */

/** @type {Room | undefined} */
let room; // { pipeline, composite, users: Map<name, { webRtcEp, port }> }

/** @param {(error: Error | null, room?: Room) => void} callback */
function openRoom(callback) {
  kurentoClient('ws://127.0.0.1:8888/kurento', function (error, client) {
    if (error) return callback(error);
    client.create('MediaPipeline', function (error, pipeline) {
      if (error) return callback(error);
      pipeline.create('Composite', { width: 800, height: 600, framerate: 15 }, function (error, composite) {
        if (error) return callback(error);
        room = { pipeline: pipeline, composite: composite, users: new Map() };
        callback(null, room);
      });
    });
  });
}

/**
 * 参与者带着 SDP offer 加入；onCandidate 把 KMS 的候选发给这个浏览器。
 * @param {string} name
 * @param {string} sdpOffer
 * @param {(candidate: import('kurento-client').IceCandidate) => void} onCandidate
 * @param {(error: Error | null, sdpAnswer?: string) => void} callback
 */
function join(name, sdpOffer, onCandidate, callback) {
  const current = room;
  if (!current) return callback(new Error('No room: call openRoom first'));
  current.pipeline.create('WebRtcEndpoint', function (error, webRtcEp) {
    if (error) return callback(error);
    webRtcEp.on('IceCandidateFound', function (event) { onCandidate(event.candidate); });
    current.composite.createHubPort(function (error, port) {
      if (error) return callback(error);
      current.users.set(name, { webRtcEp: webRtcEp, port: port });
      webRtcEp.connect(port, function (error) {        // 进入混流
        if (error) return callback(error);
        port.connect(webRtcEp, function (error) {      // 网格和混音送回来
          if (error) return callback(error);
          webRtcEp.processOffer(sdpOffer, function (error, sdpAnswer) {
            if (error) return callback(error);
            webRtcEp.gatherCandidates(function (error) {
              callback(error, sdpAnswer);
            });
          });
        });
      });
    });
  });
}

/**
 * @param {string} name
 * @param {import('kurento-client').IceCandidate} candidate
 */
function addCandidate(name, candidate) {
  const user = room && room.users.get(name);
  if (user) user.webRtcEp.addIceCandidate(candidate);
}

/**
 * 参与者离开：其他人的网格重新排布。
 * @param {string} name
 */
function leave(name) {
  const user = room && room.users.get(name);
  if (!room || !user) return;
  room.users.delete(name);
  user.port.release();
  user.webRtcEp.release();
  if (room.users.size === 0) {
    room.pipeline.release();
    room = undefined; // 下一个参与者会开一个新房间
  }
}

module.exports = { openRoom, join, addCandidate, leave };
