/** Test helpers: an embedded KMS on a free port, and a raw JSON-RPC client to check the wire format exactly. */
import { once } from 'node:events';
import WebSocket from 'ws';
import { createLogger } from '../../server/kms/logger';
import type { KmsConfig } from '../../server/kms/config';
import { KmsServer } from '../../server/kms/server';

/**
 * An embedded KMS for a test. KMS_TEST_WORKERS=N puts its pipelines on N worker threads (`npm test` runs the
 * conformance suite with 2, the unit tests with none).
 */
export async function startKms(config: Partial<KmsConfig> = {}): Promise<KmsServer> {
  const workers = Number(process.env.KMS_TEST_WORKERS ?? 0);
  const server = new KmsServer({ port: 0, workers, ...config }, createLogger('kms', process.env.KMS_TEST_LOG === 'debug' ? 'debug' : 'silent'));
  await server.start();
  return server;
}

export interface RpcMessage {
  id?: number | string | null;
  jsonrpc: string;
  method?: string;
  result?: Record<string, unknown> & { value?: unknown; sessionId?: string };
  error?: { code: number; message: string; data?: { type?: string } };
  params?: { value: { data: Record<string, unknown>; object: string; type: string } };
}

/** A bare WebSocket JSON-RPC client: what goes on the wire is exactly what the test writes. */
export class RawClient {
  private nextId = 0;
  readonly events: RpcMessage[] = [];
  private readonly waiting = new Map<number | string, (message: RpcMessage) => void>();
  private readonly anonymous: Array<(message: RpcMessage) => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as RpcMessage;
      if (message.method === 'onEvent') {
        this.events.push(message);
        return;
      }
      const id = message.id;
      if (id !== undefined && id !== null && this.waiting.has(id)) {
        const resolve = this.waiting.get(id);
        this.waiting.delete(id);
        resolve?.(message);
        return;
      }
      // Replies with id null (invalid requests) or ids nobody waits for go to the oldest anonymous caller.
      this.anonymous.shift()?.(message);
    });
  }

  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<RawClient> {
    const socket = new WebSocket(url, options);
    await once(socket, 'open');
    return new RawClient(socket);
  }

  call(method: string, params?: Record<string, unknown>): Promise<RpcMessage> {
    const id = this.nextId++;
    const frame: Record<string, unknown> = { jsonrpc: '2.0', id, method };
    if (params !== undefined) frame.params = params;
    return this.sendRaw(JSON.stringify(frame), id);
  }

  /** Sends any text; the reply is matched by `id`, or taken as the next id-less reply. */
  sendRaw(text: string, id?: number | string): Promise<RpcMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${text.slice(0, 80)}`)), 10000);
      const done = (message: RpcMessage): void => {
        clearTimeout(timer);
        resolve(message);
      };
      if (id !== undefined) this.waiting.set(id, done);
      else this.anonymous.push(done);
      this.socket.send(text);
    });
  }

  async result(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown> & { value?: unknown; sessionId?: string }> {
    const reply = await this.call(method, params);
    if (reply.error) throw new Error(`${method} failed: ${reply.error.code} ${reply.error.message}`);
    if (!reply.result) throw new Error(`${method}: no result`);
    return reply.result;
  }

  close(): void {
    this.socket.close();
  }
}
