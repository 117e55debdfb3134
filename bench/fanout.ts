/**
 * `npm run bench -- fanout [--receivers 1,10,50] [--seconds 15]`: one werift sender with real VP8 (640x480/30,
 * ffmpeg) and Opus into a WebRtcEndpoint connected to N WebRtcEndpoints, each negotiated with a werift receiver — the
 * one2many pipeline of the broadcasting chapter, without a browser. The KMS runs in its own process so that its CPU
 * is measured alone (/proc/<pid>/stat); the receivers live in this process, whose CPU is reported too, because an
 * overloaded receiver side shows up as loss.
 */
import kurentoClient, { type KurentoClient, type MediaPipeline } from 'kurento-client';
import { call, create } from '../core/kurento';
import { RtpSource } from '../tests/helpers/rtp-source';
import { WeriftPeer, negotiate, waitFor } from '../tests/helpers/werift-peer';
import { DeliveryWindow, FREEZE_AVERAGE_FRAMES, RETURN_GRACE_MS, SendLog, countFreezes, judgeDelivery, payloadKey } from './delivery';
import { cpuSeconds, liveMemory, round, startKmsProcess, stopKmsProcess } from './kms-process';
/** Receivers negotiated at the same time while setting up. */
const SETUP_BATCH = 10;

export interface FanoutBenchResult {
  receivers: number;
  /** Length of the measured window, in seconds. */
  seconds: number;
  /** KMS process CPU over the window, in % of one core. */
  serverCpuPercent: number;
  /** KMS CPU time per packet sent to the receivers, in µs. */
  cpuMicrosPerOutgoingPacket: number;
  /** RTP packets (video + audio) the sender sent into KMS, per second. */
  packetsPerSecondIn: number;
  /** RTP packets all receivers together got, per second (ideally N × packetsPerSecondIn). */
  packetsPerSecondOut: number;
  /** Per receiver, 1 − received / sent over the window, in %. */
  lossPercentMin: number;
  lossPercentAvg: number;
  lossPercentMax: number;
  /** Of N × the packets sent into the KMS in the window, the share the receivers got within 500 ms, in % (bench/delivery.ts). */
  returnedPercent: number;
  /** Freezes over all receivers in the window (WebRTC's freezeCount rule, FREEZE_DEFINITION). */
  freezes: number;
  /** returned ÷ sent ≥ 99.5 % with no freeze, whatever the loss figures say. */
  delivered: boolean;
  /**
   * Growth of the KMS's live memory (V8 heap + Buffers, after a full collection; see liveMemory) per receiver
   * (endpoint + its WebRTC session), in MB.
   */
  memoryPerReceiverMb: number;
  /** The KMS process' resident memory with the N receivers, for scale. */
  rssMb: number;
  /** CPU of this process (sender, receivers, ffmpeg reader) over the window, in % of one core. */
  clientCpuPercent: number;
  /** Wall time to negotiate every receiver and get its first video packet, in seconds. */
  setupSeconds: number;
}

export async function benchFanout(receivers: number, seconds: number): Promise<FanoutBenchResult> {
  if (!Number.isInteger(receivers) || receivers < 1) throw new Error(`receivers must be a positive integer, not ${receivers}`);
  const kms = await startKmsProcess([], { inspector: true });
  const { pid } = kms;
  const source = new RtpSource({ width: 640, height: 480, fps: 30, bitrate: 1_000_000, gop: 60 });
  let client: KurentoClient | undefined;
  let pipeline: MediaPipeline | undefined;
  const peers: WeriftPeer[] = [];
  try {
    await source.start();
    let sent = 0;
    // Each packet sent is noted once; every receiver's window counts it (bench/delivery.ts).
    const log = new SendLog();
    const windows = new Map<WeriftPeer, DeliveryWindow>();
    const noteSent = (kind: 'audio' | 'video', payload: Buffer): void => {
      const now = Date.now();
      sent += 1;
      log.note(payloadKey(kind, payload), now);
      for (const window of windows.values()) window.sent(now);
    };
    source.onVideo((packet) => noteSent('video', packet.payload));
    source.onAudio((packet) => noteSent('audio', packet.payload));
    const connected = await call<KurentoClient>((done) => kurentoClient(kms.url, { failAfter: 2 }, done));
    client = connected;
    const [created] = await create<MediaPipeline>((done) => connected.create('MediaPipeline', done));
    pipeline = created;

    // The sender, alone first: the memory baseline includes the pipeline, the sender and its session.
    const sender = new WeriftPeer();
    peers.push(sender);
    sender.sendFrom(source);
    const senderEndpoint = await negotiate(created, sender);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const base = await liveMemory(kms);

    const setupStart = Date.now();
    const frameTimes = new Map<WeriftPeer, number[]>();
    const receiving: WeriftPeer[] = [];
    for (let first = 0; first < receivers; first += SETUP_BATCH) {
      const batch = Array.from({ length: Math.min(SETUP_BATCH, receivers - first) }, () => {
        const peer = new WeriftPeer();
        const times: number[] = [];
        frameTimes.set(peer, times);
        const window = new DeliveryWindow(log);
        windows.set(peer, window);
        peer.onVideoPacket = (packet) => {
          window.returned(payloadKey('video', packet.payload), Date.now());
          if (packet.header.marker) times.push(Date.now());
        };
        peer.onAudioPacket = (packet) => window.returned(payloadKey('audio', packet.payload), Date.now());
        return peer;
      });
      peers.push(...batch);
      receiving.push(...batch);
      await Promise.all(
        batch.map(async (peer) => {
          const endpoint = await negotiate(created, peer, { waitConnected: false });
          await call<void>((done) => senderEndpoint.connect(endpoint, done));
        }),
      );
    }
    await waitFor(() => receiving.every((peer) => peer.received.videoPackets > 0), 60000, 'the first video packet on every receiver');
    const setupSeconds = (Date.now() - setupStart) / 1000;

    // Let the key frames and the initial bursts pass, then measure a steady window.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const sentStart = sent;
    const receivedStart = receiving.map((peer) => peer.received.videoPackets + peer.received.audioPackets);
    const framesStart = receiving.map((peer) => frameTimes.get(peer)?.length ?? 0);
    const cpuStart = cpuSeconds(pid);
    const clientCpuStart = process.cpuUsage();
    const windowStart = Date.now();
    for (const window of windows.values()) window.open(windowStart);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const windowEnd = Date.now();
    for (const window of windows.values()) window.close(windowEnd);
    const elapsed = (windowEnd - windowStart) / 1000;
    const cpu = cpuSeconds(pid) - cpuStart;
    const clientCpu = process.cpuUsage(clientCpuStart);
    const framesEnd = receiving.map((peer) => frameTimes.get(peer)?.length ?? 0);
    const sentEnd = sent;
    const receivedEnd = receiving.map((peer) => peer.received.videoPackets + peer.received.audioPackets);
    // Packets sent at the end of the window have until the grace is over to come back.
    await new Promise((resolve) => setTimeout(resolve, RETURN_GRACE_MS));
    const loaded = await liveMemory(kms);
    const sentInWindow = sentEnd - sentStart;
    const receivedInWindow = receiving.map((_peer, index) => (receivedEnd[index] ?? 0) - (receivedStart[index] ?? 0));
    const totalOut = receivedInWindow.reduce((sum, count) => sum + count, 0);
    let freezes = 0;
    receiving.forEach((peer, index) => {
      const times = frameTimes.get(peer) ?? [];
      const start = framesStart[index] ?? 0;
      freezes += countFreezes(times.slice(start, framesEnd[index]), times.slice(Math.max(0, start - FREEZE_AVERAGE_FRAMES - 1), start)).freezes;
    });
    let returned = 0;
    let sentToAll = 0;
    for (const window of windows.values()) {
      returned += window.returnedInWindow;
      sentToAll += window.sentInWindow;
    }
    const verdict = judgeDelivery({ returned, sent: sentToAll, freezes });
    const losses = receivedInWindow.map((count) => (sentInWindow > 0 ? Math.max(0, (1 - count / sentInWindow) * 100) : NaN));

    return {
      receivers,
      seconds: Math.round(elapsed),
      serverCpuPercent: round((cpu / elapsed) * 100),
      cpuMicrosPerOutgoingPacket: totalOut > 0 ? round((cpu * 1e6) / totalOut) : NaN,
      packetsPerSecondIn: Math.round(sentInWindow / elapsed),
      packetsPerSecondOut: Math.round(totalOut / elapsed),
      lossPercentMin: round(Math.min(...losses), 2),
      lossPercentAvg: round(losses.reduce((sum, loss) => sum + loss, 0) / losses.length, 2),
      lossPercentMax: round(Math.max(...losses), 2),
      returnedPercent: verdict.returnedPercent,
      freezes,
      delivered: verdict.passed,
      memoryPerReceiverMb: round((loaded.liveMb - base.liveMb) / receivers, 2),
      rssMb: Math.round(loaded.rssMb),
      clientCpuPercent: round(((clientCpu.user + clientCpu.system) / 1e6 / elapsed) * 100),
      setupSeconds: round(setupSeconds),
    };
  } finally {
    for (const peer of peers) await peer.close().catch(() => undefined);
    if (pipeline) {
      const toRelease = pipeline;
      await call<void>((done) => toRelease.release(done)).catch(() => undefined);
    }
    client?.close();
    await source.stop();
    await stopKmsProcess(kms);
  }
}
