import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import Translate, { translate } from '@docusaurus/Translate';
import { loadKurento } from '@site/src/kurento/load';
import { offeredCodecs } from '@site/src/kurento/sdp';
import { describeMediaError } from '@site/src/kurento/errors';
import styles from './styles.module.css';

type Status = 'idle' | 'running' | 'ok' | 'fail';

interface CheckState {
  status: Status;
  detail?: ReactNode;
}

const CHECK_IDS = ['secure', 'webrtc', 'media', 'modules', 'offer'] as const;
type CheckId = (typeof CHECK_IDS)[number];

const titles: Record<CheckId, ReactNode> = {
  secure: <Translate id="browserCheck.secure.title">Secure context</Translate>,
  webrtc: <Translate id="browserCheck.webrtc.title">WebRTC in this browser</Translate>,
  media: <Translate id="browserCheck.media.title">Camera and microphone</Translate>,
  modules: <Translate id="browserCheck.modules.title">kurento-client and kurento-utils 7.3</Translate>,
  offer: <Translate id="browserCheck.offer.title">SDP offer from kurento-utils</Translate>,
};

function initialState(): Record<CheckId, CheckState> {
  return { secure: { status: 'idle' }, webrtc: { status: 'idle' }, media: { status: 'idle' }, modules: { status: 'idle' }, offer: { status: 'idle' } };
}

function statusLabel(status: Status): string {
  switch (status) {
    case 'idle':
      return translate({ id: 'browserCheck.status.idle', message: 'not run' });
    case 'running':
      return translate({ id: 'browserCheck.status.running', message: 'checking…' });
    case 'ok':
      return translate({ id: 'browserCheck.status.ok', message: 'passed' });
    case 'fail':
      return translate({ id: 'browserCheck.status.fail', message: 'failed' });
  }
}

/**
 * Checks, in order, what every lab needs from the browser. The last step is the first half of a real lab: kurento-utils
 * opens the camera through a WebRtcPeerSendrecv and generates the SDP offer a WebRtcEndpoint would receive.
 */
export default function BrowserCheck(): ReactNode {
  const [checks, setChecks] = useState(initialState);
  const [running, setRunning] = useState(false);
  const previewRef = useRef<HTMLVideoElement>(null);
  const disposeRef = useRef<(() => void) | undefined>(undefined);

  useEffect(() => () => disposeRef.current?.(), []);

  const update = useCallback((id: CheckId, state: CheckState) => {
    setChecks((previous) => ({ ...previous, [id]: state }));
  }, []);

  const run = useCallback(async () => {
    disposeRef.current?.();
    disposeRef.current = undefined;
    setChecks(initialState());
    setRunning(true);
    try {
      update('secure', { status: 'running' });
      if (!window.isSecureContext) {
        update('secure', {
          status: 'fail',
          detail: (
            <Translate id="browserCheck.secure.fail">
              This page is not a secure context, so the browser will refuse the camera. Open the site on localhost, or
              over https (npm start -- --https for a workshop).
            </Translate>
          ),
        });
        return;
      }
      update('secure', { status: 'ok', detail: window.location.origin });

      update('webrtc', { status: 'running' });
      if (typeof RTCPeerConnection !== 'function' || !navigator.mediaDevices?.getUserMedia) {
        update('webrtc', {
          status: 'fail',
          detail: (
            <Translate id="browserCheck.webrtc.fail">
              This browser has no RTCPeerConnection or getUserMedia. Use a current Chrome, Chromium, Edge or Firefox.
            </Translate>
          ),
        });
        return;
      }
      update('webrtc', { status: 'ok', detail: navigator.userAgent });

      update('media', { status: 'running' });
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      } catch (error) {
        update('media', { status: 'fail', detail: describeMediaError(error) });
        return;
      }
      const tracks = stream.getTracks().map((track) => `${track.kind}: ${track.label || track.id}`);
      update('media', { status: 'ok', detail: tracks.join(' · ') });

      update('modules', { status: 'running' });
      let modules;
      try {
        modules = await loadKurento();
      } catch (error) {
        stream.getTracks().forEach((track) => track.stop());
        update('modules', { status: 'fail', detail: String(error) });
        return;
      }
      update('modules', {
        status: 'ok',
        detail: translate({ id: 'browserCheck.modules.ok', message: 'Loaded on demand from this site, no CDN or Bower.' }),
      });

      update('offer', { status: 'running' });
      const { kurentoUtils } = modules;
      const offer = await new Promise<string>((resolve, reject) => {
        const peer = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv(
          {
            videoStream: stream,
            localVideo: previewRef.current ?? undefined,
            configuration: { iceServers: [] },
          },
          (error) => {
            if (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
              return;
            }
            peer.generateOffer((offerError, sdp) => {
              if (offerError || !sdp) reject(offerError instanceof Error ? offerError : new Error(String(offerError)));
              else resolve(sdp);
            });
          },
        );
        disposeRef.current = () => {
          peer.dispose();
          stream.getTracks().forEach((track) => track.stop());
        };
      }).catch((error: unknown) => {
        update('offer', { status: 'fail', detail: String(error) });
        return undefined;
      });
      if (offer === undefined) return;
      const codecs = offeredCodecs(offer);
      update('offer', {
        status: 'ok',
        detail: (
          <span data-testid="offer-codecs">
            video: {(codecs.video ?? []).join(', ')} — audio: {(codecs.audio ?? []).join(', ')}
          </span>
        ),
      });
    } finally {
      setRunning(false);
    }
  }, [update]);

  return (
    <div className={styles.check}>
      <button type="button" className="button button--primary" onClick={() => void run()} disabled={running} data-testid="browser-check-run">
        {running ? (
          <Translate id="browserCheck.running">Checking…</Translate>
        ) : (
          <Translate id="browserCheck.run">Run the check</Translate>
        )}
      </button>
      <ol className={styles.list}>
        {CHECK_IDS.map((id) => (
          <li key={id} className={styles[checks[id].status]} data-testid={`check-${id}`} data-status={checks[id].status}>
            <span className={styles.badge}>{statusLabel(checks[id].status)}</span>
            <strong>{titles[id]}</strong>
            {checks[id].detail !== undefined && <div className={styles.detail}>{checks[id].detail}</div>}
          </li>
        ))}
      </ol>
      <video ref={previewRef} className={styles.preview} muted playsInline autoPlay aria-label={translate({ id: 'browserCheck.preview', message: 'Camera preview' })} />
    </div>
  );
}
