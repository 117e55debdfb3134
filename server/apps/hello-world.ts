/**
 * Hello World, after Kurento's Java tutorial (tutorials/java/hello-world, HelloWorldHandler.java): a WebRTC loopback.
 * Path /helloworld, the tutorial's "modernised" message family (upper-case ids):
 *
 *   browser → server   PROCESS_SDP_OFFER {sdpOffer}   ADD_ICE_CANDIDATE {candidate}   STOP   ERROR {message}
 *   server → browser   PROCESS_SDP_ANSWER {sdpAnswer} ADD_ICE_CANDIDATE {candidate}   ERROR {message}
 *                      KMS_EVENT {eventType, data}
 *
 * KMS_EVENT is Kurento Labs' addition: where HelloWorldHandler.java logs every event of the WebRtcEndpoint
 * (initBaseEventListeners, initWebRtcEventListeners), this server also forwards each one to the browser, so the lab
 * can show KMS' lane of the timeline although the browser never talks to KMS. `eventType` is the KMS event name
 * (IceComponentStateChanged, MediaFlowInStateChanged, …) and `data` its payload exactly as KMS sent it.
 *
 * Per browser session: a MediaPipeline and a WebRtcEndpoint subscribed to every event of its class hierarchy,
 * connected to itself, then processOffer → PROCESS_SDP_ANSWER → gatherCandidates.
 */
import type { MediaPipeline, WebRtcEndpoint } from 'kurento-client';
import type { WebSocket } from 'ws';
import { ALL_WEBRTC_ENDPOINT_EVENTS } from '../../core/events';
import { AppServer, BrowserSession, route, type AppServerOptions, type Route } from './app-server';
import {
  CandidateQueue,
  addRemoteCandidate,
  connect,
  gatherCandidates,
  listen,
  onIceCandidateFound,
  processOffer,
} from './kms';
import { ProtocolError, candidate, sdp, text, type CandidateMessage, type Json } from './protocol';

/** The UserSession of HelloWorldHandler.java. */
class HelloWorldSession extends BrowserSession {
  pipeline: MediaPipeline | undefined;
  endpoint: WebRtcEndpoint | undefined;
  readonly candidates = new CandidateQueue();
}

export class HelloWorldApp extends AppServer<HelloWorldSession> {
  readonly path = '/helloworld';
  protected readonly errorId = 'ERROR';
  protected readonly routes: Readonly<Record<string, Route<HelloWorldSession>>> = {
    PROCESS_SDP_OFFER: route({ sdpOffer: sdp }, (session, { sdpOffer }) => this.processSdpOffer(session, sdpOffer)),
    ADD_ICE_CANDIDATE: route({ candidate }, (session, fields) => this.addIceCandidate(session, fields.candidate)),
    STOP: route({}, (session) => this.stopSession(session)),
    ERROR: route({ message: text }, (session, { message }) => this.browserError(session, message)),
  };

  constructor(options: AppServerOptions) {
    super('helloworld', options);
  }

  protected createSession(id: number, socket: WebSocket): HelloWorldSession {
    return new HelloWorldSession(id, socket, this.log);
  }

  protected usesMedia(session: HelloWorldSession): boolean {
    return session.pipeline !== undefined;
  }

  protected sessionClosed(session: HelloWorldSession): Promise<void> {
    return this.stopSession(session);
  }

  // PROCESS_SDP_OFFER: pipeline, endpoint, listeners, loopback, then the SDP negotiation and ICE.
  private async processSdpOffer(session: HelloWorldSession, sdpOffer: string): Promise<void> {
    if (session.pipeline) throw new ProtocolError('this session already has a media pipeline: send STOP first');
    const pipeline = await this.kmsFor(session).createPipeline([session]);
    session.pipeline = pipeline;
    try {
      const endpoint = await this.kmsFor(session).createWebRtcEndpoint(pipeline, this.reporter(session), [session]);
      session.endpoint = endpoint;
      this.forwardEvents(session, endpoint);
      await connect(endpoint, endpoint);
      const sdpAnswer = await processOffer(endpoint, sdpOffer);
      session.send({ id: 'PROCESS_SDP_ANSWER', sdpAnswer });
      await session.candidates.flushTo(endpoint);
      // gatherCandidates() is when the endpoint actually starts working (IceComponentStateChanged GATHERING).
      await gatherCandidates(endpoint);
    } catch (error) {
      await this.stopSession(session);
      throw error;
    }
  }

  /** Subscribes to every event of the WebRtcEndpoint hierarchy before anything happens, so none is missed. */
  private forwardEvents(session: HelloWorldSession, endpoint: WebRtcEndpoint): void {
    const report = this.reporter(session);
    for (const eventType of ALL_WEBRTC_ENDPOINT_EVENTS) {
      listen(endpoint, eventType, (data) => this.kmsEvent(session, eventType, data), report);
    }
    onIceCandidateFound(endpoint, (found) => session.send({ id: 'ADD_ICE_CANDIDATE', candidate: found }), report);
  }

  private kmsEvent(session: HelloWorldSession, eventType: string, data: Json): void {
    if (session.closed) return;
    session.send({ id: 'KMS_EVENT', eventType, data });
    if (eventType !== 'Error') return;
    // As HelloWorldHandler.java: an Error event ends the session.
    const description = typeof data.description === 'string' ? data.description : 'media error';
    session.send({ id: 'ERROR', message: `[Kurento] ${description}` });
    this.enqueue(session, () => this.stopSession(session));
  }

  private async addIceCandidate(session: HelloWorldSession, found: CandidateMessage): Promise<void> {
    await addRemoteCandidate(session.endpoint, session.candidates, found);
  }

  private async browserError(session: HelloWorldSession, message: string): Promise<void> {
    this.log.warn(`${session.label} browser error: ${message}; assuming the browser stops`);
    await this.stopSession(session);
  }

  // STOP: release the pipeline (and the endpoint inside it).
  private async stopSession(session: HelloWorldSession): Promise<void> {
    const pipeline = session.pipeline;
    session.pipeline = undefined;
    session.endpoint = undefined;
    session.candidates.clear();
    await this.kmsFor(session).release(pipeline, `${session.label}'s MediaPipeline`);
  }

  private reporter(session: HelloWorldSession): (message: string) => void {
    return (message) => this.log.warn(`${session.label} ${message}`);
  }
}
