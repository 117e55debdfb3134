import { randomInt } from 'node:crypto';
import type { MediaNode, MediaUnit, RtpCodec, RtpUnit } from '../media/graph';
import { vp8RtpSource } from '../media/gstreamer/launch';
import { GstVideoTap } from '../media/gstreamer/video-tap';
import { ZBAR_REPORT_MESSAGE, zbarReader } from '../media/gstreamer/zbar-reader';
import { sameCodec } from '../media/webrtc-session';
import { Filter } from './MediaElement';
import type { ObjectContext } from './MediaObject';
import type { KmsConstructorParams, ZBarFilterEvents } from './kmd-types.generated';

const VP8: RtpCodec = { name: 'VP8', clockRate: 90000 };
/** KMS raises the same code again once a second while it stays in view (ZBarFilterImpl::barcodeDetected). */
const REPEAT_MS = 1000;
/** No decoded frame reported (zbar-reader.ts) for this long while video goes in: a key frame is asked for. */
const SILENCE_MS = 1000;

/**
 * KMD ZBarFilter: reads QR and bar codes in the video with the zbar library and raises CodeFound (codeType as zbar
 * names it: QR-Code, EAN-13, CODE-128, …, and the decoded value), as KMS' filter does: for a code that differs from
 * the last one, or the same code again when a second has passed. The media leaves as it came in (zbar only reads).
 *
 * Why GStreamer here: ffmpeg has no bar code reader; GStreamer's `zbar` element (gstreamer1.0-plugins-bad) is the one
 * KMS itself wraps. A gst-launch-1.0 process decodes a copy of the VP8 input and reports each code it reads; other
 * input codecs reach it through a VP8 transcoding branch of the source, as KMS' agnosticbin would make one.
 *
 * After a lost packet (under CPU load the process' jitter buffer drops late ones) the depayloader waits for a key frame
 * instead of letting vp8dec decode frames built on missing references, which zbar cannot read until a key frame comes
 * by chance; the filter asks upstream for that key frame when no decoded frame was reported for SILENCE_MS (the
 * reports: media/gstreamer/zbar-reader.ts).
 */
export class ZBarFilter extends Filter<ZBarFilterEvents> {
  private readonly tap: GstVideoTap;
  private last: { type: string; value: string; at: number } | undefined;
  /** Decoded frames the reader reported (debug log). */
  private reports = 0;

  constructor(context: ObjectContext, { mediaPipeline }: KmsConstructorParams['ZBarFilter']) {
    super(context, 'ZBarFilter', mediaPipeline);
    this.tap = new GstVideoTap(
      'ZBarFilter',
      (port, payloadType) => [...vp8RtpSource(port, payloadType, { waitForKeyframe: true, dropOnLatency: false }), ...zbarReader()],
      {
        message: (message) => {
          if (message.structure === ZBAR_REPORT_MESSAGE) this.reports += 1;
          if (message.structure !== 'barcode') return;
          const type = message.fields.type;
          const value = message.fields.symbol;
          if (type !== undefined && value !== undefined) this.codeFound(type, value);
        },
        keyframeNeeded: (silentMs) => {
          if (silentMs !== undefined) this.context.log.debug(`${this.type} ${this.shortId}: no decoded frame for ${silentMs} ms while video goes in (${this.reports} reported so far): asking for a key frame`);
          this.node.requestUpstreamKeyframe('VIDEO');
        },
        failure: (description) => this.raiseError('STREAM_ERROR_FAILED', description, 0),
      },
      randomInt(0x10000000, 0x70000000),
      SILENCE_MS,
    );
    this.node.handler = {
      ...this.node.handler,
      onInput: (unit, link) => this.onInput(unit, link.source),
      onKeyframeRequest: (kind) => this.node.requestUpstreamKeyframe(kind),
    };
  }

  /** The pid of the zbar process, when one runs (tests). */
  get zbarPid(): number | undefined {
    return this.tap.pid;
  }

  private onInput(unit: MediaUnit, source: MediaNode): void {
    if (unit.kind !== 'DATA') this.reportTranscoding(unit.kind, false);
    this.node.output(unit);
    if (unit.kind !== 'VIDEO') return;
    if (sameCodec(VP8, unit.codec)) {
      this.tap.push(unit.packet);
      return;
    }
    // Another codec: the reader gets VP8 from a transcoding branch of the source (receiveTranscoded).
    this.pipeline.elementOf(source)?.transcodeFor(this, 'VIDEO', unit.codec, VP8)?.push(unit.packet);
  }

  override receiveTranscoded(unit: RtpUnit): void {
    if (unit.kind === 'VIDEO') this.tap.push(unit.packet);
  }

  private codeFound(type: string, value: string): void {
    const now = Date.now();
    const last = this.last;
    if (last && last.type === type && last.value === value && now - last.at < REPEAT_MS) return;
    this.last = { type, value, at: now };
    this.context.log.debug(`ZBarFilter ${this.shortId}: ${type} ${JSON.stringify(value)}`);
    this.raise('CodeFound', { codeType: type, value });
  }

  protected override async dispose(): Promise<void> {
    await this.tap.stop();
    await super.dispose();
  }
}
