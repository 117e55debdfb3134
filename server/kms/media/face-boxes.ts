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
 * - Holding: a face so confirmed stays drawn, where it was last seen, through one analysis that misses it (the cascade
 *   loses a real face now and then, or an analysis is lost to a detector restart), and the next analysis that finds
 *   it there goes on drawing it without a new confirmation. Two misses in a row end it. A box never confirmed is never
 *   held, so one-off detections stay undrawn.
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

/** Analyses in a row a confirmed face may be missing from and still be drawn (at its last box). */
export const MAX_MISSED_ANALYSES = 1;

/** A box of the last analysis, or a confirmed face held through a miss. */
interface Track {
  box: FaceBox;
  confirmed: boolean;
  /** Analyses in a row that did not find it (0: found by the last one). */
  missed: number;
}

/**
 * The state between analyses: feed each analysis' raw boxes to `next`, which answers the boxes to draw until the
 * next analysis (the latest position of each face seen in two analyses in a row, and of each such face missed by
 * the last analysis alone).
 */
export class FaceStabilizer {
  private tracks: Track[] = [];

  next(raw: readonly FaceBox[]): FaceBox[] {
    const current = plausibleFaces(raw);
    const matched = new Set<Track>();
    const tracks: Track[] = current.map((box) => {
      const earlier = this.tracks.filter((track) => intersectionOverUnion(track.box, box) >= STABLE_IOU);
      for (const track of earlier) matched.add(track);
      return { box, confirmed: earlier.length > 0, missed: 0 };
    });
    for (const track of this.tracks) {
      if (track.confirmed && !matched.has(track) && track.missed < MAX_MISSED_ANALYSES) tracks.push({ ...track, missed: track.missed + 1 });
    }
    this.tracks = tracks;
    return tracks.filter((track) => track.confirmed).map((track) => track.box);
  }

  /**
   * An analysis that did not happen (the detector restarted): it counts as a miss, so the faces drawn stay until the
   * new detector's first analysis, which goes on drawing a face it finds there.
   */
  skip(): FaceBox[] {
    return this.next([]);
  }
}
