/**
 * What a viewer of a benchmarked session would have seen during the measured window, as pure functions of the
 * counters the benches keep (unit-tested in tests/unit/bench-delivery.test.ts):
 *
 * - **returned ÷ sent**: of the RTP packets sent during the window, the share that came back within RETURN_GRACE_MS
 *   of being sent. Each returned packet is matched to its sending by its payload (a forwarding server leaves payloads
 *   alone; see payloadKey), so packets in flight at either end of the window count for the window they were sent in,
 *   and a key frame's burst at the window's edge does not move the figure. Unlike a loss figure from sequence
 *   numbers, it shows a backlog: a server that returns every packet, but seconds late, returns few in time.
 * - **freezes**, counted as WebRTC's `freezeCount` (RTCInboundRtpStreamStats, webrtc-stats) counts them: a frame
 *   whose interframe delay exceeds max(3 × the average frame duration, the average frame duration + 150 ms), the
 *   average taken over the 30 frames before it. A frame is the arrival of a VP8 packet with the marker bit (its last
 *   packet); there is no decoder, so a freeze here is a gap in arriving frames.
 *
 * A run passes only when returned ÷ sent ≥ 99.5 % and it had no freeze, whatever its loss figure says.
 */

/** The lowest returned ÷ sent ratio, in %, for a run to pass. */
export const MIN_RETURNED_PERCENT = 99.5;
/** A packet back later than this after it was sent counts as not returned (a jitter buffer would have given up). */
export const RETURN_GRACE_MS = 500;
/** Frames in the running average of the freeze rule. */
export const FREEZE_AVERAGE_FRAMES = 30;
/** The fixed part of the freeze rule, in ms. */
export const FREEZE_EXTRA_MS = 150;

export const FREEZE_DEFINITION =
  'freeze: a frame arriving more than max(3 × avg, avg + 150 ms) after the previous one, avg = mean interframe delay of the 30 frames before (WebRTC freezeCount)';

/**
 * Freezes in a sequence of frame arrival times (ms, ascending). Frames arrived before the window may be passed as
 * `history`: they set the running average at the window's start, but their own gaps are not counted.
 */
export function countFreezes(frameTimes: readonly number[], history: readonly number[] = []): { freezes: number; longestGapMs: number } {
  const times = [...history, ...frameTimes];
  const firstCounted = Math.max(1, history.length);
  const deltas: number[] = [];
  let sum = 0;
  let freezes = 0;
  let longestGapMs = 0;
  for (let i = 1; i < times.length; i += 1) {
    const delta = (times[i] ?? 0) - (times[i - 1] ?? 0);
    if (i >= firstCounted) {
      longestGapMs = Math.max(longestGapMs, delta);
      // The rule needs an average: with no earlier interframe delay, the first one cannot be judged.
      if (deltas.length > 0) {
        const average = sum / deltas.length;
        if (delta > Math.max(3 * average, average + FREEZE_EXTRA_MS)) freezes += 1;
      }
    }
    deltas.push(delta);
    sum += delta;
    if (deltas.length > FREEZE_AVERAGE_FRAMES) sum -= deltas.shift() ?? 0;
  }
  return { freezes, longestGapMs };
}

/** returned ÷ sent in %, to two decimals; NaN when nothing was sent. */
export function returnedPercent(returned: number, sent: number): number {
  return sent > 0 ? Math.round((returned / sent) * 10000) / 100 : NaN;
}

export interface DeliveryVerdict {
  returnedPercent: number;
  freezes: number;
  /** True when returned ÷ sent ≥ MIN_RETURNED_PERCENT and there was no freeze. */
  passed: boolean;
  /** Why it failed (English), empty when it passed. */
  reasons: string[];
}

/** Judges one run (or one row of a run) from its window's counters. */
export function judgeDelivery({ returned, sent, freezes }: { returned: number; sent: number; freezes: number }): DeliveryVerdict {
  const percent = returnedPercent(returned, sent);
  const reasons: string[] = [];
  if (!(percent >= MIN_RETURNED_PERCENT)) reasons.push(`returned ${percent} % of the packets sent (< ${MIN_RETURNED_PERCENT} %)`);
  if (freezes > 0) reasons.push(`${freezes} freeze(s)`);
  return { returnedPercent: percent, freezes, passed: reasons.length === 0, reasons };
}

/**
 * A cheap fingerprint of an RTP payload (kind, length and three 32-bit words), to match a returned packet to its
 * sending. The clip the peers replay loops every few seconds, so a fingerprint is sent again later: a log keeps the
 * latest sending, which is the right one as long as packets come back within one loop.
 */
export function payloadKey(kind: 'audio' | 'video', payload: Uint8Array): string {
  const length = payload.length;
  const word = (at: number): number => {
    const from = Math.max(0, Math.min(at, length - 4));
    return ((payload[from] ?? 0) | ((payload[from + 1] ?? 0) << 8) | ((payload[from + 2] ?? 0) << 16) | ((payload[from + 3] ?? 0) << 24)) >>> 0;
  };
  return `${kind === 'video' ? 'v' : 'a'}${length}.${word(0)}.${word(length >> 1)}.${word(length - 4)}`;
}

/** When each payload (by payloadKey) was last sent, shared by every receiver of one sender. */
export class SendLog {
  private readonly times = new Map<string, number>();
  /** Sends noted, ever. */
  sent = 0;

  note(key: string, now: number): void {
    this.times.set(key, now);
    this.sent += 1;
  }

  sentAt(key: string): number | undefined {
    return this.times.get(key);
  }
}

/**
 * One receiver's count over a window [open, close] of sending time: packets sent in it, and those of them that came
 * back within `graceMs`. Read it `graceMs` after close().
 */
export class DeliveryWindow {
  private start = Infinity;
  private end = Infinity;
  /** Sends in the window (count them with sent(); a fan-out counts its sender's sends once per receiver). */
  sentInWindow = 0;
  returnedInWindow = 0;
  /** Returned from the window, but later than the grace: counted as not returned. */
  lateInWindow = 0;

  constructor(
    readonly log: SendLog,
    readonly graceMs = RETURN_GRACE_MS,
  ) {}

  open(now: number): void {
    this.start = now;
    this.end = Infinity;
    this.sentInWindow = 0;
    this.returnedInWindow = 0;
    this.lateInWindow = 0;
  }

  close(now: number): void {
    this.end = now;
  }

  /** A packet was sent at `now` (call after the log noted it). */
  sent(now: number): void {
    if (now >= this.start && now <= this.end) this.sentInWindow += 1;
  }

  /** A packet (first copy) came back at `now`. */
  returned(key: string, now: number): void {
    const at = this.log.sentAt(key);
    if (at === undefined || at < this.start || at > this.end) return;
    if (now - at <= this.graceMs) this.returnedInWindow += 1;
    else this.lateInWindow += 1;
  }
}
