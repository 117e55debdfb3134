/**
 * A copy of an element's VP8 video for a GStreamer analysis pipeline (bar codes, faces): the packets go to a
 * gst-launch-1.0 process over loopback RTP (one continuous stream whatever feeds the element, from a key frame on),
 * and the process' element messages come back. The process starts with the first packet, is restarted when it dies
 * (up to three times in a row) and stops with the element. The element's own output is not touched here.
 */
import { readFile } from 'node:fs/promises';
import type { RtpPacket } from 'werift';
import { RtpOut, freeRtpPort, type WorkerExit } from '../ffmpeg/worker';
import { StreamRewriter, isKeyframeStart } from '../rewriter';
import { keyframeDueAfterSilence } from './decode-watch';
import { GstLaunch, type GstMessage } from './launch';

const PAYLOAD_TYPE = 96;
const MAX_FAILURES = 3;
const KEYFRAME_RETRY_MS = 500;
const READY_TIMEOUT_MS = 5000;

export interface VideoTapEvents {
  message(message: GstMessage): void;
  /** The tap needs a key frame to start decoding, or to decode again (`silentMs`: how long no message came). */
  keyframeNeeded(silentMs?: number): void;
  /** The process stopped without being asked to (description for the Error event); `final` when it is not restarted. */
  failure(description: string, final: boolean): void;
}

/** Whether something on this machine has bound UDP `port` on loopback or any address (from /proc/net/udp). */
export async function udpPortBound(port: number): Promise<boolean> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const table = await readFile('/proc/net/udp', 'utf8').catch(() => '');
  return table.split('\n').some((line) => new RegExp(`^\\s*\\d+: [0-9A-F]{8}:${hex} `).test(line));
}

export class GstVideoTap {
  private process: GstLaunch | undefined;
  private out: RtpOut | undefined;
  private ready = false;
  private started = false;
  private starting = false;
  private stopped = false;
  private failures = 0;
  private lastAsk = 0;
  /** When the process last posted a message (or the stream started). */
  private lastMessageAt = 0;
  private readonly rewriter: StreamRewriter;

  constructor(
    readonly label: string,
    /** The pipeline, given the loopback port and payload type its udpsrc receives on. */
    private readonly pipeline: (port: number, payloadType: number) => string[],
    private readonly events: VideoTapEvents,
    ssrc: number,
    /**
     * The pipeline posts messages regularly while it decodes (several a second): silence this long while packets go in
     * means it gets no decodable frame (a lost packet, with wait-for-keyframe), and a key frame is asked for
     * (decode-watch.ts). Undefined: not watched.
     */
    private readonly messagesEveryMs?: number,
  ) {
    this.rewriter = new StreamRewriter(ssrc, PAYLOAD_TYPE, 3000);
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** One VP8 packet of the element's input. */
  push(packet: RtpPacket): void {
    if (this.stopped) return;
    if (!this.process && !this.starting) void this.start();
    if (!this.ready || !this.out) return;
    if (!this.started) {
      if (!isKeyframeStart('VP8', packet.payload)) {
        const now = Date.now();
        if (now - this.lastAsk >= KEYFRAME_RETRY_MS) {
          this.lastAsk = now;
          this.events.keyframeNeeded();
        }
        return;
      }
      this.started = true;
      this.lastMessageAt = Date.now();
    } else if (this.messagesEveryMs !== undefined) {
      const now = Date.now();
      const silentMs = keyframeDueAfterSilence(now, this.lastMessageAt, this.lastAsk, this.messagesEveryMs);
      if (silentMs !== undefined) {
        this.lastAsk = now;
        this.events.keyframeNeeded(silentMs);
      }
    }
    this.out.send(this.rewriter.rewrite(packet));
  }

  private async start(): Promise<void> {
    this.starting = true;
    try {
      const port = await freeRtpPort();
      if (this.stopped) return;
      const process = new GstLaunch(this.label, this.pipeline(port, PAYLOAD_TYPE), (message) => {
        if (process !== this.process) return;
        this.lastMessageAt = Date.now();
        this.events.message(message);
      });
      this.process = process;
      this.out = new RtpOut(port);
      this.started = false;
      this.rewriter.discontinuity();
      process.start();
      void process.exited.then((exit) => this.onExit(process, exit));
      const deadline = Date.now() + READY_TIMEOUT_MS;
      while (!this.stopped && process.running && !(await udpPortBound(port))) {
        if (Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (this.stopped || process !== this.process) return;
      this.ready = process.running;
      this.events.keyframeNeeded();
    } finally {
      this.starting = false;
    }
  }

  private onExit(process: GstLaunch, exit: WorkerExit): void {
    if (exit.requested || this.stopped || process !== this.process) return;
    this.process = undefined;
    this.ready = false;
    this.out?.close();
    this.out = undefined;
    this.failures += 1;
    const last = exit.stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exit ${exit.code ?? exit.signal}`;
    const final = this.failures >= MAX_FAILURES;
    this.events.failure(`${this.label} (gst-launch-1.0) stopped: ${last}`, final);
    if (final) this.stopped = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ready = false;
    const process = this.process;
    this.process = undefined;
    await process?.kill();
    this.out?.close();
    this.out = undefined;
  }
}
