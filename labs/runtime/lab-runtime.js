/*
 * Kurento Labs page runtime: the few helpers a lab's program calls besides kurento-client and kurento-utils.
 * The same file runs in the lab's page on the site and in every app exported from a lab, so a program behaves the
 * same in both. A classic script: it defines globals, as the tutorials' pages do.
 *
 *   onError(error)           report an error (the lab shows it with an explanation; an exported app logs it)
 *   addVideo(id, label, o)   add a <video> tile to the page and return it
 *   testSource(options)      a synthetic camera: a canvas of one colour with a label, and a tone
 *   imageSource(options)     a camera that shows a picture (a face, a QR code) for the filter labs
 *   runSteps(steps)          (exported apps) load the step scripts one by one, each when the previous one is done
 */

/**
 * @typedef {{ reportError(error: unknown): void }} LabHostHook  What the site's lab page provides.
 */

/** @returns {LabHostHook | undefined} */
function kurentoLabsHost() {
  return /** @type {{ __kurentoLabsHost?: LabHostHook }} */ (/** @type {unknown} */ (window)).__kurentoLabsHost;
}

/**
 * Shows a line in the page's status area (and in the console).
 * @param {string} text
 * @param {boolean} [isError]
 */
function showStatus(text, isError) {
  var status = document.getElementById('status');
  if (status) {
    var line = document.createElement('div');
    line.textContent = text;
    if (isError) line.className = 'error';
    status.appendChild(line);
  }
  if (isError) console.error(text);
  else console.log(text);
}

/**
 * What the tutorials call for every error a callback receives: the lab explains it where it happened (with the KMS
 * error code and what to do), an exported app shows it in the page.
 * @param {unknown} error
 */
function onError(error) {
  if (!error) return;
  var host = kurentoLabsHost();
  if (host) host.reportError(error);
  var record = /** @type {{ message?: unknown, code?: unknown }} */ (typeof error === 'object' ? error : {});
  var message = record.message !== undefined ? String(record.message) : String(error);
  showStatus('Error' + (typeof record.code === 'number' ? ' ' + record.code : '') + ': ' + message, true);
}

/**
 * Adds a labelled video tile to the page (#videos) and returns the <video>. An existing one with this id is reused.
 * @param {string} id
 * @param {string} label
 * @param {{ muted?: boolean }} [options]
 * @returns {HTMLVideoElement}
 */
function addVideo(id, label, options) {
  var existing = document.getElementById(id);
  if (existing instanceof HTMLVideoElement) return existing;
  var figure = document.createElement('figure');
  figure.className = 'tile';
  var video = document.createElement('video');
  video.id = id;
  video.autoplay = true;
  video.playsInline = true;
  video.muted = Boolean(options && options.muted);
  var caption = document.createElement('figcaption');
  caption.textContent = label;
  figure.appendChild(video);
  figure.appendChild(caption);
  var videos = document.getElementById('videos') || document.body;
  videos.appendChild(figure);
  return video;
}

/**
 * A synthetic camera, for pages with several senders: a canvas of one colour (the centre stays that colour; a bar
 * moves along the bottom so the encoder keeps sending frames) with its label, at 30 fps, and a quiet tone.
 * @param {{ color: string, label: string, frequency?: number, width?: number, height?: number }} options
 * @returns {MediaStream}
 */
function testSource(options) {
  var width = options.width || 320;
  var height = options.height || 240;
  var canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  var context = canvas.getContext('2d');
  var frame = 0;
  function draw() {
    if (!context) return;
    context.fillStyle = options.color;
    context.fillRect(0, 0, width, height);
    context.fillStyle = 'rgba(255,255,255,0.85)';
    context.fillRect((frame * 4) % width, height - 16, 40, 12);
    context.font = '16px sans-serif';
    context.fillText(options.label, 8, 22);
    frame += 1;
  }
  draw();
  var timer = setInterval(draw, 1000 / 30);
  var stream = canvas.captureStream(30);
  var audio = new AudioContext();
  var oscillator = audio.createOscillator();
  oscillator.frequency.value = options.frequency || 440;
  var gain = audio.createGain();
  gain.gain.value = 0.05;
  var destination = audio.createMediaStreamDestination();
  oscillator.connect(gain).connect(destination);
  oscillator.start();
  destination.stream.getAudioTracks().forEach(function (track) {
    stream.addTrack(track);
  });
  var videoTrack = stream.getVideoTracks()[0];
  if (videoTrack) videoTrack.addEventListener('ended', function () {
    clearInterval(timer);
    oscillator.stop();
    void audio.close();
  });
  return stream;
}

/**
 * A camera that shows a picture: the image at `url`, fitted and centred on white, on a canvas at 30 fps (video only).
 * The filter labs use it so that KMS has a face or a QR code to look at without a webcam. A picture from another
 * origin (an exported app loads it from the Kurento Labs site) must be served with CORS, as that site serves /media/:
 * a browser does not let a page capture a canvas that shows another site's picture.
 * @param {{ url: string, width?: number, height?: number }} options
 * @returns {MediaStream}
 */
function imageSource(options) {
  var width = options.width || 640;
  var height = options.height || 480;
  var canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  var context = canvas.getContext('2d');
  var image = new Image();
  var loaded = false;
  image.crossOrigin = 'anonymous';
  image.onload = function () {
    loaded = true;
  };
  image.onerror = function () {
    onError(new Error('The picture ' + options.url + ' could not be loaded: is the site that serves it running?'));
  };
  image.src = options.url;
  function draw() {
    if (!context) return;
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    if (!loaded) return;
    var scale = Math.min(width / image.naturalWidth, height / image.naturalHeight);
    var w = image.naturalWidth * scale;
    var h = image.naturalHeight * scale;
    context.drawImage(image, (width - w) / 2, (height - h) / 2, w, h);
  }
  draw();
  // Drawn again every frame, so that the encoder keeps sending frames of a picture that does not change.
  var timer = setInterval(draw, 1000 / 30);
  var stream = canvas.captureStream(30);
  var videoTrack = stream.getVideoTracks()[0];
  if (videoTrack) videoTrack.addEventListener('ended', function () {
    clearInterval(timer);
  });
  return stream;
}

/**
 * Counts the JSON-RPC requests this page sent over any WebSocket (kurento-client's, an application server's) that
 * have no response yet, and when the last one was sent or answered. Pings are left out: kurento-client sends them on
 * its own. Patches WebSocket.prototype.send, so it sees sockets whoever created them.
 * @returns {{ pending: () => number, quietFor: () => number }}
 */
function watchRequests() {
  /** @type {Set<string>} */
  var open = new Set();
  var last = Date.now();
  /** @type {WeakSet<WebSocket>} */
  var watched = new WeakSet();
  var send = WebSocket.prototype.send;
  /** @param {unknown} data */
  function parse(data) {
    if (typeof data !== 'string') return undefined;
    try {
      var value = JSON.parse(data);
      return value && typeof value === 'object' && value.jsonrpc === '2.0' ? value : undefined;
    } catch {
      return undefined;
    }
  }
  /**
   * @this {WebSocket}
   * @param {string | ArrayBufferLike | Blob | ArrayBufferView} data
   */
  WebSocket.prototype.send = function (data) {
    if (!watched.has(this)) {
      watched.add(this);
      this.addEventListener('message', function (event) {
        var message = parse(event.data);
        if (message && message.id !== undefined && (message.result !== undefined || message.error !== undefined)) {
          if (open.delete(String(message.id))) last = Date.now();
        }
      });
      this.addEventListener('close', function () {
        open.clear();
        last = Date.now();
      });
    }
    var request = parse(data);
    if (request && request.method && request.method !== 'ping' && request.id !== undefined) {
      open.add(String(request.id));
      last = Date.now();
    }
    return send.call(this, data);
  };
  return {
    pending: function () {
      return open.size;
    },
    quietFor: function () {
      return Date.now() - last;
    },
  };
}

/**
 * Exported apps: loads each step's script in order, as the lab ran them. A step is done when the variables it sets
 * are defined (its callbacks ran) and KMS has answered every request the page sent, with nothing new for a moment;
 * the next one starts then. Each step is an ordinary script file: edit one, reload.
 * @param {Array<{ file: string, title: string, sets?: string[], timeout?: number }>} steps
 */
function runSteps(steps) {
  var QUIET_MS = 300;
  var requests = watchRequests();
  var index = 0;
  /** @param {string} name */
  function defined(name) {
    return /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (window))[name] !== undefined;
  }
  function next() {
    if (index >= steps.length) {
      showStatus('All ' + steps.length + ' steps ran.');
      return;
    }
    var current = steps[index];
    index += 1;
    if (!current) return;
    var step = current;
    showStatus(index + '/' + steps.length + ': ' + step.title);
    var script = document.createElement('script');
    script.src = step.file;
    script.onload = function () {
      var started = Date.now();
      var timeout = step.timeout || 15000;
      (function wait() {
        var missing = (step.sets || []).filter(function (name) {
          return !defined(name);
        });
        if (missing.length === 0 && requests.pending() === 0 && requests.quietFor() >= QUIET_MS) {
          next();
          return;
        }
        if (Date.now() - started > timeout) {
          var why = missing.length > 0 ? missing.join(', ') + ' still undefined' : requests.pending() + ' request(s) to KMS unanswered';
          showStatus('Step "' + step.title + '" did not finish: ' + why + '.', true);
          return;
        }
        setTimeout(wait, 25);
      })();
    };
    script.onerror = function () {
      showStatus('Could not load ' + step.file, true);
    };
    document.body.appendChild(script);
  }
  next();
}
