import { closeSync, createWriteStream, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Transform, type Readable, type TransformCallback } from 'node:stream';
import { finished } from 'node:stream/promises';
import { KmsError } from '../errors';
import { UploadJob, containerOf, probeUpload } from '../media/ffmpeg/upload';
import type { ProbeResult } from '../media/ffmpeg/worker';
import type { RtpCodec, RtpKind } from '../media/graph';
import { MultipartFile, multipartBoundary } from '../media/multipart';
import { StreamRewriter } from '../media/rewriter';
import type { RtpPacket } from 'werift';
import type { ObjectContext } from './MediaObject';
import { SessionEndpoint } from './SdpEndpoint';
import type { HttpEndpointEvents, HttpPostEndpointEvents, KmsConstructorParams } from './kmd-types.generated';

/** Constructor parameters, as the KMD declares them (generated). */
export type HttpPostEndpointParams = KmsConstructorParams['HttpPostEndpoint'];

/** Bytes read before the container is identified and probed (WebM announces its tracks in its first kilobytes). */
const HEAD_BYTES = 64 * 1024;
/** Media types of bodies taken as they are; anything else needs a media Content-Type or none. */
const ACCEPTED_TYPES = /^(video|audio)\/(webm|x-matroska|mp4|quicktime|x-m4v)$|^application\/octet-stream$/i;

/** KMD HttpEndpoint: the URL of the endpoint on the KMS's HTTP side. */
export abstract class HttpEndpoint<E extends HttpEndpointEvents = HttpEndpointEvents> extends SessionEndpoint<E> {
  protected url = '';

  /** getUrl(): the URL while it is registered, an empty string once its session expired (as KMS). */
  getUrl(): string {
    return this.url;
  }
}

/** Fails the stream once more than `limit` bytes went through. */
class SizeLimit extends Transform {
  private seen = 0;
  exceeded = false;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) {
      this.exceeded = true;
      callback(new Error(`the body is larger than ${this.limit} bytes`));
      return;
    }
    callback(null, chunk);
  }
}

/** The first `bytes` of a stream (less when it ends first); the stream is left paused after them. */
function readHead(stream: Readable, bytes: number): Promise<{ head: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (ended: boolean): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      if (!ended) stream.pause();
      resolve({ head: Buffer.concat(chunks), ended });
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= bytes) finish(false);
    };
    const onEnd = (): void => finish(true);
    const onError = (error: Error): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      reject(error);
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * KMD HttpPostEndpoint: getUrl() names a URL of the KMS (`/kurento-http/<id>` on its port; through the site's origin
 * in workshop mode) where a client POSTs WebM or MP4, whole or chunked, or as the file of a multipart/form-data form;
 * the media flows into the pipeline as it arrives (media/ffmpeg/upload.ts), decoded and encoded again unless
 * useEncodedMedia. As KmsHttpEPServer does: MediaSessionStarted at the first POST, EndOfStream when the upload's
 * media has been sent, and once a POST has ended, disconnectionTimeout seconds without a new one expire the URL
 * (404 from then on, getUrl() empty) with MediaSessionTerminated. OPTIONS answers CORS for any origin, as KMS does.
 * One upload at a time (409 for a second); bodies over the size limit get 413, other content 415.
 */
export class HttpPostEndpoint extends HttpEndpoint<HttpPostEndpointEvents> {
  private readonly path: string;
  private readonly disconnectionTimeout: number;
  private readonly useEncodedMedia: boolean;
  private sessionStarted = false;
  private expiry: NodeJS.Timeout | undefined;
  private upload: { req: IncomingMessage; job: UploadJob | undefined; spool: string | undefined } | undefined;
  private readonly rewriters = {
    VIDEO: new StreamRewriter(randomSsrc(), 96, 3000),
    AUDIO: new StreamRewriter(randomSsrc(), 111, 960),
  };

  constructor(context: ObjectContext, params: HttpPostEndpointParams) {
    const timeout = params.disconnectionTimeout ?? 2;
    if (!Number.isInteger(timeout) || timeout < 0) throw new KmsError('MARSHALL_ERROR', `'disconnectionTimeout' must be a non-negative integer (seconds), not ${timeout}`);
    super(context, 'HttpPostEndpoint', params.mediaPipeline);
    this.disconnectionTimeout = timeout;
    this.useEncodedMedia = params.useEncodedMedia === true;
    const route = context.http.register((req, res) => this.onRequest(req, res));
    this.path = route.path;
    this.url = route.url;
    this.node.handler = { ...this.node.handler, onKeyframeRequest: () => undefined };
  }

  /** The pid of the ffmpeg of the upload under way (tests). */
  get uploadPid(): number | undefined {
    return this.upload?.job?.pid;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    res.setHeader('Allow', 'POST');
    const reply = (status: number, text: string): void => {
      if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
      res.end(`${text}\n`);
    };
    if (req.method === 'OPTIONS') {
      req.resume();
      res.writeHead(200).end();
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      reply(405, `${req.method ?? 'This method'} is not allowed: POST the media (WebM or MP4) to this URL`);
      return;
    }
    if (this.released || this.url === '') {
      req.resume();
      reply(404, 'No HttpEndpoint has this URL any more');
      return;
    }
    if (this.upload) {
      req.resume();
      reply(409, 'An upload to this endpoint is already under way');
      return;
    }
    const type = req.headers['content-type']?.split(';')[0]?.trim();
    const boundary = multipartBoundary(req.headers['content-type']);
    if (type && !boundary && !ACCEPTED_TYPES.test(type)) {
      req.resume();
      reply(415, `Content-Type ${type} is not media this endpoint takes: POST WebM or MP4 (video/webm, video/mp4), or a multipart/form-data form with the file`);
      return;
    }
    const length = Number(req.headers['content-length']);
    const max = this.context.config.maxUploadBytes;
    if (Number.isFinite(length) && length > max) {
      req.resume();
      reply(413, `The body (${length} bytes) is larger than this KMS accepts (${max} bytes)`);
      return;
    }
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = undefined;
    if (!this.sessionStarted) {
      this.sessionStarted = true;
      this.raise('MediaSessionStarted');
    }
    const upload: NonNullable<HttpPostEndpoint['upload']> = { req, job: undefined, spool: undefined };
    this.upload = upload;
    this.receive(upload, req, boundary, max).then(
      () => reply(200, 'Received'),
      (error: unknown) => {
        const status = error instanceof HttpError ? error.status : 400;
        reply(status, error instanceof Error ? error.message : String(error));
        req.resume();
      },
    ).finally(() => {
      if (this.upload === upload) this.postEnded();
    });
  }

  /** Reads one POST into the pipeline; resolves when the whole body has been read (and handed to ffmpeg). */
  private async receive(upload: NonNullable<HttpPostEndpoint['upload']>, req: IncomingMessage, boundary: string | undefined, max: number): Promise<void> {
    const limit = new SizeLimit(max);
    let body: Readable = req.pipe(limit);
    req.on('error', (error) => limit.destroy(error));
    if (boundary) {
      const file = new MultipartFile(boundary);
      limit.on('error', (error) => file.destroy(error));
      body = limit.pipe(file);
    }
    const failed = (error: Error): HttpError => (limit.exceeded ? new HttpError(413, `The body is larger than this KMS accepts (${max} bytes)`) : new HttpError(400, error.message));
    // Kept from the start: the body may fail (size limit, cut short) while the head is probed.
    body.on('error', () => undefined);
    const bodyDone = finished(body).then(
      () => undefined,
      (error: Error) => failed(error),
    );
    req.once('aborted', () => body.destroy(new Error('The upload was cut short')));
    let start: { head: Buffer; ended: boolean };
    try {
      start = await readHead(body, HEAD_BYTES);
    } catch (error) {
      throw failed(error as Error);
    }
    const container = containerOf(start.head);
    if (!container) throw new HttpError(415, 'The body is neither WebM / Matroska nor MP4');
    let probe: ProbeResult;
    let job: UploadJob;
    const events = {
      media: (kind: RtpKind, packet: RtpPacket, codec: RtpCodec) => {
        const rewritten = this.rewriters[kind].rewrite(packet);
        rewritten.header.payloadType = packet.header.payloadType;
        this.node.output({ kind, packet: rewritten, codec });
      },
      ended: () => {
        void this.clearSpool(upload);
        this.raise('EndOfStream');
      },
      failure: (description: string) => {
        void this.clearSpool(upload);
        this.raiseError('STREAM_ERROR_DECODE', `The uploaded media could not be decoded: ${description}`, 0);
      },
    };
    if (container === 'webm') {
      try {
        probe = await probeUpload({ head: start.head });
      } catch (error) {
        throw new HttpError(415, `ffmpeg cannot read the body as media: ${error instanceof Error ? error.message : String(error)}`);
      }
      const stream = new PassThrough();
      // A body that fails ends ffmpeg's input where it failed: what arrived is played.
      stream.on('error', () => undefined);
      stream.write(start.head);
      if (start.ended) stream.end();
      else {
        body.on('error', () => stream.end());
        body.pipe(stream);
      }
      job = new UploadJob({ probe, useEncodedMedia: this.useEncodedMedia, input: { stream } }, events);
      upload.job = job;
      await job.start();
      this.reportKinds(probe, job);
      const failure = await bodyDone;
      if (failure) throw failure;
      return;
    }
    // MP4 keeps its index where its writer put it (often at the end): spool the body, then play it.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kurento-labs-upload-'));
    upload.spool = dir;
    const file = path.join(dir, 'upload.mp4');
    const out = createWriteStream(file, { mode: 0o600 });
    out.write(start.head);
    if (start.ended) await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    else {
      body.pipe(out);
      const failure = await bodyDone;
      if (failure) {
        out.destroy();
        throw failure;
      }
      await new Promise<void>((resolve, reject) => {
        if (out.writableFinished) resolve();
        out.once('finish', resolve);
        out.once('error', reject);
      });
    }
    try {
      probe = await probeUpload({ fd: openSync(file, 'r') });
    } catch (error) {
      throw new HttpError(415, `ffmpeg cannot read the body as media: ${error instanceof Error ? error.message : String(error)}`);
    }
    const fd = openSync(file, 'r');
    job = new UploadJob({ probe, useEncodedMedia: this.useEncodedMedia, input: { fd } }, events);
    upload.job = job;
    try {
      await job.start();
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.reportKinds(probe, job);
  }

  private reportKinds(probe: ProbeResult, job: UploadJob): void {
    if (probe.video) this.reportTranscoding('VIDEO', job.transcoding.VIDEO);
    if (probe.audio) this.reportTranscoding('AUDIO', job.transcoding.AUDIO);
  }

  private async clearSpool(upload: NonNullable<HttpPostEndpoint['upload']>): Promise<void> {
    const dir = upload.spool;
    upload.spool = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  /** A POST ended (body read, refused or cut short): the next one may come; the URL expires if none does in time. */
  private postEnded(): void {
    this.upload = undefined;
    if (this.released) return;
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = setTimeout(() => this.expire(), this.disconnectionTimeout * 1000);
    this.expiry.unref();
  }

  private expire(): void {
    this.expiry = undefined;
    if (this.upload || this.released) return;
    this.context.http.unregister(this.path);
    this.url = '';
    if (this.sessionStarted) {
      this.sessionStarted = false;
      this.raise('MediaSessionTerminated');
    }
  }

  protected override async dispose(): Promise<void> {
    this.context.http.unregister(this.path);
    if (this.expiry) clearTimeout(this.expiry);
    const upload = this.upload;
    this.upload = undefined;
    if (upload) {
      upload.req.destroy();
      await upload.job?.stop();
      await this.clearSpool(upload);
    }
    await super.dispose();
  }
}

function randomSsrc(): number {
  return Math.floor(Math.random() * 0xfffffff0) + 1;
}
