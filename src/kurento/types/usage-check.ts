/**
 * Compile-time check of the kurento-client / kurento-utils typings on the hello-world flow (`npx tsc -p . --noEmit`).
 * Nothing here runs on import; the functions are never called by the site.
 */
import kurentoClient from 'kurento-client';
import type { IceCandidate, IceCandidateFound, MediaPipeline, Stats, WebRtcEndpoint } from 'kurento-client';
import kurentoUtils from 'kurento-utils';
import type { WebRtcPeer } from 'kurento-utils';

/** Server side of hello-world: loopback WebRtcEndpoint; returns the SDP answer. */
export async function helloWorldServer(
  wsUri: string,
  sdpOffer: string,
  sendCandidate: (candidate: IceCandidate) => void,
): Promise<{ sdpAnswer: string; stats: Record<string, Stats>; release: () => Promise<void> }> {
  const client = await kurentoClient(wsUri, { failAfter: 2 });
  client.on('reconnected', (sameSession) => console.log('reconnected, same session:', sameSession));

  const pipeline: MediaPipeline = await client.create('MediaPipeline');
  const endpoint: WebRtcEndpoint = await pipeline.create('WebRtcEndpoint', { useDataChannels: false });

  endpoint.on('IceCandidateFound', (event: IceCandidateFound) => {
    sendCandidate(event.candidate);
    console.log(event.type, event.source, event.candidate.candidate, event.candidate.sdpMLineIndex);
  });
  endpoint.on('IceComponentStateChanged', ({ state, streamId }) => console.log(streamId, state));
  endpoint.on('MediaFlowInStateChanged', (event) => console.log(event.mediaType, event.state, event.padName));
  endpoint.on('Error', (error) => console.error(error.errorCode, error.description));

  const sdpAnswer = await endpoint.processOffer(sdpOffer);
  await endpoint.gatherCandidates();
  await endpoint.connect(endpoint);
  await endpoint.setMaxVideoSendBandwidth(500);

  const stats = await endpoint.getStats('VIDEO');
  for (const [id, entry] of Object.entries(stats)) console.log(id, entry.type, entry.timestampMillis);

  return {
    sdpAnswer,
    stats,
    release: async () => {
      await pipeline.release();
      client.close();
    },
  };
}

/** Adds a candidate received from the browser (plain JSON) to the endpoint. */
export function addBrowserCandidate(endpoint: WebRtcEndpoint, candidate: RTCIceCandidateInit): Promise<void> {
  const value = kurentoClient.getComplexType('IceCandidate')({
    candidate: candidate.candidate ?? '',
    sdpMid: candidate.sdpMid ?? '',
    sdpMLineIndex: candidate.sdpMLineIndex ?? 0,
  });
  return endpoint.addIceCandidate(value);
}

/** Browser side of hello-world: a send-receive peer that produces the SDP offer. */
export function helloWorldBrowser(
  localVideo: HTMLVideoElement,
  remoteVideo: HTMLVideoElement,
  onOffer: (sdpOffer: string) => void,
  onCandidate: (candidate: RTCIceCandidate) => void,
): WebRtcPeer {
  return kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv(
    {
      localVideo,
      remoteVideo,
      configuration: { iceServers: [] },
      mediaConstraints: { audio: true, video: { width: 640 } },
      onicecandidate: onCandidate,
    },
    function (error) {
      if (error) {
        console.error(error);
        return;
      }
      this.generateOffer((offerError, sdpOffer) => {
        if (offerError) {
          console.error(offerError);
          return;
        }
        onOffer(sdpOffer);
      });
    },
  );
}

/** Browser side, after the server answered: apply the answer and the server's candidates. */
export function applyAnswer(peer: WebRtcPeer, sdpAnswer: string, serverCandidates: IceCandidateFound[]): void {
  peer.processAnswer(sdpAnswer, (error) => {
    if (error) console.error(error);
  });
  for (const event of serverCandidates) peer.addIceCandidate(event.candidate);
  peer.on('candidategatheringdone', () => console.log('gathering done'));
}
