/**
 * Which of the faces a Haar cascade reports are drawn (FaceOverlayFilter). Pure functions over boxes given as
 * fractions of the analysed frame, so that they hold for any frame size.
 *
 * Two rules, applied to each analysis:
 * - Size: a box wider or taller than half the frame is no face. KMS' detector searches no window larger than half
 *   of its copy (the maximum size it gives the cascade); GStreamer's facedetect has no maximum size property, so the
 *   boxes it groups are filtered here instead (the nearest equivalent after grouping).
 * - Stability: a box is drawn only when the analysis before found a box overlapping it (intersection over union at
 *   least STABLE_IOU). A one-off detection, such as the odd false face of a still photograph, is never drawn; a face
 *   appears one analysis after it is first found.
 */

/** A detected face, as fractions of the analysed frame's width and height. */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The largest face, as a fraction of the frame on each side (KMS: half its copy's columns and rows). */
export const MAX_FACE_FRACTION = 0.5;

/**
 * The overlap that makes two boxes of consecutive analyses the same face. The same still face jitters by a pixel or
 * two between analyses (IoU above 0.9 on a 75-pixel face of a 320x240 copy); 0.3 still pairs a face that moved half its
 * width sideways between two analyses (equal boxes shifted by d of their width: IoU = (1 - d) / (1 + d), 0.33 at
 * d = 0.5), that is 2.5 face widths a second at 5 analyses a second, while a box elsewhere in the frame (IoU near 0)
 * or one that merely touches a face does not pair.
 */
export const STABLE_IOU = 0.3;

/** Intersection over union of two boxes (0 when they do not overlap or when both are empty). */
export function intersectionOverUnion(a: FaceBox, b: FaceBox): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (width <= 0 || height <= 0) return 0;
  const intersection = width * height;
  const union = a.width * a.height + b.width * b.height - intersection;
  return union > 0 ? intersection / union : 0;
}

/** The boxes no larger than `maxFraction` of the frame on either side. */
export function plausibleFaces(boxes: readonly FaceBox[], maxFraction = MAX_FACE_FRACTION): FaceBox[] {
  return boxes.filter((box) => box.width > 0 && box.height > 0 && box.width <= maxFraction && box.height <= maxFraction);
}

/** The boxes of `current` that overlap a box of `previous` (the analysis before) by at least `threshold` IoU. */
export function stableFaces(previous: readonly FaceBox[], current: readonly FaceBox[], threshold = STABLE_IOU): FaceBox[] {
  return current.filter((box) => previous.some((earlier) => intersectionOverUnion(earlier, box) >= threshold));
}

/**
 * The state between analyses: feed each analysis' raw boxes to `next`, which answers the boxes to draw until the
 * next analysis (the latest position of each face seen in both).
 */
export class FaceStabilizer {
  private previous: FaceBox[] = [];

  next(raw: readonly FaceBox[]): FaceBox[] {
    const current = plausibleFaces(raw);
    const drawn = stableFaces(this.previous, current);
    this.previous = current;
    return drawn;
  }

  /** Forgets the last analysis (the stream restarted): the next face found waits for a second sighting again. */
  reset(): void {
    this.previous = [];
  }
}
