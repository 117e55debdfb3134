/**
 * Node's dgram resolves the destination of every `socket.send(data, port, address)` through the socket's lookup
 * function, dns.lookup by default, which answers even an IP address on the next tick: each RTP packet werift sends
 * costs a nextTick, a closure and an async-hooks scope before the send itself. Profiled with `BENCH_CPU_PROF` on
 * `npm run bench -- kms --sessions 30`, that path (dgram's afterDns and the tick queue) was about 5 % of the KMS
 * process' CPU, besides the send system call.
 *
 * This gives the sockets werift's ICE opens a lookup that answers an IP address at once (what dgram itself does for a
 * connected socket) and hands any other name to dns.lookup as before.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIP } from 'node:net';
import { UdpTransport } from 'werift';

type Callback = (error: NodeJS.ErrnoException | null, address: string, family: number) => void;
type Init = (this: UdpTransport) => Promise<void>;
let installed = false;

/** dgram's lookup contract: (hostname, family or options, callback). An IP literal is answered synchronously. */
export function immediateLookup(hostname: string, options: number | dns.LookupOneOptions, callback: Callback): void {
  const family = isIP(hostname);
  if (family !== 0) {
    callback(null, hostname, family);
    return;
  }
  dns.lookup(hostname, typeof options === 'number' ? { family: options } : options, callback);
}

/** Idempotent; called once by the WebRTC session module before any peer connection exists. */
export function installFastUdpLookup(): void {
  if (installed) return;
  installed = true;
  const prototype = UdpTransport.prototype as unknown as { init: Init };
  const original = prototype.init;
  const module = dgram as unknown as { createSocket: typeof dgram.createSocket };
  prototype.init = function init(this: UdpTransport): Promise<void> {
    // werift creates its socket with dgram.createSocket(type) in the synchronous part of init: only that call gets
    // the option, and the module's function is put back before anything else can run.
    const createSocket = module.createSocket;
    module.createSocket = ((type: dgram.SocketType | dgram.SocketOptions, listener?: (message: Buffer, remote: dgram.RemoteInfo) => void) =>
      createSocket(typeof type === 'string' ? { type, lookup: immediateLookup as unknown as dgram.SocketOptions['lookup'] } : type, listener)) as typeof dgram.createSocket;
    try {
      return original.call(this);
    } finally {
      module.createSocket = createSocket;
    }
  };
}
