import { randomInt } from 'node:crypto';
import type { RtpPacket } from 'werift';
import { FaceStabilizer, type FaceBox } from '../media/face-boxes';
import type { FrameSize, OverlayRun, PictureInput, PixelRect } from '../media/ffmpeg/overlay';
import { vp8RtpSource, type GstMessage } from '../media/gstreamer/launch';
import { GstVideoTap } from '../media/gstreamer/video-tap';
import type { ObjectContext } from './MediaObject';
import type { FaceOverlayFilterEvents, KmsConstructorParams } from './kmd-types.generated';
import { OverlayFilter, Picture } from './OverlayFilter';

/** KMS' detector works on a copy at most 320 pixels wide (kmsfacedetector.cpp MAX_WIDTH); so does this one. */
const DETECT_WIDTH = 320;
const DETECT_HEIGHT = 240;
/**
 * Frames analysed per second at most. Detection is nearly all of this filter's cost: the Haar cascade takes about 23 ms
 * of CPU per 320x240 frame. `npm run bench -- codec --only face` (640x480/30, 2 shared cores) measured the detector
 * process at 68 % of a core analysing every frame it could, 15 % at five a second; ffmpeg's drawing adds 8-9 %. The
 * overlay keeps the boxes of the last analysis for the frames between, so a hat
 * follows a moving face with up to 200 ms of lag. KMS' detector also keeps its last boxes for the frames it skips
 * (it skips frames when QoS says it is late); its KMD has no property for the analysis rate, so neither has this one.
 */
const DETECT_FPS = 5;
/** A box as the debug log shows it: x,y wxh in pixels of the analysed copy. */
function boxText(box: FaceBox): string {
  return `${Math.round(box.x * DETECT_WIDTH)},${Math.round(box.y * DETECT_HEIGHT)} ${Math.round(box.width * DETECT_WIDTH)}x${Math.round(box.height * DETECT_HEIGHT)}`;
}

/** Faces drawn at once. */
const SLOTS = 4;
const CASCADE = '/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml';

/**
 * KMD FaceOverlayFilter: finds faces with OpenCV's Haar cascade (haarcascade_frontalface_default, the classifier of
 * KMS' kmsfacedetector, on a 320x240 copy, scale factor 1.2, 3 neighbours, Canny pruning, faces from 1/20 of the
 * frame) and draws the image of setOverlayedImage over each: offsetXPercent / offsetYPercent move it by
 * that fraction of the face's width / height, widthPercent / heightPercent size it as that fraction of the face, as
 * kmsimageoverlay does. Without an image the video passes unchanged.
 *
 * Why GStreamer here: ffmpeg has no object detector; GStreamer's `facedetect` (gstreamer1.0-opencv, with the cascade
 * of opencv-data) runs the same OpenCV detection as KMS. One gst-launch-1.0 process analyses a copy of the video,
 * at most DETECT_FPS frames a second and no faster than it can, dropping the frames that arrive while it is busy (a
 * leaky queue, as KMS drops frames under load through QoS). KMS keeps the aspect ratio of its 320-pixel copy; this
 * copy is always 320x240 (coordinates are fractions of it, so they map back onto any frame). The image is drawn by
 * ffmpeg (media/ffmpeg/overlay.ts), which is told where the faces are.
 *
 * Which boxes are drawn (media/face-boxes.ts): none larger than half the frame (KMS' maximum face size), and only a
 * face seen in two analyses in a row, so that a one-off false face is never drawn; a face so confirmed is kept
 * through one analysis that misses it. KMS draws each frame's detections as they come; with five analyses a second
 * instead of thirty, a one-off false box would stay on screen for 200 ms.
 */
export class FaceOverlayFilter extends OverlayFilter<FaceOverlayFilterEvents> {
  private readonly tap: GstVideoTap;
  private image: { picture: Picture; offsetX: number; offsetY: number; width: number; height: number } | undefined;
  /** The faces drawn until the next analysis, as fractions of the frame. */
  private faces: FaceBox[] = [];
  private readonly stabilizer = new FaceStabilizer();
  /** Analyses received from the detector (debug log). */
  private analyses = 0;

  constructor(context: ObjectContext, { mediaPipeline }: KmsConstructorParams['FaceOverlayFilter']) {
    super(context, 'FaceOverlayFilter', mediaPipeline);
    this.tap = new GstVideoTap(
      'FaceOverlayFilter',
      (port, payloadType) => [
        ...vp8RtpSource(port, payloadType, { waitForKeyframe: true }),
        // At most DETECT_FPS frames a second go on to detection, scaled down before the colour conversion (which then
        // works on a quarter of the pixels). The depayloaded video has a variable frame rate (0/1), which videorate's
        // max-rate would let through unchanged: the caps ask for the rate instead.
        '!', 'videorate', '!', `video/x-raw,framerate=${DETECT_FPS}/1`,
        '!', 'videoscale', '!', `video/x-raw,width=${DETECT_WIDTH},height=${DETECT_HEIGHT}`,
        '!', 'videoconvert', '!', 'video/x-raw,format=RGB',
        '!', 'queue', 'leaky=downstream', 'max-size-buffers=1',
        '!', 'facedetect', 'display=false', 'updates=every_frame', `profile=${CASCADE}`,
        'scale-factor=1.2', 'min-neighbors=3', 'flags=do-canny-pruning', `min-size-width=${DETECT_WIDTH / 20}`, `min-size-height=${DETECT_HEIGHT / 20}`,
        '!', 'fakesink', 'sync=false', 'async=false',
      ],
      {
        message: (message) => this.onDetection(message),
        keyframeNeeded: (silentMs) => {
          if (silentMs !== undefined) this.context.log.debug(`${this.type} ${this.shortId}: no analysis for ${silentMs} ms while video goes in: asking for a key frame`);
          this.node.requestUpstreamKeyframe('VIDEO');
        },
        failure: (description, final) => {
          // The analyses lost while the detector restarts count as one miss: a face drawn stays until the new
          // detector's first analysis, which goes on drawing it when it is still there.
          this.context.log.info(`${this.type} ${this.shortId}: the face detector stopped${final ? '' : ', restarting it'} (${this.analyses} analyses so far)`);
          this.faces = this.stabilizer.skip();
          const run = this.currentRun;
          if (run?.ready) this.draw(run);
          this.raiseError('STREAM_ERROR_FAILED', description, 0);
        },
      },
      randomInt(0x10000000, 0x70000000),
      // DETECT_FPS analyses a second, each posting a message: a second without one is a stream that does not decode.
      1000,
    );
  }

  /** The pid of the detection process, when one runs (tests). */
  get detectorPid(): number | undefined {
    return this.tap.pid;
  }

  // KMD methods -------------------------------------------------------------------------------------------------------

  async setOverlayedImage(params: { uri: string; offsetXPercent: number; offsetYPercent: number; widthPercent: number; heightPercent: number }): Promise<void> {
    const picture = Picture.of(params.uri, this.context);
    const previous = this.image?.picture;
    // KMS draws nothing for a zero width or height; it is an image all the same.
    this.image = { picture, offsetX: params.offsetXPercent, offsetY: params.offsetYPercent, width: params.widthPercent, height: params.heightPercent };
    this.replan();
    await previous?.close();
  }

  async unsetOverlayedImage(): Promise<void> {
    const previous = this.image?.picture;
    this.image = undefined;
    this.replan();
    await previous?.close();
  }

  // Media -------------------------------------------------------------------------------------------------------------

  protected plan(size: FrameSize) {
    const image = this.image;
    if (!image || image.width <= 0 || image.height <= 0) return undefined;
    return {
      key: `${image.picture.uri}|${size.width}x${size.height}`,
      pictures: [image.picture],
      build: (inputs: PictureInput[]) => ({ size, pictures: inputs, fixed: [], movable: SLOTS }),
    };
  }

  protected override onVideo(packet: RtpPacket): void {
    this.tap.push(packet);
  }

  protected override onRunStarted(run: OverlayRun): void {
    this.draw(run);
  }

  private onDetection(message: GstMessage): void {
    if (message.structure !== 'facedetect') return;
    const raw = (message.fields.faces ?? '').replace(/\\/g, '');
    const found: FaceBox[] = [];
    for (const match of raw.matchAll(/x=\(uint\)(\d+), y=\(uint\)(\d+), width=\(uint\)(\d+), height=\(uint\)(\d+)/g)) {
      found.push({ x: Number(match[1]) / DETECT_WIDTH, y: Number(match[2]) / DETECT_HEIGHT, width: Number(match[3]) / DETECT_WIDTH, height: Number(match[4]) / DETECT_HEIGHT });
    }
    const drawnBefore = this.faces.length;
    this.faces = this.stabilizer.next(found);
    this.analyses += 1;
    this.context.log.debug(`${this.type} ${this.shortId}: analysis ${this.analyses}: ${found.length} found [${found.map(boxText).join(' ')}], ${this.faces.length} drawn${drawnBefore > this.faces.length ? ` (${drawnBefore - this.faces.length} lost)` : ''}`);
    const run = this.currentRun;
    if (run?.ready) this.draw(run);
  }

  /** Moves the run's slots over the faces drawn since the last analysis (the rest hidden). */
  private draw(run: OverlayRun): void {
    const image = this.image;
    const size = run.plan.size;
    for (let index = 0; index < SLOTS; index += 1) {
      const face = this.faces[index];
      let rect: PixelRect | undefined;
      if (face && image) {
        const x = face.x * size.width;
        const y = face.y * size.height;
        const width = face.width * size.width;
        const height = face.height * size.height;
        rect = { x: x + width * image.offsetX, y: y + height * image.offsetY, width: width * image.width, height: height * image.height };
      }
      const sent = run.move(index, rect);
      if (sent.length > 0) this.context.log.debug(`${this.type} ${this.shortId}: slot ${index}: ${sent.join(', ')}`);
    }
  }

  protected override async dispose(): Promise<void> {
    await this.tap.stop();
    await super.dispose();
    await this.image?.picture.close();
  }
}
