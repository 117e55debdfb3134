/**
 * The box rules of FaceOverlayFilter (server/kms/media/face-boxes.ts): no face larger than half the frame, and a face
 * drawn only when two analyses in a row found it. The boxes are those GStreamer's facedetect reported on the test
 * photographs (320x240 copy, as fractions): the face of messi5.jpg and the false face beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaceStabilizer, STABLE_IOU, intersectionOverUnion, plausibleFaces, stableFaces, type FaceBox } from '../../server/kms/media/face-boxes';

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
  assert.deepEqual(drawn, [[], [], [FACE_JITTER], [FACE], [], [], [FACE_JITTER]]);
  for (const boxes of drawn) for (const box of boxes) assert.ok(intersectionOverUnion(box, FACE) > 0.9, 'only the face is ever drawn');

  // A stray box seen once after each face analysis is never drawn, however often it comes.
  const flicker = new FaceStabilizer();
  for (let index = 0; index < 20; index += 1) {
    const boxes = flicker.next(index % 2 === 0 ? [FACE, STRAY] : [FACE]);
    assert.ok(!boxes.includes(STRAY));
  }

  stabilizer.reset();
  assert.deepEqual(stabilizer.next([FACE]), [], 'after a reset the face waits for a second sighting again');
  assert.deepEqual(stabilizer.next([FACE]), [FACE]);
});
