// The media part of a one-to-many broadcast (Node.js, kurento-client 7.3, callback style).
const kurentoClient = require('kurento-client');

// Types for the checker (`npm run typecheck`); Node ignores these comments.
/** @typedef {import('kurento-client').MediaPipeline} MediaPipeline */
/** @typedef {import('kurento-client').WebRtcEndpoint} WebRtcEndpoint */
/** @typedef {import('kurento-client').HubPort} HubPort */
/** @typedef {import('kurento-client').IceCandidate} IceCandidate */
/** @typedef {(candidate: IceCandidate) => void} SendCandidate  sends one of KMS' candidates to the browser */
/** @typedef {(error: Error | null, sdpAnswer?: string) => void} AnswerCallback */
/**
 * @typedef {object} Presenter
 * @property {string} sessionId
 * @property {MediaPipeline | null} pipeline
 * @property {WebRtcEndpoint | null} endpoint
 * @property {import('kurento-client').DispatcherOneToMany | null} hub
 */

const KMS_URL = 'ws://127.0.0.1:8888/kurento';
const USE_DISPATCHER = false; // true: fan out through a DispatcherOneToMany instead of direct connects

/** @type {import('kurento-client').KurentoClient | null} */
let client = null;
/** @type {Presenter | null} */
let presenter = null;      // { sessionId, pipeline, endpoint, hub }
/** @type {Map<string, { endpoint: WebRtcEndpoint, port: HubPort | null }>} */
const viewers = new Map(); // sessionId -> { endpoint, port }
/** @type {Map<string, WebRtcEndpoint>} */
const endpoints = new Map(); // sessionId -> WebRtcEndpoint, to route the browsers' ICE candidates
/** @type {Map<string, IceCandidate[]>} */
const pending = new Map();   // sessionId -> candidates that arrived before the endpoint existed

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
 * A WebRtcEndpoint for one browser: candidates both ways, processOffer, gatherCandidates.
 * @param {string} sessionId
 * @param {MediaPipeline} pipeline
 * @param {string} sdpOffer
 * @param {SendCandidate} sendCandidate
 * @param {(error: Error | null, endpoint: WebRtcEndpoint, sdpAnswer: string) => void} callback
 */
function createEndpoint(sessionId, pipeline, sdpOffer, sendCandidate, callback) {
  pipeline.create('WebRtcEndpoint', function (error, endpoint) {
    if (error) return callback(error, endpoint, '');
    endpoints.set(sessionId, endpoint);
    for (const candidate of pending.get(sessionId) || []) endpoint.addIceCandidate(candidate);
    pending.delete(sessionId);
    endpoint.on('IceCandidateFound', function (event) {
      sendCandidate(event.candidate);
    });
    endpoint.processOffer(sdpOffer, function (error, sdpAnswer) {
      if (error) return callback(error, endpoint, sdpAnswer);
      endpoint.gatherCandidates(function (error) {
        if (error) return callback(error, endpoint, sdpAnswer);
        callback(null, endpoint, sdpAnswer);
      });
    });
  });
}

/**
 * onIceCandidate from a browser: { candidate, sdpMid, sdpMLineIndex }.
 * @param {string} sessionId
 * @param {IceCandidate} candidate
 */
function addCandidate(sessionId, candidate) {
  const endpoint = endpoints.get(sessionId);
  if (endpoint) return endpoint.addIceCandidate(candidate);
  const queue = pending.get(sessionId) || [];
  queue.push(candidate);
  pending.set(sessionId, queue);
}

/**
 * @param {string} sessionId
 * @param {string} sdpOffer
 * @param {SendCandidate} sendCandidate
 * @param {AnswerCallback} callback
 */
function startPresenter(sessionId, sdpOffer, sendCandidate, callback) {
  if (presenter) return callback(new Error('Somebody else is presenting. Try again later.'));
  /** @type {Presenter} */
  const session = { sessionId: sessionId, pipeline: null, endpoint: null, hub: null };
  presenter = session;
  /** @param {Error} error */
  function fail(error) {
    stopPresenter();
    callback(error);
  }
  getClient(function (error, kms) {
    if (error) return fail(error);
    kms.create('MediaPipeline', function (error, pipeline) {
      if (error) return fail(error);
      if (presenter !== session) return pipeline.release(); // stopped meanwhile
      session.pipeline = pipeline;
      createEndpoint(sessionId, pipeline, sdpOffer, sendCandidate, function (error, endpoint, sdpAnswer) {
        if (error) return fail(error);
        session.endpoint = endpoint;
        if (!USE_DISPATCHER) return callback(null, sdpAnswer);
        pipeline.create('DispatcherOneToMany', function (error, hub) {
          if (error) return fail(error);
          hub.createHubPort(function (error, port) {
            if (error) return fail(error);
            endpoint.connect(port, function (error) {
              if (error) return fail(error);
              hub.setSource(port, function (error) {
                if (error) return fail(error);
                session.hub = hub;
                callback(null, sdpAnswer);
              });
            });
          });
        });
      });
    });
  });
}

/**
 * @param {string} sessionId
 * @param {string} sdpOffer
 * @param {SendCandidate} sendCandidate
 * @param {AnswerCallback} callback
 */
function startViewer(sessionId, sdpOffer, sendCandidate, callback) {
  const session = presenter;
  if (!session || !session.pipeline || !session.endpoint || (USE_DISPATCHER && !session.hub)) {
    return callback(new Error('No presenter yet. Try again later.'));
  }
  const source = session.endpoint;
  const hub = session.hub;
  createEndpoint(sessionId, session.pipeline, sdpOffer, sendCandidate, function (error, endpoint, sdpAnswer) {
    if (error) return callback(error);
    /** @type {{ endpoint: WebRtcEndpoint, port: HubPort | null }} */
    const viewer = { endpoint: endpoint, port: null };
    viewers.set(sessionId, viewer);
    /** @param {Error | null} error */
    function done(error) {
      if (error) {
        stopViewer(sessionId);
        return callback(error);
      }
      callback(null, sdpAnswer);
    }
    if (!hub) return source.connect(endpoint, done); // one more sink
    hub.createHubPort(function (error, port) {
      if (error) return done(error);
      viewer.port = port;
      port.connect(endpoint, done); // the hub sends its source to every port
    });
  });
}

/** @param {string} sessionId */
function stopViewer(sessionId) {
  const viewer = viewers.get(sessionId);
  viewers.delete(sessionId);
  endpoints.delete(sessionId);
  pending.delete(sessionId);
  if (!viewer) return;
  viewer.endpoint.release(); // KMS disconnects it first: ElementDisconnected on whatever fed it
  if (viewer.port) viewer.port.release();
}

// Releasing the pipeline releases every endpoint and port in it. Tell the viewers (stopCommunication) yourself.
function stopPresenter() {
  if (!presenter) return;
  if (presenter.pipeline) presenter.pipeline.release();
  endpoints.delete(presenter.sessionId);
  for (const sessionId of viewers.keys()) endpoints.delete(sessionId);
  viewers.clear();
  presenter = null;
}

module.exports = { startPresenter, startViewer, stopViewer, stopPresenter, addCandidate };
