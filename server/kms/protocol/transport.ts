/**
 * The WebSocket side of the embedded KMS: one HTTP(S) server, WebSocket upgrades on the configured path only,
 * Origin checks, a frame size limit, and one Connection per socket that runs its requests in order.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Logger } from '../logger';
import type { ProtocolDispatcher } from './dispatcher';
import { failure, parseFrame, type JsonRpcResponse } from './jsonrpc';
import type { EventSink, Session, SessionStore } from './sessions';
import { KmsError } from '../errors';

export interface TransportOptions {
  host: string;
  port: number;
  path: string;
  allowedOrigins: string[];
  maxFrameBytes: number;
  tls?: { cert: string; key: string };
}

/** The WebSocket close code and reason KMS uses for a wrong path (websocketpp protocol_error). */
export const INVALID_PATH_CLOSE = { code: 1002, reason: 'Invalid path' } as const;

class Connection implements EventSink {
  private queue: Promise<void> = Promise.resolve();
  private session: Session | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly dispatcher: ProtocolDispatcher,
    private readonly sessions: SessionStore,
    private readonly log: Logger,
    readonly remote: string,
  ) {
    socket.on('message', (data: RawData) => this.enqueue(data));
    socket.on('close', () => this.sessions.unbind(this));
    socket.on('error', (error) => this.log.debug(`socket error from ${remote}: ${error.message}`));
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  sendEvent(text: string): void {
    if (this.open) this.socket.send(text);
  }

  private send(response: JsonRpcResponse): void {
    if (this.open) this.socket.send(JSON.stringify(response));
  }

  /** Requests of one connection run one after the other, in arrival order, as kurento-client expects. */
  private enqueue(data: RawData): void {
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    this.queue = this.queue.then(() => this.process(text)).catch((error: unknown) => {
      this.log.error(`unexpected failure handling a frame from ${this.remote}: ${String(error)}`);
    });
  }

  private async process(text: string): Promise<void> {
    const parsed = parseFrame(text);
    if (!parsed.ok) {
      this.send(parsed.response);
      return;
    }
    const { request, isNotification } = parsed;
    const started = performance.now();
    const response = await this.dispatcher.handle(request, {
      connection: this,
      boundSession: () => this.session,
      bind: (session) => {
        this.session = session;
        this.sessions.bind(session, this);
      },
    });
    this.log.debug(
      `${this.remote} ${request.method}${typeof request.params?.operation === 'string' ? ` ${request.params.operation}` : ''}${typeof request.params?.type === 'string' ? ` ${request.params.type}` : ''} → ${'error' in response ? `error ${response.error.code}` : 'ok'} in ${(performance.now() - started).toFixed(1)} ms`,
    );
    if (!isNotification) {
      this.send(response);
    } else if ('result' in response && response.result !== null && Object.keys(response.result).some((key) => key !== 'sessionId')) {
      // KMS answers a notification that produced a value, and only then.
      this.send(failure(null, new KmsError('SERVER_ERROR', 'Ignoring response because of a notification request')));
    }
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }
}

export class KmsTransport {
  private server: Server | undefined;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();

  constructor(
    private readonly options: TransportOptions,
    private readonly dispatcher: ProtocolDispatcher,
    private readonly sessions: SessionStore,
    private readonly log: Logger,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes, perMessageDeflate: false });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  get address(): { host: string; port: number } {
    const address = this.server?.address();
    return typeof address === 'object' && address ? { host: address.address, port: address.port } : { host: this.options.host, port: this.options.port };
  }

  private originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    // Node clients (kurento-client in an application server) send no Origin; browsers always do.
    if (origin === undefined) return true;
    if (this.options.allowedOrigins.includes('*') || this.options.allowedOrigins.includes(origin)) return true;
    // Some non-browser clients (the Java kurento-client) send the server's own address as Origin. No web page can have
    // that origin — the KMS port serves no pages. Only literal addresses count, so a DNS-rebinding page (whose Origin
    // and Host both carry the attacker's name) stays refused.
    const host = req.headers.host ?? '';
    const literal = /^(127\.0\.0\.1|localhost|\[::1\]|\d{1,3}(\.\d{1,3}){3}):\d+$/.test(host);
    return literal && (origin === `http://${host}` || origin === `https://${host}`);
  }


  /**
   * Takes a WebSocket upgrade: Origin check, then the handshake; a wrong path is closed with 1002 "Invalid path".
   * Also used by the site server, which forwards /kurento in workshop mode (one https origin for site and KMS).
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    if (!this.originAllowed(req)) {
      this.log.warn(`refused a WebSocket from ${remote}: Origin ${req.headers.origin ?? ''} is not allowed`);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nOrigin not allowed\n');
      return;
    }
    const pathname = (req.url ?? '/').split('?')[0]?.replace(/^\/+/, '') ?? '';
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (pathname !== this.options.path) {
        // Like KMS: accept the handshake, then close with a protocol error naming the problem.
        this.log.warn(`closed a WebSocket from ${remote}: path /${pathname} is not /${this.options.path}`);
        ws.close(INVALID_PATH_CLOSE.code, INVALID_PATH_CLOSE.reason);
        return;
      }
      const connection = new Connection(ws, this.dispatcher, this.sessions, this.log, remote);
      this.connections.add(connection);
      this.log.debug(`client connected from ${remote}`);
      ws.on('close', (code) => {
        this.connections.delete(connection);
        this.log.debug(`client ${remote} disconnected (code ${code})`);
      });
    });
  }

  async start(): Promise<void> {
    const onRequest = (_req: IncomingMessage, res: ServerResponse): void => {
      res.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' });
      res.end(`Kurento Labs embedded KMS: connect a Kurento client (WebSocket) to /${this.options.path}\n`);
    };
    const server = this.options.tls ? createHttpsServer(this.options.tls, onRequest) : createHttpServer(onRequest);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new Error(`port ${this.options.port} is already in use (is another KMS running?)`) : error),
      );
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) connection.close(1001, 'server shutting down');
    this.connections.clear();
    this.wss.close();
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}
