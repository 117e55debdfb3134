/**
 * One-to-one video call, after Kurento's Java tutorial (tutorials/java/one2one-call: CallHandler.java,
 * CallMediaPipeline.java, UserSession.java, UserRegistry.java). Path /call, the classic message family:
 *
 *   browser → server   register {name}
 *                      call {from, to, sdpOffer}
 *                      incomingCallResponse {from, callResponse: 'accept' | 'reject', sdpOffer (when accepting)}
 *                      onIceCandidate {candidate}
 *                      stop
 *   server → browser   registerResponse {response: 'accepted' | 'rejected', message?}
 *                      incomingCall {from}                               (to the callee)
 *                      callResponse {response: 'accepted', sdpAnswer} or {response: 'rejected', message}
 *                      startCommunication {sdpAnswer}                     (to the callee)
 *                      iceCandidate {candidate}
 *                      stopCommunication                                  (to the other party)
 *                      error {message}                                    (a message this server could not take)
 *
 * The caller's offer waits in its session until the callee accepts; then one MediaPipeline with two WebRtcEndpoints,
 * each connected to the other, serves the call: the callee gets startCommunication, the caller callResponse.
 */
import type { MediaPipeline, WebRtcEndpoint } from 'kurento-client';
import type { WebSocket } from 'ws';
import { AppServer, BrowserSession, route, type AppServerOptions, type Route } from './app-server';
import { CandidateQueue, addRemoteCandidate, connect, gatherCandidates, onIceCandidateFound, processOffer, type KmsConnection } from './kms';
import { ProtocolError, candidate, describeError, oneOf, optional, sdp, text, type CandidateMessage } from './protocol';

// #region three-tier
/** CallMediaPipeline.java: one pipeline per call, the two endpoints cross-connected. */
class CallMediaPipeline {
  private constructor(
    /** The KMS the call lives on (the caller's). */
    readonly kms: KmsConnection,
    readonly pipeline: MediaPipeline,
    readonly callerWebRtcEp: WebRtcEndpoint,
    readonly calleeWebRtcEp: WebRtcEndpoint,
  ) {}

  /** The pipeline belongs to both parties (they see its KMS frames), each endpoint to its own party. */
  static async create(kms: KmsConnection, report: (message: string) => void, caller: CallSession, callee: CallSession): Promise<CallMediaPipeline> {
    const pipeline = await kms.createPipeline([caller, callee]);
    try {
      const callerWebRtcEp = await kms.createWebRtcEndpoint(pipeline, report, [caller]);
      const calleeWebRtcEp = await kms.createWebRtcEndpoint(pipeline, report, [callee]);
      await connect(callerWebRtcEp, calleeWebRtcEp);
      await connect(calleeWebRtcEp, callerWebRtcEp);
      return new CallMediaPipeline(kms, pipeline, callerWebRtcEp, calleeWebRtcEp);
    } catch (error) {
      await kms.release(pipeline, 'a half-built call pipeline');
      throw error;
    }
  }
}

/** UserSession.java: a registered browser, its pending offer and call partner, its endpoint once in a call. */
class CallSession extends BrowserSession {
  name: string | undefined;
  sdpOffer: string | undefined;
  callingTo: string | undefined;
  callingFrom: string | undefined;
  endpoint: WebRtcEndpoint | undefined;
  call: CallMediaPipeline | undefined;
  readonly candidates = new CandidateQueue();
  // #endregion three-tier

  /** setWebRtcEndpoint of UserSession.java: the candidates that waited go to the endpoint now. */
  async setEndpoint(endpoint: WebRtcEndpoint): Promise<void> {
    this.endpoint = endpoint;
    await this.candidates.flushTo(endpoint);
  }

  /** The name of the other party of the call (in progress or being set up). */
  get partner(): string | undefined {
    return this.callingFrom ?? this.callingTo;
  }

  clear(): void {
    this.sdpOffer = undefined;
    this.callingTo = undefined;
    this.callingFrom = undefined;
    this.endpoint = undefined;
    this.call = undefined;
    this.candidates.clear();
  }
  // #region three-tier
}

export class One2OneCallApp extends AppServer<CallSession> {
  readonly path = '/call';
  protected readonly errorId = 'error';
  /** UserRegistry.java, by name. */
  private readonly users = new Map<string, CallSession>();
  protected readonly routes: Readonly<Record<string, Route<CallSession>>> = {
    register: route({ name: text }, (session, { name }) => this.register(session, name), { rejectWith: 'registerResponse' }),
    call: route({ from: text, to: text, sdpOffer: sdp }, (session, fields) => this.exclusive(() => this.call(session, fields)), { rejectWith: 'callResponse' }),
    incomingCallResponse: route(
      { from: text, callResponse: oneOf('accept', 'reject'), sdpOffer: optional(sdp) },
      (session, fields) => this.exclusive(() => this.incomingCallResponse(session, fields)),
    ),
    onIceCandidate: route({ candidate }, (session, fields) => this.onIceCandidate(session, fields.candidate)),
    stop: route({}, (session) => this.exclusive(() => this.stopCall(session))),
  };
  // #endregion three-tier

  constructor(options: AppServerOptions) {
    super('one2one-call', options);
  }

  protected createSession(id: number, socket: WebSocket): CallSession {
    return new CallSession(id, socket, this.log);
  }

  protected usesMedia(session: CallSession): boolean {
    return session.call !== undefined;
  }

  /** Both parties' media are on the call's KMS (the caller's). */
  protected override mediaKms(session: CallSession): KmsConnection | undefined {
    return session.call?.kms;
  }

  // #region three-tier
  protected sessionClosed(session: CallSession): Promise<void> {
    return this.exclusive(async () => {
      await this.stopCall(session);
      if (session.name !== undefined && this.users.get(session.name) === session) this.users.delete(session.name);
    });
  }
  // #endregion three-tier

  private register(session: CallSession, name: string): void {
    if (session.name !== undefined) {
      session.send({ id: 'registerResponse', response: 'rejected', message: `this session is already registered as '${session.name}'` });
    } else if (this.users.has(name)) {
      session.send({ id: 'registerResponse', response: 'rejected', message: `user '${name}' already registered` });
    } else {
      session.name = name;
      this.users.set(name, session);
      session.send({ id: 'registerResponse', response: 'accepted' });
    }
  }

  // #region three-tier
  private call(caller: CallSession, { from, to, sdpOffer }: { from: string; to: string; sdpOffer: string }): Promise<void> {
    const rejected = (message: string): void => caller.send({ id: 'callResponse', response: 'rejected', message });
    if (caller.name === undefined) throw new ProtocolError('register before calling');
    if (from !== caller.name) throw new ProtocolError(`'from' must be your registered name '${caller.name}'`);
    if (caller.partner !== undefined) throw new ProtocolError(`you are already in a call with '${caller.partner}': send stop first`);
    const callee = this.users.get(to);
    if (!callee) rejected(`user '${to}' is not registered`);
    else if (callee === caller) rejected('you cannot call yourself');
    else if (callee.partner !== undefined) rejected(`user '${to}' is busy`);
    else {
      caller.sdpOffer = sdpOffer;
      caller.callingTo = to;
      callee.callingFrom = from;
      callee.send({ id: 'incomingCall', from });
    }
    return Promise.resolve();
  }

  private async incomingCallResponse(
    callee: CallSession,
    { from, callResponse, sdpOffer }: { from: string; callResponse: 'accept' | 'reject'; sdpOffer: string | undefined },
  ): Promise<void> {
    const caller = this.users.get(from);
    if (callee.callingFrom !== from || !caller || caller.callingTo !== callee.name || callee.call) {
      throw new ProtocolError(`there is no pending call from '${from}' to answer`);
    }
    if (callResponse === 'reject') {
      caller.send({ id: 'callResponse', response: 'rejected', message: 'user declined' });
      caller.clear();
      callee.clear();
      return;
    }
    if (sdpOffer === undefined) throw new ProtocolError("'sdpOffer' is required to accept a call");
    await this.startCall(caller, callee, sdpOffer);
  }

  /** Accepted: the pipeline, then the callee's negotiation (startCommunication), then the caller's (callResponse). */
  private async startCall(caller: CallSession, callee: CallSession, calleeOffer: string): Promise<void> {
    const report = (message: string): void => this.log.warn(`call ${caller.label}→${callee.label}: ${message}`);
    const call = await CallMediaPipeline.create(this.kmsFor(caller), report, caller, callee);
    caller.call = call;
    callee.call = call;
    let failing: CallSession = callee;
    try {
      onIceCandidateFound(call.calleeWebRtcEp, (found) => callee.send({ id: 'iceCandidate', candidate: found }), report);
      onIceCandidateFound(call.callerWebRtcEp, (found) => caller.send({ id: 'iceCandidate', candidate: found }), report);
      await callee.setEndpoint(call.calleeWebRtcEp);
      await caller.setEndpoint(call.callerWebRtcEp);
      const calleeAnswer = await processOffer(call.calleeWebRtcEp, calleeOffer);
      callee.send({ id: 'startCommunication', sdpAnswer: calleeAnswer });
      await gatherCandidates(call.calleeWebRtcEp);
      failing = caller;
      const callerAnswer = await processOffer(call.callerWebRtcEp, caller.sdpOffer ?? '');
      caller.send({ id: 'callResponse', response: 'accepted', sdpAnswer: callerAnswer });
      await gatherCandidates(call.callerWebRtcEp);
    } catch (error) {
      await this.abortCall(caller, callee, call, failing, error);
    }
  }
  // #endregion three-tier

  /** As CallHandler.java: release, callResponse rejected to the caller, stopCommunication to the callee. */
  private async abortCall(caller: CallSession, callee: CallSession, call: CallMediaPipeline, failing: CallSession, error: unknown): Promise<void> {
    const message = describeError(error);
    await call.kms.release(call.pipeline, `the call pipeline of '${caller.name ?? '?'}' and '${callee.name ?? '?'}'`);
    caller.clear();
    callee.clear();
    caller.send({ id: 'callResponse', response: 'rejected', message });
    callee.send({ id: 'stopCommunication' });
    // The browser whose SDP (or whatever failed) is told why; the callee's failure is reported as its message's.
    if (failing === caller) caller.send({ id: 'error', message });
    else throw error;
  }

  // #region three-tier
  private async onIceCandidate(session: CallSession, found: CandidateMessage): Promise<void> {
    await addRemoteCandidate(session.endpoint, session.candidates, found);
  }

  /** stop, or a closed socket: the call ends for both, and the other party gets stopCommunication. */
  private async stopCall(session: CallSession): Promise<void> {
    const partnerName = session.partner;
    const call = session.call;
    session.clear();
    const partner = partnerName === undefined ? undefined : this.users.get(partnerName);
    if (partner && partner.partner === session.name) {
      partner.clear();
      partner.send({ id: 'stopCommunication' });
    }
    if (call) await call.kms.release(call.pipeline, `the call pipeline of ${session.label}`);
  }
}
// #endregion three-tier
