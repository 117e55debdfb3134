/**
 * The receive buffer of each ICE socket werift opens. Linux gives a UDP socket about 208 KiB by default
 * (net.core.rmem_default), which holds well under a second of one 640x480 video stream once the kernel's per-packet
 * overhead is counted. When the event loop is busy for a moment (a garbage collection, a burst of key frames from many
 * senders), a full buffer drops packets; each drop costs a NACK and a retransmission, which add load exactly when
 * there is none to spare. `npm run bench -- kms --sessions 30` showed such bursts of loss turning into NACK storms.
 * A larger buffer turns a short stall into a short delay instead. The kernel caps the size at net.core.rmem_max
 * without an error, so on a machine with a small cap this changes nothing.
 */
import { UdpTransport } from 'werift';

export const ICE_RECEIVE_BUFFER_BYTES = 1024 * 1024;

type Init = (this: UdpTransport) => Promise<void>;
let installed = false;

/** Idempotent; called once by the WebRTC session module before any peer connection exists. */
export function installIceSocketBuffers(bytes = ICE_RECEIVE_BUFFER_BYTES): void {
  if (installed) return;
  installed = true;
  const prototype = UdpTransport.prototype as unknown as { init: Init };
  const original = prototype.init;
  prototype.init = async function init(this: UdpTransport): Promise<void> {
    await original.call(this);
    try {
      this.socket.setRecvBufferSize(bytes);
    } catch {
      // A closed socket, or a platform that refuses: werift's default stays.
    }
  };
}
