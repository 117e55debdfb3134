/**
 * What a TURN user could do with coturn, asked directly: allocate a relay (over UDP or, RFC 6062, over TCP), and send a
 * datagram from a UDP relay to a peer address. The tests use it to prove the relay reaches the KMS and nothing else.
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { Message, classes, createTurnClient, makeIntegrityKey, methods, parseMessage } from 'werift';

/** IANA protocol numbers in REQUESTED-TRANSPORT (RFC 5766 §14.7): the number in the first byte. */
const TRANSPORT = { udp: 17 << 24, tcp: 6 << 24 } as const;

async function exchange(socket: Socket, server: [string, number], request: Message, timeoutMs = 2000): Promise<Message> {
  const reply = new Promise<Message>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no TURN answer')), timeoutMs);
    const onMessage = (data: Buffer): void => {
      const message = parseMessage(data);
      if (message && message.transactionIdHex === request.transactionIdHex) {
        clearTimeout(timer);
        socket.off('message', onMessage);
        resolve(message);
      }
    };
    socket.on('message', onMessage);
  });
  socket.send(request.bytes, server[1], server[0]);
  return reply;
}

/**
 * An Allocate with long-term credentials for `transport` (tcp asks coturn for a TCP relay to peers): `success`, or
 * the error code coturn answered (442 Unsupported Transport Protocol when TCP relays are refused, 401 for bad
 * credentials).
 */
export async function allocate(server: [string, number], username: string, password: string, transport: 'udp' | 'tcp'): Promise<'success' | number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  try {
    const first = new Message(methods.ALLOCATE, classes.REQUEST).setAttribute('REQUESTED-TRANSPORT', TRANSPORT[transport]);
    const challenge = await exchange(socket, server, first);
    const realm = challenge.getAttributeValue('REALM') as string;
    const nonce = challenge.getAttributeValue('NONCE') as Buffer;
    const key = makeIntegrityKey(username, realm, password);
    const second = new Message(methods.ALLOCATE, classes.REQUEST)
      .setAttribute('REQUESTED-TRANSPORT', TRANSPORT[transport])
      .setAttribute('USERNAME', username)
      .setAttribute('REALM', realm)
      .setAttribute('NONCE', nonce)
      .addMessageIntegrity(key)
      .addFingerprint();
    const answer = await exchange(socket, server, second);
    if (answer.messageClass === classes.RESPONSE) return 'success';
    const error = answer.getAttributeValue('ERROR-CODE') as [number, string] | undefined;
    return error?.[0] ?? -1;
  } finally {
    socket.close();
  }
}

/** A UDP listener on `address`, counting what reaches it. */
export async function listener(address: string): Promise<{ port: number; received: () => number; close: () => void }> {
  const socket = createSocket('udp4');
  let count = 0;
  socket.on('message', () => {
    count += 1;
  });
  socket.bind(0, address);
  await once(socket, 'listening');
  return { port: socket.address().port, received: () => count, close: () => socket.close() };
}

/**
 * Allocates a UDP relay and sends one datagram from it to `peer`: `sent` when coturn accepted the permission, or the
 * error that refused it (coturn answers 403 Forbidden IP to a CreatePermission for a denied peer).
 */
export async function relayTo(server: [string, number], username: string, password: string, peer: [string, number]): Promise<'sent' | string> {
  const turn = await createTurnClient({ address: server, username, password });
  try {
    await turn.sendData(Buffer.from('kurento-labs relay probe'), peer);
    // Closing deallocates at once: give coturn the moment it takes to relay the datagram first.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return 'sent';
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await turn.close();
  }
}
