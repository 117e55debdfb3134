/** Which chapter embeds which lab (the labs index and the tests open them there). */
export const LAB_CHAPTERS: Readonly<Record<string, string>> = {
  'connection-check': '/docs/installing-kms',
  'hello-world': '/docs/first-app-javascript',
  'webrtc-events': '/docs/endpoint-events',
  'data-channels': '/docs/endpoint-events',
};
