// @ts-check
'use strict';

/*
 * Kurento Labs' replacement for the `reconnect-ws` dependency of kurento-client 7.3.
 *
 * kurento-client asks npm for `KurentoForks/reconnect-ws#master`, a GitHub dependency that cannot be installed
 * without GitHub access; the package.json `overrides` of Kurento Labs points the name at this folder instead.
 * The module is plain CommonJS because kurento-client `require()`s it at run time in Node and in the browser bundle;
 * it is type-checked by `tsc` in strict mode through the JSDoc annotations (`checkJs`).
 *
 * What kurento-client uses (node_modules/kurento-client/lib/KurentoClient.js):
 *   const re = reconnect({ failAfter }, onConnection).connect(url, options.socket);
 *   re.connected, re.reconnect          // booleans read by client.then()
 *   re.on('connection' | 'fail' | 'reconnect'), re.once(...), re.removeListener(...)
 *   re.disconnect()                     // client.close()
 *   onConnection(transport)             // transport is handed to kurento-jsonrpc: send() + W3C 'message' events
 *
 * Failure never escapes as an exception: a refused or dropped socket becomes a 'disconnect' event, then either a
 * new attempt after a Fibonacci back-off (100 ms, 100 ms, 200 ms, 300 ms, ... capped at 10 s) or, after
 * `failAfter` attempts, a 'fail' event, which kurento-client turns into its own 'disconnect' event and rejected
 * promises. An 'error' event is only emitted when somebody listens for it.
 *
 * Extension used by Kurento Labs: `options.socket.onFrame(direction, text)` is called for every text frame
 * sent ('out') and received ('in') on any socket of this client. It powers the labs' JSON-RPC inspector.
 */

const { EventEmitter } = require('events');
const { openWebSocket } = require('./node-websocket.js');

const INITIAL_DELAY_MS = 100;
const MAX_DELAY_MS = 10000;
const DEFAULT_OPEN_TIMEOUT_MS = 10000;

/** WebSocket readyState values (identical in browsers and in `ws`). */
const OPEN = 1;

/**
 * @typedef {'in' | 'out'} FrameDirection
 * @typedef {(direction: FrameDirection, data: string) => void} FrameTap
 * @typedef {{ data: unknown }} MessageEventLike
 * @typedef {(event: MessageEventLike) => void} MessageListener
 *
 * @typedef {object} SocketLike  The part of the W3C WebSocket API used here (browsers and `ws` both provide it).
 * @property {number} readyState
 * @property {(data: string) => void} send
 * @property {(code?: number, reason?: string) => void} close
 * @property {((event: MessageEventLike) => void) | null} onmessage
 * @property {((event: unknown) => void) | null} onopen
 * @property {((event: unknown) => void) | null} onerror
 * @property {((event: { code?: number, reason?: string }) => void) | null} onclose
 *
 * @typedef {object} ReconnectOptions
 * @property {number} [failAfter]      Give up after this many failed re-attempts (default: never).
 * @property {number} [initialDelay]   First back-off delay in ms (default 100).
 * @property {number} [maxDelay]       Back-off cap in ms (default 10000).
 * @property {number} [openTimeout]    A socket that has not opened after this many ms counts as failed (default 10000).
 *
 * @typedef {Record<string, unknown> & { onFrame?: FrameTap }} SocketOptions
 */

/** Fibonacci back-off, the strategy kurento-client has always been used with. */
class Backoff {
  /** @param {number} initialDelay @param {number} maxDelay */
  constructor(initialDelay, maxDelay) {
    this.initialDelay = initialDelay;
    this.maxDelay = maxDelay;
    /** Number of back-offs since the last successful connection. */
    this.count = 0;
    /** @type {number} */
    this.previous = 0;
    /** @type {number} */
    this.current = initialDelay;
  }

  reset() {
    this.count = 0;
    this.previous = 0;
    this.current = this.initialDelay;
  }

  /** @returns {number} the delay before the next attempt */
  next() {
    const delay = Math.min(this.current, this.maxDelay);
    /** @type {number} */
    const following = this.previous + this.current;
    this.previous = this.current;
    this.current = following;
    this.count += 1;
    return delay;
  }
}

/**
 * What kurento-jsonrpc receives as its transport: `send()` plus W3C-style 'message' listeners.
 * A frame sent while the socket is not open is kept by the reconnector and flushed on the next open socket, so a
 * request issued during a reconnection is delivered instead of silently lost.
 */
class FrameTransport {
  /** @param {Reconnector} owner @param {SocketLike} socket */
  constructor(owner, socket) {
    this.owner = owner;
    this.socket = socket;
    /** @type {Set<MessageListener>} */
    this.listeners = new Set();
    /** kurento-client sets this to false after close(); kept for compatibility with stream-like transports. */
    this.writable = true;
  }

  /** @param {string} data */
  send(data) {
    if (this.socket.readyState === OPEN && this.owner.current === this) {
      this.owner.tap('out', data);
      this.socket.send(data);
    } else {
      this.owner.enqueue(data);
    }
  }

  /** @param {string} type @param {MessageListener} listener */
  addEventListener(type, listener) {
    if (type === 'message') this.listeners.add(listener);
  }

  /** @param {string} type @param {MessageListener} listener */
  removeEventListener(type, listener) {
    if (type === 'message') this.listeners.delete(listener);
  }

  /** @param {string} data */
  deliver(data) {
    for (const listener of [...this.listeners]) listener({ data });
  }

  close() {
    this.writable = false;
    this.owner.closeSocket(this.socket);
  }
}

class Reconnector extends EventEmitter {
  /** @param {ReconnectOptions} options */
  constructor(options) {
    super();
    /** True while a socket is open. */
    this.connected = false;
    /** False once disconnect() was called or the attempts were exhausted. */
    this.reconnect = true;
    this.failAfter = options.failAfter === undefined || options.failAfter === null ? Infinity : Number(options.failAfter);
    this.openTimeout = options.openTimeout ?? DEFAULT_OPEN_TIMEOUT_MS;
    this.backoff = new Backoff(options.initialDelay ?? INITIAL_DELAY_MS, options.maxDelay ?? MAX_DELAY_MS);
    /** @type {string} */
    this.url = '';
    /** @type {SocketOptions} */
    this.socketOptions = {};
    /** @type {FrameTap | undefined} */
    this.onFrame = undefined;
    /** @type {FrameTransport | undefined} */
    this.current = undefined;
    /** @type {string[]} */
    this.pending = [];
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.retryTimer = undefined;
  }

  /**
   * Starts connecting. Returns itself, as reconnect-core does.
   * @param {string} url
   * @param {SocketOptions} [socketOptions]
   */
  connect(url, socketOptions) {
    this.url = String(url);
    const { onFrame, ...rest } = socketOptions ?? {};
    this.onFrame = typeof onFrame === 'function' ? onFrame : undefined;
    this.socketOptions = rest;
    this.reconnect = true;
    if (!this.connected && this.current === undefined) this.attempt(0, 0);
    return this;
  }

  /** Alias kept from reconnect-core. */
  listen() {
    return this.connect(this.url, this.socketOptions);
  }

  /** Stops reconnecting and closes the current socket. */
  disconnect() {
    this.reconnect = false;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.pending = [];
    if (this.current) this.current.close();
    return this;
  }

  /** Forgets the back-off and tries again at once. */
  reset() {
    this.backoff.reset();
    if (!this.connected) this.attempt(0, 0);
  }

  /** @param {FrameDirection} direction @param {string} data */
  tap(direction, data) {
    if (!this.onFrame) return;
    try {
      this.onFrame(direction, data);
    } catch (error) {
      // A broken inspector must never break the connection.
      this.emitError(error);
    }
  }

  /** @param {string} data */
  enqueue(data) {
    if (this.reconnect) this.pending.push(data);
  }

  /** @param {unknown} error */
  emitError(error) {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  /** @param {SocketLike} socket */
  closeSocket(socket) {
    try {
      socket.close(1000);
    } catch {
      // Closing a socket that never opened may throw in some browsers; it is closed either way.
    }
  }

  /** @param {number} number @param {number} delay */
  attempt(number, delay) {
    if (this.connected || !this.reconnect) return;
    this.emit('reconnect', number, delay);

    /** @type {SocketLike} */
    let socket;
    try {
      socket = openWebSocket(this.url, this.socketOptions);
    } catch (error) {
      // An invalid URL throws synchronously (SyntaxError in browsers): report it and give up, retrying cannot help.
      this.emitError(error);
      this.reconnect = false;
      this.emit('disconnect', error);
      this.emit('fail', error);
      return;
    }

    const transport = new FrameTransport(this, socket);
    this.current = transport;
    let opened = false;
    let finished = false;
    const openTimer = setTimeout(() => {
      if (!opened) fail(new Error(`WebSocket to ${this.url} did not open within ${this.openTimeout} ms`));
    }, this.openTimeout);

    /** @param {unknown} reason */
    const fail = (reason) => {
      if (finished) return;
      finished = true;
      clearTimeout(openTimer);
      socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
      if (this.current === transport) this.current = undefined;
      transport.writable = false;
      this.closeSocket(socket);
      this.connected = false;
      this.emit('disconnect', reason);
      this.scheduleRetry(reason);
    };

    socket.onopen = () => {
      if (finished) return;
      opened = true;
      clearTimeout(openTimer);
      this.backoff.reset();
      this.connected = true;
      const queued = this.pending;
      this.pending = [];
      for (const data of queued) transport.send(data);
      this.emit('connect', transport);
      this.emit('connection', transport);
    };
    socket.onmessage = (event) => {
      const data = typeof event.data === 'string' ? event.data : String(event.data);
      this.tap('in', data);
      transport.deliver(data);
    };
    socket.onerror = (event) => {
      const error = event instanceof Error ? event : /** @type {{ error?: unknown }} */ (event).error;
      this.emitError(error instanceof Error ? error : new Error(`WebSocket error on ${this.url}`));
      fail(error);
    };
    socket.onclose = (event) => {
      fail(new Error(`WebSocket to ${this.url} closed (code ${event.code ?? 'unknown'})`));
    };
  }

  /** @param {unknown} reason */
  scheduleRetry(reason) {
    if (!this.reconnect) return;
    if (this.backoff.count >= this.failAfter) {
      this.disconnect();
      this.emit('fail', reason);
      return;
    }
    const number = this.backoff.count;
    const delay = this.backoff.next();
    this.emit('backoff', number, delay, reason);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.attempt(number, delay);
    }, delay);
  }
}

/**
 * reconnect-core's calling convention: `reconnect(options?, onConnection?)`.
 * @param {ReconnectOptions | ((transport: FrameTransport) => void)} [options]
 * @param {(transport: FrameTransport) => void} [onConnection]
 * @returns {Reconnector}
 */
function reconnect(options, onConnection) {
  const listener = typeof options === 'function' ? options : onConnection;
  const reconnector = new Reconnector(typeof options === 'object' && options !== null ? options : {});
  if (listener) reconnector.on('connection', listener);
  return reconnector;
}

module.exports = reconnect;
module.exports.reconnect = reconnect;
module.exports.Reconnector = Reconnector;
module.exports.FrameTransport = FrameTransport;
