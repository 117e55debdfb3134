/*
 * Typings for the npm package kurento-utils 7.3.0 (browser side), after node_modules/kurento-utils/lib/WebRtcPeer.js.
 *
 *   import kurentoUtils from 'kurento-utils';
 *   const peer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv(options, function (error) { this.generateOffer(onOffer) });
 *
 * 7.3.0 exports only `WebRtcPeer` (an object holding the three peer constructors, `bufferizeCandidates` and `hark`);
 * there is no `withErrors` and the base WebRtcPeer constructor is not exported.
 */
declare module 'kurento-utils' {
  namespace kurentoUtils {
    /** Error values handed to the callbacks: DOMExceptions/Errors from WebRTC, or a message string. */
    type WebRtcPeerError = Error | string;

    /** Called once the peer is ready (local media obtained and added) or failed; `this` is the peer. */
    type WebRtcPeerCallback = (this: WebRtcPeer, error?: WebRtcPeerError) => void;

    /** Data channel created by the peer when `dataChannels` is true. */
    interface DataChannelConfig {
      /** Label of the channel. Default: `WebRtcPeer-<peer id>`. */
      id?: string;
      options?: RTCDataChannelInit;
      onopen?: RTCDataChannel['onopen'];
      onclose?: RTCDataChannel['onclose'];
      onmessage?: RTCDataChannel['onmessage'];
      onbufferedamountlow?: RTCDataChannel['onbufferedamountlow'];
      onerror?: RTCDataChannel['onerror'];
    }

    interface WebRtcPeerOptions {
      /** Shows the local stream (muted). */
      localVideo?: HTMLVideoElement;
      /** Shows the remote stream once the answer/offer is processed. */
      remoteVideo?: HTMLVideoElement;
      /** Stream to send instead of calling getUserMedia (video, or audio+video). */
      videoStream?: MediaStream;
      /** Additional stream to send (typically audio). */
      audioStream?: MediaStream;
      /** getUserMedia constraints. Default: `{ audio: true, video: { width: 640, framerate: 15 } }`. */
      mediaConstraints?: MediaStreamConstraints;
      /** Use this RTCPeerConnection instead of creating one. */
      peerConnection?: RTCPeerConnection;
      /** 'webcam' (default), or a screen-sharing source (needs kurento-browser-extensions, a no-op in 7.3). */
      sendSource?: 'webcam' | 'screen' | 'window' | (string & {});
      /** Create a data channel on the peer connection. Default: false. */
      dataChannels?: boolean;
      dataChannelConfig?: DataChannelConfig;
      /** Id of the peer. Default: a random UUID. */
      id?: string;
      /** RTCPeerConnection configuration, merged over `{ iceServers: freeice() }` (public STUN servers). */
      configuration?: RTCConfiguration;
      /** Listener for the 'icecandidate' event (local candidates to send to the media server). */
      onicecandidate?: (candidate: RTCIceCandidate) => void;
      /** Listener for the 'candidategatheringdone' event. */
      oncandidategatheringdone?: () => void;
      /** Assigned to `peerConnection.onaddstream` (legacy event). */
      onaddstream?: ((event: Event & { stream?: MediaStream }) => void) | null;
      /** Assigned to `peerConnection.onnegotiationneeded`. */
      onnegotiationneeded?: RTCPeerConnection['onnegotiationneeded'];
      /** Add Chrome simulcast SSRC lines to the local description. */
      simulcast?: boolean;
      /** Translate Plan B / Unified Plan SDP (Chrome Plan B only). */
      multistream?: boolean;
    }

    /** Called with the local SDP offer; `processAnswer` is the peer's, already bound. */
    type GenerateOfferCallback = (
      this: WebRtcPeer,
      error: WebRtcPeerError | null,
      sdpOffer: string,
      processAnswer: (sdpAnswer: string, callback?: ProcessAnswerCallback) => void,
    ) => void;

    /** Called with the local SDP answer. */
    type ProcessOfferCallback = (this: WebRtcPeer, error: WebRtcPeerError | null, sdpAnswer: string) => void;

    /** Called without arguments once the remote description is set, or with the error. */
    type ProcessAnswerCallback = (this: WebRtcPeer, error?: WebRtcPeerError) => void;

    /** Events of a peer, with their listener arguments. */
    interface WebRtcPeerEvents {
      /** A local ICE candidate, to be sent to the media server (`addIceCandidate` there). */
      icecandidate: [candidate: RTCIceCandidate];
      /** All local candidates have been emitted. */
      candidategatheringdone: [];
    }

    /** A wrapper around RTCPeerConnection (what the WebRtcPeerSendrecv/Sendonly/Recvonly constructors return). */
    interface WebRtcPeer {
      readonly id: string;
      readonly peerConnection: RTCPeerConnection;
      readonly localVideo: HTMLVideoElement | undefined;
      readonly remoteVideo: HTMLVideoElement | undefined;
      /** The data channel, when created with `dataChannels: true`. */
      readonly dataChannel: RTCDataChannel | undefined;
      /** A canvas with the current remote video frame; undefined without remoteVideo; throws before data arrives. */
      readonly currentFrame: HTMLCanvasElement | undefined;
      /** Whether all local tracks are enabled (undefined without local streams); setting it mutes/unmutes them. */
      get enabled(): boolean | undefined;
      set enabled(value: boolean);
      get audioEnabled(): boolean | undefined;
      set audioEnabled(value: boolean);
      get videoEnabled(): boolean | undefined;
      set videoEnabled(value: boolean);

      /** Creates the SDP offer and sets it as local description. */
      generateOffer(callback: GenerateOfferCallback): void;
      /** Sets a remote SDP offer and creates the SDP answer. */
      processOffer(sdpOffer: string, callback: ProcessOfferCallback): void;
      /** Sets the remote SDP answer (the media server's `processOffer` result). */
      processAnswer(sdpAnswer: string, callback?: ProcessAnswerCallback): void;
      /**
       * Adds a remote candidate (e.g. the `candidate` of an IceCandidateFound event); queued until the signaling
       * state is stable. The callback gets no argument on success.
       */
      addIceCandidate(iceCandidate: RTCIceCandidateInit, callback?: (this: WebRtcPeer, error?: Error) => void): void;
      getLocalSessionDescriptor(): RTCSessionDescription | null;
      getRemoteSessionDescriptor(): RTCSessionDescription | null;
      getLocalStream(index?: number): MediaStream | undefined;
      getRemoteStream(index?: number): MediaStream | undefined;
      /** Attaches the local stream to `localVideo` (muted). */
      showLocalVideo(): void;
      /** Sends over the data channel (logs a warning if it is not open). */
      send(data: string | Blob | ArrayBuffer | ArrayBufferView): void;
      /** Closes the data channel and the peer connection, stops local tracks, detaches videos, drops listeners. */
      dispose(): void;

      on<E extends keyof WebRtcPeerEvents>(event: E, listener: (...args: WebRtcPeerEvents[E]) => void): this;
      once<E extends keyof WebRtcPeerEvents>(event: E, listener: (...args: WebRtcPeerEvents[E]) => void): this;
      addListener<E extends keyof WebRtcPeerEvents>(event: E, listener: (...args: WebRtcPeerEvents[E]) => void): this;
      off<E extends keyof WebRtcPeerEvents>(event: E, listener: (...args: WebRtcPeerEvents[E]) => void): this;
      removeListener<E extends keyof WebRtcPeerEvents>(
        event: E,
        listener: (...args: WebRtcPeerEvents[E]) => void,
      ): this;
      removeAllListeners(event?: keyof WebRtcPeerEvents): this;
      listenerCount(event: keyof WebRtcPeerEvents): number;
    }

    /** WebRtcPeerSendrecv, WebRtcPeerSendonly, WebRtcPeerRecvonly: callable with or without `new`. */
    interface WebRtcPeerConstructor {
      new (options?: WebRtcPeerOptions, callback?: WebRtcPeerCallback): WebRtcPeer;
      new (callback: WebRtcPeerCallback): WebRtcPeer;
      (options?: WebRtcPeerOptions, callback?: WebRtcPeerCallback): WebRtcPeer;
      (callback: WebRtcPeerCallback): WebRtcPeer;
    }

    /** Options of `hark` (speech detection, the hark package). */
    interface HarkOptions {
      smoothing?: number;
      /** Polling interval in ms. Default: 50. */
      interval?: number;
      /** Volume threshold in dB. Default: -50. */
      threshold?: number;
      /** Play the audio through the speakers (default for media elements). */
      play?: boolean;
      history?: number;
      audioContext?: AudioContext;
    }

    interface HarkEvents {
      speaking: [];
      stopped_speaking: [];
      volume_change: [volume: number, threshold: number];
      state_change: [state: AudioContextState];
    }

    /** Speech detector returned by `hark()`. */
    interface Harker {
      speaking: boolean;
      speakingHistory: number[];
      suspend(): Promise<void>;
      resume(): Promise<void>;
      setThreshold(threshold: number): void;
      setInterval(interval: number): void;
      stop(): void;
      on<E extends keyof HarkEvents>(event: E, listener: (...args: HarkEvents[E]) => void): this;
      once<E extends keyof HarkEvents>(event: E, listener: (...args: HarkEvents[E]) => void): this;
      off<E extends keyof HarkEvents>(event: E, listener?: (...args: HarkEvents[E]) => void): this;
    }

    /** Adds candidates to `pc` once its signaling state is stable (what WebRtcPeer uses internally). */
    type CandidateBuffer = (candidate: RTCIceCandidate, callback?: (error?: unknown) => void) => void;

    /** The `WebRtcPeer` export of kurento-utils. The peers are of type `kurentoUtils.WebRtcPeer`. */
    namespace WebRtcPeer {
      /** A peer that sends and receives media (asks for the camera/microphone unless streams are given). */
      const WebRtcPeerSendrecv: WebRtcPeerConstructor;
      /** A peer that only sends media. */
      const WebRtcPeerSendonly: WebRtcPeerConstructor;
      /** A peer that only receives media (no getUserMedia). */
      const WebRtcPeerRecvonly: WebRtcPeerConstructor;
      type WebRtcPeerSendrecv = WebRtcPeer;
      type WebRtcPeerSendonly = WebRtcPeer;
      type WebRtcPeerRecvonly = WebRtcPeer;

      function bufferizeCandidates(pc: RTCPeerConnection, onerror?: (error: unknown) => void): CandidateBuffer;
      /** Speech detection on a stream or a media element. */
      function hark(stream: MediaStream | HTMLAudioElement | HTMLVideoElement, options?: HarkOptions): Harker;
    }
  }

  export = kurentoUtils;
}
