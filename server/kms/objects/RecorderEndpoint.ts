import { KmsError } from '../errors';
import type { RtpCodec, RtpKind } from '../media/graph';
import { reachOf } from '../config';
import { RecordingJob, type Container, type UploadTarget } from '../media/ffmpeg/recording';
import type { ObjectContext } from './MediaObject';
import { openForWriting, resolveMediaUri } from './uri';
import { UriEndpoint } from './UriEndpoint';
import type { KmsConstructorParams, RecorderEndpointEvents } from './kmd-types.generated';

/** The media profiles this server records, with their container and media types. */
const PROFILES: Record<string, { container: Container; kinds: readonly RtpKind[] }> = {
  WEBM: { container: 'webm', kinds: ['VIDEO', 'AUDIO'] },
  WEBM_VIDEO_ONLY: { container: 'webm', kinds: ['VIDEO'] },
  WEBM_AUDIO_ONLY: { container: 'webm', kinds: ['AUDIO'] },
  MP4: { container: 'mp4', kinds: ['VIDEO', 'AUDIO'] },
  MP4_VIDEO_ONLY: { container: 'mp4', kinds: ['VIDEO'] },
  MP4_AUDIO_ONLY: { container: 'mp4', kinds: ['AUDIO'] },
};

/** How long record() waits for the media types of the profile before starting with those that did arrive. */
const WAIT_FOR_MEDIA_MS = 3000;

/** Constructor parameters, as the KMD declares them (generated). */
export type RecorderEndpointParams = KmsConstructorParams['RecorderEndpoint'];

/**
 * KMD RecorderEndpoint: what reaches its sink pads goes to a WebM or MP4 file in the media directory, written by
 * ffmpeg, or, for an http(s) URI, is uploaded as it is recorded (one chunked POST; WebM without cues, fragmented MP4),
 * as KMS' curlhttpsink does; a refused upload raises Error RESOURCE_ERROR_WRITE. Events: Recording, Paused, Stopped,
 * UriEndpointStateChanged; MediaFlowIn as media arrives. stopAndWait() returns once the file is complete (the upload
 * answered); release stops the recording first, as KMS does.
 */
export class RecorderEndpoint extends UriEndpoint<RecorderEndpointEvents> {
  private readonly file: string;
  /** Where an http(s) recording is uploaded to. */
  private readonly upload: UploadTarget | undefined;
  private readonly profile: { name: string; container: Container; kinds: readonly RtpKind[] };
  private readonly seen = new Map<RtpKind, RtpCodec>();
  private job: RecordingJob | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private mediaWaiters: Array<() => void> = [];

  constructor(context: ObjectContext, params: RecorderEndpointParams) {
    const profile = PROFILES[params.mediaProfile];
    if (!profile) {
      throw new KmsError(
        'MEDIA_OBJECT_ILLEGAL_PARAM_ERROR',
        `Media profile ${params.mediaProfile} is not supported by the embedded server (supported: ${Object.keys(PROFILES).join(', ')})`,
      );
    }
    const target = resolveMediaUri(params.uri, context.config.mediaDirectory, { allowHttp: true });
    super(context, 'RecorderEndpoint', params.mediaPipeline, params.uri);
    if (target.kind === 'file') {
      this.file = target.path;
    } else {
      // KMS records to http(s) URIs by uploading the file as it is made (curlhttpsink); which hosts may be sent to
      // follows the players' rules (media/http-source.ts).
      const config = context.config;
      this.file = '';
      this.upload = { uri: target.url, policy: { denyPrivate: reachOf(config) === 'network' && config.allowPrivateSources !== true, trustedOrigins: config.trustedSources ?? [] } };
    }
    this.profile = { name: params.mediaProfile, ...profile };
    this.node.handler = {
      ...this.node.handler,
      onInput: (unit) => {
        if (unit.kind === 'DATA' || !this.profile.kinds.includes(unit.kind)) return;
        if (!this.seen.has(unit.kind)) {
          this.seen.set(unit.kind, unit.codec);
          for (const wake of this.mediaWaiters.splice(0)) wake();
        }
        this.job?.push(unit.kind, unit.packet);
      },
    };
  }

  /** record(): START. Media of the profile's types is written from the next key frame on. */
  async record(): Promise<void> {
    if (this.state === 'START') return;
    if (this.state === 'PAUSE' && this.job) {
      this.job.resume();
      this.setState('START');
      this.raise('Recording');
      return;
    }
    await this.stopping;
    this.setState('START');
    this.raise('Recording');
    this.starting = this.startJob();
    await this.starting;
  }

  private async startJob(): Promise<void> {
    // The file needs to know its codecs: wait (briefly) until the profile's media types have arrived.
    const deadline = Date.now() + WAIT_FOR_MEDIA_MS;
    while (this.profile.kinds.some((kind) => !this.seen.has(kind)) && Date.now() < deadline && this.state !== 'STOP') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        timer.unref();
        this.mediaWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (this.state === 'STOP' || this.released) return;
    const video = this.profile.kinds.includes('VIDEO') ? this.seen.get('VIDEO') : undefined;
    const audio = this.profile.kinds.includes('AUDIO') ? this.seen.get('AUDIO') : undefined;
    if (!video && !audio) {
      // Like KMS, recording without media writes nothing; say why instead of failing silently.
      this.raiseError('STREAM_ERROR_FAILED', `No ${this.profile.kinds.join(' or ').toLowerCase()} reached the recorder: connect a source to it (source.connect(recorder)) before record()`, 0);
      return;
    }
    const job = new RecordingJob(
      {
        file: this.upload ?? { label: this.uri, open: () => openForWriting(this.uri, this.file, this.context.config.mediaDirectory) },
        container: this.profile.container, ...(video ? { video } : {}), ...(audio ? { audio } : {}) },
      {
        keyframeNeeded: () => this.node.requestUpstreamKeyframe('VIDEO'),
        failure: (type, description) => {
          // GStreamer's resource error codes, as KMS passes them on: OPEN_WRITE 6, WRITE 10.
          this.raiseError(type, description, type === 'RESOURCE_ERROR_OPEN' ? 6 : type === 'RESOURCE_ERROR_WRITE' ? 10 : 0);
          this.setState('STOP');
        },
      },
    );
    this.job = job;
    await job.start();
    for (const kind of job.kinds) {
      if (job.transcoding[kind]) {
        const source = this.node.source(kind);
        const element = source ? this.pipeline.elementOf(source.source) : undefined;
        element?.reportTranscoding(kind, true);
      }
    }
  }

  pause(): void {
    if (this.state !== 'START') return;
    this.job?.pause();
    this.setState('PAUSE');
    this.raise('Paused');
  }

  /** stop(): asks for the end of the file and returns at once; Stopped follows when the file is complete. */
  stop(): void {
    void this.finish();
  }

  /** stopAndWait(): returns when the file is complete and playable. */
  async stopAndWait(): Promise<void> {
    await this.finish();
  }

  private finish(): Promise<void> {
    if (this.state === 'STOP' && !this.job) return this.stopping ?? Promise.resolve();
    this.stopping ??= (async () => {
      this.setState('STOP');
      await this.starting;
      const job = this.job;
      this.job = undefined;
      if (job) await job.finish();
      this.raise('Stopped');
    })().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  protected override async dispose(): Promise<void> {
    // KMS stops (and waits) before releasing a recorder, so the file is complete.
    await this.finish();
    await super.dispose();
  }
}
