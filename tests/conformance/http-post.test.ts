/**
 * HttpPostEndpoint with real uploads, driven by kurento-client 7.3: WebM posted in chunks, MP4 posted whole, a
 * multipart/form-data form; the media reaches a WebRtcEndpoint's werift peer; EndOfStream, then the URL expires after
 * disconnectionTimeout with MediaSessionTerminated; clear HTTP errors for what it does not take.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import kurentoClient, { type HttpPostEndpoint, type KurentoClient, type MediaPipeline } from 'kurento-client';
import { call, create } from '../../core/kurento';
import type { KmsServer } from '../../server/kms/server';
import { BUILD_STAMP } from '../../server/site/build';
import { SiteService } from '../../server/site/site-service';
import { startKms } from '../helpers/kms';
import { WeriftPeer, negotiate, waitFor } from '../helpers/werift-peer';

const MAX_UPLOAD = 2 * 1024 * 1024;
let kms: KmsServer;
let client: KurentoClient;
let dir: string;
let webm: string;
let mp4: string;

function clip(file: string, codecs: string[]): void {
  const result = spawnSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2',
    ...codecs, '-g', '30', file,
  ]);
  assert.equal(result.status, 0, String(result.stderr));
}

before(async () => {
  kms = await startKms({ maxUploadBytes: MAX_UPLOAD });
  client = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
  dir = mkdtempSync(path.join(os.tmpdir(), 'http-post-'));
  webm = path.join(dir, 'clip.webm');
  clip(webm, ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '400k', '-c:a', 'libopus']);
  mp4 = path.join(dir, 'clip.mp4');
  clip(mp4, ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac']);
});

after(async () => {
  client.close();
  await kms.stop();
  rmSync(dir, { recursive: true, force: true });
});

const done = (callback: (error: unknown, value: undefined) => void) => (error: unknown) => callback(error, undefined);

/** An HTTP request; `body` is sent chunked when it is a stream, with Content-Length when it is a Buffer. */
function send(url: string, method: string, body?: Buffer | Readable, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(Buffer.isBuffer(body) ? { 'Content-Length': String(body.length) } : {}) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.on('error', reject);
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

async function endpointWithViewer(pipeline: MediaPipeline, params: Record<string, unknown>): Promise<{ http: HttpPostEndpoint; peer: WeriftPeer; events: string[] }> {
  const [http] = await create<HttpPostEndpoint>((cb) => pipeline.create('HttpPostEndpoint', params, cb));
  const events: string[] = [];
  for (const name of ['MediaSessionStarted', 'MediaSessionTerminated', 'EndOfStream'] as const) http.on(name, () => events.push(name));
  http.on('MediaTranscodingStateChanged', (event) => events.push(`${event.mediaType} ${event.state}`));
  const peer = new WeriftPeer();
  const endpoint = await negotiate(pipeline, peer);
  await call<void>((cb) => http.connect(endpoint, done(cb)));
  return { http, peer, events };
}

test('WebM posted in chunks flows to a WebRTC peer; EndOfStream; the URL expires after disconnectionTimeout with MediaSessionTerminated', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const { http, peer, events } = await endpointWithViewer(pipeline, { disconnectionTimeout: 1 });
  const url = await call<string>((cb) => http.getUrl(cb));
  assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${kms.port}/kurento-http/[0-9a-f-]{36}$`), 'a URL on the KMS port');
  const options = await send(url, 'OPTIONS');
  assert.equal(options.status, 200);
  assert.equal(options.headers['access-control-allow-origin'], '*', 'CORS for any origin, as KMS');
  const posted = send(url, 'POST', createReadStream(webm, { highWaterMark: 16 * 1024 }), { 'Content-Type': 'video/webm' });
  await waitFor(() => peer.received.keyframes > 0 && peer.received.audioPackets > 20, 15000, 'the upload\'s video and audio at the peer');
  const response = await posted;
  assert.equal(response.status, 200, response.text);
  await waitFor(() => events.includes('EndOfStream'), 10000, 'EndOfStream');
  assert.ok(events.includes('VIDEO TRANSCODING'), 'decoded and encoded again without useEncodedMedia, as KMS decodes uploads');
  assert.equal(peer.received.keyframeSizes[0]?.width, 320);
  await waitFor(() => events.includes('MediaSessionTerminated'), 5000, 'the URL to expire');
  assert.deepEqual(events.filter((event) => event.startsWith('Media')), ['MediaSessionStarted', 'MediaSessionTerminated']);
  assert.equal(await call<string>((cb) => http.getUrl(cb)), '', 'an expired URL is gone');
  assert.equal((await send(url, 'POST', Buffer.from('late'))).status, 404);
  await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('MP4 posted whole, and WebM as the file of a multipart/form-data form with useEncodedMedia (VP8 passes as it is)', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const first = await endpointWithViewer(pipeline, {});
  const mp4Url = await call<string>((cb) => first.http.getUrl(cb));
  const mp4Response = await send(mp4Url, 'POST', readFileSync(mp4), { 'Content-Type': 'video/mp4' });
  assert.equal(mp4Response.status, 200, mp4Response.text);
  await waitFor(() => first.peer.received.keyframes > 0 && first.peer.received.audioPackets > 20, 15000, 'the MP4\'s media (H.264 + AAC decoded) at the peer');

  const second = await endpointWithViewer(pipeline, { useEncodedMedia: true });
  const formUrl = await call<string>((cb) => second.http.getUrl(cb));
  const boundary = 'kurentoLabsBoundary7MA4YWxk';
  const form = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="clip.webm"\r\nContent-Type: video/webm\r\n\r\n`),
    readFileSync(webm),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  // The form's first part is a text field: the endpoint takes the part that is the file.
  const formResponse = await send(formUrl, 'POST', form, { 'Content-Type': `multipart/form-data; boundary=${boundary}` });
  assert.equal(formResponse.status, 200, formResponse.text);
  await waitFor(() => second.peer.received.keyframes > 0, 15000, 'the form\'s video at the peer');
  await waitFor(() => second.events.includes('VIDEO NOT_TRANSCODING'), 5000, 'VP8 copied with useEncodedMedia');
  for (const peer of [first.peer, second.peer]) await peer.close();
  await call<void>((cb) => pipeline.release(done(cb)));
});

test('clear HTTP errors: 405 for GET, 415 for text and for bytes that are not media, 413 over the size limit, 404 once released', async () => {
  const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [http] = await create<HttpPostEndpoint>((cb) => pipeline.create('HttpPostEndpoint', cb));
  const url = await call<string>((cb) => http.getUrl(cb));
  assert.equal((await send(url, 'GET')).status, 405);
  const text = await send(url, 'POST', Buffer.from('hello'), { 'Content-Type': 'text/plain' });
  assert.equal(text.status, 415);
  assert.match(text.text, /WebM or MP4/);
  const garbage = await send(url, 'POST', Buffer.alloc(100_000, 0x42), { 'Content-Type': 'application/octet-stream' });
  assert.equal(garbage.status, 415, garbage.text);
  const declared = await send(url, 'POST', Buffer.alloc(MAX_UPLOAD + 1), { 'Content-Type': 'video/webm' });
  assert.equal(declared.status, 413, 'a Content-Length over the limit is refused at once');
  // A chunked body that grows past the limit: a real WebM head, then more bytes than allowed.
  const big = Readable.from((function* () {
    yield readFileSync(webm).subarray(0, 4096);
    for (let i = 0; i < 40; i += 1) yield Buffer.alloc(64 * 1024, i);
  })());
  const chunked = await send(url, 'POST', big, { 'Content-Type': 'video/webm' }).catch(() => ({ status: 413, text: 'connection closed', headers: {} }));
  assert.equal(chunked.status, 413, chunked.text);
  assert.ok(statSync(webm).size < MAX_UPLOAD);
  await call<void>((cb) => pipeline.release(done(cb)));
  assert.equal((await send(url, 'POST', readFileSync(webm), { 'Content-Type': 'video/webm' })).status, 404, 'nothing answers for a released endpoint');
});

test('workshop mode: the URL is announced on the site\'s origin, which forwards /kurento-http/ to the KMS (as npm start wires it)', async () => {
  const sitePort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const root = path.join(dir, 'site');
  const buildDir = path.join(root, 'build');
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(path.join(buildDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(buildDir, BUILD_STAMP), JSON.stringify({ builtAt: new Date().toISOString(), minified: true }));
  const site = new SiteService({ root, buildDir, host: '127.0.0.1', port: sitePort, log: () => undefined });
  const workshopKms = await startKms({ httpAnnouncedBase: `http://127.0.0.1:${sitePort}` });
  site.addHandler('/kurento-http/', (req, res) => {
    if (!workshopKms.handleHttp(req, res)) res.writeHead(404).end();
  });
  await site.start();
  const other = await call<KurentoClient>((cb) => kurentoClient(workshopKms.url, { failAfter: 2 }, cb));
  try {
    const [pipeline] = await create<MediaPipeline>((cb) => other.create('MediaPipeline', cb));
    const [http] = await create<HttpPostEndpoint>((cb) => pipeline.create('HttpPostEndpoint', cb));
    const ended = new Promise<void>((resolve) => http.on('EndOfStream', () => resolve()));
    const url = await call<string>((cb) => http.getUrl(cb));
    assert.ok(url.startsWith(`http://127.0.0.1:${sitePort}/kurento-http/`), url);
    const response = await send(url, 'POST', createReadStream(webm), { 'Content-Type': 'video/webm' });
    assert.equal(response.status, 200, response.text);
    await ended;
    assert.equal((await send(`http://127.0.0.1:${sitePort}/kurento-http/not-an-endpoint`, 'POST', Buffer.from('x'))).status, 404);
    await call<void>((cb) => pipeline.release(done(cb)));
  } finally {
    other.close();
    await site.stop();
    await workshopKms.stop();
  }
});
