/*
 * Generated from KMD 7.3.0 (core 7.3.0, elements 7.3.0, filters 7.3.0) by scripts/generate-kurento-types.ts.
 * Do not edit by hand: run `npx tsx scripts/generate-kurento-types.ts` (tests/unit/kurento-typings.test.ts fails
 * when this file and the KMD disagree).
 *
 * 29 remote classes (17 creatable), 28 events, 55 complex types (22 enums, 33 registers).
 *
 * Module augmentation of the 'kurento-client' declaration in ./kurento-client.d.ts: everything below is a type of
 * that module (`import type { WebRtcEndpoint } from 'kurento-client'`).
 * - Remote calls return Promises; caveat of the 7.3 client: when no callback is given, a failed call is logged
 *   with console.trace and its Promise resolves with undefined instead of rejecting (pass a callback to see errors).
 * - Event payloads are the raw JSON sent by the server: remote objects in them are ids (strings).
 * - The KMD event `Error` has its payload typed as `MediaObjectError` (the name Error is the global one).
 */
export {};

declare module 'kurento-client' {
  // ===================================================================================================================
  // Support types

  /** Node-style callback accepted as last argument by every remote call; the call still returns its Promise. */
  type Callback<T> = (error: Error | null, result: T) => void;

  /**
   * What `create()` and `createHubPort()` return: the media object itself, usable at once, which is also thenable
   * (it resolves to the object, without `then`, when the server has created it). Note that its `catch` returns
   * nothing and there is no `finally`: chain on `then()` or use `await`.
   */
  type Thenable<T> = T & {
    then<R1 = T, R2 = never>(
      onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
      onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
    ): Promise<R1 | R2>;
    catch(onrejected?: (reason: unknown) => unknown): void;
  };

  /** Arguments after the type name of `create()`: parameters (optional when none is required), then a callback. */
  type CreateArgs<P, T> = Record<never, never> extends P
    ? [params?: P, callback?: Callback<T>] | [callback: Callback<T>]
    : [params: P, callback?: Callback<T>];

  /** Markers that the server adds to every complex value; optional on values sent by the application. */
  interface ComplexTypeMarkers {
    __module__?: string;
    __type__?: string;
  }

  /** Constructor parameters as `MediaPipeline.create()` takes them: `mediaPipeline` is filled in by the pipeline. */
  type PipelineConstructorParams<K extends keyof ConstructorParams> = Omit<ConstructorParams[K], 'mediaPipeline'> & {
    mediaPipeline?: MediaPipeline;
  };

  // ===================================================================================================================
  // Enums (22)

  /** Codec used for transmission of audio. */
  type AudioCodec = 'OPUS' | 'PCMU' | 'PCMA' | 'RAW';

  type CertificateKeyType = 'RSA' | 'ECDSA';

  /** State of the connection. */
  type ConnectionState = 'DISCONNECTED' | 'CONNECTED';

  /** Describes the encryption and authentication algorithms. */
  type CryptoSuite =
    | 'AES_128_CM_HMAC_SHA1_32' | 'AES_128_CM_HMAC_SHA1_80' | 'AES_256_CM_HMAC_SHA1_32' | 'AES_256_CM_HMAC_SHA1_80';

  /** Possible DSCP values. */
  type DSCPValue =
    | 'NO_DSCP' | 'NO_VALUE' | 'AUDIO_VERYLOW' | 'AUDIO_LOW' | 'AUDIO_MEDIUM' | 'AUDIO_HIGH' | 'VIDEO_VERYLOW'
    | 'VIDEO_LOW' | 'VIDEO_MEDIUM' | 'VIDEO_MEDIUM_THROUGHPUT' | 'VIDEO_HIGH' | 'VIDEO_HIGH_THROUGHPUT'
    | 'DATA_VERYLOW' | 'DATA_LOW' | 'DATA_MEDIUM' | 'DATA_HIGH' | 'CHROME_HIGH' | 'CHROME_MEDIUM' | 'CHROME_LOW'
    | 'CHROME_VERYLOW' | 'CS0' | 'CS1' | 'CS2' | 'CS3' | 'CS4' | 'CS5' | 'CS6' | 'CS7' | 'AF11' | 'AF12' | 'AF13'
    | 'AF21' | 'AF22' | 'AF23' | 'AF31' | 'AF32' | 'AF33' | 'AF41' | 'AF42' | 'AF43' | 'EF' | 'VOICEADMIT' | 'LE';

  /** States of a DTLS connection. */
  type DtlsConnectionState = 'NEW' | 'CLOSED' | 'FAILED' | 'CONNECTING' | 'CONNECTED';

  /** Type of filter to be created. Can take the values AUDIO, VIDEO or AUTODETECT. */
  type FilterType = 'AUDIO' | 'AUTODETECT' | 'VIDEO';

  /** How to fix gaps when they are found in the recorded stream. */
  type GapsFixMethod = 'NONE' | 'GENPTS' | 'FILL_IF_TRANSCODING';

  /** Details of gstreamer dot graphs. */
  type GstreamerDotDetails =
    | 'SHOW_MEDIA_TYPE' | 'SHOW_CAPS_DETAILS' | 'SHOW_NON_DEFAULT_PARAMS' | 'SHOW_STATES' | 'SHOW_FULL_PARAMS'
    | 'SHOW_ALL' | 'SHOW_VERBOSE';

  /** States of an ICE component. */
  type IceComponentState = 'DISCONNECTED' | 'GATHERING' | 'CONNECTING' | 'CONNECTED' | 'READY' | 'FAILED';

  /** Flowing state of the media. */
  type MediaFlowState = 'FLOWING' | 'NOT_FLOWING';

  /**
   * Media profile, used by the RecorderEndpoint builder to specify the codecs and media container that should be used
   * for the recordings.
   */
  type MediaProfileSpecType =
    | 'WEBM' | 'MKV' | 'MP4' | 'WEBM_VIDEO_ONLY' | 'WEBM_AUDIO_ONLY' | 'MKV_VIDEO_ONLY' | 'MKV_AUDIO_ONLY'
    | 'MP4_VIDEO_ONLY' | 'MP4_AUDIO_ONLY' | 'JPEG_VIDEO_ONLY' | 'KURENTO_SPLIT_RECORDER' | 'FLV';

  /** State of the media. */
  type MediaState = 'DISCONNECTED' | 'CONNECTED';

  /** Transcoding state for a media. */
  type MediaTranscodingState = 'TRANSCODING' | 'NOT_TRANSCODING';

  /** Type of media stream to be exchanged. Can take the values AUDIO, DATA or VIDEO. */
  type MediaType = 'AUDIO' | 'DATA' | 'VIDEO';

  /** Represents the state of the RTCDataChannel. */
  type RTCDataChannelState = 'connecting' | 'open' | 'closing' | 'closed';

  /** Represents the state of the checklist for the local and remote candidates in a pair. */
  type RTCStatsIceCandidatePairState = 'frozen' | 'waiting' | 'inprogress' | 'failed' | 'succeeded' | 'cancelled';

  /** Types of candidates. */
  type RTCStatsIceCandidateType = 'host' | 'serverreflexive' | 'peerreflexive' | 'relayed';

  /** Indicates if the server is a real media server or a proxy. */
  type ServerType = 'KMS' | 'KCS';

  /** The type of the object. */
  type StatsType =
    | 'inboundrtp' | 'outboundrtp' | 'session' | 'datachannel' | 'track' | 'transport' | 'candidatepair'
    | 'localcandidate' | 'remotecandidate' | 'element' | 'endpoint';

  /** State of the endpoint. */
  type UriEndpointState = 'STOP' | 'START' | 'PAUSE';

  /** Codec used for transmission of video. */
  type VideoCodec = 'H265' | 'AV1' | 'VP9' | 'VP8' | 'H264' | 'RAW';

  // ===================================================================================================================
  // Complex types (33)

  /** Format for audio media. */
  interface AudioCaps extends ComplexTypeMarkers {
    /** Audio codec. */
    codec: AudioCodec;
    /** Bitrate. */
    bitrate: number;
  }

  /** Defines specific configuration for codecs. */
  interface CodecConfiguration extends ComplexTypeMarkers {
    /** Name of the codec. Must follow this format: `encoding name/clock rate[encoding parameters]` */
    name?: string;
    /** String used for tuning codec properties. */
    properties?: Record<string, string>;
  }

  /** The DTLS connection state for a certain stream and component. */
  interface DtlsConnection extends ComplexTypeMarkers {
    /** The ID of the stream. */
    streamId: string;
    /** The ID of the component. */
    componentId: string;
    /** The ID of the underlying DTLS connection. */
    connectionId: string;
    /** The state of the component. */
    state: DtlsConnectionState;
  }

  interface ElementConnectionData extends ComplexTypeMarkers {
    /** The source element in the connection. (id of a MediaElement) */
    source: string;
    /** The sink element in the connection. (id of a MediaElement) */
    sink: string;
    /** MediaType of the connection. */
    type: MediaType;
    /** Description of source media. Could be empty. */
    sourceDescription: string;
    /** Description of sink media. Could be empty. */
    sinkDescription: string;
  }

  /** Type that represents a fraction of an integer numerator over an integer denominator. */
  interface Fraction extends ComplexTypeMarkers {
    /** the numerator of the fraction. */
    numerator: number;
    /** the denominator of the fraction. */
    denominator: number;
  }

  /** IceCandidate representation based on `RTCIceCandidate` interface. `@see` ice candidate interface. */
  interface IceCandidate extends ComplexTypeMarkers {
    /** The candidate-attribute as defined in section 15.1 of ICE (rfc5245). */
    candidate: string;
    /** If present, this contains the identifier of the 'media stream identification'. */
    sdpMid: string;
    /** The index (starting at zero) of the m-line in the SDP this candidate is associated with. */
    sdpMLineIndex: number;
  }

  /** The ICE candidate pair used by the ICE library, for a certain stream. */
  interface IceCandidatePair extends ComplexTypeMarkers {
    /** Stream ID of the ICE connection. */
    streamId: string;
    /** Component ID of the ICE connection. */
    componentId: number;
    /** The local candidate used by the ICE library. */
    localCandidate: string;
    /** The remote candidate used by the ICE library. */
    remoteCandidate: string;
  }

  /** The ICE connection state for a certain stream and component. */
  interface IceConnection extends ComplexTypeMarkers {
    /** The ID of the stream. */
    streamId: string;
    /** The ID of the component. */
    componentId: number;
    /** The state of the component. */
    state: IceComponentState;
  }

  /** A dictionary that represents the stats gathered. */
  interface MediaLatencyStat extends ComplexTypeMarkers {
    /** The identifier of the media stream. */
    name: string;
    /** Type of media stream. */
    type: MediaType;
    /** The average time that buffers take to get on the input pad of this element. */
    avg: number;
  }

  /** Description of a loaded modules. */
  interface ModuleInfo extends ComplexTypeMarkers {
    /** Module version. */
    version: string;
    /** Module name. */
    name: string;
    /** Time that this module was generated. */
    generationTime: string;
    /** Module available factories. */
    factories: string[];
  }

  /** Used to customize the offer created by `SdpEndpoint.generateOffer`. */
  interface OfferOptions extends ComplexTypeMarkers {
    /**
     * Whether or not to offer to the remote peer the opportunity to send audio.
     * @defaultValue `true`
     */
    offerToReceiveAudio?: boolean;
    /**
     * Whether or not to offer to the remote peer the opportunity to send video.
     * @defaultValue `true`
     */
    offerToReceiveVideo?: boolean;
  }

  /** Defines values for parameters of congestion control. */
  interface RembParams extends ComplexTypeMarkers {
    /**
     * Size of the RTP packets history to smooth fraction-lost. Units: num of packets.
     * @defaultValue `100`
     */
    packetsRecvIntervalTop?: number;
    /**
     * Factor used to increase exponentially the next REMB when it is below the threshold. REMB[i+1] = REMB[i] * (1 +
     * exponentialFactor)
     * @defaultValue `0.04`
     */
    exponentialFactor?: number;
    /**
     * Set the min of the factor used to increase linearly the next REMB when it is over the threshold. Units: bps
     * (bits per second). REMB[i+1] = REMB[i] + MIN (linealFactorMin, linealFactor)
     */
    linealFactorMin?: number;
    /**
     * Determine the value of the next linearFactor based on the threshold and the current REMB. Taking into account
     * that the frequency of updating is 500ms, the default value makes that the last REMB is reached in 60secs.
     * linealFactor = (REMB - TH) / linealFactorGrade.
     * @defaultValue `30`
     */
    linealFactorGrade?: number;
    /**
     * Determine how much is decreased the current REMB when too losses are detected. REMB[i+1] = REMB[i] *
     * decrementFactor.
     * @defaultValue `0.5`
     */
    decrementFactor?: number;
    /**
     * Determine the next threshold (TH) when too losses are detected. TH[i+1] = REMB[i] * thresholdFactor.
     * @defaultValue `0.8`
     */
    thresholdFactor?: number;
    /**
     * Max fraction-lost to no determine too losses. This value is the denominator of the fraction N/256, so the
     * default value is about 4% of losses (12/256)
     * @defaultValue `12`
     */
    upLosses?: number;
    /**
     * Initial local REMB bandwidth estimation that gets propagated when a new endpoint is connected.
     * @defaultValue `300000`
     */
    rembOnConnect?: number;
  }

  /** Security Descriptions for Media Streams. */
  interface SDES extends ComplexTypeMarkers {
    /** Master key and salt (plain text) */
    key?: string;
    /** Master key and salt (base64 encoded) */
    keyBase64?: string;
    /** Selects the cryptographic suite to be used. For available values, please see the CryptoSuite enum. */
    crypto?: CryptoSuite;
  }

  /** Description of the media server. */
  interface ServerInfo extends ComplexTypeMarkers {
    /** MediaServer version. */
    version: string;
    /** Descriptor of all modules loaded by the server. */
    modules: ModuleInfo[];
    /** Describes the type of media server. */
    type: ServerType;
    /** Describes the capabilities that this server supports. */
    capabilities: string[];
  }

  /** A dictionary that represents the stats gathered. */
  interface Stats extends ComplexTypeMarkers {
    /** A unique id that is associated with the object that was inspected to produce this Stats object. */
    id: string;
    /** The type of this object. */
    type: StatsType;
    /** The timestamp associated with this event: Milliseconds elapsed since the UNIX Epoch (Jan 1, 1970, UTC). */
    timestampMillis: number;
  }

  /** A dictionary that represents the stats gathered in the media element. */
  interface ElementStats extends Stats {
    /** The average time that buffers take to get on the input pads of this element in nano seconds. */
    inputLatency: MediaLatencyStat[];
  }

  /** A dictionary that represents the stats gathered in the endpoint element. */
  interface EndpointStats extends ElementStats {
    /** The average end to end latency for each media stream measured in nano seconds. */
    E2ELatency: MediaLatencyStat[];
  }

  /** An RTCStats dictionary represents the stats gathered. */
  type RTCStats = Stats;

  interface RTCCertificateStats extends RTCStats {
    /** Only use the fingerprint value as defined in Section 5 of [RFC4572]. */
    fingerprint: string;
    /** For instance, 'sha-256'. */
    fingerprintAlgorithm: string;
    /** For example, DER-encoded, base-64 representation of a certificate. */
    base64Certificate: string;
    issuerCertificateId: string;
  }

  /** RTC codec statistics. */
  interface RTCCodec extends RTCStats {
    /** Payload type as used in RTP encoding. */
    payloadType: number;
    /** e.g., video/vp8 or equivalent. */
    codec: string;
    /** Represents the media sampling rate. */
    clockRate: number;
    /** Use 2 for stereo, missing for most other cases. */
    channels: number;
    /** From the SDP description line. */
    parameters: string;
  }

  /** Statistics related to RTC data channels. */
  interface RTCDataChannelStats extends RTCStats {
    /** The RTCDatachannel label. */
    label: string;
    /** The protocol used. */
    protocol: string;
    /** The RTCDatachannel identifier. */
    datachannelid: number;
    /** The state of the RTCDatachannel. */
    state: RTCDataChannelState;
    /** Represents the total number of API 'message' events sent. */
    messagesSent: number;
    /**
     * Represents the total number of payload bytes sent on this RTCDatachannel, i.e., not including headers or
     * padding.
     */
    bytesSent: number;
    /** Represents the total number of API 'message' events received. */
    messagesReceived: number;
    /**
     * Represents the total number of bytes received on this RTCDatachannel, i.e., not including headers or padding.
     */
    bytesReceived: number;
  }

  interface RTCIceCandidateAttributes extends RTCStats {
    /**
     * It is the IP address of the candidate, allowing for IPv4 addresses, IPv6 addresses, and fully qualified domain
     * names (FQDNs).
     */
    ipAddress: string;
    /** It is the port number of the candidate. */
    portNumber: number;
    /**
     * Valid values for transport is one of udp and tcp. Based on the 'transport' defined in [RFC5245] section 15.1.
     */
    transport: string;
    /** The enumeration RTCStatsIceCandidateType is based on the cand-type defined in [RFC5245] section 15.1. */
    candidateType: RTCStatsIceCandidateType;
    /** Represents the priority of the candidate. */
    priority: number;
    /** The URL of the TURN or STUN server indicated in the RTCIceServers that translated this IP address. */
    addressSourceUrl: string;
  }

  interface RTCIceCandidatePairStats extends RTCStats {
    /**
     * It is a unique identifier that is associated to the object that was inspected to produce the RTCTransportStats
     * associated with this candidate pair.
     */
    transportId: string;
    /**
     * It is a unique identifier that is associated to the object that was inspected to produce the
     * RTCIceCandidateAttributes for the local candidate associated with this candidate pair.
     */
    localCandidateId: string;
    /**
     * It is a unique identifier that is associated to the object that was inspected to produce the
     * RTCIceCandidateAttributes for the remote candidate associated with this candidate pair.
     */
    remoteCandidateId: string;
    /** Represents the state of the checklist for the local and remote candidates in a pair. */
    state: RTCStatsIceCandidatePairState;
    /** Calculated from candidate priorities as defined in [RFC5245] section 5.7.2. */
    priority: number;
    /** Related to updating the nominated flag described in Section 7.1.3.2.4 of [RFC5245]. */
    nominated: boolean;
    /** Has gotten ACK to an ICE request. */
    writable: boolean;
    /** Has gotten a valid incoming ICE request. */
    readable: boolean;
    /**
     * Represents the total number of payload bytes sent on this candidate pair, i.e., not including headers or
     * padding.
     */
    bytesSent: number;
    /**
     * Represents the total number of payload bytes received on this candidate pair, i.e., not including headers or
     * padding.
     */
    bytesReceived: number;
    /** Represents the RTT computed by the STUN connectivity checks. */
    roundTripTime: number;
    /**
     * Measured in Bits per second, and is implementation dependent. It may be calculated by the underlying congestion
     * control.
     */
    availableOutgoingBitrate: number;
    /**
     * Measured in Bits per second, and is implementation dependent. It may be calculated by the underlying congestion
     * control.
     */
    availableIncomingBitrate: number;
  }

  /** Statistics related to the media stream. */
  interface RTCMediaStreamStats extends RTCStats {
    /** Stream identifier. */
    streamIdentifier: string;
    /** This is the id of the stats object, not the track.id. */
    trackIds: string[];
  }

  /** Statistics related to the media stream. */
  interface RTCMediaStreamTrackStats extends RTCStats {
    /** Represents the track.id property. */
    trackIdentifier: string;
    /** true indicates that this is a remote source. false in other case. */
    remoteSource: boolean;
    /** Synchronized sources. */
    ssrcIds: string[];
    /** Only makes sense for video media streams and represents the width of the video frame for this SSRC. */
    frameWidth: number;
    /** Only makes sense for video media streams and represents the height of the video frame for this SSRC. */
    frameHeight: number;
    /** Only valid for video. It represents the nominal FPS value. */
    framesPerSecond: number;
    /** Only valid for video. It represents the total number of frames sent for this SSRC. */
    framesSent: number;
    /**
     * Only valid for video and when remoteSource is set to true. It represents the total number of frames received
     * for this SSRC.
     */
    framesReceived: number;
    /** Only valid for video. It represents the total number of frames correctly decoded for this SSRC. */
    framesDecoded: number;
    /**
     * Only valid for video. The total number of frames dropped pre-decoding or dropped because the frame missed its
     * display deadline.
     */
    framesDropped: number;
    /** Only valid for video. The total number of corrupted frames that have been detected. */
    framesCorrupted: number;
    /** Only valid for audio, and the value is between 0..1 (linear), where 1.0 represents 0 dBov. */
    audioLevel: number;
    /**
     * Only present on audio tracks sourced from a microphone where echo cancellation is applied. Calculated in
     * decibels.
     */
    echoReturnLoss: number;
    /** Only present on audio tracks sourced from a microphone where echo cancellation is applied. */
    echoReturnLossEnhancement: number;
  }

  /** Statistics related to the peer connection. */
  interface RTCPeerConnectionStats extends RTCStats {
    /** Represents the number of unique datachannels opened. */
    dataChannelsOpened: number;
    /** Represents the number of unique datachannels closed. */
    dataChannelsClosed: number;
  }

  /** Statistics for the RTP stream. */
  interface RTCRTPStreamStats extends RTCStats {
    /** The synchronized source SSRC. */
    ssrc: string;
    /**
     * The associateStatsId is used for looking up the corresponding (local/remote) RTCStats object for a given SSRC.
     */
    associateStatsId: string;
    /**
     * false indicates that the statistics are measured locally, while true indicates that the measurements were done
     * at the remote endpoint and reported in an RTCP RR/XR.
     */
    isRemote: boolean;
    /** Track identifier. */
    mediaTrackId: string;
    /**
     * It is a unique identifier that is associated to the object that was inspected to produce the RTCTransportStats
     * associated with this RTP stream.
     */
    transportId: string;
    /** The codec identifier. */
    codecId: string;
    /**
     * Count the total number of Full Intra Request (FIR) packets received by the sender. This metric is only valid
     * for video and is sent by receiver.
     */
    firCount: number;
    /**
     * Count the total number of Packet Loss Indication (PLI) packets received by the sender and is sent by receiver.
     */
    pliCount: number;
    /**
     * Count the total number of Negative ACKnowledgement (NACK) packets received by the sender and is sent by
     * receiver.
     */
    nackCount: number;
    /**
     * Count the total number of Slice Loss Indication (SLI) packets received by the sender. This metric is only valid
     * for video and is sent by receiver.
     */
    sliCount: number;
    /** The Receiver Estimated Maximum Bitrate (REMB). This metric is only valid for video. */
    remb: number;
    /** Total number of RTP packets lost for this SSRC. */
    packetsLost: number;
    /** The fraction packet loss reported for this SSRC. */
    fractionLost: number;
  }

  /** Statistics that represents the measurement metrics for the incoming media stream. */
  interface RTCInboundRTPStreamStats extends RTCRTPStreamStats {
    /** Total number of RTP packets received for this SSRC. */
    packetsReceived: number;
    /** Total number of bytes received for this SSRC. */
    bytesReceived: number;
    /** Packet Jitter measured in seconds for this SSRC. */
    jitter: number;
  }

  /** Statistics that represents the measurement metrics for the outgoing media stream. */
  interface RTCOutboundRTPStreamStats extends RTCRTPStreamStats {
    /** Total number of RTP packets sent for this SSRC. */
    packetsSent: number;
    /** Total number of bytes sent for this SSRC. */
    bytesSent: number;
    /** Presently configured bitrate target of this SSRC, in bits per second. */
    targetBitrate: number;
    /** Estimated round trip time (seconds) for this SSRC based on the RTCP timestamp. */
    roundTripTime: number;
  }

  /** Statistics related to RTC data channels. */
  interface RTCTransportStats extends RTCStats {
    /**
     * Represents the total number of payload bytes sent on this PeerConnection, i.e., not including headers or
     * padding.
     */
    bytesSent: number;
    /**
     * Represents the total number of bytes received on this PeerConnection, i.e., not including headers or padding.
     */
    bytesReceived: number;
    /**
     * If RTP and RTCP are not multiplexed, this is the id of the transport that gives stats for the RTCP component,
     * and this record has only the RTP component stats.
     */
    rtcpTransportStatsId: string;
    /** Set to true when transport is active. */
    activeConnection: boolean;
    /**
     * It is a unique identifier that is associated to the object that was inspected to produce the
     * RTCIceCandidatePairStats associated with this transport.
     */
    selectedCandidatePairId: string;
    /** For components where DTLS is negotiated, give local certificate. */
    localCertificateId: string;
    /** For components where DTLS is negotiated, give remote certificate. */
    remoteCertificateId: string;
  }

  /** Pair key-value with info about a MediaObject. */
  interface Tag extends ComplexTypeMarkers {
    /** Tag key. */
    key: string;
    /** Tag Value. */
    value: string;
  }

  /** Format for video media. */
  interface VideoCaps extends ComplexTypeMarkers {
    /** Video codec. */
    codec: VideoCodec;
    /** Framerate. */
    framerate: Fraction;
  }

  interface VideoInfo extends ComplexTypeMarkers {
    /** Seek is possible in video source. */
    isSeekable: boolean;
    /** First video position to do seek in ms. */
    seekableInit: number;
    /** Last video position to do seek in ms. */
    seekableEnd: number;
    /** Video duration in ms. */
    duration: number;
  }

  // ===================================================================================================================
  // Event payloads (28)

  interface RaiseBase {
    /** Object that raised the event. (id of a MediaObject) */
    source: string;
    /** The timestamp associated with this event: Milliseconds elapsed since the UNIX Epoch (Jan 1, 1970, UTC). */
    timestampMillis: string;
    tags: Tag[];
  }

  /**
   * Fired whenever an undefined error related to the MediaObject has occurred.
   *
   * Payload of the `Error` event.
   */
  interface MediaObjectError extends RaiseBase {
    /** Textual description of the error. */
    description: string;
    /** Server side integer error code. */
    errorCode: number;
    /** Integer code as a String. */
    type: string;
  }

  /** Base for all events raised by elements in the Kurento media server. */
  interface Media extends RaiseBase {
    /** Type of event that was raised. */
    type: string;
  }

  /** Event raised by a ZBarFilter when a code is found in the data being streamed. */
  interface CodeFound extends Media {
    /** Name of the event. */
    type: 'CodeFound';
    /** type of QR code found. */
    codeType: string;
    /** value contained in the QR code. */
    value: string;
  }

  /**
   * This event is raised when the connection between two peers changes. It contains the old and the new state.
   * Possible values are.
   */
  interface ConnectionStateChanged extends Media {
    /** Name of the event. */
    type: 'ConnectionStateChanged';
    /** The previous state. */
    oldState: ConnectionState;
    /** The new state. */
    newState: ConnectionState;
  }

  /** Event fired when a data channel is closed. */
  interface DataChannelClosed extends Media {
    /** Name of the event. */
    type: 'DataChannelClosed';
    /** The channel identifier. */
    channelId: number;
  }

  /** Event fired when a new data channel is created. */
  interface DataChannelOpened extends Media {
    /** Name of the event. */
    type: 'DataChannelOpened';
    /** The channel identifier. */
    channelId: number;
  }

  /**
   * Event fired when and ICE component DTLS connection state changes. See DtlsComponentState for a list of possible
   * states.
   */
  interface DtlsConnectionStateChange extends Media {
    /** Name of the event. */
    type: 'DtlsConnectionStateChange';
    /** The ID of the stream. */
    streamId: string;
    /** The ID of the component. */
    componentId: string;
    /** ID of the underlying DTLS connection. */
    connectionId: string;
    /** The state of the component. */
    state: DtlsConnectionState;
  }

  /** Indicates that an element has been connected to another. */
  interface ElementConnected extends Media {
    /** Name of the event. */
    type: 'ElementConnected';
    /** sink element in new connection. (id of a MediaElement) */
    sink: string;
    /** Media type of the connection. */
    mediaType: MediaType;
    /** Description of the source media. */
    sourceMediaDescription: string;
    /** Description of the sink media. */
    sinkMediaDescription: string;
  }

  /** Indicates that an element has been disconnected from another. */
  interface ElementDisconnected extends Media {
    /** Name of the event. */
    type: 'ElementDisconnected';
    /** sink element in previous connection. (id of a MediaElement) */
    sink: string;
    /** Media type of the previous connection. */
    mediaType: MediaType;
    /** Description of the source media. */
    sourceMediaDescription: string;
    /** Description of the sink media. */
    sinkMediaDescription: string;
  }

  /** Event raised when the stream that the element sends out is finished. */
  interface EndOfStream extends Media {
    /** Name of the event. */
    type: 'EndOfStream';
  }

  /**
   * Notifies a new local candidate. These candidates should be sent to the remote peer, to complete the ICE
   * negotiation process.
   */
  interface IceCandidateFound extends Media {
    /** Name of the event. */
    type: 'IceCandidateFound';
    /** New local candidate. */
    candidate: IceCandidate;
  }

  /** Event fired when and ICE component state changes. See IceComponentState for a list of possible states. */
  interface IceComponentStateChanged extends Media {
    /** Name of the event. */
    type: 'IceComponentStateChanged';
    /** The ID of the stream. */
    streamId: number;
    /** The ID of the component. */
    componentId: number;
    /** The state of the component. */
    state: IceComponentState;
  }

  /** Event fired when al ICE candidates have been gathered. */
  interface IceGatheringDone extends Media {
    /** Name of the event. */
    type: 'IceGatheringDone';
  }

  /** Fired when the incoming media flow begins or ends. The event contains: */
  interface MediaFlowInStateChanged extends Media {
    /** Name of the event. */
    type: 'MediaFlowInStateChanged';
    /** Current media state. */
    state: MediaFlowState;
    /** Name of the pad which has media. */
    padName: string;
    /** Type of media that is flowing. */
    mediaType: MediaType;
  }

  /** Fired when the outgoing media flow begins or ends. The event contains: */
  interface MediaFlowOutStateChanged extends Media {
    /** Name of the event. */
    type: 'MediaFlowOutStateChanged';
    /** Current media state. */
    state: MediaFlowState;
    /** Name of the pad which has media. */
    padName: string;
    /** Type of media that is flowing. */
    mediaType: MediaType;
  }

  /**
   * Event raised when the endpoint has successfully finished the signaling stage, and is ready for establishing a
   * connection.
   */
  interface MediaSessionStarted extends Media {
    /** Name of the event. */
    type: 'MediaSessionStarted';
  }

  /** Event raised when the endpoint has finished its operation and the connection has been tore down. */
  interface MediaSessionTerminated extends Media {
    /** Name of the event. */
    type: 'MediaSessionTerminated';
  }

  /**
   * This event is fired when the media connection between two peers changes, based on the RTCP packet flow. It
   * contains the old and the new state. Possible values are.
   */
  interface MediaStateChanged extends Media {
    /** Name of the event. */
    type: 'MediaStateChanged';
    /** The previous state. */
    oldState: MediaState;
    /** The new state. */
    newState: MediaState;
  }

  /** Event fired when an incoming media begins and codec transcoding is either required or not. */
  interface MediaTranscodingStateChanged extends Media {
    /** Name of the event. */
    type: 'MediaTranscodingStateChanged';
    /** Current transcoding state; either enabled or disabled. */
    state: MediaTranscodingState;
    /** Name of the GStreamer bin which is processing the media. */
    binName: string;
    /** Type of media that is being processed; either audio or video. */
    mediaType: MediaType;
  }

  /**
   * Event fired when a new pair of ICE candidates is used by the ICE library. This could also happen in the middle of
   * a session, though not likely.
   */
  interface NewCandidatePairSelected extends Media {
    /** Name of the event. */
    type: 'NewCandidatePairSelected';
    /** The new pair of candidates. */
    candidatePair: IceCandidatePair;
  }

  /**
   * Fired when encryption is used and any stream reached the soft key usage limit, which means it will expire soon.
   */
  interface OnKeySoftLimit extends Media {
    /** Name of the event. */
    type: 'OnKeySoftLimit';
    /** The media stream. */
    mediaType: MediaType;
  }

  /** Fired when the recorder goes to pause state. */
  interface Paused extends Media {
    /** Name of the event. */
    type: 'Paused';
  }

  /**
   * Fired when the recoding effectively starts. ie: Media is received by the recorder, and `record()` method has been
   * called.
   */
  interface Recording extends Media {
    /** Name of the event. */
    type: 'Recording';
  }

  /** Fired when the recorder has been stopped and all the media has been written to storage. */
  interface Stopped extends Media {
    /** Name of the event. */
    type: 'Stopped';
  }

  /** Indicates the new state of the endpoint. */
  interface UriEndpointStateChanged extends Media {
    /** Name of the event. */
    type: 'UriEndpointStateChanged';
    /** the new state. */
    state: UriEndpointState;
  }

  /** Indicates that an object has been created on the media server. */
  interface ObjectCreated extends RaiseBase {
    /** The object that has been created. (id of a MediaObject) */
    object: string;
  }

  /** Indicates that an object has been destroyed on the media server. */
  interface ObjectDestroyed extends RaiseBase {
    /** The id of the object that has been destroyed. */
    objectId: string;
  }

  // ===================================================================================================================
  // Remote classes (29)

  /** Events a MediaObject can be subscribed to, with their payloads (inherited ones included). */
  interface MediaObjectEvents {
    Error: MediaObjectError;
    /** Emitted by the client (not the server) once the object has been released; no payload. */
    release: void;
  }

  /**
   * Base interface used to manage capabilities common to all Kurento elements.
   *
   * Abstract: not created directly.
   */
  interface MediaObject {
    // Properties
    /**
     * MediaPipeline to which this `MediaObject` belongs. It returns itself when invoked for a pipeline object. (set
     * at creation)
     */
    getMediaPipeline(callback?: Callback<MediaPipeline>): Promise<MediaPipeline>;
    /** Parent of this `MediaObject`. (set at creation) */
    getParent(callback?: Callback<MediaObject>): Promise<MediaObject>;
    /** Children of this `MediaObject`. (read-only) */
    getChildren(callback?: Callback<MediaObject[]>): Promise<MediaObject[]>;
    /** This `MediaObject`'s name. */
    getName(callback?: Callback<string>): Promise<string>;
    /** This `MediaObject`'s name. */
    setName(name: string, callback?: Callback<void>): Promise<void>;
    /** Flag activating or deactivating sending the element's tags in fired events. */
    getSendTagsInEvents(callback?: Callback<boolean>): Promise<boolean>;
    /** Flag activating or deactivating sending the element's tags in fired events. */
    setSendTagsInEvents(sendTagsInEvents: boolean, callback?: Callback<void>): Promise<void>;
    /** `MediaObject` creation time in seconds since Epoch. (set at creation) */
    getCreationTime(callback?: Callback<number>): Promise<number>;

    // Methods
    /**
     * Adds a new tag to this `MediaObject`. If the tag is already present, it changes the value.
     * @param key - Tag name.
     * @param value - Value associated to this tag.
     */
    addTag(key: string, value: string, callback?: Callback<void>): Promise<void>;
    /**
     * Removes an existing tag. Exists silently with no error if tag is not defined.
     * @param key - Tag name to be removed.
     */
    removeTag(key: string, callback?: Callback<void>): Promise<void>;
    /**
     * Returns the value of given tag, or MEDIA_OBJECT_TAG_KEY_NOT_FOUND if tag is not defined.
     * @param key - Tag key.
     * @returns The value associated to the given key.
     */
    getTag(key: string, callback?: Callback<string>): Promise<string>;
    /**
     * Returns all tags attached to this `MediaObject`.
     * @returns An array containing all key-value pairs associated with this `MediaObject`.
     */
    getTags(callback?: Callback<Tag[]>): Promise<Tag[]>;

    // Client-side members (kurento-client templates)
    /**
     * Id of the object in the media server (`<uuid>_kurento.<Type>`, children prefixed with their parent id). It is
     * `undefined` while the create request is in flight and `null` if creation failed; always set once awaited.
     */
    readonly id: string;
    /** Releases the object and everything it owns in the media server, then drops all its listeners. */
    release(callback?: Callback<void>): Promise<void>;
    // The rest of the EventEmitter API (media objects are EventEmitters)
    emit(event: string | symbol, ...args: unknown[]): boolean;
    listeners(event: string | symbol): Array<(...args: unknown[]) => unknown>;
    rawListeners(event: string | symbol): Array<(...args: unknown[]) => unknown>;
    eventNames(): Array<string | symbol>;
    setMaxListeners(n: number): this;
    getMaxListeners(): number;

    // Events (see MediaObjectEvents)
    on<E extends keyof MediaObjectEvents>(event: E, listener: (event: MediaObjectEvents[E]) => void): this;
    once<E extends keyof MediaObjectEvents>(event: E, listener: (event: MediaObjectEvents[E]) => void): this;
    addListener<E extends keyof MediaObjectEvents>(event: E, listener: (event: MediaObjectEvents[E]) => void): this;
    prependListener<E extends keyof MediaObjectEvents>(event: E, listener: (event: MediaObjectEvents[E]) => void): this;
    prependOnceListener<E extends keyof MediaObjectEvents>(
      event: E,
      listener: (event: MediaObjectEvents[E]) => void,
    ): this;
    off<E extends keyof MediaObjectEvents>(event: E, listener: (event: MediaObjectEvents[E]) => void): this;
    removeListener<E extends keyof MediaObjectEvents>(event: E, listener: (event: MediaObjectEvents[E]) => void): this;
    removeAllListeners(event?: keyof MediaObjectEvents): this;
    listenerCount(event: keyof MediaObjectEvents): number;
  }

  /** Events a Hub can be subscribed to, with their payloads (inherited ones included). */
  type HubEvents = MediaObjectEvents;

  /**
   * A Hub is a routing MediaObject. It connects several endpoints together.
   *
   * Abstract: not created directly.
   */
  interface Hub extends MediaObject {
    // Methods
    /**
     * Returns a string in dot (graphviz) format that represents the gstreamer elements inside the pipeline.
     * @param details - Details of graph.
     * @returns The dot graph.
     */
    getGstreamerDot(details?: GstreamerDotDetails): Promise<string>;
    getGstreamerDot(callback: Callback<string>): Promise<string>;
    getGstreamerDot(details: GstreamerDotDetails | undefined, callback: Callback<string>): Promise<string>;
    /**
     * If GST_DEBUG_DUMP_DOT_DIR environment variable is defined dumps in that directoy a file with the GStreamer dot
     * of the Hub.
     * @param details - Details of graph.
     */
    dumpGstreamerDot(details?: GstreamerDotDetails): Promise<void>;
    dumpGstreamerDot(callback: Callback<void>): Promise<void>;
    dumpGstreamerDot(details: GstreamerDotDetails | undefined, callback: Callback<void>): Promise<void>;

    // Client-side members (kurento-client templates)
    /** Creates a HubPort attached to this hub; returned at once, awaitable like `create()`. */
    createHubPort(callback?: Callback<HubPort>): Thenable<HubPort>;

    // Events (see HubEvents)
    on<E extends keyof HubEvents>(event: E, listener: (event: HubEvents[E]) => void): this;
    once<E extends keyof HubEvents>(event: E, listener: (event: HubEvents[E]) => void): this;
    addListener<E extends keyof HubEvents>(event: E, listener: (event: HubEvents[E]) => void): this;
    prependListener<E extends keyof HubEvents>(event: E, listener: (event: HubEvents[E]) => void): this;
    prependOnceListener<E extends keyof HubEvents>(event: E, listener: (event: HubEvents[E]) => void): this;
    off<E extends keyof HubEvents>(event: E, listener: (event: HubEvents[E]) => void): this;
    removeListener<E extends keyof HubEvents>(event: E, listener: (event: HubEvents[E]) => void): this;
    removeAllListeners(event?: keyof HubEvents): this;
    listenerCount(event: keyof HubEvents): number;
  }

  /** Events a AlphaBlending can be subscribed to, with their payloads (inherited ones included). */
  type AlphaBlendingEvents = HubEvents;

  /**
   * A Hub that mixes the MediaType.AUDIO stream of its connected sources and constructs one output with
   * MediaType.VIDEO streams of its connected sources into its sink.
   *
   * Created with `create('AlphaBlending', …)`.
   */
  interface AlphaBlending extends Hub {
    // Methods
    /**
     * Sets the source port that will be the master entry to the mixer.
     * @param source - The reference to the HubPort setting as master port.
     * @param zOrder - The order in z to draw the master image.
     */
    setMaster(source: HubPort, zOrder: number, callback?: Callback<void>): Promise<void>;
    /**
     * Configure the blending mode of one port.
     * @param relativeX - The x position relative to the master port. Values from 0 to 1 are accepted. The value 0,
     * indicates the coordinate 0 in the master image.
     * @param relativeY - The y position relative to the master port. Values from 0 to 1 are accepted. The value 0,
     * indicates the coordinate 0 in the master image.
     * @param zOrder - The order in z to draw the images. The greatest value of z is in the top.
     * @param relativeWidth - The image width relative to the master port width. Values from 0 to 1 are accepted.
     * @param relativeHeight - The image height relative to the master port height. Values from 0 to 1 are accepted.
     * @param port - The reference to the confingured port.
     */
    setPortProperties(
      relativeX: number,
      relativeY: number,
      zOrder: number,
      relativeWidth: number,
      relativeHeight: number,
      port: HubPort,
      callback?: Callback<void>,
    ): Promise<void>;

    // Events (see AlphaBlendingEvents)
    on<E extends keyof AlphaBlendingEvents>(event: E, listener: (event: AlphaBlendingEvents[E]) => void): this;
    once<E extends keyof AlphaBlendingEvents>(event: E, listener: (event: AlphaBlendingEvents[E]) => void): this;
    addListener<E extends keyof AlphaBlendingEvents>(event: E, listener: (event: AlphaBlendingEvents[E]) => void): this;
    prependListener<E extends keyof AlphaBlendingEvents>(
      event: E,
      listener: (event: AlphaBlendingEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof AlphaBlendingEvents>(
      event: E,
      listener: (event: AlphaBlendingEvents[E]) => void,
    ): this;
    off<E extends keyof AlphaBlendingEvents>(event: E, listener: (event: AlphaBlendingEvents[E]) => void): this;
    removeListener<E extends keyof AlphaBlendingEvents>(
      event: E,
      listener: (event: AlphaBlendingEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof AlphaBlendingEvents): this;
    listenerCount(event: keyof AlphaBlendingEvents): number;
  }

  /** Events a Composite can be subscribed to, with their payloads (inherited ones included). */
  type CompositeEvents = HubEvents;

  /**
   * A Hub that mixes the MediaType.AUDIO stream of its connected sources and constructs a grid with the
   * MediaType.VIDEO streams of its connected sources into its sink.
   *
   * Created with `create('Composite', …)`.
   */
  interface Composite extends Hub {
    // Events (see CompositeEvents)
    on<E extends keyof CompositeEvents>(event: E, listener: (event: CompositeEvents[E]) => void): this;
    once<E extends keyof CompositeEvents>(event: E, listener: (event: CompositeEvents[E]) => void): this;
    addListener<E extends keyof CompositeEvents>(event: E, listener: (event: CompositeEvents[E]) => void): this;
    prependListener<E extends keyof CompositeEvents>(event: E, listener: (event: CompositeEvents[E]) => void): this;
    prependOnceListener<E extends keyof CompositeEvents>(event: E, listener: (event: CompositeEvents[E]) => void): this;
    off<E extends keyof CompositeEvents>(event: E, listener: (event: CompositeEvents[E]) => void): this;
    removeListener<E extends keyof CompositeEvents>(event: E, listener: (event: CompositeEvents[E]) => void): this;
    removeAllListeners(event?: keyof CompositeEvents): this;
    listenerCount(event: keyof CompositeEvents): number;
  }

  /** Events a Dispatcher can be subscribed to, with their payloads (inherited ones included). */
  type DispatcherEvents = HubEvents;

  /**
   * A Hub that allows routing between arbitrary port pairs.
   *
   * Created with `create('Dispatcher', …)`.
   */
  interface Dispatcher extends Hub {
    // Methods
    /**
     * Connects each corresponding MediaType of the given source port with the sink port.
     * @param source - Source port to be connected.
     * @param sink - Sink port to be connected.
     */
    connect(source: HubPort, sink: HubPort, callback?: Callback<void>): Promise<void>;

    // Events (see DispatcherEvents)
    on<E extends keyof DispatcherEvents>(event: E, listener: (event: DispatcherEvents[E]) => void): this;
    once<E extends keyof DispatcherEvents>(event: E, listener: (event: DispatcherEvents[E]) => void): this;
    addListener<E extends keyof DispatcherEvents>(event: E, listener: (event: DispatcherEvents[E]) => void): this;
    prependListener<E extends keyof DispatcherEvents>(event: E, listener: (event: DispatcherEvents[E]) => void): this;
    prependOnceListener<E extends keyof DispatcherEvents>(
      event: E,
      listener: (event: DispatcherEvents[E]) => void,
    ): this;
    off<E extends keyof DispatcherEvents>(event: E, listener: (event: DispatcherEvents[E]) => void): this;
    removeListener<E extends keyof DispatcherEvents>(event: E, listener: (event: DispatcherEvents[E]) => void): this;
    removeAllListeners(event?: keyof DispatcherEvents): this;
    listenerCount(event: keyof DispatcherEvents): number;
  }

  /** Events a DispatcherOneToMany can be subscribed to, with their payloads (inherited ones included). */
  type DispatcherOneToManyEvents = HubEvents;

  /**
   * A Hub that sends a given source to all the connected sinks.
   *
   * Created with `create('DispatcherOneToMany', …)`.
   */
  interface DispatcherOneToMany extends Hub {
    // Methods
    /**
     * Sets the source port that will be connected to the sinks of every HubPort of the dispatcher.
     * @param source - source to be broadcasted.
     */
    setSource(source: HubPort, callback?: Callback<void>): Promise<void>;
    /** Remove the source port and stop the media pipeline. */
    removeSource(callback?: Callback<void>): Promise<void>;

    // Events (see DispatcherOneToManyEvents)
    on<E extends keyof DispatcherOneToManyEvents>(
      event: E,
      listener: (event: DispatcherOneToManyEvents[E]) => void,
    ): this;
    once<E extends keyof DispatcherOneToManyEvents>(
      event: E,
      listener: (event: DispatcherOneToManyEvents[E]) => void,
    ): this;
    addListener<E extends keyof DispatcherOneToManyEvents>(
      event: E,
      listener: (event: DispatcherOneToManyEvents[E]) => void,
    ): this;
    prependListener<E extends keyof DispatcherOneToManyEvents>(
      event: E,
      listener: (event: DispatcherOneToManyEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof DispatcherOneToManyEvents>(
      event: E,
      listener: (event: DispatcherOneToManyEvents[E]) => void,
    ): this;
    off<E extends keyof DispatcherOneToManyEvents>(
      event: E,
      listener: (event: DispatcherOneToManyEvents[E]) => void,
    ): this;
    removeListener<E extends keyof DispatcherOneToManyEvents>(
      event: E,
      listener: (event: DispatcherOneToManyEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof DispatcherOneToManyEvents): this;
    listenerCount(event: keyof DispatcherOneToManyEvents): number;
  }

  /** Events a Mixer can be subscribed to, with their payloads (inherited ones included). */
  type MixerEvents = HubEvents;

  /**
   * A Hub that allows routing of video between arbitrary port pairs and mixing of audio among several ports.
   *
   * Created with `create('Mixer', …)`.
   */
  interface Mixer extends Hub {
    // Methods
    /**
     * Connects each corresponding MediaType of the given source port with the sink port.
     * @param media - The sort of media stream to be connected.
     * @param source - Source port to be connected.
     * @param sink - Sink port to be connected.
     */
    connect(media: MediaType, source: HubPort, sink: HubPort, callback?: Callback<void>): Promise<void>;
    /**
     * Disonnects each corresponding MediaType of the given source port from the sink port.
     * @param media - The sort of media stream to be disconnected.
     * @param source - Audio source port to be disconnected.
     * @param sink - Audio sink port to be disconnected.
     */
    disconnect(media: MediaType, source: HubPort, sink: HubPort, callback?: Callback<void>): Promise<void>;

    // Events (see MixerEvents)
    on<E extends keyof MixerEvents>(event: E, listener: (event: MixerEvents[E]) => void): this;
    once<E extends keyof MixerEvents>(event: E, listener: (event: MixerEvents[E]) => void): this;
    addListener<E extends keyof MixerEvents>(event: E, listener: (event: MixerEvents[E]) => void): this;
    prependListener<E extends keyof MixerEvents>(event: E, listener: (event: MixerEvents[E]) => void): this;
    prependOnceListener<E extends keyof MixerEvents>(event: E, listener: (event: MixerEvents[E]) => void): this;
    off<E extends keyof MixerEvents>(event: E, listener: (event: MixerEvents[E]) => void): this;
    removeListener<E extends keyof MixerEvents>(event: E, listener: (event: MixerEvents[E]) => void): this;
    removeAllListeners(event?: keyof MixerEvents): this;
    listenerCount(event: keyof MixerEvents): number;
  }

  /** Events a MediaElement can be subscribed to, with their payloads (inherited ones included). */
  interface MediaElementEvents extends MediaObjectEvents {
    ElementConnected: ElementConnected;
    ElementDisconnected: ElementDisconnected;
    MediaFlowOutStateChanged: MediaFlowOutStateChanged;
    MediaFlowInStateChanged: MediaFlowInStateChanged;
    MediaTranscodingStateChanged: MediaTranscodingStateChanged;
  }

  /**
   * The basic building block of the media server, that can be interconnected inside a pipeline.
   *
   * Abstract: not created directly.
   */
  interface MediaElement extends MediaObject {
    // Properties
    /** Target video bitrate for media transcoding. */
    getEncoderBitrate(callback?: Callback<number>): Promise<number>;
    /** Target video bitrate for media transcoding. */
    setEncoderBitrate(encoderBitrate: number, callback?: Callback<void>): Promise<void>;
    /** Minimum video bitrate for media transcoding. */
    getMinEncoderBitrate(callback?: Callback<number>): Promise<number>;
    /** Minimum video bitrate for media transcoding. */
    setMinEncoderBitrate(minEncoderBitrate: number, callback?: Callback<void>): Promise<void>;
    /** Maximum video bitrate for media transcoding. */
    getMaxEncoderBitrate(callback?: Callback<number>): Promise<number>;
    /** Maximum video bitrate for media transcoding. */
    setMaxEncoderBitrate(maxEncoderBitrate: number, callback?: Callback<void>): Promise<void>;

    // Methods
    /**
     * Gets information about the sink pads of this media element.
     * @param mediaType - One of MediaType.AUDIO, MediaType.VIDEO or MediaType.DATA.
     * @param description - A textual description of the media source. Currently not used, aimed mainly for
     * MediaType.DATA sources.
     * @returns A list of the connections information that are sending media to this element. The list will be empty
     * if no sources are found.
     */
    getSourceConnections(mediaType?: MediaType, description?: string): Promise<ElementConnectionData[]>;
    getSourceConnections(callback: Callback<ElementConnectionData[]>): Promise<ElementConnectionData[]>;
    getSourceConnections(
      mediaType: MediaType | undefined,
      callback: Callback<ElementConnectionData[]>,
    ): Promise<ElementConnectionData[]>;
    getSourceConnections(
      mediaType: MediaType | undefined,
      description: string | undefined,
      callback: Callback<ElementConnectionData[]>,
    ): Promise<ElementConnectionData[]>;
    /**
     * Gets information about the source pads of this media element.
     * @param mediaType - One of MediaType.AUDIO, MediaType.VIDEO or MediaType.DATA.
     * @param description - A textual description of the media source. Currently not used, aimed mainly for
     * MediaType.DATA sources.
     * @returns A list of the connections information that are receiving media from this element. The list will be
     * empty if no sources are found.
     */
    getSinkConnections(mediaType?: MediaType, description?: string): Promise<ElementConnectionData[]>;
    getSinkConnections(callback: Callback<ElementConnectionData[]>): Promise<ElementConnectionData[]>;
    getSinkConnections(
      mediaType: MediaType | undefined,
      callback: Callback<ElementConnectionData[]>,
    ): Promise<ElementConnectionData[]>;
    getSinkConnections(
      mediaType: MediaType | undefined,
      description: string | undefined,
      callback: Callback<ElementConnectionData[]>,
    ): Promise<ElementConnectionData[]>;
    /**
     * Connects two elements, with the media flowing from left to right.
     * @param sink - the target MediaElement that will receive media.
     * @param mediaType - the MediaType of the pads that will be connected.
     * @param sourceMediaDescription - A textual description of the media source. Currently not used, aimed mainly for
     * MediaType.DATA sources.
     * @param sinkMediaDescription - A textual description of the media source. Currently not used, aimed mainly for
     * MediaType.DATA sources.
     */
    connect(
      sink: MediaElement,
      mediaType?: MediaType,
      sourceMediaDescription?: string,
      sinkMediaDescription?: string,
    ): Promise<void>;
    connect(sink: MediaElement, callback: Callback<void>): Promise<void>;
    connect(sink: MediaElement, mediaType: MediaType | undefined, callback: Callback<void>): Promise<void>;
    connect(
      sink: MediaElement,
      mediaType: MediaType | undefined,
      sourceMediaDescription: string | undefined,
      callback: Callback<void>,
    ): Promise<void>;
    connect(
      sink: MediaElement,
      mediaType: MediaType | undefined,
      sourceMediaDescription: string | undefined,
      sinkMediaDescription: string | undefined,
      callback: Callback<void>,
    ): Promise<void>;
    /** Connects this element to the first sink, that one to the next, and so on. */
    connect(sinks: MediaElement[], callback?: Callback<void>): Promise<void>;
    /**
     * Disconnects two media elements. This will release the source pads of the source media element, and the sink
     * pads of the sink media element.
     * @param sink - the target MediaElement that will stop receiving media.
     * @param mediaType - the MediaType of the pads that will be connected.
     * @param sourceMediaDescription - A textual description of the media source. Currently not used, aimed mainly for
     * MediaType.DATA sources.
     * @param sinkMediaDescription - A textual description of the media source. Currently not used, aimed mainly for
     * MediaType.DATA sources.
     */
    disconnect(
      sink: MediaElement,
      mediaType?: MediaType,
      sourceMediaDescription?: string,
      sinkMediaDescription?: string,
    ): Promise<void>;
    disconnect(sink: MediaElement, callback: Callback<void>): Promise<void>;
    disconnect(sink: MediaElement, mediaType: MediaType | undefined, callback: Callback<void>): Promise<void>;
    disconnect(
      sink: MediaElement,
      mediaType: MediaType | undefined,
      sourceMediaDescription: string | undefined,
      callback: Callback<void>,
    ): Promise<void>;
    disconnect(
      sink: MediaElement,
      mediaType: MediaType | undefined,
      sourceMediaDescription: string | undefined,
      sinkMediaDescription: string | undefined,
      callback: Callback<void>,
    ): Promise<void>;
    /**
     * Set the type of data for the audio stream.
     * @param caps - The format for the stream of audio.
     */
    setAudioFormat(caps: AudioCaps, callback?: Callback<void>): Promise<void>;
    /**
     * Set the type of data for the video stream.
     * @param caps - The format for the stream of video.
     */
    setVideoFormat(caps: VideoCaps, callback?: Callback<void>): Promise<void>;
    /**
     * If GST_DEBUG_DUMP_DOT_DIR environment variable is defined dumps in that directoy a file with the GStreamer dot
     * of the Media Element.
     * @param details - Details of graph.
     */
    dumpGstreamerDot(details?: GstreamerDotDetails): Promise<void>;
    dumpGstreamerDot(callback: Callback<void>): Promise<void>;
    dumpGstreamerDot(details: GstreamerDotDetails | undefined, callback: Callback<void>): Promise<void>;
    /**
     * Return a .dot file describing the topology of the media element.
     * @param details - Details of graph.
     * @returns The dot graph.
     */
    getGstreamerDot(details?: GstreamerDotDetails): Promise<string>;
    getGstreamerDot(callback: Callback<string>): Promise<string>;
    getGstreamerDot(details: GstreamerDotDetails | undefined, callback: Callback<string>): Promise<string>;
    /**
     * Gets the statistics related to an endpoint. If no media type is specified, it returns statistics for all
     * available types.
     * @param mediaType - One of MediaType.AUDIO or MediaType.VIDEO.
     * @returns Delivers a successful result in the form of a RTC stats report. A RTC stats report represents a map
     * between strings, identifying the inspected objects (RTCStats.id), and their corresponding RTCStats objects.
     */
    getStats(mediaType?: MediaType): Promise<Record<string, Stats>>;
    getStats(callback: Callback<Record<string, Stats>>): Promise<Record<string, Stats>>;
    getStats(
      mediaType: MediaType | undefined,
      callback: Callback<Record<string, Stats>>,
    ): Promise<Record<string, Stats>>;
    /**
     * This method indicates whether the media element is receiving media of a certain type. The media sink pad can be
     * identified individually, if needed. It is only supported for AUDIO and VIDEO types, raising a
     * MEDIA_OBJECT_ILLEGAL_PARAM_ERROR otherwise. If the pad indicated does not exist, if will return false.
     * @param mediaType - One of MediaType.AUDIO or MediaType.VIDEO.
     * @param sinkMediaDescription - Description of the sink. (server default: `"default"`)
     * @returns TRUE if there is media, FALSE in other case.
     */
    isMediaFlowingIn(mediaType: MediaType, sinkMediaDescription?: string): Promise<boolean>;
    isMediaFlowingIn(mediaType: MediaType, callback: Callback<boolean>): Promise<boolean>;
    isMediaFlowingIn(
      mediaType: MediaType,
      sinkMediaDescription: string | undefined,
      callback: Callback<boolean>,
    ): Promise<boolean>;
    /**
     * This method indicates whether the media element is emitting media of a certain type. The media source pad can
     * be identified individually, if needed. It is only supported for AUDIO and VIDEO types, raising a
     * MEDIA_OBJECT_ILLEGAL_PARAM_ERROR otherwise. If the pad indicated does not exist, if will return false.
     * @param mediaType - One of MediaType.AUDIO or MediaType.VIDEO.
     * @param sourceMediaDescription - Description of the source. (server default: `"default"`)
     * @returns TRUE if there is media, FALSE in other case.
     */
    isMediaFlowingOut(mediaType: MediaType, sourceMediaDescription?: string): Promise<boolean>;
    isMediaFlowingOut(mediaType: MediaType, callback: Callback<boolean>): Promise<boolean>;
    isMediaFlowingOut(
      mediaType: MediaType,
      sourceMediaDescription: string | undefined,
      callback: Callback<boolean>,
    ): Promise<boolean>;
    /**
     * Indicates whether this media element is actively transcoding between input and output pads. This operation is
     * only supported for AUDIO and VIDEO media types, raising a MEDIA_OBJECT_ILLEGAL_PARAM_ERROR otherwise. The
     * internal GStreamer processing bin can be indicated, if needed; if the bin doesn't exist, the return value will
     * be FALSE.
     * @param mediaType - One of MediaType.AUDIO or MediaType.VIDEO.
     * @param binName - Internal name of the processing bin, as previously given by ``MediaTranscodingStateChanged``.
     * (server default: `"default"`)
     * @returns TRUE if media is being transcoded, FALSE otherwise.
     */
    isMediaTranscoding(mediaType: MediaType, binName?: string): Promise<boolean>;
    isMediaTranscoding(mediaType: MediaType, callback: Callback<boolean>): Promise<boolean>;
    isMediaTranscoding(
      mediaType: MediaType,
      binName: string | undefined,
      callback: Callback<boolean>,
    ): Promise<boolean>;

    // Events (see MediaElementEvents)
    on<E extends keyof MediaElementEvents>(event: E, listener: (event: MediaElementEvents[E]) => void): this;
    once<E extends keyof MediaElementEvents>(event: E, listener: (event: MediaElementEvents[E]) => void): this;
    addListener<E extends keyof MediaElementEvents>(event: E, listener: (event: MediaElementEvents[E]) => void): this;
    prependListener<E extends keyof MediaElementEvents>(
      event: E,
      listener: (event: MediaElementEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof MediaElementEvents>(
      event: E,
      listener: (event: MediaElementEvents[E]) => void,
    ): this;
    off<E extends keyof MediaElementEvents>(event: E, listener: (event: MediaElementEvents[E]) => void): this;
    removeListener<E extends keyof MediaElementEvents>(
      event: E,
      listener: (event: MediaElementEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof MediaElementEvents): this;
    listenerCount(event: keyof MediaElementEvents): number;
  }

  /** Events a Endpoint can be subscribed to, with their payloads (inherited ones included). */
  type EndpointEvents = MediaElementEvents;

  /**
   * Base interface for all end points.
   *
   * Abstract: not created directly.
   */
  interface Endpoint extends MediaElement {
    // Events (see EndpointEvents)
    on<E extends keyof EndpointEvents>(event: E, listener: (event: EndpointEvents[E]) => void): this;
    once<E extends keyof EndpointEvents>(event: E, listener: (event: EndpointEvents[E]) => void): this;
    addListener<E extends keyof EndpointEvents>(event: E, listener: (event: EndpointEvents[E]) => void): this;
    prependListener<E extends keyof EndpointEvents>(event: E, listener: (event: EndpointEvents[E]) => void): this;
    prependOnceListener<E extends keyof EndpointEvents>(event: E, listener: (event: EndpointEvents[E]) => void): this;
    off<E extends keyof EndpointEvents>(event: E, listener: (event: EndpointEvents[E]) => void): this;
    removeListener<E extends keyof EndpointEvents>(event: E, listener: (event: EndpointEvents[E]) => void): this;
    removeAllListeners(event?: keyof EndpointEvents): this;
    listenerCount(event: keyof EndpointEvents): number;
  }

  /** Events a SessionEndpoint can be subscribed to, with their payloads (inherited ones included). */
  interface SessionEndpointEvents extends EndpointEvents {
    MediaSessionTerminated: MediaSessionTerminated;
    MediaSessionStarted: MediaSessionStarted;
  }

  /**
   * All networked Endpoints that require to manage connection sessions with remote peers implement this interface.
   *
   * Abstract: not created directly.
   */
  interface SessionEndpoint extends Endpoint {
    // Events (see SessionEndpointEvents)
    on<E extends keyof SessionEndpointEvents>(event: E, listener: (event: SessionEndpointEvents[E]) => void): this;
    once<E extends keyof SessionEndpointEvents>(event: E, listener: (event: SessionEndpointEvents[E]) => void): this;
    addListener<E extends keyof SessionEndpointEvents>(
      event: E,
      listener: (event: SessionEndpointEvents[E]) => void,
    ): this;
    prependListener<E extends keyof SessionEndpointEvents>(
      event: E,
      listener: (event: SessionEndpointEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof SessionEndpointEvents>(
      event: E,
      listener: (event: SessionEndpointEvents[E]) => void,
    ): this;
    off<E extends keyof SessionEndpointEvents>(event: E, listener: (event: SessionEndpointEvents[E]) => void): this;
    removeListener<E extends keyof SessionEndpointEvents>(
      event: E,
      listener: (event: SessionEndpointEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof SessionEndpointEvents): this;
    listenerCount(event: keyof SessionEndpointEvents): number;
  }

  /** Events a HttpEndpoint can be subscribed to, with their payloads (inherited ones included). */
  type HttpEndpointEvents = SessionEndpointEvents;

  /**
   * Endpoint that enables Kurento to work as an HTTP server, allowing peer HTTP clients to access media.
   *
   * Abstract: not created directly.
   */
  interface HttpEndpoint extends SessionEndpoint {
    // Methods
    /**
     * Obtains the URL associated to this endpoint.
     * @returns The url as a String.
     */
    getUrl(callback?: Callback<string>): Promise<string>;

    // Events (see HttpEndpointEvents)
    on<E extends keyof HttpEndpointEvents>(event: E, listener: (event: HttpEndpointEvents[E]) => void): this;
    once<E extends keyof HttpEndpointEvents>(event: E, listener: (event: HttpEndpointEvents[E]) => void): this;
    addListener<E extends keyof HttpEndpointEvents>(event: E, listener: (event: HttpEndpointEvents[E]) => void): this;
    prependListener<E extends keyof HttpEndpointEvents>(
      event: E,
      listener: (event: HttpEndpointEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof HttpEndpointEvents>(
      event: E,
      listener: (event: HttpEndpointEvents[E]) => void,
    ): this;
    off<E extends keyof HttpEndpointEvents>(event: E, listener: (event: HttpEndpointEvents[E]) => void): this;
    removeListener<E extends keyof HttpEndpointEvents>(
      event: E,
      listener: (event: HttpEndpointEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof HttpEndpointEvents): this;
    listenerCount(event: keyof HttpEndpointEvents): number;
  }

  /** Events a HttpPostEndpoint can be subscribed to, with their payloads (inherited ones included). */
  interface HttpPostEndpointEvents extends HttpEndpointEvents {
    EndOfStream: EndOfStream;
  }

  /**
   * An HttpPostEndpoint contains SINK pads for AUDIO and VIDEO, which provide access to an HTTP file upload function.
   *
   * Created with `create('HttpPostEndpoint', …)`.
   */
  interface HttpPostEndpoint extends HttpEndpoint {
    // Events (see HttpPostEndpointEvents)
    on<E extends keyof HttpPostEndpointEvents>(event: E, listener: (event: HttpPostEndpointEvents[E]) => void): this;
    once<E extends keyof HttpPostEndpointEvents>(event: E, listener: (event: HttpPostEndpointEvents[E]) => void): this;
    addListener<E extends keyof HttpPostEndpointEvents>(
      event: E,
      listener: (event: HttpPostEndpointEvents[E]) => void,
    ): this;
    prependListener<E extends keyof HttpPostEndpointEvents>(
      event: E,
      listener: (event: HttpPostEndpointEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof HttpPostEndpointEvents>(
      event: E,
      listener: (event: HttpPostEndpointEvents[E]) => void,
    ): this;
    off<E extends keyof HttpPostEndpointEvents>(event: E, listener: (event: HttpPostEndpointEvents[E]) => void): this;
    removeListener<E extends keyof HttpPostEndpointEvents>(
      event: E,
      listener: (event: HttpPostEndpointEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof HttpPostEndpointEvents): this;
    listenerCount(event: keyof HttpPostEndpointEvents): number;
  }

  /** Events a SdpEndpoint can be subscribed to, with their payloads (inherited ones included). */
  type SdpEndpointEvents = SessionEndpointEvents;

  /**
   * Interface implemented by Endpoints that require an SDP Offer/Answer negotiation in order to configure a media
   * session.
   *
   * Abstract: not created directly.
   */
  interface SdpEndpoint extends SessionEndpoint {
    // Properties
    /**
     * Maximum inbound bitrate requested by this endpoint. Signaled to compatible WebRTC and RTP senders as part of
     * Kurento's REMB bandwidth estimations, and also as an SDP bitrate attribute (`b=AS:{value}`, see RFC 8866
     * Section 5.8. Bandwidth Information) in sendrecv and recvonly SDP Offers.
     */
    getMaxAudioRecvBandwidth(callback?: Callback<number>): Promise<number>;
    /**
     * Maximum inbound bitrate requested by this endpoint. Signaled to compatible WebRTC and RTP senders as part of
     * Kurento's REMB bandwidth estimations, and also as an SDP bitrate attribute (`b=AS:{value}`, see RFC 8866
     * Section 5.8. Bandwidth Information) in sendrecv and recvonly SDP Offers.
     */
    setMaxAudioRecvBandwidth(maxAudioRecvBandwidth: number, callback?: Callback<void>): Promise<void>;
    /**
     * Maximum inbound bitrate requested by this endpoint. Signaled to compatible WebRTC and RTP senders as part of
     * Kurento's REMB bandwidth estimations, and also as an SDP bitrate attribute (`b=AS:{value}`, see RFC 8866
     * Section 5.8. Bandwidth Information) in sendrecv and recvonly SDP Offers.
     */
    getMaxVideoRecvBandwidth(callback?: Callback<number>): Promise<number>;
    /**
     * Maximum inbound bitrate requested by this endpoint. Signaled to compatible WebRTC and RTP senders as part of
     * Kurento's REMB bandwidth estimations, and also as an SDP bitrate attribute (`b=AS:{value}`, see RFC 8866
     * Section 5.8. Bandwidth Information) in sendrecv and recvonly SDP Offers.
     */
    setMaxVideoRecvBandwidth(maxVideoRecvBandwidth: number, callback?: Callback<void>): Promise<void>;

    // Methods
    /**
     * Generates an SDP offer with media capabilities of the Endpoint. Throws:
     * @param options - An `OfferOptions` providing options requested for the offer.
     * @returns The SDP offer.
     */
    generateOffer(options?: OfferOptions): Promise<string>;
    generateOffer(callback: Callback<string>): Promise<string>;
    generateOffer(options: OfferOptions | undefined, callback: Callback<string>): Promise<string>;
    /**
     * Processes SDP offer of the remote peer, and generates an SDP answer based on the endpoint's capabilities.
     * @param offer - SessionSpec offer from the remote User Agent.
     * @returns The chosen configuration from the ones stated in the SDP offer.
     */
    processOffer(offer: string, callback?: Callback<string>): Promise<string>;
    /**
     * Generates an SDP offer with media capabilities of the Endpoint. Throws:
     * @param answer - SessionSpec answer from the remote User Agent.
     * @returns Updated SDP offer, based on the answer received.
     */
    processAnswer(answer: string, callback?: Callback<string>): Promise<string>;
    /**
     * Returns the local SDP.
     * @returns The last agreed SessionSpec.
     */
    getLocalSessionDescriptor(callback?: Callback<string>): Promise<string>;
    /**
     * This method returns the remote SDP. If the negotiation process is not complete, it will return NULL.
     * @returns The last agreed User Agent session description.
     */
    getRemoteSessionDescriptor(callback?: Callback<string>): Promise<string>;

    // Events (see SdpEndpointEvents)
    on<E extends keyof SdpEndpointEvents>(event: E, listener: (event: SdpEndpointEvents[E]) => void): this;
    once<E extends keyof SdpEndpointEvents>(event: E, listener: (event: SdpEndpointEvents[E]) => void): this;
    addListener<E extends keyof SdpEndpointEvents>(event: E, listener: (event: SdpEndpointEvents[E]) => void): this;
    prependListener<E extends keyof SdpEndpointEvents>(event: E, listener: (event: SdpEndpointEvents[E]) => void): this;
    prependOnceListener<E extends keyof SdpEndpointEvents>(
      event: E,
      listener: (event: SdpEndpointEvents[E]) => void,
    ): this;
    off<E extends keyof SdpEndpointEvents>(event: E, listener: (event: SdpEndpointEvents[E]) => void): this;
    removeListener<E extends keyof SdpEndpointEvents>(event: E, listener: (event: SdpEndpointEvents[E]) => void): this;
    removeAllListeners(event?: keyof SdpEndpointEvents): this;
    listenerCount(event: keyof SdpEndpointEvents): number;
  }

  /** Events a BaseRtpEndpoint can be subscribed to, with their payloads (inherited ones included). */
  interface BaseRtpEndpointEvents extends SdpEndpointEvents {
    MediaStateChanged: MediaStateChanged;
    ConnectionStateChanged: ConnectionStateChanged;
  }

  /**
   * Base class for the implementation of RTP-based communication endpoints.
   *
   * Abstract: not created directly.
   */
  interface BaseRtpEndpoint extends SdpEndpoint {
    // Properties
    /**
     * Minimum inbound bitrate requested by this endpoint. Signaled to compatible WebRTC and RTP senders, as part of
     * the REMB bandwidth estimation protocol.
     */
    getMinVideoRecvBandwidth(callback?: Callback<number>): Promise<number>;
    /**
     * Minimum inbound bitrate requested by this endpoint. Signaled to compatible WebRTC and RTP senders, as part of
     * the REMB bandwidth estimation protocol.
     */
    setMinVideoRecvBandwidth(minVideoRecvBandwidth: number, callback?: Callback<void>): Promise<void>;
    /** Minimum outbound bitrate sent by this endpoint. */
    getMinVideoSendBandwidth(callback?: Callback<number>): Promise<number>;
    /** Minimum outbound bitrate sent by this endpoint. */
    setMinVideoSendBandwidth(minVideoSendBandwidth: number, callback?: Callback<void>): Promise<void>;
    /**
     * Maximum outbound bitrate sent by this endpoint. Remote peers themselves might also announce a maximum bitrate
     * as part of their REMB bandwidth estimations, and also as an SDP bitrate attribute (`b=AS:{value}`, see RFC 8866
     * Section 5.8. Bandwidth Information) in sendrecv and recvonly SDP Offers or Answers. Kurento will always give
     * priority to bitrate limitations specified by remote peers, over internal configurations.
     */
    getMaxVideoSendBandwidth(callback?: Callback<number>): Promise<number>;
    /**
     * Maximum outbound bitrate sent by this endpoint. Remote peers themselves might also announce a maximum bitrate
     * as part of their REMB bandwidth estimations, and also as an SDP bitrate attribute (`b=AS:{value}`, see RFC 8866
     * Section 5.8. Bandwidth Information) in sendrecv and recvonly SDP Offers or Answers. Kurento will always give
     * priority to bitrate limitations specified by remote peers, over internal configurations.
     */
    setMaxVideoSendBandwidth(maxVideoSendBandwidth: number, callback?: Callback<void>): Promise<void>;
    /** Media flow state. (read-only) */
    getMediaState(callback?: Callback<MediaState>): Promise<MediaState>;
    /** Connection state. (read-only) */
    getConnectionState(callback?: Callback<ConnectionState>): Promise<ConnectionState>;
    /** Maximum Transmission Unit (MTU) used for RTP. */
    getMtu(callback?: Callback<number>): Promise<number>;
    /** Maximum Transmission Unit (MTU) used for RTP. */
    setMtu(mtu: number, callback?: Callback<void>): Promise<void>;
    /** Advanced parameters to configure the congestion control algorithm. */
    getRembParams(callback?: Callback<RembParams>): Promise<RembParams>;
    /** Advanced parameters to configure the congestion control algorithm. */
    setRembParams(rembParams: RembParams, callback?: Callback<void>): Promise<void>;

    // Methods
    /**
     * Force sending a new keyframe request to the upstream elements in the Kurento Pipeline, towards the associated
     * producer. Only valid for video consumers.
     */
    requestKeyframe(callback?: Callback<void>): Promise<void>;

    // Events (see BaseRtpEndpointEvents)
    on<E extends keyof BaseRtpEndpointEvents>(event: E, listener: (event: BaseRtpEndpointEvents[E]) => void): this;
    once<E extends keyof BaseRtpEndpointEvents>(event: E, listener: (event: BaseRtpEndpointEvents[E]) => void): this;
    addListener<E extends keyof BaseRtpEndpointEvents>(
      event: E,
      listener: (event: BaseRtpEndpointEvents[E]) => void,
    ): this;
    prependListener<E extends keyof BaseRtpEndpointEvents>(
      event: E,
      listener: (event: BaseRtpEndpointEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof BaseRtpEndpointEvents>(
      event: E,
      listener: (event: BaseRtpEndpointEvents[E]) => void,
    ): this;
    off<E extends keyof BaseRtpEndpointEvents>(event: E, listener: (event: BaseRtpEndpointEvents[E]) => void): this;
    removeListener<E extends keyof BaseRtpEndpointEvents>(
      event: E,
      listener: (event: BaseRtpEndpointEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof BaseRtpEndpointEvents): this;
    listenerCount(event: keyof BaseRtpEndpointEvents): number;
  }

  /** Events a RtpEndpoint can be subscribed to, with their payloads (inherited ones included). */
  interface RtpEndpointEvents extends BaseRtpEndpointEvents {
    OnKeySoftLimit: OnKeySoftLimit;
  }

  /**
   * Endpoint that provides bidirectional content delivery capabilities through the RTP or SRTP protocols.
   *
   * Created with `create('RtpEndpoint', …)`.
   */
  interface RtpEndpoint extends BaseRtpEndpoint {
    // Events (see RtpEndpointEvents)
    on<E extends keyof RtpEndpointEvents>(event: E, listener: (event: RtpEndpointEvents[E]) => void): this;
    once<E extends keyof RtpEndpointEvents>(event: E, listener: (event: RtpEndpointEvents[E]) => void): this;
    addListener<E extends keyof RtpEndpointEvents>(event: E, listener: (event: RtpEndpointEvents[E]) => void): this;
    prependListener<E extends keyof RtpEndpointEvents>(event: E, listener: (event: RtpEndpointEvents[E]) => void): this;
    prependOnceListener<E extends keyof RtpEndpointEvents>(
      event: E,
      listener: (event: RtpEndpointEvents[E]) => void,
    ): this;
    off<E extends keyof RtpEndpointEvents>(event: E, listener: (event: RtpEndpointEvents[E]) => void): this;
    removeListener<E extends keyof RtpEndpointEvents>(event: E, listener: (event: RtpEndpointEvents[E]) => void): this;
    removeAllListeners(event?: keyof RtpEndpointEvents): this;
    listenerCount(event: keyof RtpEndpointEvents): number;
  }

  /** Events a WebRtcEndpoint can be subscribed to, with their payloads (inherited ones included). */
  interface WebRtcEndpointEvents extends BaseRtpEndpointEvents {
    IceCandidateFound: IceCandidateFound;
    IceGatheringDone: IceGatheringDone;
    IceComponentStateChanged: IceComponentStateChanged;
    DtlsConnectionStateChange: DtlsConnectionStateChange;
    DataChannelOpened: DataChannelOpened;
    DataChannelClosed: DataChannelClosed;
    NewCandidatePairSelected: NewCandidatePairSelected;
  }

  /**
   * Endpoint that provides bidirectional WebRTC capabilities for Kurento.
   *
   * Created with `create('WebRtcEndpoint', …)`.
   */
  interface WebRtcEndpoint extends BaseRtpEndpoint {
    // Properties
    /** Local network interfaces used for ICE gathering. */
    getNetworkInterfaces(callback?: Callback<string>): Promise<string>;
    /** Local network interfaces used for ICE gathering. */
    setNetworkInterfaces(networkInterfaces: string, callback?: Callback<void>): Promise<void>;
    /** Enable ICE-TCP candidate gathering. */
    getIceTcp(callback?: Callback<boolean>): Promise<boolean>;
    /** Enable ICE-TCP candidate gathering. */
    setIceTcp(iceTcp: boolean, callback?: Callback<void>): Promise<void>;
    /** STUN server IP address. */
    getStunServerAddress(callback?: Callback<string>): Promise<string>;
    /** STUN server IP address. */
    setStunServerAddress(stunServerAddress: string, callback?: Callback<void>): Promise<void>;
    /** Port of the STUN server. */
    getStunServerPort(callback?: Callback<number>): Promise<number>;
    /** Port of the STUN server. */
    setStunServerPort(stunServerPort: number, callback?: Callback<void>): Promise<void>;
    /** TURN server URL. */
    getTurnUrl(callback?: Callback<string>): Promise<string>;
    /** TURN server URL. */
    setTurnUrl(turnUrl: string, callback?: Callback<void>): Promise<void>;
    /** External IPv4 address of the media server. */
    getExternalIPv4(callback?: Callback<string>): Promise<string>;
    /** External IPv4 address of the media server. */
    setExternalIPv4(externalIPv4: string, callback?: Callback<void>): Promise<void>;
    /** External IPv6 address of the media server. */
    getExternalIPv6(callback?: Callback<string>): Promise<string>;
    /** External IPv6 address of the media server. */
    setExternalIPv6(externalIPv6: string, callback?: Callback<void>): Promise<void>;
    /** the ICE candidate pair (local and remote candidates) used by the ICE library for each stream. (read-only) */
    getICECandidatePairs(callback?: Callback<IceCandidatePair[]>): Promise<IceCandidatePair[]>;
    /** the ICE connection state for all the connections. (read-only) */
    getIceConnectionState(callback?: Callback<IceConnection[]>): Promise<IceConnection[]>;
    /** the DTLS connection state for all the connections. (read-only) */
    getDtlsConnectionState(callback?: Callback<DtlsConnection[]>): Promise<DtlsConnection[]>;

    // Methods
    /** Start the ICE candidate gathering. */
    gatherCandidates(callback?: Callback<void>): Promise<void>;
    /**
     * Process an ICE candidate sent by the remote peer of the connection.
     * @param candidate - Remote ICE candidate.
     */
    addIceCandidate(candidate: IceCandidate, callback?: Callback<void>): Promise<void>;
    /**
     * Create a new data channel, if data channels are supported.
     * @param label - Channel's label. (server default: `""`)
     * @param ordered - If the data channel should guarantee order or not. If true, and maxPacketLifeTime and
     * maxRetransmits have not been provided, reliable mode is activated. (server default: `true`)
     * @param maxPacketLifeTime - The time window (in milliseconds) during which transmissions and retransmissions may
     * take place in unreliable mode. Note that this forces unreliable mode, even if `ordered` has been activated.
     * (server default: `-1`)
     * @param maxRetransmits - maximum number of retransmissions that are attempted in unreliable mode. Note that this
     * forces unreliable mode, even if `ordered` has been activated. (server default: `-1`)
     * @param protocol - Name of the subprotocol used for data communication. (server default: `""`)
     */
    createDataChannel(
      label?: string,
      ordered?: boolean,
      maxPacketLifeTime?: number,
      maxRetransmits?: number,
      protocol?: string,
    ): Promise<void>;
    createDataChannel(callback: Callback<void>): Promise<void>;
    createDataChannel(label: string | undefined, callback: Callback<void>): Promise<void>;
    createDataChannel(label: string | undefined, ordered: boolean | undefined, callback: Callback<void>): Promise<void>;
    createDataChannel(
      label: string | undefined,
      ordered: boolean | undefined,
      maxPacketLifeTime: number | undefined,
      callback: Callback<void>,
    ): Promise<void>;
    createDataChannel(
      label: string | undefined,
      ordered: boolean | undefined,
      maxPacketLifeTime: number | undefined,
      maxRetransmits: number | undefined,
      callback: Callback<void>,
    ): Promise<void>;
    createDataChannel(
      label: string | undefined,
      ordered: boolean | undefined,
      maxPacketLifeTime: number | undefined,
      maxRetransmits: number | undefined,
      protocol: string | undefined,
      callback: Callback<void>,
    ): Promise<void>;
    /**
     * Closes an open data channel.
     * @param channelId - The channel identifier.
     */
    closeDataChannel(channelId: number, callback?: Callback<void>): Promise<void>;

    // Events (see WebRtcEndpointEvents)
    on<E extends keyof WebRtcEndpointEvents>(event: E, listener: (event: WebRtcEndpointEvents[E]) => void): this;
    once<E extends keyof WebRtcEndpointEvents>(event: E, listener: (event: WebRtcEndpointEvents[E]) => void): this;
    addListener<E extends keyof WebRtcEndpointEvents>(
      event: E,
      listener: (event: WebRtcEndpointEvents[E]) => void,
    ): this;
    prependListener<E extends keyof WebRtcEndpointEvents>(
      event: E,
      listener: (event: WebRtcEndpointEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof WebRtcEndpointEvents>(
      event: E,
      listener: (event: WebRtcEndpointEvents[E]) => void,
    ): this;
    off<E extends keyof WebRtcEndpointEvents>(event: E, listener: (event: WebRtcEndpointEvents[E]) => void): this;
    removeListener<E extends keyof WebRtcEndpointEvents>(
      event: E,
      listener: (event: WebRtcEndpointEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof WebRtcEndpointEvents): this;
    listenerCount(event: keyof WebRtcEndpointEvents): number;
  }

  /** Events a UriEndpoint can be subscribed to, with their payloads (inherited ones included). */
  interface UriEndpointEvents extends EndpointEvents {
    UriEndpointStateChanged: UriEndpointStateChanged;
  }

  /**
   * Interface for endpoints the require a URI to work. An example of this, would be a PlayerEndpoint whose URI
   * property could be used to locate a file to stream.
   *
   * Abstract: not created directly.
   */
  interface UriEndpoint extends Endpoint {
    // Properties
    /** The uri for this endpoint. (set at creation) */
    getUri(callback?: Callback<string>): Promise<string>;
    /** State of the endpoint. (read-only) */
    getState(callback?: Callback<UriEndpointState>): Promise<UriEndpointState>;

    // Methods
    /** Pauses the feed. */
    pause(callback?: Callback<void>): Promise<void>;
    /** Stops the feed. */
    stop(callback?: Callback<void>): Promise<void>;

    // Events (see UriEndpointEvents)
    on<E extends keyof UriEndpointEvents>(event: E, listener: (event: UriEndpointEvents[E]) => void): this;
    once<E extends keyof UriEndpointEvents>(event: E, listener: (event: UriEndpointEvents[E]) => void): this;
    addListener<E extends keyof UriEndpointEvents>(event: E, listener: (event: UriEndpointEvents[E]) => void): this;
    prependListener<E extends keyof UriEndpointEvents>(event: E, listener: (event: UriEndpointEvents[E]) => void): this;
    prependOnceListener<E extends keyof UriEndpointEvents>(
      event: E,
      listener: (event: UriEndpointEvents[E]) => void,
    ): this;
    off<E extends keyof UriEndpointEvents>(event: E, listener: (event: UriEndpointEvents[E]) => void): this;
    removeListener<E extends keyof UriEndpointEvents>(event: E, listener: (event: UriEndpointEvents[E]) => void): this;
    removeAllListeners(event?: keyof UriEndpointEvents): this;
    listenerCount(event: keyof UriEndpointEvents): number;
  }

  /** Events a PlayerEndpoint can be subscribed to, with their payloads (inherited ones included). */
  interface PlayerEndpointEvents extends UriEndpointEvents {
    EndOfStream: EndOfStream;
  }

  /**
   * Retrieves content from external sources.
   *
   * Created with `create('PlayerEndpoint', …)`.
   */
  interface PlayerEndpoint extends UriEndpoint {
    // Properties
    /** Returns info about the source being played. (read-only) */
    getVideoInfo(callback?: Callback<VideoInfo>): Promise<VideoInfo>;
    /** Returns the GStreamer DOT string for this element's private pipeline. (read-only) */
    getElementGstreamerDot(callback?: Callback<string>): Promise<string>;
    /**
     * Get or set the actual position of the video in ms. .. note:: Setting the position only works for seekable
     * videos.
     */
    getPosition(callback?: Callback<number>): Promise<number>;
    /**
     * Get or set the actual position of the video in ms. .. note:: Setting the position only works for seekable
     * videos.
     */
    setPosition(position: number, callback?: Callback<void>): Promise<void>;

    // Methods
    /** Starts reproducing the media, sending it to the MediaSource. If the endpoint. */
    play(callback?: Callback<void>): Promise<void>;

    // Events (see PlayerEndpointEvents)
    on<E extends keyof PlayerEndpointEvents>(event: E, listener: (event: PlayerEndpointEvents[E]) => void): this;
    once<E extends keyof PlayerEndpointEvents>(event: E, listener: (event: PlayerEndpointEvents[E]) => void): this;
    addListener<E extends keyof PlayerEndpointEvents>(
      event: E,
      listener: (event: PlayerEndpointEvents[E]) => void,
    ): this;
    prependListener<E extends keyof PlayerEndpointEvents>(
      event: E,
      listener: (event: PlayerEndpointEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof PlayerEndpointEvents>(
      event: E,
      listener: (event: PlayerEndpointEvents[E]) => void,
    ): this;
    off<E extends keyof PlayerEndpointEvents>(event: E, listener: (event: PlayerEndpointEvents[E]) => void): this;
    removeListener<E extends keyof PlayerEndpointEvents>(
      event: E,
      listener: (event: PlayerEndpointEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof PlayerEndpointEvents): this;
    listenerCount(event: keyof PlayerEndpointEvents): number;
  }

  /** Events a RecorderEndpoint can be subscribed to, with their payloads (inherited ones included). */
  interface RecorderEndpointEvents extends UriEndpointEvents {
    Recording: Recording;
    Paused: Paused;
    Stopped: Stopped;
  }

  /**
   * Provides functionality to store media contents.
   *
   * Created with `create('RecorderEndpoint', …)`.
   */
  interface RecorderEndpoint extends UriEndpoint {
    // Methods
    /** Starts storing media received through the sink pad. */
    record(callback?: Callback<void>): Promise<void>;
    /**
     * Stops recording and does not return until all the content has been written to the selected uri. This can cause
     * timeouts on some clients if there is too much content to write, or the transport is slow.
     */
    stopAndWait(callback?: Callback<void>): Promise<void>;

    // Events (see RecorderEndpointEvents)
    on<E extends keyof RecorderEndpointEvents>(event: E, listener: (event: RecorderEndpointEvents[E]) => void): this;
    once<E extends keyof RecorderEndpointEvents>(event: E, listener: (event: RecorderEndpointEvents[E]) => void): this;
    addListener<E extends keyof RecorderEndpointEvents>(
      event: E,
      listener: (event: RecorderEndpointEvents[E]) => void,
    ): this;
    prependListener<E extends keyof RecorderEndpointEvents>(
      event: E,
      listener: (event: RecorderEndpointEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof RecorderEndpointEvents>(
      event: E,
      listener: (event: RecorderEndpointEvents[E]) => void,
    ): this;
    off<E extends keyof RecorderEndpointEvents>(event: E, listener: (event: RecorderEndpointEvents[E]) => void): this;
    removeListener<E extends keyof RecorderEndpointEvents>(
      event: E,
      listener: (event: RecorderEndpointEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof RecorderEndpointEvents): this;
    listenerCount(event: keyof RecorderEndpointEvents): number;
  }

  /** Events a Filter can be subscribed to, with their payloads (inherited ones included). */
  type FilterEvents = MediaElementEvents;

  /**
   * Base interface for all filters.
   *
   * Abstract: not created directly.
   */
  interface Filter extends MediaElement {
    // Events (see FilterEvents)
    on<E extends keyof FilterEvents>(event: E, listener: (event: FilterEvents[E]) => void): this;
    once<E extends keyof FilterEvents>(event: E, listener: (event: FilterEvents[E]) => void): this;
    addListener<E extends keyof FilterEvents>(event: E, listener: (event: FilterEvents[E]) => void): this;
    prependListener<E extends keyof FilterEvents>(event: E, listener: (event: FilterEvents[E]) => void): this;
    prependOnceListener<E extends keyof FilterEvents>(event: E, listener: (event: FilterEvents[E]) => void): this;
    off<E extends keyof FilterEvents>(event: E, listener: (event: FilterEvents[E]) => void): this;
    removeListener<E extends keyof FilterEvents>(event: E, listener: (event: FilterEvents[E]) => void): this;
    removeAllListeners(event?: keyof FilterEvents): this;
    listenerCount(event: keyof FilterEvents): number;
  }

  /** Events a FaceOverlayFilter can be subscribed to, with their payloads (inherited ones included). */
  type FaceOverlayFilterEvents = FilterEvents;

  /**
   * FaceOverlayFilter interface. This type of Filter detects faces in a video feed. The face is then overlaid with an
   * image.
   *
   * Created with `create('FaceOverlayFilter', …)`.
   */
  interface FaceOverlayFilter extends Filter {
    // Methods
    /** Clear the image to be shown over each detected face. Stops overlaying the faces. */
    unsetOverlayedImage(callback?: Callback<void>): Promise<void>;
    /**
     * Sets the image to use as overlay on the detected faces.
     * @param uri - URI where the image is located.
     * @param offsetXPercent - the offset applied to the image, from the X coordinate of the detected face upper right
     * corner. A positive value indicates right displacement, while a negative value moves the overlaid image to the
     * left. This offset is specified as a percentage of the face width.
     * @param offsetYPercent - the offset applied to the image, from the Y coordinate of the detected face upper right
     * corner. A positive value indicates up displacement, while a negative value moves the overlaid image down. This
     * offset is specified as a percentage of the face width.
     * @param widthPercent - proportional width of the overlaid image, relative to the width of the detected face. A
     * value of 1.0 implies that the overlaid image will have the same width as the detected face. Values greater than
     * 1.0 are allowed, while negative values are forbidden.
     * @param heightPercent - proportional height of the overlaid image, relative to the height of the detected face.
     * A value of 1.0 implies that the overlaid image will have the same height as the detected face. Values greater
     * than 1.0 are allowed, while negative values are forbidden.
     */
    setOverlayedImage(
      uri: string,
      offsetXPercent: number,
      offsetYPercent: number,
      widthPercent: number,
      heightPercent: number,
      callback?: Callback<void>,
    ): Promise<void>;

    // Events (see FaceOverlayFilterEvents)
    on<E extends keyof FaceOverlayFilterEvents>(event: E, listener: (event: FaceOverlayFilterEvents[E]) => void): this;
    once<E extends keyof FaceOverlayFilterEvents>(
      event: E,
      listener: (event: FaceOverlayFilterEvents[E]) => void,
    ): this;
    addListener<E extends keyof FaceOverlayFilterEvents>(
      event: E,
      listener: (event: FaceOverlayFilterEvents[E]) => void,
    ): this;
    prependListener<E extends keyof FaceOverlayFilterEvents>(
      event: E,
      listener: (event: FaceOverlayFilterEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof FaceOverlayFilterEvents>(
      event: E,
      listener: (event: FaceOverlayFilterEvents[E]) => void,
    ): this;
    off<E extends keyof FaceOverlayFilterEvents>(event: E, listener: (event: FaceOverlayFilterEvents[E]) => void): this;
    removeListener<E extends keyof FaceOverlayFilterEvents>(
      event: E,
      listener: (event: FaceOverlayFilterEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof FaceOverlayFilterEvents): this;
    listenerCount(event: keyof FaceOverlayFilterEvents): number;
  }

  /** Events a GStreamerFilter can be subscribed to, with their payloads (inherited ones included). */
  type GStreamerFilterEvents = FilterEvents;

  /**
   * A generic filter that allows injecting a single GStreamer element.
   *
   * Created with `create('GStreamerFilter', …)`.
   */
  interface GStreamerFilter extends Filter {
    // Properties
    /**
     * String used to instantiate the GStreamer element, as in gst-launch
     * (https://gstreamer.freedesktop.org/documentation/tools/gst-launch.html). (read-only)
     */
    getCommand(callback?: Callback<string>): Promise<string>;

    // Methods
    /**
     * Provide a value to one of the GStreamer element's properties.
     * @param propertyName - Name of the property that needs to be modified in the GStreamer element.
     * @param propertyValue - Value that must be assigned to the property.
     */
    setElementProperty(propertyName: string, propertyValue: string, callback?: Callback<void>): Promise<void>;

    // Events (see GStreamerFilterEvents)
    on<E extends keyof GStreamerFilterEvents>(event: E, listener: (event: GStreamerFilterEvents[E]) => void): this;
    once<E extends keyof GStreamerFilterEvents>(event: E, listener: (event: GStreamerFilterEvents[E]) => void): this;
    addListener<E extends keyof GStreamerFilterEvents>(
      event: E,
      listener: (event: GStreamerFilterEvents[E]) => void,
    ): this;
    prependListener<E extends keyof GStreamerFilterEvents>(
      event: E,
      listener: (event: GStreamerFilterEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof GStreamerFilterEvents>(
      event: E,
      listener: (event: GStreamerFilterEvents[E]) => void,
    ): this;
    off<E extends keyof GStreamerFilterEvents>(event: E, listener: (event: GStreamerFilterEvents[E]) => void): this;
    removeListener<E extends keyof GStreamerFilterEvents>(
      event: E,
      listener: (event: GStreamerFilterEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof GStreamerFilterEvents): this;
    listenerCount(event: keyof GStreamerFilterEvents): number;
  }

  /** Events a ImageOverlayFilter can be subscribed to, with their payloads (inherited ones included). */
  type ImageOverlayFilterEvents = FilterEvents;

  /**
   * ImageOverlayFilter interface. This type of Filter draws an image in a configured position over a video feed.
   *
   * Created with `create('ImageOverlayFilter', …)`.
   */
  interface ImageOverlayFilter extends Filter {
    // Methods
    /**
     * Remove the image with the given ID.
     * @param id - Image ID to be removed.
     */
    removeImage(id: string, callback?: Callback<void>): Promise<void>;
    /**
     * Add an image to be used as overlay.
     * @param id - image ID.
     * @param uri - URI where the image is located.
     * @param offsetXPercent - Percentage relative to the image width to calculate the X coordinate of the position
     * (left upper corner) [0..1].
     * @param offsetYPercent - Percentage relative to the image height to calculate the Y coordinate of the position
     * (left upper corner) [0..1].
     * @param widthPercent - Proportional width of the overlaid image, relative to the width of the video [0..1].
     * @param heightPercent - Proportional height of the overlaid image, relative to the height of the video [0..1].
     * @param keepAspectRatio - Keep the aspect ratio of the original image.
     * @param center - If the image doesn't fit in the dimensions, the image will be center into the region defined by
     * height and width.
     */
    addImage(
      id: string,
      uri: string,
      offsetXPercent: number,
      offsetYPercent: number,
      widthPercent: number,
      heightPercent: number,
      keepAspectRatio: boolean,
      center: boolean,
      callback?: Callback<void>,
    ): Promise<void>;

    // Events (see ImageOverlayFilterEvents)
    on<E extends keyof ImageOverlayFilterEvents>(
      event: E,
      listener: (event: ImageOverlayFilterEvents[E]) => void,
    ): this;
    once<E extends keyof ImageOverlayFilterEvents>(
      event: E,
      listener: (event: ImageOverlayFilterEvents[E]) => void,
    ): this;
    addListener<E extends keyof ImageOverlayFilterEvents>(
      event: E,
      listener: (event: ImageOverlayFilterEvents[E]) => void,
    ): this;
    prependListener<E extends keyof ImageOverlayFilterEvents>(
      event: E,
      listener: (event: ImageOverlayFilterEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof ImageOverlayFilterEvents>(
      event: E,
      listener: (event: ImageOverlayFilterEvents[E]) => void,
    ): this;
    off<E extends keyof ImageOverlayFilterEvents>(
      event: E,
      listener: (event: ImageOverlayFilterEvents[E]) => void,
    ): this;
    removeListener<E extends keyof ImageOverlayFilterEvents>(
      event: E,
      listener: (event: ImageOverlayFilterEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof ImageOverlayFilterEvents): this;
    listenerCount(event: keyof ImageOverlayFilterEvents): number;
  }

  /** Events a OpenCVFilter can be subscribed to, with their payloads (inherited ones included). */
  type OpenCVFilterEvents = FilterEvents;

  /**
   * Generic OpenCV Filter.
   *
   * Abstract: not created directly.
   */
  interface OpenCVFilter extends Filter {
    // Events (see OpenCVFilterEvents)
    on<E extends keyof OpenCVFilterEvents>(event: E, listener: (event: OpenCVFilterEvents[E]) => void): this;
    once<E extends keyof OpenCVFilterEvents>(event: E, listener: (event: OpenCVFilterEvents[E]) => void): this;
    addListener<E extends keyof OpenCVFilterEvents>(event: E, listener: (event: OpenCVFilterEvents[E]) => void): this;
    prependListener<E extends keyof OpenCVFilterEvents>(
      event: E,
      listener: (event: OpenCVFilterEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof OpenCVFilterEvents>(
      event: E,
      listener: (event: OpenCVFilterEvents[E]) => void,
    ): this;
    off<E extends keyof OpenCVFilterEvents>(event: E, listener: (event: OpenCVFilterEvents[E]) => void): this;
    removeListener<E extends keyof OpenCVFilterEvents>(
      event: E,
      listener: (event: OpenCVFilterEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof OpenCVFilterEvents): this;
    listenerCount(event: keyof OpenCVFilterEvents): number;
  }

  /** Events a ZBarFilter can be subscribed to, with their payloads (inherited ones included). */
  interface ZBarFilterEvents extends FilterEvents {
    CodeFound: CodeFound;
  }

  /**
   * This filter detects QR codes in a video feed. When a code is found, the filter raises a CodeFound event.
   *
   * Created with `create('ZBarFilter', …)`.
   */
  interface ZBarFilter extends Filter {
    // Events (see ZBarFilterEvents)
    on<E extends keyof ZBarFilterEvents>(event: E, listener: (event: ZBarFilterEvents[E]) => void): this;
    once<E extends keyof ZBarFilterEvents>(event: E, listener: (event: ZBarFilterEvents[E]) => void): this;
    addListener<E extends keyof ZBarFilterEvents>(event: E, listener: (event: ZBarFilterEvents[E]) => void): this;
    prependListener<E extends keyof ZBarFilterEvents>(event: E, listener: (event: ZBarFilterEvents[E]) => void): this;
    prependOnceListener<E extends keyof ZBarFilterEvents>(
      event: E,
      listener: (event: ZBarFilterEvents[E]) => void,
    ): this;
    off<E extends keyof ZBarFilterEvents>(event: E, listener: (event: ZBarFilterEvents[E]) => void): this;
    removeListener<E extends keyof ZBarFilterEvents>(event: E, listener: (event: ZBarFilterEvents[E]) => void): this;
    removeAllListeners(event?: keyof ZBarFilterEvents): this;
    listenerCount(event: keyof ZBarFilterEvents): number;
  }

  /** Events a HubPort can be subscribed to, with their payloads (inherited ones included). */
  type HubPortEvents = MediaElementEvents;

  /**
   * This MediaElement specifies a connection with a Hub.
   *
   * Created with `create('HubPort', …)` or `hub.createHubPort()`.
   */
  interface HubPort extends MediaElement {
    // Events (see HubPortEvents)
    on<E extends keyof HubPortEvents>(event: E, listener: (event: HubPortEvents[E]) => void): this;
    once<E extends keyof HubPortEvents>(event: E, listener: (event: HubPortEvents[E]) => void): this;
    addListener<E extends keyof HubPortEvents>(event: E, listener: (event: HubPortEvents[E]) => void): this;
    prependListener<E extends keyof HubPortEvents>(event: E, listener: (event: HubPortEvents[E]) => void): this;
    prependOnceListener<E extends keyof HubPortEvents>(event: E, listener: (event: HubPortEvents[E]) => void): this;
    off<E extends keyof HubPortEvents>(event: E, listener: (event: HubPortEvents[E]) => void): this;
    removeListener<E extends keyof HubPortEvents>(event: E, listener: (event: HubPortEvents[E]) => void): this;
    removeAllListeners(event?: keyof HubPortEvents): this;
    listenerCount(event: keyof HubPortEvents): number;
  }

  /** Events a PassThrough can be subscribed to, with their payloads (inherited ones included). */
  type PassThroughEvents = MediaElementEvents;

  /**
   * This MediaElement that just passes media through.
   *
   * Created with `create('PassThrough', …)`.
   */
  interface PassThrough extends MediaElement {
    // Events (see PassThroughEvents)
    on<E extends keyof PassThroughEvents>(event: E, listener: (event: PassThroughEvents[E]) => void): this;
    once<E extends keyof PassThroughEvents>(event: E, listener: (event: PassThroughEvents[E]) => void): this;
    addListener<E extends keyof PassThroughEvents>(event: E, listener: (event: PassThroughEvents[E]) => void): this;
    prependListener<E extends keyof PassThroughEvents>(event: E, listener: (event: PassThroughEvents[E]) => void): this;
    prependOnceListener<E extends keyof PassThroughEvents>(
      event: E,
      listener: (event: PassThroughEvents[E]) => void,
    ): this;
    off<E extends keyof PassThroughEvents>(event: E, listener: (event: PassThroughEvents[E]) => void): this;
    removeListener<E extends keyof PassThroughEvents>(event: E, listener: (event: PassThroughEvents[E]) => void): this;
    removeAllListeners(event?: keyof PassThroughEvents): this;
    listenerCount(event: keyof PassThroughEvents): number;
  }

  /** Events a MediaPipeline can be subscribed to, with their payloads (inherited ones included). */
  type MediaPipelineEvents = MediaObjectEvents;

  /**
   * A pipeline is a container for a collection of MediaElements. It offers the methods needed to control the creation
   * and connection of elements inside a certain pipeline.
   *
   * Created with `create('MediaPipeline', …)`.
   */
  interface MediaPipeline extends MediaObject {
    // Properties
    /** If statistics about pipeline latency are enabled for all mediaElements. */
    getLatencyStats(callback?: Callback<boolean>): Promise<boolean>;
    /** If statistics about pipeline latency are enabled for all mediaElements. */
    setLatencyStats(latencyStats: boolean, callback?: Callback<void>): Promise<void>;

    // Methods
    /**
     * Returns a string in dot (graphviz) format that represents the gstreamer elements inside the pipeline.
     * @param details - Details of graph.
     * @returns The dot graph.
     */
    getGstreamerDot(details?: GstreamerDotDetails): Promise<string>;
    getGstreamerDot(callback: Callback<string>): Promise<string>;
    getGstreamerDot(details: GstreamerDotDetails | undefined, callback: Callback<string>): Promise<string>;
    /**
     * If GST_DEBUG_DUMP_DOT_DIR environment variable is defined dumps in that directoy a file with the GStreamer dot
     * of the pipeline.
     * @param details - Details of graph.
     */
    dumpGstreamerDot(details?: GstreamerDotDetails): Promise<void>;
    dumpGstreamerDot(callback: Callback<void>): Promise<void>;
    dumpGstreamerDot(details: GstreamerDotDetails | undefined, callback: Callback<void>): Promise<void>;

    // Client-side members (kurento-client templates)
    /**
     * Creates a media element in this pipeline (`mediaPipeline` is filled in). The object is returned at once and
     * can be used immediately (calls are queued until it exists); await it to know the creation succeeded.
     */
    create<K extends Exclude<keyof Creatable, 'MediaPipeline'>>(
      type: K,
      ...args: CreateArgs<PipelineConstructorParams<K>, Creatable[K]>
    ): Thenable<Creatable[K]>;
    /** Connects each element to the next one: `connect(a, b, c)` is `a.connect(b)` then `b.connect(c)`. */
    connect(...media: [MediaElement, MediaElement, ...MediaElement[]]): Promise<void>;
    connect(media: MediaElement[], callback?: Callback<void>): Promise<void>;

    // Events (see MediaPipelineEvents)
    on<E extends keyof MediaPipelineEvents>(event: E, listener: (event: MediaPipelineEvents[E]) => void): this;
    once<E extends keyof MediaPipelineEvents>(event: E, listener: (event: MediaPipelineEvents[E]) => void): this;
    addListener<E extends keyof MediaPipelineEvents>(event: E, listener: (event: MediaPipelineEvents[E]) => void): this;
    prependListener<E extends keyof MediaPipelineEvents>(
      event: E,
      listener: (event: MediaPipelineEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof MediaPipelineEvents>(
      event: E,
      listener: (event: MediaPipelineEvents[E]) => void,
    ): this;
    off<E extends keyof MediaPipelineEvents>(event: E, listener: (event: MediaPipelineEvents[E]) => void): this;
    removeListener<E extends keyof MediaPipelineEvents>(
      event: E,
      listener: (event: MediaPipelineEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof MediaPipelineEvents): this;
    listenerCount(event: keyof MediaPipelineEvents): number;
  }

  /** Events a ServerManager can be subscribed to, with their payloads (inherited ones included). */
  interface ServerManagerEvents extends MediaObjectEvents {
    ObjectCreated: ObjectCreated;
    ObjectDestroyed: ObjectDestroyed;
  }

  /**
   * This is a standalone object for managing the MediaServer.
   *
   * Abstract: not created directly.
   */
  interface ServerManager extends MediaObject {
    // Properties
    /** Server information, version, modules, factories, etc. (read-only) */
    getInfo(callback?: Callback<ServerInfo>): Promise<ServerInfo>;
    /** All the pipelines available in the server. (read-only) */
    getPipelines(callback?: Callback<MediaPipeline[]>): Promise<MediaPipeline[]>;
    /** All active sessions in the server. (read-only) */
    getSessions(callback?: Callback<string[]>): Promise<string[]>;
    /** Metadata stored in the server. (read-only) */
    getMetadata(callback?: Callback<string>): Promise<string>;

    // Methods
    /**
     * Returns the kmd associated to a module.
     * @param moduleName - Name of the module to get its kmd file.
     * @returns The kmd file.
     */
    getKmd(moduleName: string, callback?: Callback<string>): Promise<string>;
    /**
     * Number of CPU cores that the media server can use.
     * @returns Number of CPU cores available for the media server.
     */
    getCpuCount(callback?: Callback<number>): Promise<number>;
    /**
     * Average CPU usage of the server.
     * @param interval - Time to measure the average CPU usage, in milliseconds.
     * @returns CPU usage %.
     */
    getUsedCpu(interval: number, callback?: Callback<number>): Promise<number>;
    /**
     * Returns the amount of memory that the server is using, in KiB.
     * @returns Used memory, in KiB.
     */
    getUsedMemory(callback?: Callback<number>): Promise<number>;

    // Events (see ServerManagerEvents)
    on<E extends keyof ServerManagerEvents>(event: E, listener: (event: ServerManagerEvents[E]) => void): this;
    once<E extends keyof ServerManagerEvents>(event: E, listener: (event: ServerManagerEvents[E]) => void): this;
    addListener<E extends keyof ServerManagerEvents>(event: E, listener: (event: ServerManagerEvents[E]) => void): this;
    prependListener<E extends keyof ServerManagerEvents>(
      event: E,
      listener: (event: ServerManagerEvents[E]) => void,
    ): this;
    prependOnceListener<E extends keyof ServerManagerEvents>(
      event: E,
      listener: (event: ServerManagerEvents[E]) => void,
    ): this;
    off<E extends keyof ServerManagerEvents>(event: E, listener: (event: ServerManagerEvents[E]) => void): this;
    removeListener<E extends keyof ServerManagerEvents>(
      event: E,
      listener: (event: ServerManagerEvents[E]) => void,
    ): this;
    removeAllListeners(event?: keyof ServerManagerEvents): this;
    listenerCount(event: keyof ServerManagerEvents): number;
  }

  // ===================================================================================================================
  // Maps by type name

  /** Constructor parameters of every class that can be created, as `create(type, params)` takes them. */
  interface ConstructorParams {
    AlphaBlending: {
      /** the MediaPipeline to which the dispatcher belongs. */
      mediaPipeline: MediaPipeline;
    };
    Composite: {
      /** the MediaPipeline to which the dispatcher belongs. */
      mediaPipeline: MediaPipeline;
      /**
       * screen width.
       * @defaultValue `800`
       */
      width?: number;
      /**
       * screen height.
       * @defaultValue `600`
       */
      height?: number;
      /**
       * frames per second.
       * @defaultValue `15`
       */
      framerate?: number;
    };
    Dispatcher: {
      /** the MediaPipeline to which the dispatcher belongs. */
      mediaPipeline: MediaPipeline;
    };
    DispatcherOneToMany: {
      /** the MediaPipeline to which the dispatcher belongs. */
      mediaPipeline: MediaPipeline;
    };
    FaceOverlayFilter: {
      /** pipeline to which this Filter belons. */
      mediaPipeline: MediaPipeline;
    };
    GStreamerFilter: {
      /** the MediaPipeline to which the filter belongs. */
      mediaPipeline: MediaPipeline;
      /**
       * String used to instantiate the GStreamer element, as in gst-launch
       * (https://gstreamer.freedesktop.org/documentation/tools/gst-launch.html).
       */
      command: string;
      /**
       * Sets the filter as Audio, Video, or Autodetect.
       * @defaultValue `"AUTODETECT"`
       */
      filterType?: FilterType;
    };
    HttpPostEndpoint: {
      /** the MediaPipeline to which the endpoint belongs. */
      mediaPipeline: MediaPipeline;
      /**
       * This is the time that an http endpoint will wait for a reconnection, in case an HTTP connection is lost.
       * @defaultValue `2`
       */
      disconnectionTimeout?: number;
      /**
       * Feed the input media as-is to the Media Pipeline, instead of first decoding it.
       * @defaultValue `false`
       */
      useEncodedMedia?: boolean;
    };
    HubPort: {
      /** Hub to which this port belongs. */
      hub: Hub;
    };
    ImageOverlayFilter: {
      /** pipeline to which this Filter belongs. */
      mediaPipeline: MediaPipeline;
    };
    MediaPipeline: Record<string, never>;
    Mixer: {
      /** the MediaPipeline to which the Mixer belongs. */
      mediaPipeline: MediaPipeline;
    };
    PassThrough: {
      /** the MediaPipeline to which the element belongs. */
      mediaPipeline: MediaPipeline;
    };
    PlayerEndpoint: {
      /** The MediaPipeline this PlayerEndpoint belongs to. */
      mediaPipeline: MediaPipeline;
      /** URI pointing to the video. It has to be accessible to the KMS process. */
      uri: string;
      /**
       * Feed an encoded media as-is to the Media Pipeline, instead of first decoding it.
       * @defaultValue `false`
       */
      useEncodedMedia?: boolean;
      /**
       * RTSP buffer length.
       * @defaultValue `2000`
       */
      networkCache?: number;
    };
    RecorderEndpoint: {
      /** the MediaPipeline to which the endpoint belongs. */
      mediaPipeline: MediaPipeline;
      /** URI where the recording will be stored. It must be accessible from the media server process itself: */
      uri: string;
      /**
       * Selects the media format used for recording.
       * @defaultValue `"WEBM"`
       */
      mediaProfile?: MediaProfileSpecType;
      /**
       * Forces the recorder endpoint to finish processing data when an End Of Stream (EOS) is detected in the stream.
       * @defaultValue `false`
       */
      stopOnEndOfStream?: boolean;
    };
    RtpEndpoint: {
      /** the MediaPipeline to which the endpoint belongs. */
      mediaPipeline: MediaPipeline;
      /**
       * SDES-type param. If present, this parameter indicates that the communication will be encrypted. By default no
       * encryption is used.
       * @defaultValue `{}`
       */
      crypto?: SDES;
      /**
       * This configures the endpoint to use IPv6 instead of IPv4.
       * @defaultValue `false`
       */
      useIpv6?: boolean;
    };
    WebRtcEndpoint: {
      /** the MediaPipeline to which the endpoint belongs. */
      mediaPipeline: MediaPipeline;
      /**
       * Single direction, receive-only endpoint.
       * @defaultValue `false`
       */
      recvonly?: boolean;
      /**
       * Single direction, send-only endpoint.
       * @defaultValue `false`
       */
      sendonly?: boolean;
      /**
       * Activate data channels support.
       * @defaultValue `false`
       */
      useDataChannels?: boolean;
      /**
       * Define the type of the certificate used in dtls.
       * @defaultValue `"RSA"`
       */
      certificateKeyType?: CertificateKeyType;
      /**
       * DSCP value to be used in network traffic sent from this endpoint.
       * @defaultValue `"NO_VALUE"`
       */
      qosDscp?: DSCPValue;
    };
    ZBarFilter: {
      /** the MediaPipeline to which the filter belongs. */
      mediaPipeline: MediaPipeline;
    };
  }

  /** Classes that can be created, by type name. */
  interface Creatable {
    AlphaBlending: AlphaBlending;
    Composite: Composite;
    Dispatcher: Dispatcher;
    DispatcherOneToMany: DispatcherOneToMany;
    FaceOverlayFilter: FaceOverlayFilter;
    GStreamerFilter: GStreamerFilter;
    HttpPostEndpoint: HttpPostEndpoint;
    HubPort: HubPort;
    ImageOverlayFilter: ImageOverlayFilter;
    MediaPipeline: MediaPipeline;
    Mixer: Mixer;
    PassThrough: PassThrough;
    PlayerEndpoint: PlayerEndpoint;
    RecorderEndpoint: RecorderEndpoint;
    RtpEndpoint: RtpEndpoint;
    WebRtcEndpoint: WebRtcEndpoint;
    ZBarFilter: ZBarFilter;
  }

  /** Every remote class, by type name (abstract ones included). */
  interface RemoteClasses {
    AlphaBlending: AlphaBlending;
    BaseRtpEndpoint: BaseRtpEndpoint;
    Composite: Composite;
    Dispatcher: Dispatcher;
    DispatcherOneToMany: DispatcherOneToMany;
    Endpoint: Endpoint;
    FaceOverlayFilter: FaceOverlayFilter;
    Filter: Filter;
    GStreamerFilter: GStreamerFilter;
    HttpEndpoint: HttpEndpoint;
    HttpPostEndpoint: HttpPostEndpoint;
    Hub: Hub;
    HubPort: HubPort;
    ImageOverlayFilter: ImageOverlayFilter;
    MediaElement: MediaElement;
    MediaObject: MediaObject;
    MediaPipeline: MediaPipeline;
    Mixer: Mixer;
    OpenCVFilter: OpenCVFilter;
    PassThrough: PassThrough;
    PlayerEndpoint: PlayerEndpoint;
    RecorderEndpoint: RecorderEndpoint;
    RtpEndpoint: RtpEndpoint;
    SdpEndpoint: SdpEndpoint;
    ServerManager: ServerManager;
    SessionEndpoint: SessionEndpoint;
    UriEndpoint: UriEndpoint;
    WebRtcEndpoint: WebRtcEndpoint;
    ZBarFilter: ZBarFilter;
  }

  /** Complex types that `kurentoClient.getComplexType(name)` can build, by name. */
  interface ComplexTypes {
    AudioCaps: AudioCaps;
    CodecConfiguration: CodecConfiguration;
    DtlsConnection: DtlsConnection;
    ElementConnectionData: ElementConnectionData;
    ElementStats: ElementStats;
    EndpointStats: EndpointStats;
    Fraction: Fraction;
    IceCandidate: IceCandidate;
    IceCandidatePair: IceCandidatePair;
    IceConnection: IceConnection;
    MediaLatencyStat: MediaLatencyStat;
    ModuleInfo: ModuleInfo;
    OfferOptions: OfferOptions;
    RTCCertificateStats: RTCCertificateStats;
    RTCCodec: RTCCodec;
    RTCDataChannelStats: RTCDataChannelStats;
    RTCIceCandidateAttributes: RTCIceCandidateAttributes;
    RTCIceCandidatePairStats: RTCIceCandidatePairStats;
    RTCInboundRTPStreamStats: RTCInboundRTPStreamStats;
    RTCMediaStreamStats: RTCMediaStreamStats;
    RTCMediaStreamTrackStats: RTCMediaStreamTrackStats;
    RTCOutboundRTPStreamStats: RTCOutboundRTPStreamStats;
    RTCPeerConnectionStats: RTCPeerConnectionStats;
    RTCRTPStreamStats: RTCRTPStreamStats;
    RTCStats: RTCStats;
    RTCTransportStats: RTCTransportStats;
    RembParams: RembParams;
    SDES: SDES;
    ServerInfo: ServerInfo;
    Stats: Stats;
    Tag: Tag;
    VideoCaps: VideoCaps;
    VideoInfo: VideoInfo;
  }
}
