/**
 * The application servers of the three-tier labs, as one service of `npm start`: the TypeScript counterparts of
 * Kurento's Java tutorials hello-world (/helloworld), one2one-call (/call), one2many-call (/one2many) and group-call
 * (/groupcall), and Kurento Labs' RTP gateway (/rtpgateway, ffmpeg ⇄ RtpEndpoint). Browsers reach them with a WebSocket on the site's own origin (the site hands the upgrades over);
 * each app server drives KMS with its own kurento-client.
 */
import { originListed } from '../kms/protocol/transport';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Logger } from '../kms/logger';
import type { Service, ServiceHealth, ServiceUrl } from '../service';
import type { AppServer, BrowserSession } from './app-server';
import { GroupCallApp } from './group-call';
import { HelloWorldApp } from './hello-world';
import { One2ManyCallApp } from './one2many-call';
import { One2OneCallApp } from './one2one-call';
import { RtpGatewayApp } from './rtp-gateway';
import os from 'node:os';
import path from 'node:path';

/** Largest message a browser may send (SDP offers are a few kB). */
const MAX_PAYLOAD_BYTES = 1024 * 1024;

export interface AppServersOptions {
  /** The KMS the app servers use, e.g. ws://127.0.0.1:8888/kurento. */
  kmsUrl: string;
  /** A levelled logger (server/kms/logger), or a plain line writer that gets every line. */
  log: Logger | ((line: string) => void);
  /**
   * Origins whose pages may open the sockets: exact origins, `scheme://host:*` for any port, '*' for any. A request
   * without an Origin header (not a browser) is always accepted, as by the embedded KMS.
   */
  allowedOrigins?: readonly string[];
  /**
   * With a pool of KMS: the KMS assigned to the browser of an upgrade request (by its site cookie). What that browser
   * opens (a room, a call, a broadcast) is placed there; the members who join it later meet on the same KMS.
   */
  kmsForRequest?: (req: IncomingMessage) => string | undefined;
  /** Where the RTP gateway's ffmpeg records, and the site's path of that folder when the site serves it. */
  recordings?: { directory: string; downloadBase?: string };
}

function toLogger(log: Logger | ((line: string) => void)): Logger {
  if (typeof log !== 'function') return log;
  return { debug: () => undefined, info: (line) => log(line), warn: (line) => log(`warning: ${line}`), error: (line) => log(`error: ${line}`) };
}

function refuse(socket: Duplex, status: string, text: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\n`);
}

export class AppServers implements Service {
  readonly name = 'apps';
  /** The WebSocket paths, for `site.addUpgradeRoute`: /helloworld, /call, /one2many, /groupcall, /rtpgateway. */
  readonly paths: string[];
  private readonly apps: ReadonlyMap<string, AppServer<BrowserSession>>;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES, perMessageDeflate: false });
  private readonly log: Logger;
  private readonly kmsUrl: string;
  private readonly allowedOrigins: readonly string[];
  private readonly kmsForRequest: ((req: IncomingMessage) => string | undefined) | undefined;
  private running = false;

  constructor({ kmsUrl, log, allowedOrigins = [], kmsForRequest, recordings }: AppServersOptions) {
    if (!/^wss?:\/\/[^/]/.test(kmsUrl)) throw new Error(`the application servers need the KMS URL (ws:// or wss://), not "${kmsUrl}"`);
    this.log = toLogger(log);
    this.kmsUrl = kmsUrl;
    this.allowedOrigins = allowedOrigins;
    this.kmsForRequest = kmsForRequest;
    const options = { kmsUrl, log: this.log };
    const apps: Array<AppServer<BrowserSession>> = [
      new HelloWorldApp(options), new One2OneCallApp(options), new One2ManyCallApp(options), new GroupCallApp(options),
      new RtpGatewayApp({ ...options, recordings: recordings ?? { directory: path.join(os.tmpdir(), 'kurento-labs-rtp-gateway') } }),
    ];
    this.apps = new Map(apps.map((app) => [app.path, app]));
    this.paths = [...this.apps.keys()];
  }

  private originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    return originListed(origin, this.allowedOrigins);
  }

  /**
   * Takes a WebSocket upgrade for one of `paths` (query string allowed) and returns true; returns false, touching
   * nothing, for any other path.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pathname = url.pathname;
    const app = this.apps.get(pathname);
    if (!app) return false;
    const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    if (!this.running) {
      refuse(socket, '503 Service Unavailable', 'the application servers are not running');
    } else if (!this.originAllowed(req)) {
      this.log.warn(`refused a WebSocket to ${pathname} from ${remote}: Origin ${req.headers.origin ?? ''} is not allowed`);
      refuse(socket, '403 Forbidden', 'Origin not allowed');
    } else {
      const kmsTraffic = url.searchParams.get('kmsTraffic') === '1';
      const kmsUrl = this.kmsForRequest?.(req);
      this.wss.handleUpgrade(req, socket, head, (ws) => app.accept(ws, remote, { kmsTraffic, kmsUrl }));
    }
    return true;
  }

  async start(): Promise<void> {
    // Each app server connects its kurento-client on first use: a KMS that starts later (or restarts) is fine.
    this.running = true;
    this.log.info(`application servers on ${this.paths.join(', ')}, using KMS ${this.kmsUrl}`);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await Promise.all([...this.apps.values()].map((app) => app.stop()));
    for (const client of this.wss.clients) client.terminate();
  }

  async health(): Promise<ServiceHealth> {
    if (!this.running) return { ok: false, detail: 'not running' };
    const connections = [...this.apps.values()].map((app) => `${app.path} ${app.connections}`).join(', ');
    return { ok: true, detail: `application servers using KMS ${this.kmsUrl}; browser sockets: ${connections}` };
  }

  /** Per app path, how many browser sessions have their media on each KMS (by URL). */
  placements(): Record<string, Record<string, number>> {
    const result: Record<string, Record<string, number>> = {};
    for (const [appPath, app] of this.apps) result[appPath] = Object.fromEntries(app.placements());
    return result;
  }

  /** The paths live on the site's origin, which prints its own URL. */
  urls(): ServiceUrl[] {
    return [];
  }
}
