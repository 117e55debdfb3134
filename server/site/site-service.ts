import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Service, ServiceHealth, ServiceUrl } from '../service';
import { buildSite, buildState } from './build';
import { createStaticHandler } from './static-files';

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface SiteServiceOptions {
  root: string;
  buildDir: string;
  host: string;
  port: number;
  /** PEM certificate and key: serve https (workshop mode). */
  tls?: { cert: string; key: string };
  /** The address people open, when it differs from host:port (0.0.0.0 binds, a LAN address is what attendees use). */
  publicHost?: string;
  /** Host names (not addresses) this site may be opened by, e.g. a workshop machine's mDNS name. */
  allowedHosts?: string[];
  log: (line: string) => void;
}

/**
 * Serves the production build of the site, building it first when it is missing or older than its sources, and
 * hosts the small run-time endpoints (`/labs-runtime.json`) and the WebSocket paths other services attach.
 */
export class SiteService implements Service {
  readonly name = 'site';
  private server: Server | undefined;
  private readonly upgrades = new Map<string, UpgradeHandler>();
  private readonly folders = new Map<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>();
  private runtimeConfig: (req: IncomingMessage, res: ServerResponse) => Record<string, unknown> = () => ({});
  private readonly guards = new Map<string, (req: IncomingMessage, res: ServerResponse) => boolean>();
  private pageHook: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;

  constructor(private readonly options: SiteServiceOptions) {}

  /** The port the site listens on (the configured one, or the one given for port 0). */
  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : this.options.port;
  }

  get origin(): string {
    const scheme = this.options.tls ? 'https' : 'http';
    const host = this.options.publicHost ?? (this.options.host === '0.0.0.0' ? '127.0.0.1' : this.options.host);
    return `${scheme}://${host}:${this.options.port}`;
  }

  /**
   * Values the labs read at run time (KMS URL, ICE servers, TURN, application servers): computed for each request, so
   * what a page learns is the live state (a TURN server that went away and came back, fresh TURN credentials).
   */
  setRuntimeConfig(config: Record<string, unknown> | ((req: IncomingMessage, res: ServerResponse) => Record<string, unknown>)): void {
    this.runtimeConfig = typeof config === 'function' ? config : () => config;
  }

  /**
   * Whether a request's Host is one this site is served as: a literal address, localhost, or a name given with
   * --allow-host. A page of another site that rebinds its own name to this machine (DNS rebinding) sends its own
   * name, so it cannot read the run-time values (which carry TURN credentials).
   */
  hostAllowed(hostHeader: string | undefined): boolean {
    if (!hostHeader) return false;
    let hostname: string;
    try {
      hostname = new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return false;
    }
    if (hostname === 'localhost' || isIP(hostname) !== 0) return true;
    return (this.options.allowedHosts ?? []).includes(hostname.toLowerCase());
  }

  /** Serves the files of `directory` (read-only, confined to it) under the URL prefix `prefix` (e.g. /kms-media/). */
  addFolder(prefix: string, directory: string): void {
    const serve = createStaticHandler(directory, { notFoundPage: false });
    this.folders.set(prefix, (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      req.url = `/${url.pathname.slice(prefix.length)}`;
      return serve(req, res);
    });
  }

  /** Serves the requests whose path starts with `prefix` with `handler` (the embedded KMS's HttpEndpoint URLs). */
  addHandler(prefix: string, handler: (req: IncomingMessage, res: ServerResponse) => void): void {
    this.folders.set(prefix, async (req, res) => handler(req, res));
  }

  /**
   * Pages (exact URL paths, e.g. /trainer) that `guard` lets through or answers itself (returning false): the
   * trainer dashboard needs the trainer token.
   */
  addPageGuard(paths: readonly string[], guard: (req: IncomingMessage, res: ServerResponse) => boolean): void {
    for (const pagePath of paths) this.guards.set(pagePath, guard);
  }

  /**
   * Called for each request of a page (a path without a file extension, or .html) before it is served: it may set
   * headers, e.g. a workshop attendee's cookie, so that the page's own requests carry it from the start.
   */
  setPageHook(hook: (req: IncomingMessage, res: ServerResponse) => void): void {
    this.pageHook = hook;
  }

  /** Routes WebSocket upgrades for `path` (exact match, query string allowed) to `handler`. */
  addUpgradeRoute(path: string, handler: UpgradeHandler): void {
    this.upgrades.set(path, handler);
  }

  async start(): Promise<void> {
    const { root, buildDir, log } = this.options;
    const state = await buildState(root, buildDir);
    if (!state.fresh) {
      log(`building the site (${state.reason}); this takes about a minute on a 2-core machine…`);
      await buildSite(root, buildDir, log);
    }
    const serveStatic = createStaticHandler(buildDir, { publicPrefixes: ['/media/'], versionedPrefixes: ['/vendor/'] });
    const handle = (req: IncomingMessage, res: ServerResponse): void => {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (pathname === '/labs-runtime.json') {
        if (!this.hostAllowed(req.headers.host)) {
          res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Open this site by its address (or start it with --allow-host NAME)\n');
          return;
        }
        const config = this.runtimeConfig(req, res);
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify(config));
        return;
      }
      const guard = this.guards.get(pathname.replace(/\/index\.html$|\.html$|\/$/, ''));
      if (guard && !guard(req, res)) return;
      const isPage = /(^|\/)[^./]*$|\.html$/.test(pathname) && !/^\/(workshop|kurento-http|kms-media)\//.test(pathname);
      if (this.pageHook && req.method === 'GET' && isPage) this.pageHook(req, res);
      const folder = [...this.folders].find(([prefix]) => pathname.startsWith(prefix));
      (folder ? folder[1](req, res) : serveStatic(req, res)).catch((error: unknown) => {
        log(`error serving ${pathname}: ${String(error)}`);
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    };
    const server = this.options.tls ? createHttpsServer(this.options.tls, handle) : createHttpServer(handle);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      const handler = this.upgrades.get(pathname);
      if (handler) handler(req, socket, head);
      else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(`port ${this.options.port} is already in use: stop the other program or start with --port N`)
            : error,
        );
      });
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async health(): Promise<ServiceHealth> {
    return this.server?.listening
      ? { ok: true, detail: `serving the site at ${this.origin}` }
      : { ok: false, detail: 'not listening' };
  }

  urls(): ServiceUrl[] {
    return [
      { label: 'Site (English)', url: `${this.origin}/` },
      { label: 'Site (简体中文)', url: `${this.origin}/zh-Hans/` },
    ];
  }
}
