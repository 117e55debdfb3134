// A routing switchboard (Node.js, kurento-client 7.3, callback style).
const kurentoClient = require('kurento-client');

// Types for the checker (`npm run typecheck`); Node ignores these comments.
/** @typedef {import('kurento-client').WebRtcEndpoint} WebRtcEndpoint */
/** @typedef {import('kurento-client').Callback<void>} Done */
/**
 * @typedef {object} Board
 * @property {import('kurento-client').KurentoClient} client
 * @property {import('kurento-client').MediaPipeline} pipeline
 * @property {import('kurento-client').Dispatcher} dispatcher
 * @property {Map<string, import('kurento-client').HubPort>} ports  member name -> its port on the dispatcher
 * @property {Map<string, WebRtcEndpoint>} endpoints  member name -> its endpoint
 */

const KMS_URL = 'ws://127.0.0.1:8888/kurento';

/** @param {(error: Error | null, board?: Board) => void} callback */
function createSwitchboard(callback) {
  kurentoClient(KMS_URL, function (error, client) {
    if (error) return callback(error);
    client.create('MediaPipeline', function (error, pipeline) {
      if (error) return callback(error);
      pipeline.create('Dispatcher', function (error, dispatcher) {
        if (error) return callback(error);
        callback(null, { client: client, pipeline: pipeline, dispatcher: dispatcher, ports: new Map(), endpoints: new Map() });
      });
    });
  });
}

/**
 * A source feeds its own port; a viewer is fed by its own port.
 * @param {Board} board
 * @param {string} name
 * @param {WebRtcEndpoint} endpoint
 * @param {boolean} isSource
 * @param {Done} callback
 */
function addMember(board, name, endpoint, isSource, callback) {
  board.dispatcher.createHubPort(function (error, port) {
    if (error) return callback(error);
    board.ports.set(name, port);
    board.endpoints.set(name, endpoint);
    if (isSource) endpoint.connect(port, callback);
    else port.connect(endpoint, callback);
  });
}

/**
 * viewer sees and hears source, through the dispatcher. Replaces whatever the viewer's port had.
 * @param {Board} board
 * @param {string} sourceName
 * @param {string} viewerName
 * @param {Done} callback
 */
function show(board, sourceName, viewerName, callback) {
  const source = board.ports.get(sourceName);
  const viewer = board.ports.get(viewerName);
  if (!source || !viewer) return callback(new Error('Unknown member'));
  board.dispatcher.connect(source, viewer, callback);
}

/**
 * One media type straight from a source's endpoint to a viewer's endpoint, bypassing the dispatcher for that type.
 * @param {Board} board
 * @param {string} sourceName
 * @param {string} viewerName
 * @param {import('kurento-client').MediaType} mediaType
 * @param {Done} callback
 */
function connectType(board, sourceName, viewerName, mediaType, callback) {
  const source = board.endpoints.get(sourceName);
  const viewer = board.endpoints.get(viewerName);
  if (!source || !viewer) return callback(new Error('Unknown member'));
  source.connect(viewer, mediaType, callback);
}
/** @type {(board: Board, sourceName: string, viewerName: string, callback: Done) => void} */
function hear(board, sourceName, viewerName, callback) {
  connectType(board, sourceName, viewerName, 'AUDIO', callback);
}
/** @type {(board: Board, sourceName: string, viewerName: string, callback: Done) => void} */
function see(board, sourceName, viewerName, callback) {
  connectType(board, sourceName, viewerName, 'VIDEO', callback);
}

/**
 * What feeds a viewer's endpoint, by media type, as member names.
 * @param {Board} board
 * @param {string} viewerName
 * @param {(error: Error | null, feeds?: { [mediaType: string]: string }) => void} callback
 */
function whoFeeds(board, viewerName, callback) {
  const viewer = board.endpoints.get(viewerName);
  if (!viewer) return callback(new Error('Unknown member'));
  viewer.getSourceConnections(function (error, connections) {
    if (error) return callback(error);
    /** @param {string} id */
    const nameOf = function (id) {
      for (const [name, endpoint] of board.endpoints) if (endpoint.id === id) return name;
      for (const [name, port] of board.ports) if (port.id === id) return 'port of ' + name;
      return id;
    };
    /** @type {{ [mediaType: string]: string }} */
    const result = {};
    for (const connection of connections) result[connection.type] = nameOf(connection.source);
    callback(null, result); // e.g. { AUDIO: 'red', VIDEO: 'green', DATA: 'port of viewer-1' }
  });
}

module.exports = { createSwitchboard, addMember, show, hear, see, whoFeeds };
