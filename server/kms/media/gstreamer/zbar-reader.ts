/**
 * The part of ZBarFilter's gst-launch-1.0 pipeline after the VP8 decoder: zbar reads every decoded frame (a `barcode`
 * message for each code it reads), and a videoanalyse element reports decoded frames, REPORT_FPS a second (a videorate
 * before it drops the others; the depayloaded video has a variable frame rate, 0/1, so the caps ask for the rate).
 * zbar posts nothing for a frame without a code, so these reports (GstVideoAnalyse messages, whose values are not
 * used) are the sign that frames still decode: silence while video goes in makes the filter ask for a key frame
 * (decode-watch.ts). Both elements come with gstreamer1.0-plugins-bad.
 */

/** Decoded frames reported a second. */
export const ZBAR_REPORT_FPS = 5;

/** The GStreamer message structure of a decoded frame's report. */
export const ZBAR_REPORT_MESSAGE = 'GstVideoAnalyse';

/** The elements after `vp8dec`, starting with the link to it. */
export function zbarReader(): string[] {
  return [
    // zbar reads the newest decoded frame: when it is slower than the video (CPU load) it skips frames, and the
    // decoder and the jitter buffer before it never wait (the source runs without drop-on-latency: launch.ts).
    '!', 'queue', 'leaky=downstream', 'max-size-buffers=1',
    '!', 'videoconvert', '!', 'zbar', 'cache=false',
    // skip-to-first: no copies of the first frame for the time before it (a burst of reports at every start).
    '!', 'videorate', 'skip-to-first=true', '!', `video/x-raw,framerate=${ZBAR_REPORT_FPS}/1`, '!', 'videoanalyse',
    '!', 'fakesink', 'sync=false', 'async=false',
  ];
}
