/**
 * GStreamer (gst-launch-1.0 from Debian's gstreamer1.0-tools) as a supervised child process, for the analysis jobs
 * that ffmpeg has no filter for: OpenCV face detection (`facedetect`, gstreamer1.0-opencv with opencv-data's Haar
 * cascades, the method of KMS' own kmsfacedetector) and bar code reading (`zbar`, gstreamer1.0-plugins-bad), the
 * element KMS' ZBarFilter wraps. The pipeline is an argument array of fixed element names with numeric properties
 * (never a shell string, never user input); media comes in over loopback RTP; the elements' bus messages (`-m`) are
 * read from stdout, one line each.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { WorkerExit } from '../ffmpeg/worker';

export const GST_LAUNCH = process.env.KMS_GST_LAUNCH ?? 'gst-launch-1.0';

/** One element message printed by `gst-launch-1.0 -m`: its source element and structure name, and its fields. */
export interface GstMessage {
  element: string;
  structure: string;
  fields: Record<string, string>;
}

/**
 * Parses a `-m` line, e.g. `Got message #41 from element "zbar0" (element): barcode, timestamp=(guint64)33366666,
 * type=(string)QR-Code, symbol=(string)"hello\ world", quality=(int)1;`. Returns undefined for other lines.
 */
export function parseGstMessage(line: string): GstMessage | undefined {
  const match = /^Got message #\d+ from element "([^"]+)" \(element\): ([\w-]+)(?:, (.*))?;?\s*$/.exec(line);
  if (!match) return undefined;
  const fields: Record<string, string> = {};
  const body = (match[3] ?? '').replace(/;\s*$/, '');
  // name=(type)value pairs; a value is a "quoted string" (backslash escapes), a {list} / <array>, or plain text.
  const pair = /([\w-]+)=\(([\w]+)\)("((?:[^"\\]|\\.)*)"|[<{][^>}]*[>}]|[^,]*)(?:,\s*|$)/g;
  for (let found = pair.exec(body); found; found = pair.exec(body)) {
    const name = found[1] ?? '';
    const quoted = found[4];
    fields[name] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (found[3] ?? '').trim();
    if (found[0] === '') break;
  }
  return { element: match[1] ?? '', structure: match[2] ?? '', fields };
}

/** One gst-launch-1.0 process. */
export class GstLaunch {
  private child: ChildProcess | undefined;
  private stderrTail = '';
  private stopRequested = false;
  readonly exited: Promise<WorkerExit>;
  private resolveExit!: (exit: WorkerExit) => void;

  constructor(
    readonly label: string,
    private readonly pipeline: readonly string[],
    private readonly onMessage: (message: GstMessage) => void,
  ) {
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.child) return;
    // -m: element messages on stdout; -e: an EOS on SIGINT. No -q, which would silence -m.
    const child = spawn(GST_LAUNCH, ['-m', ...this.pipeline], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GST_DEBUG: '0' } });
    this.child = child;
    if (child.stdout) {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const message = parseGstMessage(line);
        if (message) this.onMessage(message);
      });
    }
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    });
    child.on('error', (error) => {
      this.stderrTail += `\n${error.message}`;
      this.resolveExit({ code: null, signal: null, stderr: this.stderrTail, requested: this.stopRequested });
    });
    child.on('exit', (code, signal) => this.resolveExit({ code, signal, stderr: this.stderrTail, requested: this.stopRequested }));
  }

  async kill(): Promise<WorkerExit> {
    this.stopRequested = true;
    if (this.child && this.running) this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** The head of a pipeline that receives VP8 RTP on a loopback port and decodes it. */
export function vp8RtpSource(
  port: number,
  payloadType: number,
  { waitForKeyframe = false, dropOnLatency = true }: { waitForKeyframe?: boolean; dropOnLatency?: boolean } = {},
): string[] {
  return [
    'udpsrc', 'address=127.0.0.1', `port=${port}`, `caps=application/x-rtp,media=(string)video,clock-rate=(int)90000,encoding-name=(string)VP8,payload=(int)${payloadType}`,
    // dropOnLatency: the jitter buffer drops its oldest packet when it holds more than its latency of RTP time, which
    // happens when its thread runs late (CPU load) and, as measured, to the first key frame of a new process (its
    // first packet is held for the latency while the next frames come in). Without it nothing is dropped; the caller
    // then needs a leaky queue after the decoder, so that a slow analysis cannot make the buffer grow.
    '!', 'rtpjitterbuffer', 'latency=100', `drop-on-latency=${dropOnLatency}`,
    // waitForKeyframe: after a lost packet no frame is decoded until the next key frame (instead of frames built on
    // missing references, which go on being wrong until then); the caller asks for that key frame.
    '!', 'rtpvp8depay', ...(waitForKeyframe ? ['wait-for-keyframe=true'] : []), '!', 'vp8dec', 'threads=1',
  ];
}
