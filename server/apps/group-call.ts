/**
 * Group call, after Kurento's Java tutorial (tutorials/java/group-call: CallHandler.java, Room.java, RoomManager.java,
 * UserSession.java, UserRegistry.java). Path /groupcall, the classic message family:
 *
 *   browser → server   joinRoom {name, room}   receiveVideoFrom {sender, sdpOffer}
 *                      onIceCandidate {candidate, name}   leaveRoom
 *   server → browser   existingParticipants {data: [names]}          (to the newcomer)
 *                      newParticipantArrived {name}                  (to the others)
 *                      receiveVideoAnswer {name, sdpAnswer}
 *                      iceCandidate {name, candidate}
 *                      participantLeft {name}
 *                      error {message}                               (a message this server could not take)
 *
 * One MediaPipeline per room, released when the room empties. Each participant has one outgoing WebRtcEndpoint (what
 * its browser sends) and one incoming WebRtcEndpoint per other participant, fed by that participant's outgoing one.
 * `name` in onIceCandidate and iceCandidate says which endpoint the candidate belongs to: the participant's own name
 * for its outgoing endpoint, the sender's name for an incoming one.
 */
import type { MediaPipeline, WebRtcEndpoint } from 'kurento-client';
import type { WebSocket } from 'ws';
import { AppServer, BrowserSession, route, type AppServerOptions, type Route } from './app-server';
import { CandidateQueue, addRemoteCandidate, connect, gatherCandidates, onIceCandidateFound, processOffer, type KmsConnection } from './kms';
import { ProtocolError, candidate, sdp, text, type CandidateMessage } from './protocol';

// #region three-tier
/** UserSession.java: a participant of a room, with its outgoing endpoint and one incoming endpoint per sender. */
class Participant {
  readonly incomingMedia = new Map<string, WebRtcEndpoint>();
  /** Candidates for endpoints that do not exist yet, by endpoint name (the `name` of onIceCandidate). */
  private readonly pending = new Map<string, CandidateQueue>();

  constructor(
    readonly name: string,
    readonly room: Room,
    readonly session: GroupSession,
    readonly outgoingMedia: WebRtcEndpoint,
  ) {}

  /** The endpoint that receives `sender`'s media in this participant's browser (its own outgoing one for itself). */
  endpointFor(sender: string): WebRtcEndpoint | undefined {
    return sender === this.name ? this.outgoingMedia : this.incomingMedia.get(sender);
  }
  // #endregion three-tier

  queueFor(name: string): CandidateQueue {
    let queue = this.pending.get(name);
    if (!queue) this.pending.set(name, (queue = new CandidateQueue()));
    return queue;
  }

  async flushCandidates(name: string, endpoint: WebRtcEndpoint): Promise<void> {
    await this.pending.get(name)?.flushTo(endpoint);
    this.pending.delete(name);
  }

  // #region three-tier
  /** cancelVideoFrom of UserSession.java: the incoming endpoint for `sender` goes. */
  async cancelVideoFrom(sender: string, kms: KmsConnection): Promise<void> {
    const incoming = this.incomingMedia.get(sender);
    this.incomingMedia.delete(sender);
    this.pending.delete(sender);
    await kms.release(incoming, `${this.name}'s incoming endpoint for ${sender}`);
  }

  /** close of UserSession.java: every endpoint of this participant. */
  async close(kms: KmsConnection): Promise<void> {
    for (const sender of [...this.incomingMedia.keys()]) await this.cancelVideoFrom(sender, kms);
    this.pending.clear();
    await kms.release(this.outgoingMedia, `${this.name}'s outgoing endpoint`);
  }
}

/** Room.java: the participants and the pipeline they share. */
class Room {
  readonly participants = new Map<string, Participant>();
  // #endregion three-tier

  constructor(
    readonly name: string,
    /** The KMS the room lives on: every participant's endpoints are made there. */
    readonly kms: KmsConnection,
    readonly pipeline: MediaPipeline,
  ) {}

  /** Every participant but `except`. */
  others(except: string): Participant[] {
    return [...this.participants.values()].filter((participant) => participant.name !== except);
  }
  // #region three-tier
}

class GroupSession extends BrowserSession {
  participant: Participant | undefined;
}

export class GroupCallApp extends AppServer<GroupSession> {
  readonly path = '/groupcall';
  protected readonly errorId = 'error';
  /** RoomManager.java, by room name. */
  private readonly rooms = new Map<string, Room>();
  protected readonly routes: Readonly<Record<string, Route<GroupSession>>> = {
    joinRoom: route({ name: text, room: text }, (session, { name, room }) => this.exclusive(() => this.joinRoom(session, name, room))),
    receiveVideoFrom: route({ sender: text, sdpOffer: sdp }, (session, { sender, sdpOffer }) => this.exclusive(() => this.receiveVideoFrom(session, sender, sdpOffer))),
    onIceCandidate: route({ candidate, name: text }, (session, fields) => this.onIceCandidate(session, fields.name, fields.candidate)),
    leaveRoom: route({}, (session) => this.exclusive(() => this.leaveRoom(session))),
  };
  // #endregion three-tier

  constructor(options: AppServerOptions) {
    super('group-call', options);
  }

  protected createSession(id: number, socket: WebSocket): GroupSession {
    return new GroupSession(id, socket, this.log);
  }

  protected usesMedia(session: GroupSession): boolean {
    return session.participant !== undefined;
  }

  /** A participant's media are on its room's KMS (the KMS of the browser that opened the room). */
  protected override mediaKms(session: GroupSession): KmsConnection | undefined {
    return session.participant?.room.kms;
  }

  // #region three-tier
  protected sessionClosed(session: GroupSession): Promise<void> {
    return this.exclusive(() => this.leaveRoom(session));
  }

  private async joinRoom(session: GroupSession, name: string, roomName: string): Promise<void> {
    if (session.participant) throw new ProtocolError(`you are already in room '${session.participant.room.name}' as '${session.participant.name}': send leaveRoom first`);
    const room = await this.roomFor(roomName, session);
    try {
      if (room.participants.has(name)) throw new ProtocolError(`the name '${name}' is taken in room '${roomName}'`);
      const report = (message: string): void => this.log.warn(`${session.label} ${message}`);
      const outgoingMedia = await room.kms.createWebRtcEndpoint(room.pipeline, report, [session]);
      onIceCandidateFound(outgoingMedia, (found) => session.send({ id: 'iceCandidate', name, candidate: found }), report);
      const participant = new Participant(name, room, session, outgoingMedia);
      for (const other of room.participants.values()) other.session.send({ id: 'newParticipantArrived', name });
      const existing = [...room.participants.keys()];
      room.participants.set(name, participant);
      session.participant = participant;
      room.kms.traffic.share(room.pipeline.id, session);
      this.log.info(`room '${roomName}': ${name} joined (${room.participants.size} participants)`);
      session.send({ id: 'existingParticipants', data: existing });
    } catch (error) {
      await this.closeRoomIfEmpty(room);
      throw error;
    }
  }

  /**
   * getRoom of RoomManager.java: the room, made (with its pipeline) on first use; the pipeline's KMS frames go to
   * `session` (the first participant) and to each one who joins later (its release when the room empties).
   */
  private async roomFor(name: string, session: GroupSession): Promise<Room> {
    const existing = this.rooms.get(name);
    if (existing) return existing;
    const kms = this.kmsFor(session);
    const room = new Room(name, kms, await kms.createPipeline([session]));
    this.rooms.set(name, room);
    this.log.info(`room '${name}' created`);
    return room;
  }

  private async receiveVideoFrom(session: GroupSession, senderName: string, sdpOffer: string): Promise<void> {
    const participant = session.participant;
    if (!participant) throw new ProtocolError('join a room first (joinRoom)');
    const sender = participant.room.participants.get(senderName);
    if (!sender) throw new ProtocolError(`there is no participant '${senderName}' in room '${participant.room.name}'`);
    const existing = participant.endpointFor(senderName);
    const endpoint = existing ?? (await this.newIncoming(participant, sender));
    try {
      await participant.flushCandidates(senderName, endpoint);
      const sdpAnswer = await processOffer(endpoint, sdpOffer);
      session.send({ id: 'receiveVideoAnswer', name: senderName, sdpAnswer });
      await gatherCandidates(endpoint);
    } catch (error) {
      if (!existing) await participant.cancelVideoFrom(senderName, participant.room.kms);
      throw error;
    }
  }

  /** getEndpointForUser of UserSession.java: an incoming endpoint fed by the sender's outgoing one. */
  private async newIncoming(participant: Participant, sender: Participant): Promise<WebRtcEndpoint> {
    const session = participant.session;
    const report = (message: string): void => this.log.warn(`${session.label} ${message}`);
    const incoming = await participant.room.kms.createWebRtcEndpoint(participant.room.pipeline, report, [session]);
    participant.incomingMedia.set(sender.name, incoming);
    try {
      onIceCandidateFound(incoming, (found) => session.send({ id: 'iceCandidate', name: sender.name, candidate: found }), report);
      await connect(sender.outgoingMedia, incoming);
      return incoming;
    } catch (error) {
      await participant.cancelVideoFrom(sender.name, participant.room.kms);
      throw error;
    }
  }

  private async onIceCandidate(session: GroupSession, name: string, found: CandidateMessage): Promise<void> {
    const participant = session.participant;
    if (!participant) throw new ProtocolError('join a room first (joinRoom)');
    if (!participant.room.participants.has(name)) throw new ProtocolError(`there is no participant '${name}' in room '${participant.room.name}'`);
    await addRemoteCandidate(participant.endpointFor(name), participant.queueFor(name), found);
  }

  /** leaveRoom, or a closed socket: the others are told and drop their endpoints for this participant. */
  private async leaveRoom(session: GroupSession): Promise<void> {
    const participant = session.participant;
    if (!participant) return;
    session.participant = undefined;
    const room = participant.room;
    room.participants.delete(participant.name);
    this.log.info(`room '${room.name}': ${participant.name} left (${room.participants.size} participants)`);
    for (const other of room.participants.values()) {
      await other.cancelVideoFrom(participant.name, room.kms);
      other.session.send({ id: 'participantLeft', name: participant.name });
    }
    await participant.close(room.kms);
    await this.closeRoomIfEmpty(room);
  }

  /** removeRoom of RoomManager.java: an empty room releases its pipeline. */
  private async closeRoomIfEmpty(room: Room): Promise<void> {
    if (room.participants.size > 0 || this.rooms.get(room.name) !== room) return;
    this.rooms.delete(room.name);
    await room.kms.release(room.pipeline, `room '${room.name}' MediaPipeline`);
  }
}
// #endregion three-tier
