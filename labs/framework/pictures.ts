/**
 * The pictures of the filter labs (magic-mirror, qr-codes), served by this site from static/media/ and made by
 * scripts/make-filter-media.ts: a photograph with one face, a QR code, and the hat the Magic Mirror draws. The programs
 * write the same file names and numbers themselves (a learner reads them there); the checks compare what the page's
 * videos show with the facts here. UI-free: the checks read a LabView only.
 */
import type { LabView, Rgb } from './types';

/**
 * The face photograph: OpenCV's sample messi5.jpg (Debian's opencv-doc), cropped around the face and scaled to
 * 320x240. `face` is where OpenCV's frontal-face Haar cascade finds it (the detector of FaceOverlayFilter), as
 * fractions of the picture; tests/unit/filter-media.test.ts runs the detector on the committed file to prove it.
 */
export const SAMPLE_FACE = {
  file: 'sample-face.jpg',
  source: '/usr/share/doc/opencv-doc/examples/data/messi5.jpg',
  /** ffmpeg crop of the source (w:h:x:y), then scaled to width x height. */
  crop: '160:120:166:45',
  width: 320,
  height: 240,
  face: { x: 121 / 320, y: 99 / 240, width: 75 / 320, height: 75 / 240 },
} as const;

/** The QR code: qrencode of this text, 8 pixels a module with a 4-module margin. */
export const SAMPLE_QR = {
  file: 'sample-qr.png',
  text: 'https://labs.kurento.example/qr-codes?room=42',
} as const;

/** The hat of the Magic Mirror: drawn by the script (no image is copied from anywhere), with a transparent background. */
export const HAT = {
  file: 'magic-mirror-hat.png',
  size: 256,
  /** The crown's purple: far from skin, hair and the photograph's background. */
  crown: '#7b1fa2',
  band: '#ffc107',
  brim: '#4a148c',
  outline: '#1a0033',
} as const;

/**
 * setOverlayedImage(uri, offsetXPercent, offsetYPercent, widthPercent, heightPercent), the values of Kurento's Magic
 * Mirror tutorials: the image is 1.6 faces wide and high, starts 0.35 face widths left of the face and 1.2 face
 * heights above its top, so it sits on the head.
 */
export const HAT_PLACEMENT = { offsetXPercent: -0.35, offsetYPercent: -1.2, widthPercent: 1.6, heightPercent: 1.6 } as const;

/** Where the hat's image lands for a face box (fractions of the frame), as KMS computes it. */
export function hatBox(face: { x: number; y: number; width: number; height: number }, placement = HAT_PLACEMENT): { x: number; y: number; width: number; height: number } {
  return {
    x: face.x + face.width * placement.offsetXPercent,
    y: face.y + face.height * placement.offsetYPercent,
    width: face.width * placement.widthPercent,
    height: face.height * placement.heightPercent,
  };
}

/** The hat's crown in the hat image, as fractions of it (the script draws it there). */
export const CROWN = { x0: 0.24, x1: 0.76, y0: 0.16, y1: 0.84 } as const;

/** The middle of the crown, as fractions of the frame, for the sample photograph: where the check looks. */
export function sampleCrownCentre(): { x: number; y: number } {
  const box = hatBox(SAMPLE_FACE.face);
  return { x: box.x + box.width * ((CROWN.x0 + CROWN.x1) / 2), y: box.y + box.height * ((CROWN.y0 + CROWN.y1) / 2) };
}

/**
 * How purple a colour is: red and blue over green. The crown scores about 110, skin, hair, grass and grey about 0 to
 * 30; a patch of the frame half covered by the crown still scores 50 more than without it.
 */
export function purpleness(colour: Rgb): number {
  return (colour.r + colour.b) / 2 - colour.g;
}

/** How much purpler the output is than the input at a point (undefined while a video has no picture). */
export function purpleGain(view: LabView, input: string, output: string, x: number, y: number): number | undefined {
  const before = view.sampleColorAt(input, x, y);
  const after = view.sampleColorAt(output, x, y);
  if (!before || !after) return undefined;
  return purpleness(after) - purpleness(before);
}

/** The crown is there: the output is at least this much purpler than the input. */
export const HAT_GAIN = 45;

/** Away from the hat, the output shows what the input shows: each channel within this. */
export const SAME_PICTURE = 40;
