/**
 * werift's RTCRtpSender and RTCRtpReceiver call their async `runRtcp()` for every RTP packet they send or receive; it
 * starts the periodic report loop once and otherwise returns at once, but being async it allocates a promise and
 * queues a microtask each time. Profiled with `BENCH_CPU_PROF` on `npm run bench -- kms --sessions 30`, those
 * early returns were about 2 % of the KMS process' CPU (microtasks under runRtcp, besides the loop's own work).
 *
 * This makes the early return synchronous (one shared resolved promise) and calls werift's runRtcp only when its loop
 * is not running: the same loop, started at the same moment.
 */
import { RTCRtpReceiver, RTCRtpSender } from 'werift';

interface RtcpLoopOwner {
  rtcpRunning: boolean;
  stopped: boolean;
}

type RunRtcp = (this: RtcpLoopOwner) => Promise<void>;

const done = Promise.resolve();
let installed = false;

/** werift's runRtcp when its loop must start, else nothing (the shared resolved promise). */
export function guardRunRtcp(original: RunRtcp): RunRtcp {
  return function runRtcp(this: RtcpLoopOwner): Promise<void> {
    if (this.rtcpRunning || this.stopped) return done;
    return original.call(this);
  };
}

/** Idempotent; called once by the WebRTC session module before any peer connection exists. */
export function installRtcpLoopGuard(): void {
  if (installed) return;
  installed = true;
  for (const prototype of [RTCRtpSender.prototype, RTCRtpReceiver.prototype] as unknown as Array<{ runRtcp: RunRtcp }>) {
    prototype.runRtcp = guardRunRtcp(prototype.runRtcp);
  }
}
