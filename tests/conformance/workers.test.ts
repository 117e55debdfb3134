/**
 * Pipelines on worker threads (`--workers N`): the protocol is the same for clients, each pipeline and all its
 * elements live on one worker, pipelines spread over the workers (`--placement spread`) or fill the first with room
 * (the default), media flows on each, and a worker that stops takes only its own pipelines with it. Driven with the
 * real kurento-client 7.3 and werift peers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kurentoClient, { type KurentoClient, type MediaPipeline, type PassThrough, type ServerManager } from 'kurento-client';
import { call, create } from '../../core/kurento';
import type { KmsServer } from '../../server/kms/server';
import type { WorkerPool } from '../../server/kms/workers/pool';
import { startKms } from '../helpers/kms';
import { BUSY } from '../../server/kms/workers/placement';
import { RtpSource } from '../helpers/rtp-source';
import { WeriftPeer, negotiate, waitFor } from '../helpers/werift-peer';

let kms: KmsServer;
let pool: WorkerPool;
let client: KurentoClient;
let source: RtpSource;

before(async () => {
  // Spread, so that these tests see pipelines on both workers; the default (fill) has its own test at the end.
  kms = await startKms({ workers: 2, placement: 'spread' });
  assert.ok(kms.pool, 'workers: 2 runs a pool');
  pool = kms.pool;
  client = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
  source = new RtpSource({ width: 320, height: 240, fps: 30, bitrate: 400_000, gop: 30 });
  await source.start();
});

after(async () => {
  client.close();
  await source.stop();
  await kms.stop();
});

const done = (callback: (error: unknown, value: undefined) => void) => (error: unknown) => callback(error, undefined);
const release = (object: { release(callback: (error: unknown) => void): void }): Promise<void> => call<void>((cb) => object.release(done(cb)));

test('pipelines alternate between the workers; their elements stay on the pipeline’s worker', async () => {
  const pipelines: MediaPipeline[] = [];
  for (let i = 0; i < 4; i += 1) pipelines.push((await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb)))[0]);
  assert.deepEqual(pool.load, [2, 2]);
  const workers = pipelines.map((pipeline) => pool.workerOf(pipeline.id));
  assert.deepEqual([...new Set(workers)].sort(), [0, 1]);
  for (const pipeline of pipelines) {
    const [passThrough] = await create<PassThrough>((cb) => pipeline.create('PassThrough', cb));
    assert.equal(pool.workerOf(passThrough.id), pool.workerOf(pipeline.id));
  }
  // The ServerManager (answered by the protocol thread) lists the pipelines of every worker.
  const manager = await call<ServerManager>((cb) => client.getServerManager(cb));
  const listed = await call<MediaPipeline[]>((cb) => manager.getPipelines(cb));
  for (const pipeline of pipelines) assert.ok(listed.some((item) => item.id === pipeline.id), `${pipeline.id} listed`);
  for (const pipeline of pipelines) await release(pipeline);
  assert.deepEqual(pool.load, [0, 0]);
});

test('elements of pipelines on two workers cannot be connected: 40004, as when they share a thread', async () => {
  const [a] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [b] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  assert.notEqual(pool.workerOf(a.id), pool.workerOf(b.id));
  const [fromA] = await create<PassThrough>((cb) => a.create('PassThrough', cb));
  const [fromB] = await create<PassThrough>((cb) => b.create('PassThrough', cb));
  await assert.rejects(call<void>((cb) => fromA.connect(fromB, done(cb))), (error: { code?: number; message?: string }) => {
    assert.equal(error.code, 40004);
    assert.match(error.message ?? '', /do not share pipeline/);
    return true;
  });
  await release(a);
  await release(b);
});

test('media flows through loopbacks on both workers at once', async () => {
  const peers = [new WeriftPeer(), new WeriftPeer()];
  const pipelines: MediaPipeline[] = [];
  try {
    for (const peer of peers) {
      peer.sendFrom(source);
      const [pipeline] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
      pipelines.push(pipeline);
      await negotiate(pipeline, peer, { loopback: true });
    }
    assert.deepEqual(pool.load, [1, 1]);
    await waitFor(() => peers.every((peer) => peer.received.keyframes >= 1 && peer.received.videoFrames >= 30 && peer.received.audioPackets >= 50), 15000, 'media back on both');
    for (const peer of peers) assert.equal(peer.received.sequenceGaps, 0);
  } finally {
    for (const peer of peers) await peer.close();
    for (const pipeline of pipelines) await release(pipeline);
  }
});

test('a worker that stops takes only its pipelines: their ids answer 40101, ObjectDestroyed is raised, a new worker takes its place', async () => {
  const manager = await call<ServerManager>((cb) => client.getServerManager(cb));
  const destroyed: string[] = [];
  manager.on('ObjectDestroyed', (event) => void destroyed.push(String(event.objectId)));
  const [a] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [b] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [element] = await create<PassThrough>((cb) => a.create('PassThrough', cb));
  const index = pool.workerOf(a.id);
  assert.ok(index !== undefined);
  const thread = pool.thread(index);
  const oldThreadId = thread?.threadId;
  await thread?.terminate();
  await waitFor(() => destroyed.includes(a.id) && destroyed.includes(element.id), 5000, 'ObjectDestroyed for the stopped worker’s objects');
  assert.equal(kms.registry.resolve(a.id), undefined);
  await assert.rejects(call<string>((cb) => a.getName(cb)), (error: { code?: number }) => error.code === 40101);
  // The other worker's pipeline is untouched.
  assert.equal(await call<string>((cb) => b.getName(cb)), b.id);
  await waitFor(() => pool.thread(index) !== undefined && pool.thread(index)?.threadId !== oldThreadId, 10000, 'a new worker');
  const [fresh] = await create<MediaPipeline>((cb) => client.create('MediaPipeline', cb));
  const [child] = await create<PassThrough>((cb) => fresh.create('PassThrough', cb));
  assert.equal(pool.workerOf(child.id), pool.workerOf(fresh.id));
  await release(fresh);
  await release(b);
});

test('the default placement fills the first worker while it has room: light pipelines share one thread', async () => {
  const filling = await startKms({ workers: 2 });
  assert.equal(filling.pool?.placement, 'fill');
  const fillingClient = await call<KurentoClient>((done) => kurentoClient(filling.url, { failAfter: 2 }, done));
  try {
    const pipelines: MediaPipeline[] = [];
    for (let i = 0; i < 6; i += 1) pipelines.push((await create<MediaPipeline>((cb) => fillingClient.create('MediaPipeline', cb)))[0]);
    // Six idle pipelines are far from BUSY of one worker's event loop.
    assert.ok(BUSY > 0.1);
    assert.deepEqual(filling.pool?.load, [6, 0]);
    for (const pipeline of pipelines) await release(pipeline);
  } finally {
    fillingClient.close();
    await filling.stop();
  }
});
