/** Which chapter embeds which lab (the labs index and the tests open them there). */
export const LAB_CHAPTERS: Readonly<Record<string, string>> = {
  'connection-check': '/docs/installing-kms',
  'turn-relay': '/docs/coturn',
  'hello-world': '/docs/first-app-javascript',
  'three-tier-hello-world': '/docs/three-tier',
  'three-tier-one2one': '/docs/three-tier',
  'three-tier-one2many': '/docs/three-tier',
  'three-tier-group-call': '/docs/three-tier',
  'webrtc-events': '/docs/endpoint-events',
  'data-channels': '/docs/endpoint-events',
  broadcasting: '/docs/broadcasting',
  'group-call': '/docs/group-call',
  routing: '/docs/routing',
  recording: '/docs/recording',
  player: '/docs/playback',
  transcoding: '/docs/transcoding',
  mixing: '/docs/mixing',
};
