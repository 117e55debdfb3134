/**
 * werift 0.25's ICE agent falls back to Google's public STUN server (stun.l.google.com:19302) when it is given none:
 * every gathering then resolves that name and sends it a binding request, and waits up to 5 s (werift's STUN gather
 * timeout) for the answer before gathering counts as done.
 *
 * KMS does no such thing: without stunServerAddress (or a turnURL) in WebRtcEndpoint.conf.ini it gathers host
 * candidates only, and a browser with an empty iceServers list does the same. The fallback made the embedded KMS
 * differ three ways:
 * - on a machine with Internet access it offered server-reflexive candidates nobody configured, and told a third
 *   party about every session;
 * - offline (no route, or DNS that times out), setLocalDescription waited for the name lookup or the timeout: in
 *   `npm run bench -- kms --sessions 30` two sessions of thirty took 5.0 s to signal, in each of four runs, and every
 *   gathering (a lab's endpoint too) paid a name lookup, which costs little only where the resolver fails at once;
 * - IceGatheringDone came late for the same reason.
 *
 * This makes "no STUN server configured" mean none, for the KMS's endpoints and for the test peers alike. A
 * configured one (the KMS's stunServerAddress, a peer's iceServers) is used exactly as before.
 */
import { Connection, validateAddress } from 'werift';

type Apply = (this: Connection) => void;
let installed = false;

/** Idempotent; called once by the WebRTC session module (and the test peers) before any peer connection exists. */
export function installNoDefaultStun(): void {
  if (installed) return;
  installed = true;
  const prototype = Connection.prototype as unknown as { applyStunTurnServersFromOptions?: Apply };
  const original = prototype.applyStunTurnServersFromOptions;
  if (typeof original !== 'function') {
    // A werift without this method has changed how it picks its STUN server: fail loudly rather than gather from a
    // server nobody configured.
    throw new Error('werift: Connection.applyStunTurnServersFromOptions is gone; check its STUN server default before upgrading');
  }
  prototype.applyStunTurnServersFromOptions = function applyStunTurnServersFromOptions(this: Connection): void {
    original.call(this);
    if (!validateAddress(this.options.stunServer)) this.stunServer = undefined;
  };
}
