/**
 * `npm run bench -- kms [--sessions 1,10,30] [--seconds 15]`: N concurrent hello-world loopbacks on the embedded KMS,
 * driven by werift peers that send real VP8 (640x480/30) and Opus — no browser. ffmpeg encodes a 4 s clip once before
 * the KMS starts; each peer replays it from its own start (sessions join one after another, like people, so their key
 * frames are not in step), so that no encoder competes with the KMS for the two cores while it is measured. The KMS
 * runs in its own process so that its CPU is measured alone (/proc/<pid>/stat); each row (each N) runs in a fresh
 * bench process and a fresh KMS. Loss is counted from the returned sequence numbers; beside it, returned ÷ sent and
 * the freezes over the window (bench/delivery.ts) judge the row, because late packets are not lost packets. Memory per session is live memory
 * (V8 heap and Buffers) after a full garbage collection, read in the KMS through the V8 inspector.
 */
import kurentoClient, { type KurentoClient, type MediaPipeline } from 'kurento-client';
import { call } from '../core/kurento';
import { RtpClip, type ClipPlayer, type MediaFeed } from '../tests/helpers/rtp-source';
import { WeriftPeer, negotiate, waitFor } from '../tests/helpers/werift-peer';
import { DeliveryWindow, FREEZE_AVERAGE_FRAMES, RETURN_GRACE_MS, SendLog, countFreezes, judgeDelivery, payloadKey } from './delivery';
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
  /** Returned ÷ sent over the window, matched packet by packet (bench/delivery.ts). */
  delivery: DeliveryWindow;
}

export interface KmsBenchResult {
  sessions: number;
  /** Worker threads of the KMS (`--workers`; 0: every object in its protocol thread). */
  workers: number;
  seconds: number;
  serverCpuPercent: number;
  cpuMicrosPerPacket: number;
  packetsPerSecondIn: number;
  packetsPerSecondOut: number;
  lossPercent: number;
  /** Packets the peers got back over the packets they sent in the window, in % (see bench/delivery.ts). */
  returnedPercent: number;
  /** Whether the row met returned ÷ sent ≥ 99.5 % with no freeze (whatever lossPercent says). */
  delivered: boolean;
  /** Packets that arrived twice (retransmitted after a NACK for a late one), per second; not counted as received. */
  duplicatesPerSecond: number;
  /** Freezes over all sessions in the window, as WebRTC's freezeCount (FREEZE_DEFINITION), and the longest gap. */
  freezes: number;
  longestFrameGapMs: number;
  /** The session made first after the KMS process started (werift and V8 still cold), measured apart from the N. */
  firstFrameColdMs: number;
  firstFrameMedianMs: number;
  firstFrameMaxMs: number;
  /** Medians over the N sessions, in ms after the offer: signaling calls done, peer connected (ICE + DTLS). */
  signaledMedianMs: number;
  connectedMedianMs: number;
  /** V8 heap + external memory (Buffers) per session, after a full collection, over the baseline of an idle KMS. */
  memoryPerSessionMb: number;
  /**
   * CPU of this bench process (the N werift peers) over the window, in % of one core: near 100 % the peers, not the
   * KMS, are late, and the returned ratio says so too.
   */
  clientCpuPercent: number;
  /** The KMS process' resident memory with the N sessions, for scale. */
  rssMb: number;
  /** Where the session with the latest first frame lost its time (ms after its offer), printed apart from the table. */
  slowestSession: { firstFrameMs: number; signaledMs: number; connectedMs: number };
}

async function startSession(client: KurentoClient, clip: RtpClip): Promise<Session> {
  const peer = new WeriftPeer();
  const feed = clip.player();
  const log = new SendLog();
  const delivery = new DeliveryWindow(log);
  const session: Session = { peer, feed, pipeline: undefined as unknown as MediaPipeline, offeredAt: 0, signaledAt: 0, connectedAt: 0, sentVideo: 0, sentAudio: 0, frameTimes: [], delivery };
  trackDelivery(peer, feed, log, delivery, {
    video: () => void (session.sentVideo += 1),
    audio: () => void (session.sentAudio += 1),
  });
  const pipeline = await call<MediaPipeline>((done) => client.create('MediaPipeline', done));
  session.pipeline = pipeline;
  const returned = peer.onVideoPacket;
  peer.onVideoPacket = (packet) => {
    returned?.(packet);
    if (packet.header.marker) session.frameTimes.push(Date.now());
  };
  // The clock starts before the endpoint is created and the peer makes its offer.
  session.offeredAt = Date.now();
  peer.pc.connectionStateChange.subscribe((state) => {
    if (state === 'connected' && session.connectedAt === 0) session.connectedAt = Date.now();
  });
  await negotiate(pipeline, peer, { loopback: true, waitConnected: false });
  session.signaledAt = Date.now();
  return session;
}

/** `kmsArgs`: more arguments for `npm run kms`. */
/**
 * Feeds `peer` from `feed`, noting each packet sent in `log` and `delivery` (and calling `counted`), and matching
 * each packet `peer` gets back to its sending.
 */
export function trackDelivery(peer: WeriftPeer, feed: MediaFeed, log: SendLog, delivery: DeliveryWindow, counted: { video?: () => void; audio?: () => void } = {}): void {
  for (const kind of ['video', 'audio'] as const) {
    const subscribe = kind === 'video' ? feed.onVideo.bind(feed) : feed.onAudio.bind(feed);
    subscribe((packet) => {
      const now = Date.now();
      log.note(payloadKey(kind, packet.payload), now);
      delivery.sent(now);
      counted[kind]?.();
    });
  }
  peer.sendFrom(feed);
  peer.onVideoPacket = (packet) => delivery.returned(payloadKey('video', packet.payload), Date.now());
  peer.onAudioPacket = (packet) => delivery.returned(payloadKey('audio', packet.payload), Date.now());
}

export async function benchKms(sessionCount: number, seconds: number, kmsArgs: readonly string[] = []): Promise<KmsBenchResult> {
  const clip = await RtpClip.record({ width: 640, height: 480, fps: 30, bitrate: 1_000_000, gop: 60, seconds: 4 });
  const kms = await startKmsProcess(kmsArgs, { inspector: true });
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
  await waitFor(() => sessions.every((session) => session.frameTimes.length > 0), 30000, 'the first returned frame of every session').catch((error: unknown) => {
    // Say which sessions got nothing back, and how far each got: connection state, packets back, key frames.
    const stuck = sessions
      .map((session, index) => ({ session, index }))
      .filter(({ session }) => session.frameTimes.length === 0)
      .map(({ session, index }) => `#${index} ${session.peer.pc.connectionState}, ${session.peer.received.videoPackets} video / ${session.peer.received.audioPackets} audio packets back, ${session.peer.received.keyframes} key frames`);
    throw new Error(`${String(error)}; ${stuck.length} of ${sessions.length} sessions: ${stuck.join('; ')}`);
  });
  const firstFrames = sessions.map((session) => (session.frameTimes[0] ?? 0) - session.offeredAt);
  const phases = sessions.map((session) => ({ signaled: session.signaledAt - session.offeredAt, connected: session.connectedAt - session.offeredAt }));
  const slowest = firstFrames.indexOf(Math.max(...firstFrames));
  const slowestSession = { firstFrameMs: Math.round(firstFrames[slowest] ?? NaN), signaledMs: Math.round(phases[slowest]?.signaled ?? NaN), connectedMs: Math.round(phases[slowest]?.connected ?? NaN) };
  // Measure a steady window.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const counters = (): Array<{ sentVideo: number; sentAudio: number; gotVideo: number; gotAudio: number; duplicates: number; lost: number; frames: number }> => sessions.map((session) => ({
    sentVideo: session.sentVideo,
    sentAudio: session.sentAudio,
    gotVideo: session.peer.received.videoPackets,
    gotAudio: session.peer.received.audioPackets,
    duplicates: session.peer.received.duplicates,
    lost: session.peer.received.lost,
    frames: session.frameTimes.length,
  }));
  const mark = counters();
  const cpuStart = cpuSeconds(pid);
  const clientCpuStart = process.cpuUsage();
  const windowStart = Date.now();
  for (const session of sessions) session.delivery.open(windowStart);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const windowEnd = Date.now();
  for (const session of sessions) session.delivery.close(windowEnd);
  const elapsed = (windowEnd - windowStart) / 1000;
  const cpu = cpuSeconds(pid) - cpuStart;
  const clientCpu = process.cpuUsage(clientCpuStart);
  const end = counters();
  // Packets sent at the end of the window have until the grace is over to come back.
  await new Promise((resolve) => setTimeout(resolve, RETURN_GRACE_MS));
  const loaded = await liveMemory(kms);
  let sent = 0;
  let received = 0;
  let sentInWindow = 0;
  let returnedInWindow = 0;
  let freezes = 0;
  let longestFrameGapMs = 0;
  let duplicates = 0;
  let lost = 0;
  sessions.forEach((session, index) => {
    const start = mark[index];
    const stop = end[index];
    if (!start || !stop) return;
    sent += stop.sentVideo - start.sentVideo + stop.sentAudio - start.sentAudio;
    received += stop.gotVideo - start.gotVideo + stop.gotAudio - start.gotAudio;
    duplicates += stop.duplicates - start.duplicates;
    sentInWindow += session.delivery.sentInWindow;
    returnedInWindow += session.delivery.returnedInWindow;
    lost += stop.lost - start.lost;
    const counted = countFreezes(session.frameTimes.slice(start.frames, stop.frames), session.frameTimes.slice(Math.max(0, start.frames - FREEZE_AVERAGE_FRAMES - 1), start.frames));
    freezes += counted.freezes;
    longestFrameGapMs = Math.max(longestFrameGapMs, counted.longestGapMs);
  });
  for (const session of sessions) {
    session.feed.stop();
    await session.peer.close();
    await call<void>((done) => session.pipeline.release((error: unknown) => done(error, undefined))).catch(() => undefined);
  }
  sessions.length = 0;
  const forwarded = received;
  const verdict = judgeDelivery({ returned: returnedInWindow, sent: sentInWindow, freezes });
  return {
    sessions: sessionCount,
    workers: loaded.pipelineWorkers,
    seconds: Math.round(elapsed),
    serverCpuPercent: Math.round((cpu / elapsed) * 1000) / 10,
    cpuMicrosPerPacket: forwarded > 0 ? Math.round((cpu * 1e6) / forwarded) : NaN,
    packetsPerSecondIn: Math.round(sent / elapsed),
    packetsPerSecondOut: Math.round(received / elapsed),
    // From the sequence numbers, as a receiver report counts it: packets in flight at either end of the window do not
    // count as lost or as extra.
    lossPercent: received + lost > 0 ? Math.max(0, Math.round((lost / (received + lost)) * 10000) / 100) : NaN,
    returnedPercent: verdict.returnedPercent,
    delivered: verdict.passed,
    duplicatesPerSecond: Math.round(duplicates / elapsed),
    freezes,
    longestFrameGapMs: Math.round(longestFrameGapMs),
    firstFrameColdMs: Math.round(firstFrameColdMs),
    firstFrameMedianMs: Math.round(median(firstFrames)),
    firstFrameMaxMs: Math.round(Math.max(...firstFrames)),
    signaledMedianMs: Math.round(median(phases.map((p) => p.signaled))),
    connectedMedianMs: Math.round(median(phases.map((p) => p.connected))),
    memoryPerSessionMb: Math.round(((loaded.liveMb - idle.liveMb) / sessionCount) * 100) / 100,
    clientCpuPercent: Math.round(((clientCpu.user + clientCpu.system) / 1e6 / elapsed) * 1000) / 10,
    rssMb: Math.round(loaded.rssMb),
    slowestSession,
  };
}
