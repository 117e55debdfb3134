/**
 * The RTP gateway, a Kurento Labs application server in the shape of Kurento's RTP tutorials (the Java "RTP receiver"
 * tutorial builds an SDP offer for a plain RTP sender and hands KMS' answer to it): a browser cannot run ffmpeg, so
 * this server does, next to its kurento-client. Path /rtpgateway, the hello-world message family:
 *
 *   browser → server   PROCESS_SDP_OFFER {sdpOffer}   ADD_ICE_CANDIDATE {candidate}
 *                      START_RTP_IN {srtp?: boolean}  START_RTP_OUT {}   STOP_RTP_OUT {}   STOP {}
 *   server → browser   PROCESS_SDP_ANSWER {sdpAnswer} ADD_ICE_CANDIDATE {candidate}   ERROR {message}
 *                      KMS_EVENT {source: 'webRtcEp' | 'rtpIn' | 'rtpOut', eventType, data}
 *                      RTP_IN_STARTED {rtpOffer, rtpAnswer, target, ffmpeg: [args]}
 *                      RTP_OUT_STARTED {rtpOffer, rtpAnswer, ffmpegSdp, file, ffmpeg: [args]}
 *                      RECORDING {file, path?, durationSeconds, bytes, video?: {codec, width, height}}
 *                      FFMPEG_EXITED {role: 'sender' | 'recorder', code, signal, log}
 *
 * Per browser: a MediaPipeline and a WebRtcEndpoint (PROCESS_SDP_OFFER); START_RTP_IN adds an RtpEndpoint `rtpIn`
 * connected to the WebRtcEndpoint, gives it an offer made here (VP8, COMEDIA, SDES when asked) and starts ffmpeg
 * sending its RGB test pattern to the address and port of KMS' answer; START_RTP_OUT adds `rtpOut`, takes its generateOffer,
 * answers with a port of 127.0.0.1 where ffmpeg listens (the SDP goes to ffmpeg's standard input) and connects the
 * WebRtcEndpoint to it; STOP_RTP_OUT stops that ffmpeg and reports ffprobe's view of the file.
 *
 * Nothing the browser sends reaches ffmpeg: argument lists are built here (no shell), addresses and ports come from
 * KMS' SDP and must be this machine's, file names are made here inside the recordings folder. ffmpeg runs at most
 * MAX_PROCESSES at once over all browsers, each for a bounded time, and is stopped when its browser leaves.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { MediaElement, MediaPipeline, WebRtcEndpoint } from 'kurento-client';
import kurentoClient from 'kurento-client';
import type { WebSocket } from 'ws';
import { ALL_WEBRTC_ENDPOINT_EVENTS } from '../../core/events';
import { AppServer, BrowserSession, route, type AppServerOptions, type Route } from './app-server';
import { CandidateQueue, addRemoteCandidate, connect, gatherCandidates, listen, onIceCandidateFound, processOffer } from './kms';
import { ProtocolError, candidate, optional, sdp, text, type CandidateMessage, type Field, type Json } from './protocol';
import { call } from '../../core/kurento';
import {
  localAddresses,
  parseProbe,
  probeArgs,
  randomSrtpKey,
  recorderAnswer,
  recorderArgs,
  senderArgs,
  senderOffer,
  senderTarget,
  type RecordingInfo,
} from './rtp-tools';

const FFMPEG = process.env.KMS_FFMPEG ?? 'ffmpeg';
const FFPROBE = process.env.KMS_FFPROBE ?? 'ffprobe';
/** ffmpeg processes of this server at once, over every browser (each browser has at most one sender and one recorder). */
export const MAX_PROCESSES = 4;
/** The longest a sender runs, and a recording lasts (ffmpeg's -t), in seconds. */
export const SENDER_SECONDS = 600;
export const RECORDER_SECONDS = 60;
/** The largest recording (ffmpeg's -fs). */
const RECORDER_MAX_BYTES = 50 * 1024 * 1024;
/** Lines of ffmpeg's error output kept for FFMPEG_EXITED. */
const LOG_LINES = 12;
/** How long ffmpeg gets to finish its file after SIGINT before SIGKILL. */
const STOP_GRACE_MS = 4000;
/** UDP ports the recorder listens on (an even RTP port and the next one for RTCP), on 127.0.0.1. */
const RECORDER_PORTS = { min: 47000, max: 47998 } as const;

/** The RtpEndpoint's events, by class (KMD 7.3): what the server forwards as KMS_EVENT. */
const RTP_ENDPOINT_EVENTS = [
  'Error',
  'ElementConnected',
  'ElementDisconnected',
  'MediaFlowInStateChanged',
  'MediaFlowOutStateChanged',
  'MediaTranscodingStateChanged',
  'MediaSessionStarted',
  'MediaSessionTerminated',
  'ConnectionStateChanged',
  'MediaStateChanged',
  'OnKeySoftLimit',
] as const;

const flag: Field<boolean | undefined> = optional((value, name) => {
  if (typeof value !== 'boolean') throw new ProtocolError(`'${name}' must be true or false`);
  return value;
});

/** One ffmpeg of the gateway: its last error lines kept, stopped with SIGINT (so it finishes its file), then SIGKILL. */
class FfmpegJob {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly lines: string[] = [];
  stopping = false;

  constructor(args: readonly string[], input?: string) {
    this.child = spawn(FFMPEG, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      this.child.once('error', (error) => {
        this.lines.push(`cannot run ${FFMPEG}: ${error.message}`);
        resolve({ code: null, signal: null });
      });
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split(/\r?\n/)) {
        if (line.trim() === '') continue;
        this.lines.push(line.slice(0, 300));
        if (this.lines.length > LOG_LINES) this.lines.shift();
      }
    });
    if (input !== undefined && this.child.stdin) {
      this.child.stdin.on('error', () => undefined);
      this.child.stdin.end(input);
    }
  }

  get log(): string {
    return this.lines.join('\n');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (!this.running) return;
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

class RtpGatewaySession extends BrowserSession {
  pipeline: MediaPipeline | undefined;
  webRtcEp: WebRtcEndpoint | undefined;
  rtpIn: MediaElement | undefined;
  rtpOut: MediaElement | undefined;
  sender: FfmpegJob | undefined;
  recorder: { job: FfmpegJob; file: string } | undefined;
  readonly candidates = new CandidateQueue();
}

export interface RtpGatewayOptions extends AppServerOptions {
  /** Where recordings go; `downloadBase` is the site's path of that folder (e.g. /kms-media/), when it serves it. */
  recordings: { directory: string; downloadBase?: string };
}

export class RtpGatewayApp extends AppServer<RtpGatewaySession> {
  readonly path = '/rtpgateway';
  protected readonly errorId = 'ERROR';
  protected readonly routes: Readonly<Record<string, Route<RtpGatewaySession>>> = {
    PROCESS_SDP_OFFER: route({ sdpOffer: sdp }, (session, { sdpOffer }) => this.processSdpOffer(session, sdpOffer)),
    ADD_ICE_CANDIDATE: route({ candidate }, (session, fields) => this.addIceCandidate(session, fields.candidate)),
    START_RTP_IN: route({ srtp: flag }, (session, { srtp }) => this.startRtpIn(session, srtp === true)),
    START_RTP_OUT: route({}, (session) => this.startRtpOut(session)),
    STOP_RTP_OUT: route({}, (session) => this.stopRtpOut(session)),
    STOP: route({}, (session) => this.stopSession(session)),
    ERROR: route({ message: text }, (session, { message }) => this.browserError(session, message)),
  };
  private readonly recordings: RtpGatewayOptions['recordings'];
  private readonly jobs = new Set<FfmpegJob>();
  private fileCounter = 0;

  constructor(options: RtpGatewayOptions) {
    super('rtpgateway', options);
    this.recordings = options.recordings;
  }

  protected createSession(id: number, socket: WebSocket): RtpGatewaySession {
    return new RtpGatewaySession(id, socket, this.log);
  }

  protected usesMedia(session: RtpGatewaySession): boolean {
    return session.pipeline !== undefined;
  }

  protected sessionClosed(session: RtpGatewaySession): Promise<void> {
    return this.stopSession(session);
  }

  // PROCESS_SDP_OFFER: the pipeline and the browser's WebRtcEndpoint (nothing connected to it yet).
  private async processSdpOffer(session: RtpGatewaySession, sdpOffer: string): Promise<void> {
    if (session.pipeline) throw new ProtocolError('this session already has a media pipeline: send STOP first');
    const pipeline = await this.kmsFor(session).createPipeline([session]);
    session.pipeline = pipeline;
    try {
      const endpoint = await this.kmsFor(session).createWebRtcEndpoint(pipeline, this.reporter(session), [session]);
      session.webRtcEp = endpoint;
      for (const eventType of ALL_WEBRTC_ENDPOINT_EVENTS) listen(endpoint, eventType, (data) => this.kmsEvent(session, 'webRtcEp', eventType, data), this.reporter(session));
      onIceCandidateFound(endpoint, (found) => session.send({ id: 'ADD_ICE_CANDIDATE', candidate: found }), this.reporter(session));
      const sdpAnswer = await processOffer(endpoint, sdpOffer);
      session.send({ id: 'PROCESS_SDP_ANSWER', sdpAnswer });
      await session.candidates.flushTo(endpoint);
      await gatherCandidates(endpoint);
    } catch (error) {
      await this.stopSession(session);
      throw error;
    }
  }

  private async addIceCandidate(session: RtpGatewaySession, found: CandidateMessage): Promise<void> {
    await addRemoteCandidate(session.webRtcEp, session.candidates, found);
  }

  private requireEndpoint(session: RtpGatewaySession): { pipeline: MediaPipeline; webRtcEp: WebRtcEndpoint } {
    if (!session.pipeline || !session.webRtcEp) throw new ProtocolError('no WebRtcEndpoint yet: send PROCESS_SDP_OFFER first');
    return { pipeline: session.pipeline, webRtcEp: session.webRtcEp };
  }

  private reserveProcess(): void {
    if (this.jobs.size >= MAX_PROCESSES) throw new ProtocolError(`the RTP gateway runs at most ${MAX_PROCESSES} ffmpeg at once, and that many run now: try again when another session ends`);
  }

  private startJob(session: RtpGatewaySession, role: 'sender' | 'recorder', args: readonly string[], input?: string): FfmpegJob {
    const job = new FfmpegJob(args, input);
    this.jobs.add(job);
    this.log.info(`${session.label} ${role}: ffmpeg ${args.join(' ')}`);
    void job.exited.then(({ code, signal }) => {
      this.jobs.delete(job);
      if (job.stopping) return;
      this.log.warn(`${session.label} ffmpeg (${role}) ended on its own (code ${code ?? '-'}, signal ${signal ?? '-'}): ${job.log}`);
      if (!session.closed) session.send({ id: 'FFMPEG_EXITED', role, code, signal, log: job.log });
    });
    return job;
  }

  // START_RTP_IN: ffmpeg → rtpIn → webRtcEp.
  private async startRtpIn(session: RtpGatewaySession, srtp: boolean): Promise<void> {
    const { pipeline, webRtcEp } = this.requireEndpoint(session);
    if (session.rtpIn) throw new ProtocolError('ffmpeg already sends into this pipeline');
    this.reserveProcess();
    const key = srtp ? randomSrtpKey() : undefined;
    // With `crypto`, KMS makes its own key (none given) and takes ours from the offer's a=crypto.
    const params: Json = srtp ? { crypto: kurentoClient.getComplexType('SDES')({ crypto: 'AES_128_CM_HMAC_SHA1_80' } as never) } : {};
    const rtpIn = await this.kmsFor(session).createElement<MediaElement>(pipeline, 'RtpEndpoint', params, this.reporter(session), [session]);
    session.rtpIn = rtpIn;
    for (const eventType of RTP_ENDPOINT_EVENTS) listen(rtpIn, eventType, (data) => this.kmsEvent(session, 'rtpIn', eventType, data), this.reporter(session));
    await connect(rtpIn, webRtcEp);
    const rtpOffer = senderOffer(key);
    const rtpAnswer = await call<string>((done) => (rtpIn as unknown as { processOffer(offer: string, cb: (error: unknown, answer: string) => void): void }).processOffer(rtpOffer, done));
    const target = senderTarget(rtpAnswer, localAddresses());
    const args = senderArgs(target, SENDER_SECONDS, key);
    if (session.closed) return;
    this.reserveProcess();
    session.sender = this.startJob(session, 'sender', args);
    session.send({ id: 'RTP_IN_STARTED', rtpOffer, rtpAnswer, target: `${target.address}:${target.rtpPort} (RTCP ${target.rtcpPort})`, ffmpeg: ['ffmpeg', ...redactKey(args)] });
  }

  // START_RTP_OUT: webRtcEp → rtpOut → ffmpeg, which records.
  private async startRtpOut(session: RtpGatewaySession): Promise<void> {
    const { pipeline, webRtcEp } = this.requireEndpoint(session);
    if (session.rtpOut) throw new ProtocolError('this pipeline already sends to ffmpeg: send STOP_RTP_OUT first');
    this.reserveProcess();
    const directory = await this.recordingsFolder();
    const rtpOut = await this.kmsFor(session).createElement<MediaElement>(pipeline, 'RtpEndpoint', {}, this.reporter(session), [session]);
    session.rtpOut = rtpOut;
    for (const eventType of RTP_ENDPOINT_EVENTS) listen(rtpOut, eventType, (data) => this.kmsEvent(session, 'rtpOut', eventType, data), this.reporter(session));
    const sdpEndpoint = rtpOut as unknown as {
      generateOffer(cb: (error: unknown, offer: string) => void): void;
      processAnswer(answer: string, cb: (error: unknown, local: string) => void): void;
    };
    const rtpOffer = await call<string>((done) => sdpEndpoint.generateOffer(done));
    // The KMS must be on this machine: its offer's address is one of ours (it sends to ffmpeg on 127.0.0.1).
    const kmsAddress = /^c=IN IP[46] (\S+)/m.exec(rtpOffer)?.[1];
    if (!kmsAddress || !localAddresses().has(kmsAddress)) throw new Error(`KMS offered the address ${kmsAddress ?? '(none)'}, which is not this machine's: the RTP gateway records with ffmpeg here, for a KMS on this machine`);
    const port = await freeRtpPort();
    const { answer: rtpAnswer, ffmpegSdp } = recorderAnswer(rtpOffer, port);
    this.fileCounter += 1;
    const file = path.join(directory, `rtp-gateway-${new Date().toISOString().replace(/[:.]/g, '-')}-${session.id}-${this.fileCounter}.webm`);
    const args = recorderArgs(file, RECORDER_SECONDS, RECORDER_MAX_BYTES);
    if (session.closed) return;
    this.reserveProcess();
    const job = this.startJob(session, 'recorder', args, ffmpegSdp);
    session.recorder = { job, file };
    // ffmpeg binds its port while it reads the SDP; only then does KMS start sending (and the connect below asks the
    // browser for a key frame, which the recording starts with).
    await new Promise((resolve) => setTimeout(resolve, 700));
    if (!job.running) throw new Error(`ffmpeg could not start recording: ${job.log || 'it exited'}`);
    await call<string>((done) => sdpEndpoint.processAnswer(rtpAnswer, done));
    await connect(webRtcEp, rtpOut);
    session.send({ id: 'RTP_OUT_STARTED', rtpOffer, rtpAnswer, ffmpegSdp, file: path.basename(file), ffmpeg: ['ffmpeg', ...args] });
  }

  // STOP_RTP_OUT: ffmpeg finishes the file; ffprobe says what is in it.
  private async stopRtpOut(session: RtpGatewaySession): Promise<void> {
    const recorder = session.recorder;
    if (!recorder) throw new ProtocolError('nothing is being recorded: send START_RTP_OUT first');
    session.recorder = undefined;
    await recorder.job.stop();
    const rtpOut = session.rtpOut;
    session.rtpOut = undefined;
    await this.kmsFor(session).release(rtpOut, `${session.label}'s rtpOut`);
    let info: RecordingInfo;
    try {
      info = await probe(recorder.file);
    } catch (error) {
      throw new Error(`ffprobe cannot read the recording ${path.basename(recorder.file)}: ${error instanceof Error ? error.message : String(error)}${recorder.job.log ? `; ffmpeg said: ${recorder.job.log}` : ''}`);
    }
    const name = path.basename(recorder.file);
    const message: Json = { id: 'RECORDING', file: name, ...info };
    if (this.recordings.downloadBase) message.path = `${this.recordings.downloadBase}${encodeURIComponent(name)}`;
    session.send(message);
  }

  private async recordingsFolder(): Promise<string> {
    await mkdir(this.recordings.directory, { recursive: true });
    return realpath(this.recordings.directory);
  }

  private kmsEvent(session: RtpGatewaySession, source: string, eventType: string, data: Json): void {
    if (session.closed) return;
    session.send({ id: 'KMS_EVENT', source, eventType, data });
  }

  private async browserError(session: RtpGatewaySession, message: string): Promise<void> {
    this.log.warn(`${session.label} browser error: ${message}; assuming the browser stops`);
    await this.stopSession(session);
  }

  // STOP (and the browser leaving): ffmpeg first, then the pipeline with everything in it.
  private async stopSession(session: RtpGatewaySession): Promise<void> {
    const jobs = [session.sender, session.recorder?.job].filter((job): job is FfmpegJob => job !== undefined);
    session.sender = undefined;
    session.recorder = undefined;
    await Promise.all(jobs.map((job) => job.stop()));
    const pipeline = session.pipeline;
    session.pipeline = undefined;
    session.webRtcEp = undefined;
    session.rtpIn = undefined;
    session.rtpOut = undefined;
    session.candidates.clear();
    await this.kmsFor(session).release(pipeline, `${session.label}'s MediaPipeline`);
  }

  override async stop(): Promise<void> {
    await super.stop();
    await Promise.all([...this.jobs].map((job) => job.stop()));
  }

  private reporter(session: RtpGatewaySession): (message: string) => void {
    return (message) => this.log.warn(`${session.label} ${message}`);
  }
}

/** The SRTP key is the sender's secret: the command shown to the browser says where it goes, not what it is. */
function redactKey(args: readonly string[]): string[] {
  return args.map((arg, index) => (args[index - 1] === '-srtp_out_params' ? '<the key of a=crypto>' : arg));
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** An even port of RECORDER_PORTS whose next port is free too, on 127.0.0.1. */
async function freeRtpPort(): Promise<number> {
  const span = (RECORDER_PORTS.max - RECORDER_PORTS.min) / 2;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = RECORDER_PORTS.min + 2 * Math.floor(Math.random() * span);
    if ((await bindable(port)) && (await bindable(port + 1))) return port;
  }
  throw new Error(`no free UDP port pair in ${RECORDER_PORTS.min}-${RECORDER_PORTS.max + 1} on 127.0.0.1`);
}

function probe(file: string): Promise<RecordingInfo> {
  return new Promise((resolve, reject) => {
    execFile(FFPROBE, probeArgs(file), { timeout: 10_000, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(stderr.trim() || error.message));
      else {
        try {
          resolve(parseProbe(stdout));
        } catch (parseError) {
          reject(parseError instanceof Error ? parseError : new Error(String(parseError)));
        }
      }
    });
  });
}
