/**
 * The browser ↔ WebRtcEndpoint negotiation every WebRTC lab repeats (the shape of Kurento's own tutorials): ICE
 * candidates both ways, processOffer / processAnswer, gatherCandidates.
 */
import type { WebRtcEndpoint } from 'kurento-client';
import { browserCandidate, call, kmsCandidate } from '../../core/kurento';
import type { LabContext, WebRtcPeer } from './types';

/** Wires candidates both ways between a kurento-utils peer and a WebRtcEndpoint. */
export function exchangeCandidates(context: LabContext, peer: WebRtcPeer, endpoint: WebRtcEndpoint, role: string): void {
  endpoint.on('IceCandidateFound', (event) => {
    peer.addIceCandidate(browserCandidate(event.candidate), (error) => {
      if (error) context.record('browser', role, 'addIceCandidateError', { message: String(error) });
    });
  });
  peer.on('icecandidate', (candidate) => {
    endpoint.addIceCandidate(kmsCandidate(candidate), (error: unknown) => {
      if (error) context.record('kms', role, 'addIceCandidateError', { message: String(error) });
    });
  });
}

/** Offer from the browser, answer from KMS, then gatherCandidates: the peer and the endpoint are connected after it. */
export async function negotiate(context: LabContext, peer: WebRtcPeer, endpoint: WebRtcEndpoint, role: string): Promise<void> {
  exchangeCandidates(context, peer, endpoint, role);
  const offer = await call<string>((done) => peer.generateOffer((error, sdp) => done(error, sdp)));
  const answer = await call<string>((done) => endpoint.processOffer(offer, done));
  await call<void>((done) => peer.processAnswer(answer, (error) => done(error, undefined)));
  await call<void>((done) => endpoint.gatherCandidates((error: unknown) => done(error, undefined)));
}

export { WEBRTC_ENDPOINT_EVENTS, ALL_WEBRTC_ENDPOINT_EVENTS } from '../../core/events';
