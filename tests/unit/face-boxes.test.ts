/**
 * The box rules of FaceOverlayFilter (server/kms/media/face-boxes.ts): no face larger than half the frame, and a face
 * drawn only when two analyses in a row found it, then kept through one analysis that misses it. The boxes are those GStreamer's facedetect reported on the test
 * photographs (320x240 copy, as fractions): the face of messi5.jpg and the false face beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaceStabilizer, MAX_MISSED_ANALYSES, STABLE_IOU, intersectionOverUnion, plausibleFaces, stableFaces, type FaceBox } from '../../server/kms/media/face-boxes';

const px = (x: number, y: number, width: number, height: number): FaceBox => ({ x: x / 320, y: y / 240, width: width / 320, height: height / 240 });
/** The face of the conformance test's crop of messi5.jpg, and the same face a pixel off (jitter between analyses). */
const FACE = px(132, 90, 60, 60);
const FACE_JITTER = px(133, 91, 59, 59);
/** The false face the cascade finds beside it in about half of the analyses (x 0.51-0.93, y 0.17-0.73). */
const FALSE_FACE = px(162, 40, 136, 136);
/** A small false face elsewhere, within the size limit. */
const STRAY = px(10, 10, 30, 30);

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≈ ${expected}`);

test('intersection over union', () => {
  close(intersectionOverUnion(FACE, FACE), 1);
  close(intersectionOverUnion(px(0, 0, 10, 10), px(20, 20, 10, 10)), 0);
  close(intersectionOverUnion(px(0, 0, 10, 10), px(10, 0, 10, 10)), 0); // edges touch
  close(intersectionOverUnion(px(0, 0, 10, 10), px(5, 0, 10, 10)), 50 / 150); // half a width sideways: 1/3
  close(intersectionOverUnion(px(0, 0, 20, 20), px(5, 5, 10, 10)), 100 / 400); // one inside the other
  close(intersectionOverUnion(px(0, 0, 0, 0), px(0, 0, 0, 0)), 0);
  assert.ok(intersectionOverUnion(FACE, FACE_JITTER) > 0.9);
  assert.ok(intersectionOverUnion(FACE, FALSE_FACE) < 0.1);
});

test('plausibleFaces: nothing wider or taller than half the frame (KMS\' maximum face size), nothing empty', () => {
  assert.deepEqual(plausibleFaces([FACE, FALSE_FACE, STRAY]), [FACE, STRAY]);
  assert.deepEqual(plausibleFaces([px(0, 0, 160, 120)]), [px(0, 0, 160, 120)]); // exactly half: kept
  assert.deepEqual(plausibleFaces([px(0, 0, 161, 100), px(0, 0, 100, 121), px(0, 0, 0, 10)]), []);
});

test('stableFaces: the boxes of this analysis that overlap one of the analysis before', () => {
  assert.deepEqual(stableFaces([], [FACE]), [], 'first sighting: not drawn');
  assert.deepEqual(stableFaces([FACE], [FACE_JITTER]), [FACE_JITTER], 'the latest position is drawn');
  assert.deepEqual(stableFaces([FACE], [FACE_JITTER, STRAY]), [FACE_JITTER], 'a one-off box is not');
  assert.deepEqual(stableFaces([STRAY], [FACE]), [], 'a box elsewhere does not confirm a face');
  // Half a width sideways between two analyses still pairs (IoU 1/3); more does not.
  assert.deepEqual(stableFaces([px(100, 100, 60, 60)], [px(130, 100, 60, 60)]).length, 1);
  assert.deepEqual(stableFaces([px(100, 100, 60, 60)], [px(140, 100, 60, 60)]).length, 0);
  assert.equal(STABLE_IOU, 0.3);
  // Two faces, each confirmed by its own earlier box.
  const other = px(250, 150, 40, 40);
  assert.deepEqual(stableFaces([FACE, other], [other, FACE_JITTER]), [other, FACE_JITTER]);
});

test('FaceStabilizer: one-off and oversized detections are never drawn; a steady face is, from its second analysis', () => {
  const stabilizer = new FaceStabilizer();
  // A sequence as facedetect reported it on the still photograph, with a stray box once and the big false face often.
  const analyses: FaceBox[][] = [[], [FACE], [FACE_JITTER, FALSE_FACE], [FACE, FALSE_FACE, STRAY], [FALSE_FACE], [FACE], [FACE_JITTER]];
  const drawn = analyses.map((raw) => stabilizer.next(raw));
  // The face missed once (the fifth analysis) stays drawn where it was, and the next sighting goes on drawing it.
  assert.deepEqual(drawn, [[], [], [FACE_JITTER], [FACE], [FACE], [FACE], [FACE_JITTER]]);
  for (const boxes of drawn) for (const box of boxes) assert.ok(intersectionOverUnion(box, FACE) > 0.9, 'only the face is ever drawn');

  // A stray box seen once after each face analysis is never drawn, however often it comes.
  const flicker = new FaceStabilizer();
  for (let index = 0; index < 20; index += 1) {
    const boxes = flicker.next(index % 2 === 0 ? [FACE, STRAY] : [FACE]);
    assert.ok(!boxes.includes(STRAY));
  }

  // A detector restart (skip) counts as one missed analysis: the face stays, and its next sighting keeps it.
  assert.deepEqual(stabilizer.skip(), [FACE_JITTER]);
  assert.deepEqual(stabilizer.next([FACE]), [FACE], 'after a restart the face found where it was is drawn at once');
});

test('FaceStabilizer: a confirmed face is kept through one missed analysis, not two; an unconfirmed box is never kept', () => {
  assert.equal(MAX_MISSED_ANALYSES, 1);
  const stabilizer = new FaceStabilizer();
  assert.deepEqual(stabilizer.next([FACE]), []);
  assert.deepEqual(stabilizer.next([FACE_JITTER]), [FACE_JITTER]);
  assert.deepEqual(stabilizer.next([]), [FACE_JITTER], 'missed once: drawn at its last box');
  assert.deepEqual(stabilizer.next([]), [], 'missed twice: gone');
  assert.deepEqual(stabilizer.next([FACE]), [], 'gone means a new first sighting');
  assert.deepEqual(stabilizer.next([FACE]), [FACE]);

  // A detector that finds the confirmed face every other analysis draws it all along (missed: at its last box).
  for (let index = 0; index < 10; index += 1) assert.deepEqual(stabilizer.next(index % 2 === 0 ? [] : [FACE_JITTER]), [index === 0 ? FACE : FACE_JITTER]);

  // Held boxes never confirm a stray: a box elsewhere, seen once beside a held face, is not drawn, then or later.
  const held = new FaceStabilizer();
  held.next([FACE]);
  held.next([FACE]);
  assert.deepEqual(held.next([STRAY]), [FACE]);
  assert.deepEqual(held.next([]), [], 'the stray was never confirmed, so it is not held; the face missed twice');

  // Two restarts in a row are two misses.
  const restarted = new FaceStabilizer();
  restarted.next([FACE]);
  restarted.next([FACE]);
  assert.deepEqual(restarted.skip(), [FACE]);
  assert.deepEqual(restarted.skip(), []);

  // The big false face is never drawn, whether or not a face is held beside it.
  const beside = new FaceStabilizer();
  for (const raw of [[FACE], [FACE, FALSE_FACE], [FALSE_FACE], [FALSE_FACE], [FACE, FALSE_FACE]]) {
    for (const box of beside.next(raw)) assert.ok(intersectionOverUnion(box, FACE) > 0.9, 'only the face is ever drawn');
  }
});
