/**
 * A recording: RTP in over loopback, a WebM or MP4 file out, written by ffmpeg. WebM keeps VP8 and Opus as they
 * arrive (no re-encoding); MP4 needs H.264 and AAC, so VP8 and Opus are transcoded there. Video starts at a key
 * frame; a pause drops media and leaves no gap in the file; finish() makes ffmpeg write its trailer.
 */
import type { RtpPacket } from 'werift';
import type { RtpCodec, RtpKind } from '../graph';
import { StreamRewriter, isKeyframeStart } from '../rewriter';
import { GuardedHttpUpload, describeUploadFailure, type HttpSourcePolicy } from '../http-source';
import { CHILD_FD_PATH, FfmpegWorker, RtpOut, WorkDir, freeRtpPort, sdpFor, sdpInputArgs, waitUntilListening, type OpenedFile, type SdpStream, type WorkerExit, VP8_REALTIME_ARGS } from './worker';

/** How long a recording's ffmpeg may take to finish its file after SIGINT before it is killed. */
const FINISH_GRACE_MS = 20_000;

export type Container = 'webm' | 'mp4';

/** An http(s) URI a recording is uploaded to while it is made (KMS' recorder with an http URI: curlhttpsink). */
export interface UploadTarget {
  uri: string;
  policy: HttpSourcePolicy;
}

export interface RecordingOptions {
  /** The file to write, opened (and checked) when ffmpeg starts; or the URI to upload to. */
  file: OpenedFile | UploadTarget;
  container: Container;
  /** Codecs of the streams to record; a kind left undefined is not recorded. */
  video?: RtpCodec;
  audio?: RtpCodec;
}

export interface RecordingEvents {
  /** A key frame is needed (start, resume): ask the source. */
  keyframeNeeded(): void;
  /** ffmpeg failed; `type` is a KMS error type (RESOURCE_ERROR_OPEN, RESOURCE_ERROR_NO_SPACE_LEFT, STREAM_ERROR_FAILED). */
  failure(type: string, description: string): void;
}

/** Seconds of media kept while ffmpeg starts; older packets are dropped. */
const MAX_BUFFER_PACKETS = 2000;
/** While the file waits for its first key frame, the source is asked again this often (a request can be lost). */
const KEYFRAME_RETRY_MS = 500;

/**
 * A key frame every 2 s of media time in what we encode: a player that starts late (or a transcoder that joins after
 * its start-up) and a seek both need one soon. The encoders' defaults (x264: 250 frames) would leave a short
 * recording with a single key frame at its very start.
 */
const KEYFRAMES = ['-force_key_frames', 'expr:gte(t,n_forced*2)'];

function videoArgs(container: Container, codec: RtpCodec): { args: string[]; transcoding: boolean } {
  const name = codec.name.toUpperCase();
  if (container === 'webm') {
    if (name === 'VP8' || name === 'VP9') return { args: ['-c:v', 'copy'], transcoding: false };
    return { args: [...VP8_REALTIME_ARGS, '-b:v', '1000k', ...KEYFRAMES], transcoding: true };
  }
  if (name === 'H264') return { args: ['-c:v', 'copy'], transcoding: false };
  return { args: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-threads', '1', '-b:v', '1000k', ...KEYFRAMES], transcoding: true };
}

function audioArgs(container: Container, codec: RtpCodec): { args: string[]; transcoding: boolean } {
  const name = codec.name.toUpperCase();
  if (container === 'webm') {
    if (name === 'OPUS') return { args: ['-c:a', 'copy'], transcoding: false };
    return { args: ['-c:a', 'libopus', '-b:a', '48k'], transcoding: true };
  }
  return { args: ['-c:a', 'aac', '-b:a', '96k'], transcoding: true };
}

/** Classifies an ffmpeg failure into the error types of KMS' recorder. */
export function classifyFailure(stderr: string): string {
  if (/No space left/i.test(stderr)) return 'RESOURCE_ERROR_NO_SPACE_LEFT';
  if (/Permission denied|No such file or directory|Could not open|Read-only file system/i.test(stderr)) return 'RESOURCE_ERROR_OPEN';
  return 'STREAM_ERROR_FAILED';
}

/** The PictureID of a VP8 payload descriptor (RFC 7741: 7 or 15 bits), when it has one. */
export function vp8PictureId(payload: Buffer): number | undefined {
  if (((payload[0] ?? 0) & 0x80) === 0 || ((payload[1] ?? 0) & 0x80) === 0) return undefined;
  const high = payload[2] ?? 0;
  return high & 0x80 ? ((high & 0x7f) << 8) | (payload[3] ?? 0) : high & 0x7f;
}

/** A copy of a VP8 payload with PictureID `id`, in the width its descriptor has (unchanged when it has none). */
export function withVp8PictureId(payload: Buffer, id: number): Buffer {
  const copy = Buffer.from(payload);
  if (vp8PictureId(copy) === undefined) return copy;
  if ((copy[2] ?? 0) & 0x80) {
    const wide = id & 0x7fff;
    copy[2] = 0x80 | (wide >> 8);
    copy[3] = wide & 0xff;
  } else {
    copy[2] = id & 0x7f;
  }
  return copy;
}

export class RecordingJob {
  private worker: FfmpegWorker | undefined;
  private readonly dir = new WorkDir();
  private readonly outs = new Map<RtpKind, RtpOut>();
  private readonly rewriters = new Map<RtpKind, StreamRewriter>();
  private readonly buffer: Array<{ kind: RtpKind; packet: RtpPacket }> = [];
  /** The last packet written per media type, to nudge ffmpeg's read loop while it finishes. */
  private readonly lastWritten = new Map<RtpKind, RtpPacket>();
  /** The video packets since the last marker, and the last complete frame (up to a marker), for a video-only nudge. */
  private videoFrame: RtpPacket[] = [];
  private lastVideoFrame: RtpPacket[] = [];
  /** The last complete key frame: what a nudge sends when the stream stopped in the middle of a frame. */
  private lastKeyFrame: RtpPacket[] = [];
  /** The PictureID of the last VP8 packet written, which may belong to a frame still incomplete. */
  private lastPictureId: number | undefined;
  private ready = false;
  private waitingKeyframe = true;
  private keyframeAskedAt = 0;
  private paused = false;
  private finished = false;
  /** The upload of a recording to an http(s) URI. */
  private upload: GuardedHttpUpload | undefined;
  /** Which streams go through an encoder (for MediaTranscodingStateChanged). */
  readonly transcoding: Record<RtpKind, boolean> = { AUDIO: false, VIDEO: false };

  /** Whether the video is VP8, whose payload descriptor carries the PictureID the nudge must continue. */
  private readonly vp8: boolean;

  constructor(private readonly options: RecordingOptions, private readonly events: RecordingEvents) {
    this.vp8 = options.video?.name.toUpperCase() === 'VP8';
  }

  get kinds(): RtpKind[] {
    return [...(this.options.video ? (['VIDEO'] as const) : []), ...(this.options.audio ? (['AUDIO'] as const) : [])];
  }

  async start(): Promise<void> {
    const { video, audio, container, file } = this.options;
    const streams: SdpStream[] = [];
    const args: string[] = [];
    if (video) {
      const port = await freeRtpPort();
      streams.push({ kind: 'video', port, payloadType: 96, codec: video });
      this.outs.set('VIDEO', new RtpOut(port));
      this.rewriters.set('VIDEO', new StreamRewriter(0x52450001, 96, 3000));
    }
    if (audio) {
      const port = await freeRtpPort();
      streams.push({ kind: 'audio', port, payloadType: 111, codec: audio });
      this.outs.set('AUDIO', new RtpOut(port));
      this.rewriters.set('AUDIO', new StreamRewriter(0x52450002, 111, Math.round(audio.clockRate / 50)));
    }
    if (streams.length === 0) throw new Error('nothing to record');
    const sdp = await this.dir.file('recording.sdp', sdpFor(streams));
    args.push(...sdpInputArgs(sdp), '-fflags', '+genpts');
    if (video) {
      const chosen = videoArgs(container, video);
      this.transcoding.VIDEO = chosen.transcoding;
      args.push('-map', '0:v:0', ...chosen.args);
    }
    if (audio) {
      const chosen = audioArgs(container, audio);
      this.transcoding.AUDIO = chosen.transcoding;
      args.push('-map', '0:a:0', ...chosen.args);
    }
    let worker: FfmpegWorker;
    if ('uri' in file) {
      // Uploaded as it is made: a container that needs no seeking back (WebM without cues, fragmented MP4).
      args.push('-f', container, ...(container === 'mp4' ? ['-movflags', '+frag_keyframe+empty_moov+default_base_moof'] : []), 'pipe:1');
      worker = new FfmpegWorker(`record ${file.uri}`, args, undefined, false, false, true);
      // A refused upload is the recorder's error (curlhttpsink posts RESOURCE WRITE), during or at the end of it.
      const upload = new GuardedHttpUpload(file.uri, container === 'mp4' ? 'video/mp4' : 'video/webm', file.policy, (failure) => {
        const during = !this.finished;
        this.finished = true;
        this.events.failure('RESOURCE_ERROR_WRITE', describeUploadFailure(file.uri, failure));
        if (during) void worker.kill();
      });
      this.upload = upload;
      worker.start();
      const stdout = worker.stdout;
      stdout?.on('error', () => undefined);
      (upload.body as NodeJS.WritableStream & { on(event: 'error', listener: () => void): void }).on('error', () => undefined);
      stdout?.pipe(upload.body);
    } else {
      let fd: number;
      try {
        fd = file.open();
      } catch (error) {
        this.finished = true;
        this.events.failure('RESOURCE_ERROR_OPEN', `Could not open ${file.label} for writing: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      args.push('-f', container, ...(container === 'mp4' ? ['-movflags', '+faststart'] : []), '-y', CHILD_FD_PATH);
      worker = new FfmpegWorker(`record ${file.label}`, args, fd);
      worker.start();
    }
    this.worker = worker;
    void worker.exited.then((exit) => this.onExit(exit));
    const firstPort = streams[0]?.port ?? 0;
    const listening = await waitUntilListening(firstPort);
    if (this.finished) return;
    if (!listening) {
      this.events.failure('STREAM_ERROR_FAILED', `the recorder did not start: ${worker.stderr.trim() || 'ffmpeg is not answering'}`);
      return;
    }
    this.ready = true;
    this.askKeyframe();
    const queued = this.buffer.splice(0);
    for (const { kind, packet } of queued) this.write(kind, packet);
  }

  private onExit(exit: WorkerExit): void {
    if (exit.requested || this.finished) return;
    this.finished = true;
    const lines = exit.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
    this.events.failure(classifyFailure(exit.stderr), `Error recording to ${this.label}: ${lines || `ffmpeg exited with ${exit.code}`}`);
  }

  private get label(): string {
    const file = this.options.file;
    return 'uri' in file ? file.uri : file.label;
  }

  /** One packet of `kind` from the recorder's input. */
  push(kind: RtpKind, packet: RtpPacket): void {
    if (this.finished || this.paused || !this.outs.has(kind)) return;
    if (!this.ready) {
      this.buffer.push({ kind, packet });
      if (this.buffer.length > MAX_BUFFER_PACKETS) this.buffer.shift();
      return;
    }
    this.write(kind, packet);
  }

  private write(kind: RtpKind, packet: RtpPacket): void {
    if (this.options.video && this.waitingKeyframe) {
      // A file that starts with a delta frame shows garbage until the next key frame, and ffmpeg learns the picture
      // size from a key frame: audio and video both start at one.
      if (kind !== 'VIDEO' || !isKeyframeStart(this.options.video.name, packet.payload)) {
        if (Date.now() - this.keyframeAskedAt >= KEYFRAME_RETRY_MS) this.askKeyframe();
        return;
      }
      this.waitingKeyframe = false;
    }
    const rewriter = this.rewriters.get(kind);
    const out = this.outs.get(kind);
    if (!rewriter || !out) return;
    const rewritten = rewriter.rewrite(packet);
    this.lastWritten.set(kind, rewritten);
    if (kind === 'VIDEO') {
      if (this.vp8) this.lastPictureId = vp8PictureId(rewritten.payload) ?? this.lastPictureId;
      this.videoFrame.push(rewritten);
      if (rewritten.header.marker) {
        const first = this.videoFrame[0];
        if (first && this.options.video && isKeyframeStart(this.options.video.name, first.payload)) this.lastKeyFrame = this.videoFrame;
        this.lastVideoFrame = this.videoFrame;
        this.videoFrame = [];
      }
    }
    out.send(rewritten);
  }

  private askKeyframe(): void {
    this.keyframeAskedAt = Date.now();
    this.events.keyframeNeeded();
  }

  /**
   * Gives ffmpeg's read loop something to return with while it finishes: ffmpeg 5.1 checks its first SIGINT only
   * between frames, and a blocking RTP read returns only once the depacketizer has a whole frame. The last audio
   * packet is one (an Opus frame); without audio, the last complete video frame is sent again, one frame later. When
   * the video stopped in the middle of a frame, ffmpeg's VP8 depacketizer takes nothing but a key frame after it (it
   * would wait for one for ever, until the 20 s kill: 2 of 10 loaded runs of the single-media profiles test), so the
   * last key frame is sent again.
   */
  private nudge(): void {
    const audio = this.lastWritten.get('AUDIO');
    const kind: RtpKind = audio ? 'AUDIO' : 'VIDEO';
    const cut = !audio && this.videoFrame.length > 0 && this.lastKeyFrame.length > 0;
    const packets = audio ? [audio] : cut ? this.lastKeyFrame : this.lastVideoFrame;
    const last = this.lastWritten.get(kind);
    const out = this.outs.get(kind);
    if (!last || !out || packets.length === 0) return;
    const step = kind === 'VIDEO' ? 3000 : 0;
    const vp8 = kind === 'VIDEO' && this.vp8;
    // ffmpeg's VP8 depacketizer drops everything up to the next key frame when the PictureID does not follow on from
    // the last picture it saw, and that can be a frame whose last packets never came: follow the last one written.
    const pictureId = vp8 && this.lastPictureId !== undefined ? this.lastPictureId + 1 : undefined;
    let sequence = last.header.sequenceNumber;
    const copies = packets.map((packet) => {
      const copy = packet.clone();
      sequence = (sequence + 1) & 0xffff;
      copy.header.sequenceNumber = sequence;
      copy.header.timestamp = (last.header.timestamp + step) >>> 0;
      if (pictureId !== undefined) copy.payload = withVp8PictureId(copy.payload, pictureId);
      return copy;
    });
    if (pictureId !== undefined) this.lastPictureId = pictureId;
    const newest = copies.at(-1);
    if (!newest) return;
    this.lastWritten.set(kind, newest);
    if (kind === 'VIDEO') {
      this.lastVideoFrame = copies;
      if (cut) this.videoFrame = [];
    }
    for (const copy of copies) out.send(copy);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const rewriter of this.rewriters.values()) rewriter.discontinuity();
    if (this.options.video) {
      this.waitingKeyframe = true;
      this.askKeyframe();
    }
  }

  /** Stops feeding and lets ffmpeg finish the file; resolves when the file is complete. */
  async finish(): Promise<WorkerExit | undefined> {
    if (this.finished && !this.worker) return undefined;
    this.finished = true;
    // Finishing a file takes the encoder's flush and, for MP4, rewriting it with the index first (+faststart): seconds
    // on a busy machine, and a kill then leaves a file without its moov atom (seen at load 15 with 5 s). KMS waits for
    // its muxer as long as it takes; this waits 20 s before it gives up.
    const exit = await this.worker?.stop(FINISH_GRACE_MS, () => this.nudge());
    for (const out of this.outs.values()) out.close();
    await this.dir.remove();
    const upload = this.upload;
    if (upload) {
      // KMS' recorder stops once its sink has sent the last bytes and the server answered them (a failure is reported
      // by the upload itself).
      await upload.finished();
    }
    return exit;
  }
}
