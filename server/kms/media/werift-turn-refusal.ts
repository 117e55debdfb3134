/**
 * werift 0.25's TURN client ignores a TURN server's refusal of its credentials. Its Allocate goes out without
 * credentials, the server answers 401 with a realm and a nonce, and werift sends it again with the long-term
 * credential; when the password is wrong the server answers 401 once more. That answer carries no MESSAGE-INTEGRITY
 * (the server cannot sign with a key it refused), werift requires one on every response to an authenticated request,
 * and so it drops the 401 and retransmits for 6.4 s (7 tries) before it gives up; then it tries again over TCP and
 * waits as long. IceGatheringDone came about 13 s late, and releasing the endpoint waited for it too.
 *
 * STUN's long-term credential mechanism takes a 401 for what it is before it looks for MESSAGE-INTEGRITY (RFC 5389
 * §10.2.3, RFC 8489 §9.2.5): the client retries once with credentials, and a 401 to that retry is the end. Browsers
 * and libnice (hence KMS) report the refusal at once: Chromium's icecandidateerror 401 comes within a round trip.
 *
 * This makes a 401 to an authenticated TURN request end its transaction as the error it is. Other unauthenticated
 * responses (a success or any other error without a valid MESSAGE-INTEGRITY) are dropped exactly as before.
 */
import { TurnProtocol, classes, parseMessage } from 'werift';

type HandleStun = (this: TurnProtocol, data: Buffer, addr: unknown) => void;
interface PendingTransaction {
  integrityKey?: Buffer;
}

const UNAUTHORIZED = 401;
let installed = false;

/** Idempotent; called once by the WebRTC session module before any peer connection exists. */
export function installTurnRefusal(): void {
  if (installed) return;
  installed = true;
  const prototype = TurnProtocol.prototype as unknown as { handleSTUNMessage?: HandleStun; transactions?: unknown };
  const original = prototype.handleSTUNMessage;
  if (typeof original !== 'function') {
    throw new Error('werift: TurnProtocol.handleSTUNMessage is gone; check how its TURN client treats a 401 before upgrading');
  }
  prototype.handleSTUNMessage = function handleSTUNMessage(this: TurnProtocol, data: Buffer, addr: unknown): void {
    const message = parseMessage(data);
    if (message?.messageClass === classes.ERROR) {
      const [code] = (message.getAttributeValue('ERROR-CODE') as [number, string] | undefined) ?? [];
      const transactions = (this as unknown as { transactions: Record<string, PendingTransaction | undefined> }).transactions;
      const transaction = transactions[message.transactionIdHex];
      if (code === UNAUTHORIZED && transaction?.integrityKey && !parseMessage(data, transaction.integrityKey)) {
        // The refusal of the credentials this request carried: no key to check it with, and none needed.
        transaction.integrityKey = undefined;
      }
    }
    original.call(this, data, addr);
  };
}
