/**
 * werift, when it is the DTLS client, waits a fixed 100 ms after ICE has connected before it sends its ClientHello
 * (a `setTimeout(100)` in RTCDtlsTransport#start). A KMS answering a browser's offer is the DTLS client (the browser
 * offers `actpass` and is ICE-controlling), so every session paid those 100 ms between ICE connected and the first
 * media; the phase trace of the hello-world lab measured ICE connected → DTLS connected at 100–110 ms.
 *
 * This starts the handshake as soon as the transport starts: the client's connect() runs at once and is memoized, so
 * werift's own call after its sleep gets the same promise (and attaches its error handling to it) instead of starting
 * a second handshake.
 *
 * The other half: werift's DTLS server only listens once its own transport has started, after its own ICE reports
 * connected. A ClientHello that arrives earlier (the peer's ICE finished a moment sooner, or the peer is a browser
 * that starts at once) was dropped, and the handshake waited for the client's retransmission, 500 ms to 1 s later.
 * Records that arrive between the remote description and start() are now kept (a handful, bounded) and handed to
 * the DTLS socket as soon as it exists, as a browser's DTLS stack does with an early ClientHello.
 */
import { DtlsClient, RTCDtlsTransport } from 'werift';

/** At most this many records are kept for a transport that has not started: a handshake's first flights. */
const MAX_EARLY_RECORDS = 16;

/** DTLS content types are 20–63 (RFC 7983's demultiplexing range), as werift's own check. */
function isDtlsRecord(data: Buffer): boolean {
  const first = data[0] ?? 0;
  return first >= 20 && first <= 63;
}

interface EarlyRecords {
  records: Buffer[];
  stop: () => void;
}

const early = new WeakMap<RTCDtlsTransport, EarlyRecords>();

let installed = false;

/** Makes `client.connect()` start once and hand every later caller the same promise. */
export function memoizeConnect(client: DtlsClient): Promise<void> {
  const connect = client.connect.bind(client);
  let pending: Promise<void> | undefined;
  client.connect = (): Promise<void> => (pending ??= connect());
  return client.connect();
}

/** Idempotent; called once by the WebRTC session module before any peer connection exists. */
export function installEarlyDtls(): void {
  if (installed) return;
  installed = true;
  const setRemoteParams = RTCDtlsTransport.prototype.setRemoteParams;
  RTCDtlsTransport.prototype.setRemoteParams = function keepEarlyRecords(this: RTCDtlsTransport, ...args) {
    setRemoteParams.apply(this, args);
    if (this.state !== 'new' || early.has(this)) return;
    const records: Buffer[] = [];
    const subscription = this.iceTransport.connection.onData.subscribe((data: Buffer) => {
      if (records.length < MAX_EARLY_RECORDS && isDtlsRecord(data)) records.push(data);
    });
    early.set(this, { records, stop: () => subscription.unSubscribe() });
  };

  const start = RTCDtlsTransport.prototype.start;
  RTCDtlsTransport.prototype.start = function startEarly(this: RTCDtlsTransport): Promise<void> {
    // The original creates its DtlsClient or DtlsServer synchronously, before its first await.
    const started = start.call(this);
    const socket = this.dtls;
    const kept = early.get(this);
    if (kept) {
      early.delete(this);
      kept.stop();
      if (socket) {
        // werift's ICE transport calls onData with the datagram alone.
        const deliver = socket.transport.socket.onData as (data: Buffer) => void;
        for (const record of kept.records) deliver(record);
      }
    }
    if (socket instanceof DtlsClient) {
      // A failure is reported where werift awaits the same promise after its sleep; this copy only must not be unhandled.
      memoizeConnect(socket).catch(() => undefined);
    }
    return started;
  };
}
