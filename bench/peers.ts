/**
 * `npm run bench -- peers [--sessions 1,10,30] [--runs 2] [--seconds 15]`: the sessions of `bench kms` (werift
 * peers replaying a VP8 640x480/30 + Opus clip, echoed back) on Janus's echotest and on the embedded KMS (a
 * WebRtcEndpoint connected to itself), run by run, one server after the other. Each side of each run is a fresh
 * server and a fresh bench process (bench/index.ts), and both sides use the same loopback path: the peers give the
 * server only their 127.0.0.1 candidates and check only 127.0.0.1 pairs. Server CPU is utime + stime of the server
 * process (all its threads) from /proc/<pid>/stat over the window; CPU per packet is that over the packets the peers
 * got back in the window, which opens STEADY_AFTER_MS after the sessions' first frames. Returned ÷ sent and freezes as
 * in bench/delivery.ts.
 */
import { readFileSync } from 'node:fs';
import kurentoClient, { type KurentoClient, type MediaPipeline, type WebRtcEndpoint } from 'kurento-client';
import { call, create } from '../core/kurento';
import { RtpClip, type ClipPlayer } from '../tests/helpers/rtp-source';
import { WeriftPeer, waitFor } from '../tests/helpers/werift-peer';
import { DeliveryWindow, FREEZE_AVERAGE_FRAMES, RETURN_GRACE_MS, SendLog, countFreezes, judgeDelivery } from './delivery';
import { EchoTestSession, startJanus, stopJanus } from './janus';
import { trackDelivery } from './kms';
import { cpuSeconds, round, startKmsProcess, stopKmsProcess } from './kms-process';

export type PeersServer = 'kms' | 'janus';

/**
 * The window starts this long after every session's first returned frame, on both servers: it measures forwarding in a
 * steady state, not a server's first seconds. A KMS at rest used 6.2 % of a core in the 10 s after its start (V8's
 * garbage collection, by `perf`) and under 1 % from 30 s on; V8 also compiles the packet path in those seconds. With
 * the window at 2 s, `--sessions 10` measured 114 µs per packet for the KMS and 50 for Janus; at 15 s, 76-95 and 41-43
 * (two runs each).
 */
export const STEADY_AFTER_MS = 15_000;

/** Janus's own ports, inside the range this bench may use (8921-8999 HTTP, 7200-7299 RTP). */
export const JANUS_HTTP_PORT = 8921;
export const JANUS_RTP_PORTS = '7200-7299';

export interface PeersSideResult {
  server: PeersServer;
  sessions: number;
  seconds: number;
  /** Server process CPU (user + system, every thread) over the window, in % of one core. */
  serverCpuPercent: number;
  cpuMicrosPerPacket: number;
  packetsPerSecondOut: number;
  returnedPercent: number;
  freezes: number;
  delivered: boolean;
  threads: number;
  rssMb: number;
  /** CPU of the bench process (the peers) over the window, in % of one core. */
  clientCpuPercent: number;
}

interface Side {
  pid: number;
  /** Opens one session for `peer` (its offer answered, candidates exchanged) and returns how to close it. */
  open(peer: WeriftPeer): Promise<() => Promise<void>>;
  stop(): Promise<void>;
}

const loopbackOnly = (sdp: string): string =>
  sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || line.includes(' 127.0.0.1 '))
    .join('\r\n');

async function kmsSide(): Promise<Side> {
  const kms = await startKmsProcess();
  const client = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
  return {
    pid: kms.pid,
    async open(peer) {
      const pipeline = await call<MediaPipeline>((done) => client.create('MediaPipeline', done));
      const [endpoint] = await create<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', done));
      endpoint.on('IceCandidateFound', (event) => void peer.addRemoteCandidate(event.candidate).catch(() => undefined));
      await peer.acceptAnswer(await call<string>((done) => endpoint.processOffer(loopbackOnly(offerOf(peer)), done)));
      await call<void>((done) => endpoint.gatherCandidates((error: unknown) => done(error, undefined)));
      await call<void>((done) => endpoint.connect(endpoint, (error: unknown) => done(error, undefined)));
      for (const candidate of peer.candidates) {
        if (candidate.candidate.includes(' 127.0.0.1 ')) void endpoint.addIceCandidate({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? '0', sdpMLineIndex: candidate.sdpMLineIndex ?? 0 });
      }
      return async () => {
        await call<void>((done) => pipeline.release((error: unknown) => done(error, undefined))).catch(() => undefined);
      };
    },
    async stop() {
      client.close();
      await stopKmsProcess(kms);
    },
  };
}

async function janusSide(): Promise<Side> {
  const janus = await startJanus(JANUS_HTTP_PORT, JANUS_RTP_PORTS);
  return {
    pid: janus.pid,
    async open(peer) {
      const echo = await EchoTestSession.open(janus);
      await peer.acceptAnswer(await echo.offer(loopbackOnly(offerOf(peer))));
      for (const candidate of peer.candidates) {
        if (candidate.candidate.includes(' 127.0.0.1 ')) await echo.trickle({ candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? '0', sdpMLineIndex: candidate.sdpMLineIndex ?? 0 });
      }
      await echo.trickle({ completed: true });
      return () => echo.close();
    },
    stop: () => stopJanus(janus),
  };
}

const offers = new WeakMap<WeriftPeer, string>();
const offerOf = (peer: WeriftPeer): string => offers.get(peer) ?? '';

function threadsOf(pid: number): { threads: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN), rssMb: Math.round(Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN) / 1024) };
}

interface PeerSession {
  peer: WeriftPeer;
  feed: ClipPlayer;
  delivery: DeliveryWindow;
  frameTimes: number[];
  close: () => Promise<void>;
}

/** One side of one run: `sessions` echo sessions on a fresh server, a steady window of `seconds`. */
export async function benchPeersSide(server: PeersServer, sessionCount: number, seconds: number): Promise<PeersSideResult> {
  const clip = await RtpClip.record({ width: 640, height: 480, fps: 30, bitrate: 1_000_000, gop: 60, seconds: 4 });
  const side = server === 'kms' ? await kmsSide() : await janusSide();
  const sessions: PeerSession[] = [];
  try {
    // Sessions join one after another, like people (their key frames are not in step).
    for (let i = 0; i < sessionCount; i += 1) {
      const peer = new WeriftPeer({ loopbackOnly: true });
      const feed = clip.player();
      const delivery = new DeliveryWindow(new SendLog());
      const session: PeerSession = { peer, feed, delivery, frameTimes: [], close: () => Promise.resolve() };
      trackDelivery(peer, feed, delivery.log, delivery);
      const returned = peer.onVideoPacket;
      peer.onVideoPacket = (packet) => {
        returned?.(packet);
        if (packet.header.marker) session.frameTimes.push(Date.now());
      };
      const started = Date.now();
      offers.set(peer, await peer.createOffer());
      session.close = await side.open(peer);
      sessions.push(session);
      if (process.env.BENCH_VERBOSE) console.error(`${server}: session ${i + 1} of ${sessionCount} negotiated in ${Date.now() - started} ms`);
    }
    await waitFor(() => sessions.every((session) => session.frameTimes.length > 0), 30000, `the first returned frame of every session (${server})`).catch((error: unknown) => {
      const waiting = sessions.map((session, index) => ({ index, state: session.peer.pc.connectionState, frames: session.frameTimes.length })).filter((entry) => entry.frames === 0);
      throw new Error(`${String(error)}; sessions without a frame: ${JSON.stringify(waiting)}`);
    });
    await new Promise((resolve) => setTimeout(resolve, STEADY_AFTER_MS));
    const frames = sessions.map((session) => session.frameTimes.length);
    const received = (): number => sessions.reduce((sum, { peer }) => sum + peer.received.videoPackets + peer.received.audioPackets, 0);
    const receivedStart = received();
    const cpuStart = cpuSeconds(side.pid);
    const clientCpuStart = process.cpuUsage();
    const windowStart = Date.now();
    for (const session of sessions) session.delivery.open(windowStart);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const windowEnd = Date.now();
    const cpu = cpuSeconds(side.pid) - cpuStart;
    const clientCpu = process.cpuUsage(clientCpuStart);
    for (const session of sessions) session.delivery.close(windowEnd);
    const forwarded = received() - receivedStart;
    const framesEnd = sessions.map((session) => session.frameTimes.length);
    const { threads, rssMb } = threadsOf(side.pid);
    await new Promise((resolve) => setTimeout(resolve, RETURN_GRACE_MS));
    const elapsed = (windowEnd - windowStart) / 1000;
    let freezes = 0;
    let sent = 0;
    let returned = 0;
    sessions.forEach((session, index) => {
      const start = frames[index] ?? 0;
      freezes += countFreezes(session.frameTimes.slice(start, framesEnd[index]), session.frameTimes.slice(Math.max(0, start - FREEZE_AVERAGE_FRAMES - 1), start)).freezes;
      sent += session.delivery.sentInWindow;
      returned += session.delivery.returnedInWindow;
    });
    const verdict = judgeDelivery({ returned, sent, freezes });
    return {
      server,
      sessions: sessionCount,
      seconds: Math.round(elapsed),
      serverCpuPercent: round((cpu / elapsed) * 100),
      cpuMicrosPerPacket: forwarded > 0 ? Math.round((cpu * 1e6) / forwarded) : NaN,
      packetsPerSecondOut: Math.round(forwarded / elapsed),
      returnedPercent: verdict.returnedPercent,
      freezes,
      delivered: verdict.passed,
      threads,
      rssMb,
      clientCpuPercent: round(((clientCpu.user + clientCpu.system) / 1e6 / elapsed) * 100),
    };
  } finally {
    for (const session of sessions) {
      session.feed.stop();
      await session.peer.close().catch(() => undefined);
      await session.close().catch(() => undefined);
    }
    clip.stop();
    await side.stop();
  }
}

/** Median CPU per packet of each server at each N, and KMS ÷ Janus (pure: unit-tested). */
export function peersSummary(rows: readonly PeersSideResult[]): Array<{ sessions: number; kmsMicros: number; janusMicros: number; ratio: number; runs: number }> {
  const counts = [...new Set(rows.map((row) => row.sessions))];
  const median = (values: number[]): number => {
    const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
    if (sorted.length === 0) return NaN;
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  };
  return counts.map((sessions) => {
    const of = (server: PeersServer): number[] => rows.filter((row) => row.sessions === sessions && row.server === server).map((row) => row.cpuMicrosPerPacket);
    const kmsMicros = median(of('kms'));
    const janusMicros = median(of('janus'));
    return { sessions, kmsMicros: Math.round(kmsMicros), janusMicros: Math.round(janusMicros), ratio: round(kmsMicros / janusMicros, 2), runs: of('kms').length };
  });
}
