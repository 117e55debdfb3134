/**
 * A werift RTCPeerConnection in the browser's role (as kurento-utils' WebRtcPeerSendrecv would be): it makes the
 * offer, trickles candidates, sends real VP8/Opus RTP from an RtpSource or RtpClip, and counts what comes back.
 */
import path from 'node:path';
import type { MediaPipeline, WebRtcEndpoint } from 'kurento-client';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, type RTCDataChannel, type RTCIceCandidate, type RtpPacket } from 'werift';
import { call, create } from '../../core/kurento';
// werift's record builder (not exported by the package: loaded by path), to send a DTLS alert as a browser does on close.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createPlaintext } = require(path.join(path.dirname(require.resolve('werift')), '..', '..', 'dtls', 'src', 'record', 'builder.js')) as {
  createPlaintext: (dtls: unknown) => (fragments: Array<{ type: number; fragment: Buffer }>, sequence: number) => unknown[];
};
import { isVp8KeyframeStart, vp8KeyframeSize, type MediaFeed } from './rtp-source';
import { installEarlyDtls } from '../../server/kms/media/werift-dtls-early';
import { installFastRtpClone } from '../../server/kms/media/werift-fast-clone';
import { installFastGcm } from '../../server/kms/media/werift-fast-gcm';
import { installFastRtpParse } from '../../server/kms/media/werift-fast-parse';
import { installFastRtpReceive } from '../../server/kms/media/werift-fast-receive';
import { installFastRtpSend } from '../../server/kms/media/werift-fast-send';
import { installFastUdpLookup } from '../../server/kms/media/werift-fast-udp';
import { installRtcpLoopGuard } from '../../server/kms/media/werift-rtcp-loop';
import { installIceSocketBuffers } from '../../server/kms/media/werift-socket-buffers';
import { installNoDefaultStun } from '../../server/kms/media/werift-no-default-stun';

// The browser's DTLS stack keeps a ClientHello that arrives before its own ICE has finished; so do these peers.
installEarlyDtls();
// A browser with an empty iceServers list gathers host candidates only; werift would also ask Google's STUN server.
installNoDefaultStun();
// The benches run many of these peers in one process beside the KMS: they handle packets as cheaply as it does.
installFastRtpClone();
installFastRtpParse();
installFastRtpReceive();
installFastRtpSend();
installIceSocketBuffers();
installFastUdpLookup();
installRtcpLoopGuard();
installFastGcm();

export interface ReceivedMedia {
  videoPackets: number;
  audioPackets: number;
  /** Frames completed (marker bit) and key frames started, from the VP8 payload. */
  videoFrames: number;
  keyframes: number;
  firstVideoAt: number | undefined;
  ssrcs: Set<number>;
  /** Sequence number gaps seen on the video stream (a glitch a receiver would notice). */
  sequenceGaps: number;
  /** Width x height of each key frame received, with its arrival time: tells sources of different sizes apart. */
  keyframeSizes: Array<{ width: number; height: number; at: number }>;
  /**
   * Frames that continue another encoder's stream without a key frame: the VP8 PictureID jumps (a new source) on a
   * delta frame. A decoder shows garbage there; after a source switch this must stay 0.
   */
  unkeyedSwitches: number;
  /** Video RTP timestamps that went backwards or jumped by more than 2 s: a receiver's clock would be confused. */
  timestampJumps: number;
  /**
   * Packets that arrived a second time (a retransmission after a NACK for a packet that was late, not lost). They are
   * dropped, as a receiver's jitter buffer drops them, and not counted in the figures above.
   */
  duplicates: number;
  /**
   * Packets missing from the sequence numbers of both streams, as an RTCP receiver report counts them: the numbers a
   * jump skipped, less those that arrived late. Loss anywhere on the way (the sender, the KMS, a socket buffer) shows.
   */
  lost: number;
}

/**
 * One stream's sequence numbers: remembers the last 1024 to tell a packet that arrives twice, and counts the numbers
 * that never arrived.
 */
class SeenSequence {
  private readonly ring = new Int32Array(1024).fill(-1);
  private highest: number | undefined;
  lost = 0;

  /** True the first time `sequence` arrives within the window. */
  add(sequence: number): boolean {
    const slot = sequence & 1023;
    if (this.ring[slot] === sequence) return false;
    this.ring[slot] = sequence;
    if (this.highest === undefined) {
      this.highest = sequence;
      return true;
    }
    const ahead = (sequence - this.highest) & 0xffff;
    if (ahead < 0x8000) {
      this.lost += ahead - 1;
      this.highest = sequence;
    } else {
      // Older than the highest: a late packet fills a gap counted before.
      this.lost -= 1;
    }
    return true;
  }
}

/** The 7- or 15-bit PictureID of a VP8 payload descriptor, when present. */
export function vp8PictureId(payload: Buffer): number | undefined {
  const first = payload[0] ?? 0;
  if ((first & 0x80) === 0) return undefined;
  const flags = payload[1] ?? 0;
  if ((flags & 0x80) === 0) return undefined;
  const high = payload[2] ?? 0;
  return high & 0x80 ? ((high & 0x7f) << 8) | (payload[3] ?? 0) : high & 0x7f;
}

export class WeriftPeer {
  readonly pc: RTCPeerConnection;
  readonly received: ReceivedMedia = {
    videoPackets: 0,
    audioPackets: 0,
    videoFrames: 0,
    keyframes: 0,
    firstVideoAt: undefined,
    ssrcs: new Set(),
    sequenceGaps: 0,
    keyframeSizes: [],
    unkeyedSwitches: 0,
    timestampJumps: 0,
    duplicates: 0,
    lost: 0,
  };
  /** Called with each video packet received (duplicates dropped), after the counters are updated. */
  onVideoPacket: ((packet: RtpPacket) => void) | undefined;
  /** Called with each audio packet received (duplicates dropped), after the counters are updated. */
  onAudioPacket: ((packet: RtpPacket) => void) | undefined;
  /** RTCP PLI received for the video this peer sends (keyframe requests reaching the sender). */
  pliReceived = 0;
  readonly candidates: RTCIceCandidate[] = [];
  /** The data channel this peer offers, with `dataChannel: true`. */
  readonly channel: RTCDataChannel | undefined;
  private readonly videoTrack = new MediaStreamTrack({ kind: 'video' });
  private readonly audioTrack = new MediaStreamTrack({ kind: 'audio' });
  private unsubscribe: Array<() => void> = [];
  private readonly iceTransports: RTCPeerConnection['iceTransports'] = [];
  private lastVideoSeq: number | undefined;
  private lastVideoTimestamp: number | undefined;
  private lastPictureId: number | undefined;

  /** A peer of the kind that uses no a=mid (old browsers, SIP gateways): no BUNDLE, a transport per section. */
  readonly noMids: boolean;
  private mids: string[] = [];

  /** REMB messages received for the video this peer sends (after watchRemb()): bitrate in bps, SSRCs it names. */
  readonly rembs: Array<{ at: number; bitrate: number; ssrcs: number[] }> = [];

  /**
   * `loopbackOnly`: check and use only pairs of 127.0.0.1 candidates (werift gathers on every IPv4 address and may
   * nominate another), so that two servers compared side by side see the same loopback path.
   */
  constructor(options: { dataChannel?: boolean; h264Only?: boolean; noMids?: boolean; loopbackOnly?: boolean; remb?: boolean } = {}) {
    this.noMids = options.noMids === true;
    this.pc = new RTCPeerConnection({
      ...(options.loopbackOnly ? { iceFilterCandidatePair: (pair) => pair.localCandidate.host === '127.0.0.1' && pair.remoteCandidate.host === '127.0.0.1' } : {}),
      ...(this.noMids ? { bundlePolicy: 'disable' as const } : {}),
      iceServers: [],
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceUseIpv6: false,
      headerExtensions: { audio: [], video: [] },
      codecs: {
        audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })],
        video: options.h264Only
          ? [new RTCRtpCodecParameters({ mimeType: 'video/H264', clockRate: 90000, payloadType: 102, parameters: 'packetization-mode=1;profile-level-id=42e01f', rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] })]
          : [
              new RTCRtpCodecParameters({
                mimeType: 'video/VP8',
                clockRate: 90000,
                payloadType: 96,
                rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }, ...(options.remb ? [{ type: 'goog-remb' }] : [])],
              }),
            ],
      },
    });
    this.pc.addTransceiver(this.videoTrack, { direction: 'sendrecv' });
    this.pc.addTransceiver(this.audioTrack, { direction: 'sendrecv' });
    if (options.dataChannel) this.channel = this.pc.createDataChannel('chat');
    this.pc.onIceCandidate.subscribe((candidate) => {
      if (candidate) this.candidates.push(candidate);
    });
    this.pc.onTrack.subscribe((track) => {
      const seen = new SeenSequence();
      track.onReceiveRtp.subscribe((packet) => {
        const lostBefore = seen.lost;
        if (!seen.add(packet.header.sequenceNumber)) {
          this.received.duplicates += 1;
          return;
        }
        this.received.lost += seen.lost - lostBefore;
        this.received.ssrcs.add(packet.header.ssrc);
        if (track.kind === 'video') {
          this.received.videoPackets += 1;
          this.received.firstVideoAt ??= Date.now();
          if (this.lastVideoSeq !== undefined && ((this.lastVideoSeq + 1) & 0xffff) !== packet.header.sequenceNumber) this.received.sequenceGaps += 1;
          this.lastVideoSeq = packet.header.sequenceNumber;
          if (packet.header.marker) this.received.videoFrames += 1;
          const timestamp = packet.header.timestamp;
          if (this.lastVideoTimestamp !== undefined) {
            const step = (timestamp - this.lastVideoTimestamp) | 0;
            if (step < 0 || step > 2 * 90000) this.received.timestampJumps += 1;
          }
          this.lastVideoTimestamp = timestamp;
          const startsFrame = ((packet.payload[0] ?? 0) & 0x17) === 0x10;
          const pictureId = startsFrame ? vp8PictureId(packet.payload) : undefined;
          if (pictureId !== undefined) {
            const continues = this.lastPictureId === undefined || pictureId === ((this.lastPictureId + 1) & (this.lastPictureId > 0x7f || pictureId > 0x7f ? 0x7fff : 0x7f));
            if (!continues && !isVp8KeyframeStart(packet.payload)) this.received.unkeyedSwitches += 1;
            this.lastPictureId = pictureId;
          }
          if (isVp8KeyframeStart(packet.payload)) {
            this.received.keyframes += 1;
            const size = vp8KeyframeSize(packet.payload);
            if (size) this.received.keyframeSizes.push({ ...size, at: Date.now() });
          }
          this.onVideoPacket?.(packet);
        } else {
          this.received.audioPackets += 1;
          this.onAudioPacket?.(packet);
        }
      });
    });
  }

  /** Feeds this peer's outgoing tracks from `source` (each peer rewrites SSRCs itself, as a browser would). */
  sendFrom(source: MediaFeed): void {
    this.unsubscribe.push(
      source.onVideo((packet) => this.videoTrack.writeRtp(packet.clone())),
      source.onAudio((packet) => this.audioTrack.writeRtp(packet.clone())),
    );
  }

  /** Counts the PLIs that reach this peer for the video it sends (call once the connection is up). */
  countKeyframeRequests(): void {
    const dtls = this.pc.dtlsTransports[0];
    const ssrc = this.pc.getTransceivers().find((t) => t.kind === 'video')?.sender.ssrc;
    dtls?.onRtcp.subscribe((packet) => {
      const feedback = (packet as { type: number; feedback?: { count?: number; mediaSsrc?: number } }).feedback;
      if (packet.type === 206 && feedback?.count === 1 && feedback.mediaSsrc === ssrc) this.pliReceived += 1;
    });
  }

  /** Records the REMB messages (RTCP PSFB FMT 15) that reach this peer (call once the connection is up). */
  watchRemb(): void {
    for (const dtls of this.pc.dtlsTransports) {
      dtls.onRtcp.subscribe((packet) => {
        const feedback = (packet as { type: number; feedback?: { count?: number; bitrate?: bigint; ssrcFeedbacks?: number[] } }).feedback;
        if (packet.type === 206 && feedback?.count === 15 && feedback.bitrate !== undefined) {
          this.rembs.push({ at: Date.now(), bitrate: Number(feedback.bitrate), ssrcs: feedback.ssrcFeedbacks ?? [] });
        }
      });
    }
  }

  /** Asks the server for a key frame of the video this peer receives, as a browser's decoder would. */
  requestKeyframe(): void {
    const transceiver = this.pc.getTransceivers().find((t) => t.kind === 'video');
    const ssrc = [...this.received.ssrcs][0];
    if (transceiver && ssrc !== undefined) void transceiver.receiver.sendRtcpPLI(ssrc).catch(() => undefined);
  }

  async createOffer(): Promise<string> {
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    // One ICE transport per m-line until BUNDLE is agreed; werift then drops the others from the connection without
    // closing their sockets, so close() closes them.
    this.iceTransports.push(...this.pc.iceTransports);
    if (!this.noMids) return offer.sdp;
    // What the remote side sees of a peer without mids: the sections alone (werift keeps its own mids inside).
    this.mids = offer.sdp.split('\r\n').filter((line) => line.startsWith('a=mid:')).map((line) => line.slice(6));
    return offer.sdp
      .split('\r\n')
      .filter((line) => !line.startsWith('a=mid:') && !line.startsWith('a=group:'))
      .join('\r\n');
  }

  async acceptAnswer(sdp: string): Promise<void> {
    if (!this.noMids) {
      await this.pc.setRemoteDescription({ type: 'answer', sdp });
      return;
    }
    // The answer has no mids either (KMS answers them only when offered): werift gets its own back, by position.
    let index = -1;
    const lines: string[] = [];
    for (const line of sdp.split('\r\n')) {
      lines.push(line);
      if (line.startsWith('m=')) {
        index += 1;
        const mid = this.mids[index];
        if (mid !== undefined) lines.push(`a=mid:${mid}`);
      }
    }
    await this.pc.setRemoteDescription({ type: 'answer', sdp: lines.join('\r\n') });
  }

  async addRemoteCandidate(candidate: { candidate: string; sdpMid?: string; sdpMLineIndex?: number }): Promise<void> {
    if (this.noMids && !candidate.sdpMid) {
      const mid = this.mids[candidate.sdpMLineIndex ?? 0];
      await this.pc.addIceCandidate({ candidate: candidate.candidate, sdpMid: mid, sdpMLineIndex: candidate.sdpMLineIndex ?? 0 });
      return;
    }
    await this.pc.addIceCandidate(candidate);
  }

  /**
   * Sends a DTLS close_notify alert, as a browser does when its RTCPeerConnection closes (werift's own close() sends
   * none): the remote side's DTLS transport then goes to CLOSED.
   */
  async sendCloseNotify(): Promise<void> {
    const socket = (this.pc.dtlsTransports[0] as unknown as { dtls?: DtlsSocketInternals } | undefined)?.dtls;
    if (!socket) throw new Error('no DTLS transport to close');
    const [record] = createPlaintext(socket.dtls)([{ type: 21, fragment: Buffer.from([1, 0]) }], ++socket.dtls.recordSequenceNumber);
    await socket.transport.send(socket.cipher.encryptPacket(record).serialize());
  }

  async close(): Promise<void> {
    for (const stop of this.unsubscribe) stop();
    this.unsubscribe = [];
    await this.pc.close();
    for (const transport of this.iceTransports.splice(0)) await transport.stop().catch(() => undefined);
  }
}

/** The parts of werift's DtlsSocket that sendCloseNotify uses (not part of its typed API). */
interface DtlsSocketInternals {
  dtls: { recordSequenceNumber: number };
  cipher: { encryptPacket(record: unknown): { serialize(): Buffer } };
  transport: { send(data: Buffer): Promise<void> };
}

export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface NegotiateOptions {
  /** Connect the endpoint to itself before ICE starts (the hello-world loopback). */
  loopback?: boolean;
  /** Create the endpoint with useDataChannels (the peer must offer a data channel too). */
  useDataChannels?: boolean;
  /** Wait until the peer's connection is up (default true). */
  waitConnected?: boolean;
}

/**
 * A new WebRtcEndpoint of `pipeline` negotiated with `peer` as a browser does it: the peer offers, KMS answers,
 * gatherCandidates, and candidates trickle both ways (werift has gathered before its offer resolves; those go to KMS
 * once the answer is in).
 */
export async function negotiate(
  pipeline: MediaPipeline,
  peer: WeriftPeer,
  { loopback = false, waitConnected = true, useDataChannels = false }: NegotiateOptions = {},
): Promise<WebRtcEndpoint> {
  const [endpoint] = await create<WebRtcEndpoint>((done) => pipeline.create('WebRtcEndpoint', useDataChannels ? { useDataChannels } : {}, done));
  const toKms = (candidate: RTCIceCandidate): void =>
    void endpoint.addIceCandidate({ candidate: candidate.candidate, sdpMid: peer.noMids ? '' : (candidate.sdpMid ?? '0'), sdpMLineIndex: candidate.sdpMLineIndex ?? 0 });
  endpoint.on('IceCandidateFound', (event) => void peer.addRemoteCandidate(event.candidate).catch(() => undefined));
  const offer = await peer.createOffer();
  await peer.acceptAnswer(await call<string>((done) => endpoint.processOffer(offer, done)));
  await call<void>((done) => endpoint.gatherCandidates((error: unknown) => done(error, undefined)));
  if (loopback) await call<void>((done) => endpoint.connect(endpoint, (error: unknown) => done(error, undefined)));
  for (const candidate of peer.candidates) toKms(candidate);
  peer.pc.onIceCandidate.subscribe((candidate) => {
    if (candidate) toKms(candidate);
  });
  if (waitConnected) await waitFor(() => peer.pc.connectionState === 'connected', 10000, 'the peer to connect');
  return endpoint;
}
