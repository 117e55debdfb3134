/**
 * The pictures of the filter labs in static/media/ are what labs/framework/pictures.ts says they are: the hat is what
 * scripts/make-filter-media.ts draws, the QR code holds the text the qr-codes lab expects (read back with Debian's
 * zbarimg), and OpenCV's frontal-face cascade (the detector of FaceOverlayFilter, through GStreamer's facedetect)
 * finds the face of the photograph where the magic-mirror lab looks for the hat.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MEDIA_DIR, drawHat } from '../../scripts/make-filter-media';
import { HAT, SAMPLE_FACE, SAMPLE_QR } from '../../labs/framework/pictures';

const CASCADE = '/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml';

test('the hat is what the script draws (npx tsx scripts/make-filter-media.ts)', () => {
  assert.ok(drawHat().equals(readFileSync(path.join(MEDIA_DIR, HAT.file))));
});

test('the sample QR code reads as the text the lab expects', (t) => {
  const zbarimg = spawnSync('zbarimg', ['--quiet', '--raw', path.join(MEDIA_DIR, SAMPLE_QR.file)], { encoding: 'utf8' });
  if (zbarimg.error) {
    t.skip("Debian's zbar-tools is not installed");
    return;
  }
  assert.equal(zbarimg.stdout.trim(), SAMPLE_QR.text);
});

test('OpenCV finds the face of the sample photograph where the lab expects it', (t) => {
  if (!existsSync(CASCADE)) {
    t.skip("no Haar cascade: install Debian's opencv-data and gstreamer1.0-opencv");
    return;
  }
  const { width, height } = SAMPLE_FACE;
  const gst = spawnSync(
    'gst-launch-1.0',
    ['-m', 'filesrc', `location=${path.join(MEDIA_DIR, SAMPLE_FACE.file)}`, '!', 'jpegdec', '!', 'videoconvert', '!', 'videoscale', '!', `video/x-raw,format=RGB,width=${width},height=${height}`,
      '!', 'imagefreeze', 'num-buffers=2', '!', 'facedetect', 'display=false', 'updates=every_frame', `profile=${CASCADE}`, 'scale-factor=1.2', 'min-neighbors=3',
      'flags=do-canny-pruning', `min-size-width=${width / 20}`, `min-size-height=${height / 20}`, '!', 'fakesink'],
    { encoding: 'utf8', timeout: 30000 },
  );
  if (gst.error) {
    t.skip("gst-launch-1.0 is not installed (Debian's gstreamer1.0-tools)");
    return;
  }
  const faces = [...gst.stdout.replace(/\\/g, '').matchAll(/x=\(uint\)(\d+), y=\(uint\)(\d+), width=\(uint\)(\d+), height=\(uint\)(\d+)/g)].map((match) => ({
    x: Number(match[1]) / width,
    y: Number(match[2]) / height,
    width: Number(match[3]) / width,
    height: Number(match[4]) / height,
  }));
  assert.ok(faces.length > 0, `facedetect found no face:\n${gst.stdout.slice(-2000)}${gst.stderr.slice(-2000)}`);
  const face = faces[0];
  for (const key of ['x', 'y', 'width', 'height'] as const) {
    assert.ok(Math.abs((face?.[key] ?? 0) - SAMPLE_FACE.face[key]) < 0.02, `${key}: found ${face?.[key]}, expected ${SAMPLE_FACE.face[key]}`);
  }
});
