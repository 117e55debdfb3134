import { translate } from '@docusaurus/Translate';

/** Plain-words explanation, with the fix, of a getUserMedia failure. */
export function describeMediaError(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return translate({
        id: 'media.error.denied',
        message:
          'The browser refused camera and microphone access. Allow them for this site (the camera icon in the address bar), then run again.',
      });
    case 'NotFoundError':
    case 'OverconstrainedError':
      return translate({
        id: 'media.error.notFound',
        message: 'No camera or microphone was found. Connect one (or start Chromium with --use-fake-device-for-media-stream), then run again.',
      });
    case 'NotReadableError':
    case 'AbortError':
      return translate({
        id: 'media.error.busy',
        message: 'The camera exists but could not be opened; another application may be using it. Close it, then run again.',
      });
    default:
      return translate(
        { id: 'media.error.other', message: 'The camera could not be opened: {message}' },
        { message: error instanceof Error ? error.message : String(error) },
      );
  }
}
