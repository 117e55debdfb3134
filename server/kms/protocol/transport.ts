/**
 * The WebSocket side of the embedded KMS: one HTTP(S) server, WebSocket upgrades on the configured path only,
 * Origin checks, a frame size limit, and one Connection per socket that runs its requests in order.
 */
import { timingSafeEqual } from 'node:crypto';
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
  /** Browser origins let in; `*` lets any in, and `http://127.0.0.1:*` any port of that origin. */
  allowedOrigins: string[];
  maxFrameBytes: number;
  tls?: { cert: string; key: string };
  /** Lets clients from other machines in without an allowed Origin (trainers' scripts, labs:check). */
  accessToken?: string;
  /** Plain HTTP requests the KMS serves besides the WebSocket (HttpEndpoint URLs); returns false when not its own. */
  httpHandler?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** Who a connection is, as far as the server can tell: this decides what it may see. */
export type Admission =
  | { ok: true; by: 'local' | 'origin' | 'token'; scoped: boolean }
  | { ok: false; status: 401 | 403; reason: string };

/** A loopback address as Node reports a peer's: 127.x.x.x, ::1, or IPv4-mapped 127.x.x.x. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return /^(::ffff:)?127\./.test(address) || address === '::1';
}

/** Whether `origin` is in the allow-list: exact entries, `*`, and `scheme://host:*` for any port of that host. */
export function originListed(origin: string, allowed: readonly string[]): boolean {
  for (const entry of allowed) {
    if (entry === '*' || entry === origin) return true;
    if (entry.endsWith(':*') && origin.startsWith(entry.slice(0, -1)) && /^\d{1,5}$/.test(origin.slice(entry.length - 1))) return true;
  }
  return false;
}

/** The token a client presents: `?token=` in the URL, or an `Authorization: Bearer` header. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header === 'string' && /^Bearer\s+/i.test(header)) return header.replace(/^Bearer\s+/i, '').trim();
  const query = (req.url ?? '').split('?')[1];
  return query === undefined ? undefined : (new URLSearchParams(query).get('token') ?? undefined);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The WebSocket close code and reason KMS uses for a wrong path (websocketpp protocol_error). */
export const INVALID_PATH_CLOSE = { code: 1002, reason: 'Invalid path' } as const;

let nextConnectionSerial = 1;

class Connection implements EventSink {
  private queue: Promise<void> = Promise.resolve();
  private session: Session | undefined;
  readonly serial = nextConnectionSerial++;

  constructor(
    private readonly socket: WebSocket,
    private readonly dispatcher: ProtocolDispatcher,
    private readonly sessions: SessionStore,
    private readonly log: Logger,
    readonly remote: string,
    readonly scoped: boolean,
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

  private originAllowed(origin: string, req: IncomingMessage): boolean {
    if (originListed(origin, this.options.allowedOrigins)) return true;
    // Some non-browser clients (the Java kurento-client) send the server's own address as Origin. No web page can have
    // that origin — the KMS port serves no pages. Only literal addresses count, so a DNS-rebinding page (whose Origin
    // and Host both carry the attacker's name) stays refused.
    const host = req.headers.host ?? '';
    const literal = /^(127\.0\.0\.1|localhost|\[::1\]|\d{1,3}(\.\d{1,3}){3}):\d+$/.test(host);
    return literal && (origin === `http://${host}` || origin === `https://${host}`);
  }

  /**
   * Who may open a connection:
   * - the access token (`?token=…` or `Authorization: Bearer …`) lets anyone in, with the view of the whole server;
   * - a client on this machine without an Origin (kurento-client in Node: application servers, tests, benches);
   * - a browser page whose Origin is allowed. From another machine such a page is scoped: it sees and drives only what
   *   its own session created. An Origin header is easy to forge outside a browser, so it grants no more than what
   *   any attendee's page may do;
   * - nothing else: a client from another machine without an Origin needs the token.
   */
  admit(req: IncomingMessage): Admission {
    const token = presentedToken(req);
    const expected = this.options.accessToken;
    if (token !== undefined && token !== '') {
      if (expected && sameSecret(token, expected)) return { ok: true, by: 'token', scoped: false };
      return { ok: false, status: 401, reason: 'wrong access token' };
    }
    const local = isLoopbackAddress(req.socket.remoteAddress);
    const origin = req.headers.origin;
    if (origin === undefined) {
      // Node clients (kurento-client in an application server) send no Origin; browsers always do.
      if (local) return { ok: true, by: 'local', scoped: false };
      return { ok: false, status: 401, reason: 'clients from other machines need the access token (?token=… in the URL) or an allowed browser Origin' };
    }
    if (!this.originAllowed(origin, req)) return { ok: false, status: 403, reason: `Origin ${origin} is not allowed` };
    return { ok: true, by: 'origin', scoped: !local };
  }

  /**
   * Takes a WebSocket upgrade: Origin check, then the handshake; a wrong path is closed with 1002 "Invalid path".
   * Also used by the site server, which forwards /kurento in workshop mode (one https origin for site and KMS).
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const admission = this.admit(req);
    if (!admission.ok) {
      this.log.warn(`refused a WebSocket from ${remote}: ${admission.reason}`);
      const status = admission.status === 401 ? '401 Unauthorized' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${admission.reason}\n`);
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
      const connection = new Connection(ws, this.dispatcher, this.sessions, this.log, remote, admission.scoped);
      this.connections.add(connection);
      this.log.debug(`client connected from ${remote} (${admission.by}${admission.scoped ? ', scoped to its own objects' : ''})`);
      ws.on('close', (code) => {
        this.connections.delete(connection);
        this.log.debug(`client ${remote} disconnected (code ${code})`);
      });
    });
  }

  async start(): Promise<void> {
    // A plain GET answers what a browser cannot learn from a refused WebSocket: whether its page's Origin would be let
    // in. The labs ask it (CORS allows any page to read it) to tell "refused this page" from "nothing listens".
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      if (this.options.httpHandler?.(req, res)) return;
      const origin = req.headers.origin;
      res.writeHead(426, { 'Content-Type': 'application/json; charset=utf-8', Upgrade: 'websocket', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' });
      res.end(
        `${JSON.stringify({
          server: 'kurento-labs-embedded-kms',
          message: `connect a Kurento client (WebSocket) to /${this.options.path}`,
          path: `/${this.options.path}`,
          ...(origin ? { origin, originAllowed: this.originAllowed(origin, req) } : {}),
        })}\n`,
      );
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
