// @ts-check
'use strict';

/**
 * Browser flavour: the platform WebSocket. Options other than the frame tap have no browser equivalent.
 * @param {string} url
 * @returns {import('./index.js').SocketLike}
 */
function openWebSocket(url) {
  return /** @type {import('./index.js').SocketLike} */ (/** @type {unknown} */ (new WebSocket(url)));
}

module.exports = { openWebSocket };
