// Injected by `npm run bench -- labs` before the page's own scripts (plain JavaScript: Playwright hands it to the
// page as it is, in every frame). Marks, with performance.timeOrigin + performance.now(), where the time between the Run click and the remote video goes:
// getUserMedia, the offer and answer, each JSON-RPC request and its response, ICE and DTLS states, the remote track.
// @ts-check
(() => {
  /** @type {Array<{ what: string; at: number }>} */
  const marks = [];
  /** @type {Window & { __labPhases?: typeof marks }} */ (window).__labPhases = marks;
  /** @param {string} what */
  // Absolute times (ms since the epoch): the lab's page is an iframe with a clock of its own.
  const mark = (what) => marks.push({ what, at: performance.timeOrigin + performance.now() });

  // The site's side of the click: the live runtime configuration (TURN credentials).
  const nativeFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const runtime = url.includes('labs-runtime.json');
    if (runtime) mark('runtime configuration requested');
    const response = await nativeFetch(input, init);
    if (runtime) mark('runtime configuration received');
    return response;
  };

  const devices = navigator.mediaDevices;
  if (devices && devices.getUserMedia) {
    const getUserMedia = devices.getUserMedia.bind(devices);
    /** @param {MediaStreamConstraints} [constraints] */
    devices.getUserMedia = async (constraints) => {
      mark('getUserMedia called');
      const stream = await getUserMedia(constraints);
      mark('getUserMedia resolved');
      return stream;
    };
  }

  const NativePeerConnection = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends NativePeerConnection {
    /** @param {ConstructorParameters<typeof RTCPeerConnection>} args */
    constructor(...args) {
      super(...args);
      mark('RTCPeerConnection created');
      this.addEventListener('iceconnectionstatechange', () => mark(`ice ${this.iceConnectionState}`));
      this.addEventListener('connectionstatechange', () => mark(`connection ${this.connectionState}`));
      this.addEventListener('track', (event) => mark(`track ${event.track.kind}`));
      // have-local-offer: the offer is set; stable again: the answer is.
      this.addEventListener('signalingstatechange', () => mark(`signaling ${this.signalingState}`));
    }
  };

  const NativeWebSocket = window.WebSocket;
  /** @type {Map<unknown, string>} */
  const pending = new Map();
  window.WebSocket = class extends NativeWebSocket {
    /** @param {ConstructorParameters<typeof WebSocket>} args */
    constructor(...args) {
      super(...args);
      mark('WebSocket created');
      this.addEventListener('open', () => mark('WebSocket open'));
      this.addEventListener('message', (event) => {
        try {
          const message = JSON.parse(event.data);
          if (message.id !== undefined && pending.has(message.id)) {
            mark(`← ${pending.get(message.id)}`);
            pending.delete(message.id);
          } else if (message.method === 'onEvent') {
            const value = message.params && message.params.value;
            const data = value && value.data;
            mark(`event ${value && value.type}${data && data.state ? ` ${data.state}` : ''}${data && data.mediaType ? ` ${data.mediaType}` : ''}`);
          }
        } catch {
          // not JSON: not ours to mark
        }
      });
    }
    /**
     * @override
     * @param {Parameters<WebSocket['send']>[0]} data
     */
    send(data) {
      try {
        const message = typeof data === 'string' ? JSON.parse(data) : {};
        if (message.method) {
          const params = message.params || {};
          const name = message.method === 'invoke' ? `invoke ${params.operation}` : message.method === 'create' ? `create ${params.type}` : message.method;
          if (message.id !== undefined) pending.set(message.id, name);
          mark(`→ ${name}`);
        }
      } catch {
        // not JSON
      }
      return super.send(data);
    }
  };
})();
