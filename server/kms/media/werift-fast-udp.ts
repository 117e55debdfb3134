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

/**
 * Idempotent; called once by the WebRTC session module before any peer connection exists.
 *
 * werift 0.25 creates the socket in UdpTransport's constructor (`dgram.createSocket(type)`, then its 'message'
 * listener) and binds it in init(). The constructor cannot be reached from outside, so init() is wrapped: before it
 * binds, the unbound socket is exchanged for one created with the immediate lookup, with the same type and the same
 * 'message' listeners, and the first one is closed (nothing was bound or sent on it yet).
 */
export function installFastUdpLookup(): void {
  if (installed) return;
  installed = true;
  const prototype = UdpTransport.prototype as unknown as { init: Init };
  const original = prototype.init;
  prototype.init = async function init(this: UdpTransport): Promise<void> {
    const transport = this as unknown as { socket: dgram.Socket; socketType: dgram.SocketType };
    const unbound = transport.socket;
    // dgram's bind() emits 'listening' from inside the lookup's callback: answered at once, it would fire before
    // werift's init waits for it. So the address of bind() goes through dns.lookup as before, the sends after it not.
    let bound = false;
    const lookup = (hostname: string, options: number | dns.LookupOneOptions, callback: Callback): void => {
      if (bound) immediateLookup(hostname, options, callback);
      else dns.lookup(hostname, typeof options === 'number' ? { family: options } : options, callback);
    };
    const socket = dgram.createSocket({ type: transport.socketType, lookup: lookup as unknown as dgram.SocketOptions['lookup'] });
    for (const listener of unbound.listeners('message')) socket.on('message', listener as (message: Buffer, remote: dgram.RemoteInfo) => void);
    unbound.close();
    transport.socket = socket;
    await original.call(this);
    bound = true;
  };
}
