// @ts-check
'use strict';

/** Node flavour: the `ws` package of the project (browsers get ./browser-websocket.js through package.json "browser"). */
const NodeWebSocket = require('ws');

/**
 * @param {string} url
 * @param {Record<string, unknown>} options  passed to the `ws` constructor (headers, handshakeTimeout, ...)
 * @returns {import('./index.js').SocketLike}
 */
function openWebSocket(url, options) {
  return /** @type {import('./index.js').SocketLike} */ (/** @type {unknown} */ (new NodeWebSocket(url, options)));
}

module.exports = { openWebSocket };
