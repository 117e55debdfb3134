import { KmsError } from '../errors';
import { Endpoint } from './MediaElement';
import type { PropertyAccess } from './MediaObject';
import type { BaseRtpEndpointEvents, SessionEndpointEvents } from './kmd-types.generated';

type MediaState = 'DISCONNECTED' | 'CONNECTED';

/**
 * KMD SessionEndpoint: MediaSessionStarted / MediaSessionTerminated. As in KMS 7.3, only HttpEndpoint raises
 * MediaSessionTerminated (its URL expired); an SdpEndpoint raises MediaSessionStarted after a negotiation and nothing
 * when the remote peer goes away (watch ICE, DTLS or MediaStateChanged for that).
 */
export abstract class SessionEndpoint<E extends SessionEndpointEvents = SessionEndpointEvents> extends Endpoint<E> {}

/** Checks an SDP the way SdpEndpointImpl's str_to_sdp does (GStreamer's parser): lines of `x=…`, a `v=` line. */
export function checkSdp(sdp: string, what: 'offer' | 'answer'): void {
  if (sdp === '') throw new KmsError('SDP_PARSE_ERROR', `Empty ${what} not valid`);
  const lines = sdp.split(/\r?\n/).filter((line) => line !== '');
  if (!lines.every((line) => /^[a-z]=/.test(line))) throw new KmsError('SDP_PARSE_ERROR', 'Error parsing SDP');
  if (!lines.some((line) => line.startsWith('v='))) throw new KmsError('SDP_PARSE_ERROR', 'Invalid SDP');
}

/**
 * KMD SdpEndpoint + BaseRtpEndpoint: the negotiation state machine of SdpEndpointImpl.cpp (one offer/answer per
 * endpoint, errors 40208/40209/40210), the bandwidth properties, and the ConnectionState / MediaState pair.
 */
export abstract class BaseRtpEndpoint<E extends BaseRtpEndpointEvents = BaseRtpEndpointEvents> extends SessionEndpoint<E> {
  private offerInProcess = false;
  private waitingAnswer = false;
  private answerProcessed = false;
  private connectionState: MediaState = 'DISCONNECTED';
  private mediaState: MediaState = 'DISCONNECTED';
  protected readonly bandwidth = {
    maxAudioRecvBandwidth: 0,
    maxVideoRecvBandwidth: 0,
    minVideoRecvBandwidth: 0,
    minVideoSendBandwidth: 100,
    maxVideoSendBandwidth: 500,
    mtu: 1200,
  };
  private rembParams: Record<string, unknown> = {};

  protected override properties(): Record<string, PropertyAccess> {
    const numeric = (key: keyof BaseRtpEndpoint['bandwidth']): PropertyAccess => ({
      get: () => this.bandwidth[key],
      set: (value) => {
        if (typeof value !== 'number' || value < 0) throw new KmsError('MARSHALL_ERROR', `'${key}' should be a non-negative integer`);
        this.bandwidth[key] = value;
        this.onBandwidthChanged();
      },
    });
    return {
      ...super.properties(),
      maxAudioRecvBandwidth: numeric('maxAudioRecvBandwidth'),
      maxVideoRecvBandwidth: numeric('maxVideoRecvBandwidth'),
      minVideoRecvBandwidth: numeric('minVideoRecvBandwidth'),
      minVideoSendBandwidth: numeric('minVideoSendBandwidth'),
      maxVideoSendBandwidth: numeric('maxVideoSendBandwidth'),
      mtu: numeric('mtu'),
      mediaState: { get: () => this.mediaState },
      connectionState: { get: () => this.connectionState },
      rembParams: { get: () => ({ __type__: 'RembParams', ...this.rembParams }), set: (value) => void (this.rembParams = { ...(value as object) }) },
    };
  }

  /** Hook for subclasses that enforce bandwidth limits. */
  protected onBandwidthChanged(): void {}

  protected abstract negotiateOffer(offer: string): Promise<string>;
  protected abstract createOffer(options: { offerToReceiveAudio?: boolean; offerToReceiveVideo?: boolean }): Promise<string>;
  protected abstract negotiateAnswer(answer: string): Promise<string>;
  protected abstract localSdp(): string | undefined;
  protected abstract remoteSdp(): string | undefined;

  async processOffer({ offer }: { offer: string }): Promise<string> {
    checkSdp(offer, 'offer');
    if (this.offerInProcess) throw new KmsError('SDP_END_POINT_ALREADY_NEGOTIATED', 'Endpoint already negotiated');
    this.offerInProcess = true;
    let answer: string;
    try {
      answer = await this.negotiateOffer(offer);
    } catch (error) {
      this.offerInProcess = false;
      this.context.log.warn(`processOffer failed on ${this.shortId}: ${String(error)}`);
      throw new KmsError('SDP_END_POINT_PROCESS_OFFER_ERROR', 'Error processing offer');
    }
    this.raise('MediaSessionStarted');
    return answer;
  }

  async generateOffer({ options }: { options?: { offerToReceiveAudio?: boolean; offerToReceiveVideo?: boolean } }): Promise<string> {
    if (this.offerInProcess) throw new KmsError('SDP_END_POINT_ALREADY_NEGOTIATED', 'Endpoint already negotiated');
    this.offerInProcess = true;
    try {
      const offer = await this.createOffer(options ?? {});
      this.waitingAnswer = true;
      return offer;
    } catch (error) {
      this.offerInProcess = false;
      this.context.log.warn(`generateOffer failed on ${this.shortId}: ${String(error)}`);
      throw new KmsError('SDP_END_POINT_GENERATE_OFFER_ERROR', 'Error generating offer');
    }
  }

  async processAnswer({ answer }: { answer: string }): Promise<string> {
    if (answer === '') throw new KmsError('SDP_PARSE_ERROR', 'Empty answer not valid');
    if (!this.waitingAnswer) {
      throw new KmsError('SDP_END_POINT_NOT_OFFER_GENERATED', 'Offer not generated. It is not possible to process an answer.');
    }
    checkSdp(answer, 'answer');
    if (this.answerProcessed) throw new KmsError('SDP_END_POINT_ANSWER_ALREADY_PROCCESED', 'Sdp Answer already processed');
    this.answerProcessed = true;
    let local: string;
    try {
      local = await this.negotiateAnswer(answer);
    } catch (error) {
      this.context.log.warn(`processAnswer failed on ${this.shortId}: ${String(error)}`);
      throw new KmsError('SDP_END_POINT_PROCESS_ANSWER_ERROR', 'Error processing answer');
    }
    this.raise('MediaSessionStarted');
    return local;
  }

  getLocalSessionDescriptor(): string {
    const sdp = this.localSdp();
    if (sdp === undefined) throw new KmsError('SDP_END_POINT_NO_LOCAL_SDP_ERROR', 'No local SDP');
    return sdp;
  }

  getRemoteSessionDescriptor(): string {
    const sdp = this.remoteSdp();
    if (sdp === undefined) throw new KmsError('SDP_END_POINT_NO_REMOTE_SDP_ERROR', 'No remote SDP');
    return sdp;
  }

  /** All RTP connections up (ICE + DTLS) or not: ConnectionStateChanged. */
  protected setConnectionState(state: MediaState): void {
    if (state === this.connectionState) return;
    const oldState = this.connectionState;
    this.connectionState = state;
    this.raise('ConnectionStateChanged', { oldState, newState: state });
  }

  /** RTCP alive or not: MediaStateChanged. */
  protected setMediaState(state: MediaState): void {
    if (state === this.mediaState) return;
    const oldState = this.mediaState;
    this.mediaState = state;
    this.raise('MediaStateChanged', { oldState, newState: state });
  }

  abstract requestKeyframe(): void;
}
