import { KmsError } from '../errors';
import { reachOf } from '../config';
import { PlaybackJob } from '../media/ffmpeg/playback';
import { probe, type OpenedFile, type ProbeResult } from '../media/ffmpeg/worker';
import { GuardedHttpSource, describeHttpFailure } from '../media/http-source';
import { StreamRewriter } from '../media/rewriter';
import type { ObjectContext, PropertyAccess } from './MediaObject';
import { openForReading, resolveMediaUri, type MediaUri } from './uri';
import { UriEndpoint } from './UriEndpoint';
import type { KmsConstructorParams, PlayerEndpointEvents } from './kmd-types.generated';

/** Constructor parameters, as the KMD declares them (generated). */
export type PlayerEndpointParams = KmsConstructorParams['PlayerEndpoint'];

/**
 * KMD PlayerEndpoint: plays a file of the media directory or an http(s) URL into the pipeline (ffmpeg, paced in real
 * time). play / pause / stop, getPosition / setPosition (a seek restarts ffmpeg at the new position), getVideoInfo,
 * EndOfStream when the input ends.
 */
export class PlayerEndpoint extends UriEndpoint<PlayerEndpointEvents> {
  private readonly source: MediaUri;
  private job: PlaybackJob | undefined;
  private position = 0;
  private info: Promise<ProbeResult> | undefined;
  /** The guarded fetcher of an http(s) source (made on first use). */
  private http: GuardedHttpSource | undefined;
  /** One continuous stream per media type across pause, seek and restart, as a player's output pad is. */
  private readonly rewriters = {
    VIDEO: new StreamRewriter(randomSsrc(), 96, 3000),
    AUDIO: new StreamRewriter(randomSsrc(), 111, 960),
  };

  constructor(context: ObjectContext, params: PlayerEndpointParams) {
    const source = resolveMediaUri(params.uri, context.config.mediaDirectory, { allowHttp: true });
    super(context, 'PlayerEndpoint', params.mediaPipeline, params.uri);
    this.source = source;
    this.node.handler = {
      ...this.node.handler,
      // A sink that joins late, or a decoder that lost its place: only a new key frame helps; with stored media it
      // comes with the next one in the file (re-encoded media has one every 2 s).
      onKeyframeRequest: () => undefined,
    };
  }

  /** The file as ffmpeg gets it: opened, and checked by its real path, each time a process starts. */
  private get file(): OpenedFile | undefined {
    const source = this.source;
    if (source.kind !== 'file') return undefined;
    return { label: this.uri, open: () => openForReading(this.uri, source.path, this.context.config.mediaDirectory) };
  }

  private async httpSource(): Promise<GuardedHttpSource> {
    if (this.source.kind !== 'http') throw new Error('not an http source');
    if (!this.http) {
      const config = this.context.config;
      this.http = new GuardedHttpSource(this.source.url, {
        denyPrivate: reachOf(config) === 'network' && config.allowPrivateSources !== true,
        trustedOrigins: config.trustedSources ?? [],
      });
    }
    await this.http.open();
    return this.http;
  }

  private probe(): Promise<ProbeResult> {
    this.info ??= (async () => {
      const file = this.file;
      if (file) return probe(file);
      const http = await this.httpSource();
      try {
        return await probe(http.localUrl);
      } catch {
        // ffprobe's text would be about our loopback proxy; say what happened to the source instead.
        throw new Error(describeHttpFailure(this.uri, http.lastFailure ?? { kind: 'unreachable' }));
      }
    })();
    this.info.catch(() => {
      this.info = undefined;
    });
    return this.info;
  }

  protected override properties(): Record<string, PropertyAccess> {
    return {
      ...super.properties(),
      position: { get: () => this.currentPosition(), set: (value) => this.setPosition({ position: Number(value) }) },
      videoInfo: { get: () => this.videoInfo() },
      elementGstreamerDot: { get: () => this.pipeline.getGstreamerDot() },
    };
  }

  private currentPosition(): number {
    return this.job && this.state === 'START' ? this.job.positionMs : this.position;
  }

  private async videoInfo(): Promise<Record<string, unknown>> {
    const result = await this.probe().catch((error: unknown) => {
      throw new KmsError('URI_PATH_FILE_NOT_FOUND', `Cannot read ${this.uri}: ${error instanceof Error ? error.message : String(error)}`);
    });
    const duration = result.durationMs ?? 0;
    return { __type__: 'VideoInfo', isSeekable: result.seekable, seekableInit: 0, seekableEnd: duration, duration };
  }

  async setPosition({ position }: { position: number }): Promise<void> {
    const info = await this.probe().catch(() => undefined);
    if (!info?.seekable || position < 0 || (info.durationMs !== undefined && position > info.durationMs)) {
      throw new KmsError('PLAYER_SEEK_FAIL', `Cannot seek to ${position} ms in ${this.uri}`);
    }
    this.position = position;
    if (this.state === 'START') await this.restart();
  }

  async play(): Promise<void> {
    if (this.state === 'START') return;
    let info: ProbeResult;
    try {
      info = await this.probe();
    } catch (error) {
      const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      this.raiseError('RESOURCE_ERROR_OPEN', this.source.kind === 'http' ? message : `Cannot open ${this.uri}: ${message}`, 0);
      return;
    }
    if (!info.video && !info.audio) {
      this.raiseError('STREAM_ERROR_DECODE', `${this.uri} has neither audio nor video`, 0);
      return;
    }
    this.setState('START');
    await this.startJob(info);
  }

  private async startJob(info: ProbeResult): Promise<void> {
    const file = this.file;
    const http = file ? undefined : await this.httpSource();
    const job = new PlaybackJob(
      {
        input: file ? { file } : { url: http?.localUrl ?? '' },
        startMs: this.position,
        probe: info,
        describeFailure: http
          ? () =>
              http.lastFailure
                ? { type: 'RESOURCE_ERROR_OPEN', description: describeHttpFailure(this.uri, http.lastFailure) }
                : { type: 'STREAM_ERROR_DECODE', description: `Error playing ${this.uri}: the media could not be decoded` }
          : undefined,
      },
      {
        media: (kind, packet, codec) => {
          const rewritten = this.rewriters[kind].rewrite(packet);
          rewritten.header.payloadType = packet.header.payloadType;
          this.node.output({ kind, packet: rewritten, codec });
        },
        ended: () => {
          this.position = job.positionMs;
          this.job = undefined;
          this.raise('EndOfStream');
          this.setState('STOP');
        },
        failure: (type, description) => {
          this.job = undefined;
          this.raiseError(type, description, 0);
          this.setState('STOP');
        },
      },
    );
    this.job = job;
    for (const rewriter of Object.values(this.rewriters)) rewriter.discontinuity();
    await job.start();
  }

  private async restart(): Promise<void> {
    const job = this.job;
    this.job = undefined;
    await job?.stop();
    const info = await this.probe();
    await this.startJob(info);
  }

  async pause(): Promise<void> {
    if (this.state !== 'START') return;
    this.position = this.currentPosition();
    const job = this.job;
    this.job = undefined;
    await job?.stop();
    this.setState('PAUSE');
  }

  async stop(): Promise<void> {
    const job = this.job;
    this.job = undefined;
    await job?.stop();
    this.position = 0;
    this.setState('STOP');
  }

  protected override async dispose(): Promise<void> {
    await this.job?.stop();
    this.job = undefined;
    await this.http?.close();
    this.http = undefined;
    await super.dispose();
  }
}

function randomSsrc(): number {
  return Math.floor(Math.random() * 0xfffffff0) + 1;
}
