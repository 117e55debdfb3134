/**
 * When a GStreamer analysis process (GstVideoTap) needs a key frame to decode again. Its depayloader waits for a key
 * frame after a lost packet (rtpvp8depay wait-for-keyframe): until one comes, no frame is decoded. The process reports
 * regularly while it decodes (FaceOverlayFilter's detector posts one message per analysis, five a second; ZBarFilter's
 * reader has a videoanalyse element post one for each of five frames a second), so silence while packets go in is a
 * stream that does not decode, and the tap asks upstream for a key frame: once the silence passes the limit, then
 * again each time the limit passes once more without a report.
 *
 * A pure function (the caller gives the clock), so that the rule is tested without timers (tests/unit/decode-watch.test.ts).
 */

/**
 * Whether a key frame is to be asked for as a packet goes in at `now`: the process last reported at `lastReportAt`
 * (or its stream started then), a key frame was last asked for at `lastAskAt`, and `silenceMs` is the limit. Returns
 * how long the process has been silent (for the log) when it is, undefined when not.
 */
export function keyframeDueAfterSilence(now: number, lastReportAt: number, lastAskAt: number, silenceMs: number): number | undefined {
  const silentMs = now - lastReportAt;
  return silentMs > silenceMs && now - lastAskAt >= silenceMs ? silentMs : undefined;
}
