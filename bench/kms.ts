/**
 * `npm run bench -- kms [--sessions 1,10,30] [--seconds 15]`: N concurrent hello-world loopbacks on the embedded KMS,
 * driven by werift peers that send real VP8 (640x480/30) and Opus — no browser. ffmpeg encodes a 4 s clip once before
 * the KMS starts; each peer replays it from its own start (sessions join one after another, like people, so their key
 * frames are not in step), so that no encoder competes with the KMS for the two cores while it is measured. The KMS
 * runs in its own process so that its CPU is measured alone (/proc/<pid>/stat); each row (each N) runs in a fresh
 * bench process and a fresh KMS. Loss is counted from the returned sequence numbers. Memory per session is live memory
 * (V8 heap and Buffers) after a full garbage collection, read in the KMS through the V8 inspector.
 */
import kurentoClient, { type KurentoClient, type MediaPipeline } from 'kurento-client';
import { call } from '../core/kurento';
import { RtpClip, type ClipPlayer } from '../tests/helpers/rtp-source';
import { WeriftPeer, negotiate, waitFor } from '../tests/helpers/werift-peer';
import { cpuSeconds, liveMemory, median, startKmsProcess, stopKmsProcess, type KmsProcess } from './kms-process';

interface Session {
  peer: WeriftPeer;
  feed: ClipPlayer;
  pipeline: MediaPipeline;
  offeredAt: number;
  /** When the last signaling call (connect, after gatherCandidates) returned, and when the peer's ICE + DTLS were up. */
  signaledAt: number;
  connectedAt: number;
  sentVideo: number;
  sentAudio: number;
  frameTimes: number[];
}

export interface KmsBenchResult {
  sessions: number;
  seconds: number;
  serverCpuPercent: number;
  cpuMicrosPerPacket: number;
  packetsPerSecondIn: number;
  packetsPerSecondOut: number;
  lossPercent: number;
  /** Packets that arrived twice (retransmitted after a NACK for a late one), per second; not counted as received. */
  duplicatesPerSecond: number;
  freezes: number;
  /** The session made first after the KMS process started (werift and V8 still cold), measured apart from the N. */
  firstFrameColdMs: number;
  firstFrameMedianMs: number;
  firstFrameMaxMs: number;
  /** Medians over the N sessions, in ms after the offer: signaling calls done, peer connected (ICE + DTLS). */
  signaledMedianMs: number;
  connectedMedianMs: number;
  /** V8 heap + external memory (Buffers) per session, after a full collection, over the baseline of an idle KMS. */
  memoryPerSessionMb: number;
  /** The KMS process' resident memory with the N sessions, for scale. */
  rssMb: number;
  /** Where the session with the latest first frame lost its time (ms after its offer), printed apart from the table. */
  slowestSession: { firstFrameMs: number; signaledMs: number; connectedMs: number };
}

async function startSession(client: KurentoClient, clip: RtpClip): Promise<Session> {
  const peer = new WeriftPeer();
  const feed = clip.player();
  const session: Session = { peer, feed, pipeline: undefined as unknown as MediaPipeline, offeredAt: 0, signaledAt: 0, connectedAt: 0, sentVideo: 0, sentAudio: 0, frameTimes: [] };
  feed.onVideo(() => void (session.sentVideo += 1));
  feed.onAudio(() => void (session.sentAudio += 1));
  peer.sendFrom(feed);
  const pipeline = await call<MediaPipeline>((done) => client.create('MediaPipeline', done));
  session.pipeline = pipeline;
  peer.onVideoPacket = (packet) => void (packet.header.marker && session.frameTimes.push(Date.now()));
  // The clock starts before the endpoint is created and the peer makes its offer.
  session.offeredAt = Date.now();
  peer.pc.connectionStateChange.subscribe((state) => {
    if (state === 'connected' && session.connectedAt === 0) session.connectedAt = Date.now();
  });
  await negotiate(pipeline, peer, { loopback: true, waitConnected: false });
  session.signaledAt = Date.now();
  return session;
}

export async function benchKms(sessionCount: number, seconds: number): Promise<KmsBenchResult> {
  const clip = await RtpClip.record({ width: 640, height: 480, fps: 30, bitrate: 1_000_000, gop: 60, seconds: 4 });
  const kms = await startKmsProcess([], { inspector: true });
  const sessions: Session[] = [];
  let client: KurentoClient | undefined;
  // Whatever happens (a timeout under load included), no peer, replay clock or KMS process outlives the bench.
  try {
    client = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
    return await measure(kms, client, clip, sessions, sessionCount, seconds);
  } finally {
    for (const session of sessions) await session.peer.close().catch(() => undefined);
    client?.close();
    clip.stop();
    await stopKmsProcess(kms);
  }
}

async function measure(kms: KmsProcess, client: KurentoClient, clip: RtpClip, sessions: Session[], sessionCount: number, seconds: number): Promise<KmsBenchResult> {
  const { pid } = kms;
  // One session right after start shows what a learner's first lab meets (JIT and werift's first DTLS handshake are
  // cold); it is released before the N measured sessions start.
  const cold = await startSession(client, clip);
  await waitFor(() => cold.frameTimes.length > 0, 30000, 'the first returned frame of the cold session');
  const firstFrameColdMs = (cold.frameTimes[0] ?? 0) - cold.offeredAt;
  await cold.peer.close();
  cold.feed.stop();
  await call<void>((done) => cold.pipeline.release((error: unknown) => done(error, undefined))).catch(() => undefined);
  // The memory baseline is taken once a session has come and gone (werift's modules loaded, its code compiled), and
  // both readings are of live memory after a full collection (see liveMemory): resident memory read as it was gave
  // -23 to +30 MB per session at N=1.
  const idle = await liveMemory(kms);
  for (let i = 0; i < sessionCount; i += 1) sessions.push(await startSession(client, clip));
  await waitFor(() => sessions.every((session) => session.frameTimes.length > 0), 30000, 'the first returned frame of every session');
  const firstFrames = sessions.map((session) => (session.frameTimes[0] ?? 0) - session.offeredAt);
  const phases = sessions.map((session) => ({ signaled: session.signaledAt - session.offeredAt, connected: session.connectedAt - session.offeredAt }));
  const slowest = firstFrames.indexOf(Math.max(...firstFrames));
  const slowestSession = { firstFrameMs: Math.round(firstFrames[slowest] ?? NaN), signaledMs: Math.round(phases[slowest]?.signaled ?? NaN), connectedMs: Math.round(phases[slowest]?.connected ?? NaN) };
  // Measure a steady window.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const mark = sessions.map((session) => ({
    sentVideo: session.sentVideo,
    sentAudio: session.sentAudio,
    gotVideo: session.peer.received.videoPackets,
    gotAudio: session.peer.received.audioPackets,
    duplicates: session.peer.received.duplicates,
    lost: session.peer.received.lost,
    frames: session.frameTimes.length,
  }));
  const cpuStart = cpuSeconds(pid);
  const windowStart = Date.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsed = (Date.now() - windowStart) / 1000;
  const cpu = cpuSeconds(pid) - cpuStart;
  const loaded = await liveMemory(kms);
  let sent = 0;
  let received = 0;
  let freezes = 0;
  let duplicates = 0;
  let lost = 0;
  sessions.forEach((session, index) => {
    const start = mark[index];
    if (!start) return;
    sent += session.sentVideo - start.sentVideo + session.sentAudio - start.sentAudio;
    received += session.peer.received.videoPackets - start.gotVideo + session.peer.received.audioPackets - start.gotAudio;
    duplicates += session.peer.received.duplicates - start.duplicates;
    lost += session.peer.received.lost - start.lost;
    const times = session.frameTimes.slice(start.frames);
    for (let i = 1; i < times.length; i += 1) if ((times[i] ?? 0) - (times[i - 1] ?? 0) > 200) freezes += 1;
  });
  for (const session of sessions) {
    session.feed.stop();
    await session.peer.close();
    await call<void>((done) => session.pipeline.release((error: unknown) => done(error, undefined))).catch(() => undefined);
  }
  sessions.length = 0;
  const forwarded = received;
  return {
    sessions: sessionCount,
    seconds: Math.round(elapsed),
    serverCpuPercent: Math.round((cpu / elapsed) * 1000) / 10,
    cpuMicrosPerPacket: forwarded > 0 ? Math.round((cpu * 1e6) / forwarded) : NaN,
    packetsPerSecondIn: Math.round(sent / elapsed),
    packetsPerSecondOut: Math.round(received / elapsed),
    // From the sequence numbers, as a receiver report counts it: packets in flight at either end of the window do not
    // count as lost or as extra.
    lossPercent: received + lost > 0 ? Math.max(0, Math.round((lost / (received + lost)) * 10000) / 100) : NaN,
    duplicatesPerSecond: Math.round(duplicates / elapsed),
    freezes,
    firstFrameColdMs: Math.round(firstFrameColdMs),
    firstFrameMedianMs: Math.round(median(firstFrames)),
    firstFrameMaxMs: Math.round(Math.max(...firstFrames)),
    signaledMedianMs: Math.round(median(phases.map((p) => p.signaled))),
    connectedMedianMs: Math.round(median(phases.map((p) => p.connected))),
    memoryPerSessionMb: Math.round(((loaded.liveMb - idle.liveMb) / sessionCount) * 100) / 100,
    rssMb: Math.round(loaded.rssMb),
    slowestSession,
  };
}
