/** The event catalogue: which KMD class defines which event (kurento-client 7.3 / KMS 7.3). */

/** Every event of the WebRtcEndpoint class hierarchy, by the class that defines it (KMD 7.3). */
export const WEBRTC_ENDPOINT_EVENTS: Readonly<Record<string, readonly string[]>> = {
  MediaObject: ['Error'],
  MediaElement: ['ElementConnected', 'ElementDisconnected', 'MediaFlowInStateChanged', 'MediaFlowOutStateChanged', 'MediaTranscodingStateChanged'],
  SessionEndpoint: ['MediaSessionStarted', 'MediaSessionTerminated'],
  BaseRtpEndpoint: ['ConnectionStateChanged', 'MediaStateChanged'],
  WebRtcEndpoint: [
    'IceCandidateFound',
    'IceGatheringDone',
    'IceComponentStateChanged',
    'NewCandidatePairSelected',
    'DtlsConnectionStateChange',
    'DataChannelOpened',
    'DataChannelClosed',
  ],
};

export const ALL_WEBRTC_ENDPOINT_EVENTS: readonly string[] = Object.values(WEBRTC_ENDPOINT_EVENTS).flat();
