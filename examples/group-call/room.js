// The media part of a group call (Node.js, kurento-client 7.3, callback style).
const kurentoClient = require('kurento-client');

// Types for the checker (`npm run typecheck`); Node ignores these comments.
/** @typedef {import('kurento-client').WebRtcEndpoint} WebRtcEndpoint */
/** @typedef {(error: Error | null) => void} Done */
/**
 * @typedef {object} User
 * @property {string} name
 * @property {WebRtcEndpoint} outgoing
 * @property {Map<string, WebRtcEndpoint>} incoming  sender name -> the endpoint where this user receives that sender
 * @property {(message: object) => void} send  a message to this user's browser
 */
/** @typedef {{ pipeline: import('kurento-client').MediaPipeline, users: Map<string, User> }} Room */

const KMS_URL = 'ws://127.0.0.1:8888/kurento';

/** @type {import('kurento-client').KurentoClient | null} */
let client = null;
/** @type {Map<string, Room>} */
const rooms = new Map(); // room name -> { pipeline, users: Map(name -> user) }
// user: { name, outgoing, incoming: Map(sender name -> WebRtcEndpoint), send(message) }

/** @param {import('kurento-client').Callback<import('kurento-client').KurentoClient>} callback */
function getClient(callback) {
  if (client) return callback(null, client);
  kurentoClient(KMS_URL, function (error, connected) {
    if (error) return callback(error, connected);
    client = connected;
    callback(null, client);
  });
}

/**
 * @param {string} name
 * @param {(error: Error | null, room?: Room) => void} callback
 */
function getRoom(name, callback) {
  const known = rooms.get(name);
  if (known) return callback(null, known);
  getClient(function (error, kms) {
    if (error) return callback(error);
    kms.create('MediaPipeline', function (error, pipeline) {
      if (error) return callback(error);
      const created = rooms.get(name);
      if (created) { // somebody else created it meanwhile
        pipeline.release();
        return callback(null, created);
      }
      const room = { pipeline: pipeline, users: new Map() };
      rooms.set(name, room);
      callback(null, room);
    });
  });
}

/**
 * joinRoom: the outgoing endpoint, then the others learn about the newcomer.
 * @param {string} roomName
 * @param {string} name
 * @param {(message: object) => void} send
 * @param {Done} callback
 */
function joinRoom(roomName, name, send, callback) {
  getRoom(roomName, function (error, room) {
    if (!room) return callback(error); // no room: error says why
    room.pipeline.create('WebRtcEndpoint', function (error, outgoing) {
      if (error) return callback(error);
      outgoing.on('IceCandidateFound', function (event) {
        send({ id: 'iceCandidate', name: name, candidate: event.candidate });
      });
      const existing = Array.from(room.users.keys());
      for (const other of room.users.values()) other.send({ id: 'newParticipantArrived', name: name });
      room.users.set(name, { name: name, outgoing: outgoing, incoming: new Map(), send: send });
      send({ id: 'existingParticipants', data: existing });
      callback(null);
    });
  });
}

/**
 * receiveVideoFrom: the endpoint where "receiver" gets "sender" (its own outgoing one for itself).
 * @param {Room} room
 * @param {User} receiver
 * @param {User} sender
 * @param {import('kurento-client').Callback<WebRtcEndpoint>} callback
 */
function endpointFor(room, receiver, sender, callback) {
  if (receiver === sender) return callback(null, receiver.outgoing);
  const known = receiver.incoming.get(sender.name);
  if (known) return callback(null, known);
  room.pipeline.create('WebRtcEndpoint', function (error, incoming) {
    if (error) return callback(error, incoming);
    incoming.on('IceCandidateFound', function (event) {
      receiver.send({ id: 'iceCandidate', name: sender.name, candidate: event.candidate });
    });
    receiver.incoming.set(sender.name, incoming);
    sender.outgoing.connect(incoming, function (error) {
      callback(error, incoming);
    });
  });
}

/**
 * @param {string} roomName
 * @param {string} receiverName
 * @param {string} senderName
 * @param {string} sdpOffer
 * @param {Done} callback
 */
function receiveVideoFrom(roomName, receiverName, senderName, sdpOffer, callback) {
  const room = rooms.get(roomName);
  const receiver = room && room.users.get(receiverName);
  const sender = room && room.users.get(senderName);
  if (!room || !receiver || !sender) return callback(new Error('Unknown participant'));
  endpointFor(room, receiver, sender, function (error, endpoint) {
    if (error) return callback(error);
    endpoint.processOffer(sdpOffer, function (error, sdpAnswer) {
      if (error) return callback(error);
      receiver.send({ id: 'receiveVideoAnswer', name: senderName, sdpAnswer: sdpAnswer });
      endpoint.gatherCandidates(callback);
    });
  });
}

/**
 * onIceCandidate { name, candidate }: name says which of the receiver's endpoints it is for.
 * @param {string} roomName
 * @param {string} userName
 * @param {string} streamName
 * @param {import('kurento-client').IceCandidate} candidate
 */
function addCandidate(roomName, userName, streamName, candidate) {
  const room = rooms.get(roomName);
  const user = room && room.users.get(userName);
  if (!user) return;
  const endpoint = streamName === userName ? user.outgoing : user.incoming.get(streamName);
  if (endpoint) endpoint.addIceCandidate(candidate);
}

/**
 * Server-side mute: kind is 'AUDIO' or 'VIDEO'; on = false disconnects, on = true connects again.
 * @param {string} roomName
 * @param {string} senderName
 * @param {'AUDIO' | 'VIDEO'} kind
 * @param {boolean} on
 * @param {Done} callback
 */
function setMedia(roomName, senderName, kind, on, callback) {
  const room = rooms.get(roomName);
  const sender = room && room.users.get(senderName);
  if (!room || !sender) return callback(new Error('Unknown participant'));
  /** @type {WebRtcEndpoint[]} */
  const sinks = [];
  for (const user of room.users.values()) {
    const sink = user.incoming.get(senderName);
    if (sink) sinks.push(sink);
  }
  let left = sinks.length;
  if (left === 0) return callback(null);
  let failed = false;
  for (const sink of sinks) {
    /** @param {Error | null} error */
    const done = function (error) {
      if (failed) return;
      if (error) {
        failed = true;
        return callback(error);
      }
      left -= 1;
      if (left === 0) callback(null);
    };
    if (on) sender.outgoing.connect(sink, kind, done);
    else sender.outgoing.disconnect(sink, kind, done);
  }
}

/**
 * @param {string} roomName
 * @param {string} name
 */
function leaveRoom(roomName, name) {
  const room = rooms.get(roomName);
  const user = room && room.users.get(name);
  if (!room || !user) return;
  room.users.delete(name);
  for (const other of room.users.values()) {
    const incoming = other.incoming.get(name);
    other.incoming.delete(name);
    if (incoming) incoming.release(); // ElementDisconnected on the leaver's outgoing endpoint
    other.send({ id: 'participantLeft', name: name });
  }
  for (const incoming of user.incoming.values()) incoming.release();
  user.outgoing.release();
  if (room.users.size === 0) {
    room.pipeline.release();
    rooms.delete(roomName);
  }
}

module.exports = { joinRoom, receiveVideoFrom, addCandidate, setMedia, leaveRoom };
