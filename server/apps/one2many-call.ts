/**
 * One-to-many video call, after Kurento's Java tutorial (tutorials/java/one2many-call: CallHandler.java,
 * UserSession.java). Path /one2many, the classic message family:
 *
 *   browser → server   presenter {sdpOffer}   viewer {sdpOffer}   onIceCandidate {candidate}   stop
 *   server → browser   presenterResponse {response: 'accepted', sdpAnswer} or {response: 'rejected', message}
 *                      viewerResponse    {response: 'accepted', sdpAnswer} or {response: 'rejected', message}
 *                      iceCandidate {candidate}
 *                      stopCommunication                      (to every viewer when the presenter leaves)
 *                      error {message}                        (a message this server could not take)
 *
 * One presenter at a time for the whole server (as in the tutorial). Its WebRtcEndpoint is connected straight to each
 * viewer's WebRtcEndpoint, in the presenter's pipeline: no hub in between.
 */
import type { MediaPipeline, WebRtcEndpoint } from 'kurento-client';
import type { WebSocket } from 'ws';
import { AppServer, BrowserSession, route, type AppServerOptions, type Route } from './app-server';
import { CandidateQueue, addRemoteCandidate, connect, gatherCandidates, onIceCandidateFound, processOffer, type KmsConnection } from './kms';
import { ProtocolError, candidate, sdp, type CandidateMessage } from './protocol';

// #region three-tier
/** UserSession.java: the browser and, once it presents or views, its endpoint. */
class One2ManySession extends BrowserSession {
  endpoint: WebRtcEndpoint | undefined;
  readonly candidates = new CandidateQueue();
  // #endregion three-tier

  async setEndpoint(endpoint: WebRtcEndpoint): Promise<void> {
    this.endpoint = endpoint;
    await this.candidates.flushTo(endpoint);
  }

  clear(): void {
    this.endpoint = undefined;
    this.candidates.clear();
  }
  // #region three-tier
}

interface Presenter {
  session: One2ManySession;
  /** The KMS of the broadcast (the presenter's): viewers' endpoints are made in its pipeline. */
  kms: KmsConnection;
  pipeline: MediaPipeline;
  /** Undefined while its endpoint is being set up. */
  endpoint: WebRtcEndpoint | undefined;
}

export class One2ManyCallApp extends AppServer<One2ManySession> {
  readonly path = '/one2many';
  protected readonly errorId = 'error';
  private presenter: Presenter | undefined;
  private readonly viewers = new Set<One2ManySession>();
  protected readonly routes: Readonly<Record<string, Route<One2ManySession>>> = {
    presenter: route({ sdpOffer: sdp }, (session, { sdpOffer }) => this.exclusive(() => this.startPresenter(session, sdpOffer)), { rejectWith: 'presenterResponse' }),
    viewer: route({ sdpOffer: sdp }, (session, { sdpOffer }) => this.exclusive(() => this.startViewer(session, sdpOffer)), { rejectWith: 'viewerResponse' }),
    onIceCandidate: route({ candidate }, (session, fields) => this.onIceCandidate(session, fields.candidate)),
    stop: route({}, (session) => this.exclusive(() => this.stopSession(session))),
  };
  // #endregion three-tier

  constructor(options: AppServerOptions) {
    super('one2many-call', options);
  }

  protected createSession(id: number, socket: WebSocket): One2ManySession {
    return new One2ManySession(id, socket, this.log);
  }

  protected usesMedia(session: One2ManySession): boolean {
    return this.presenter?.session === session || this.viewers.has(session);
  }

  /** The presenter's and the viewers' media are on the broadcast's KMS. */
  protected override mediaKms(session: One2ManySession): KmsConnection | undefined {
    return this.usesMedia(session) ? this.presenter?.kms : undefined;
  }

  // #region three-tier
  protected sessionClosed(session: One2ManySession): Promise<void> {
    return this.exclusive(() => this.stopSession(session));
  }

  private async startPresenter(session: One2ManySession, sdpOffer: string): Promise<void> {
    if (this.presenter) {
      const message = this.presenter.session === session ? 'You are already the presenter' : 'Another user is currently acting as sender. Try again later ...';
      session.send({ id: 'presenterResponse', response: 'rejected', message });
      return;
    }
    if (this.viewers.has(session)) throw new ProtocolError('this session is a viewer: send stop before presenting');
    const kms = this.kmsFor(session);
    const pipeline = await kms.createPipeline([session]);
    const presenter: Presenter = { session, kms, pipeline, endpoint: undefined };
    this.presenter = presenter;
    try {
      const endpoint = await this.newEndpoint(session, kms, pipeline);
      presenter.endpoint = endpoint;
      const sdpAnswer = await processOffer(endpoint, sdpOffer);
      session.send({ id: 'presenterResponse', response: 'accepted', sdpAnswer });
      await gatherCandidates(endpoint);
    } catch (error) {
      await this.stopSession(session);
      throw error;
    }
  }

  private async startViewer(session: One2ManySession, sdpOffer: string): Promise<void> {
    const rejected = (message: string): void => session.send({ id: 'viewerResponse', response: 'rejected', message });
    const presenter = this.presenter;
    if (!presenter?.endpoint) return rejected('No active sender now. Become sender or . Try again later ...');
    if (presenter.session === session) return rejected('You are the presenter: a viewer needs another session');
    if (this.viewers.has(session)) return rejected('You are already viewing in this session. Use a different browser to add additional viewers.');
    this.viewers.add(session);
    try {
      const endpoint = await this.newEndpoint(session, presenter.kms, presenter.pipeline);
      await connect(presenter.endpoint, endpoint);
      const sdpAnswer = await processOffer(endpoint, sdpOffer);
      session.send({ id: 'viewerResponse', response: 'accepted', sdpAnswer });
      await gatherCandidates(endpoint);
    } catch (error) {
      await this.stopSession(session);
      throw error;
    }
  }

  /** A WebRtcEndpoint for `session` whose candidates go to its browser as iceCandidate. */
  private async newEndpoint(session: One2ManySession, kms: KmsConnection, pipeline: MediaPipeline): Promise<WebRtcEndpoint> {
    const report = (message: string): void => this.log.warn(`${session.label} ${message}`);
    const endpoint = await kms.createWebRtcEndpoint(pipeline, report, [session]);
    onIceCandidateFound(endpoint, (found) => session.send({ id: 'iceCandidate', candidate: found }), report);
    await session.setEndpoint(endpoint);
    return endpoint;
  }

  private async onIceCandidate(session: One2ManySession, found: CandidateMessage): Promise<void> {
    await addRemoteCandidate(session.endpoint, session.candidates, found);
  }

  /** stop, or a closed socket: a presenter ends the broadcast for every viewer; a viewer releases its endpoint. */
  private async stopSession(session: One2ManySession): Promise<void> {
    const presenter = this.presenter;
    if (presenter?.session === session) {
      this.presenter = undefined;
      for (const viewer of this.viewers) {
        viewer.send({ id: 'stopCommunication' });
        viewer.clear();
      }
      this.viewers.clear();
      session.clear();
      // The viewers' endpoints live in the presenter's pipeline: releasing it releases them.
      await presenter.kms.release(presenter.pipeline, `the presenter's MediaPipeline (${session.label})`);
    } else if (this.viewers.delete(session)) {
      const endpoint = session.endpoint;
      session.clear();
      await (presenter?.kms ?? this.kmsFor(session)).release(endpoint, `the WebRtcEndpoint of viewer ${session.label}`);
    } else {
      session.clear();
    }
  }
}
// #endregion three-tier
