/**
 * The embedded KMS-compatible server: KMD object model + Kurento protocol over WebSocket. `npm run kms` runs it alone;
 * server/main.ts runs it inside `npm start`; the tests start one per suite.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Service, ServiceHealth, ServiceUrl } from '../service';
import { defaultKmsConfig, reachOf, type KmsConfig } from './config';
import { hostAddresses } from './media/webrtc-session';
import { createLogger, type Logger } from './logger';
import { KmdRegistry } from './objects/kmd';
import type { MediaObjectSet } from './objects/object-set';
import { ObjectRegistry } from './objects/registry';
import { prepareMediaDirectory } from './objects/uri';
import { SERVER_MANAGER_ID } from './objects/ServerManager';
import { ProtocolDispatcher } from './protocol/dispatcher';
import { SessionStore, type Session } from './protocol/sessions';
import { KmsTransport } from './protocol/transport';
import { HttpEndpointServer } from './objects/HttpEndpointServer';
import { WorkerPool } from './workers/pool';

let sharedKmd: KmdRegistry | undefined;

export class KmsServer implements Service {
  readonly name = 'kms';
  readonly config: KmsConfig;
  readonly log: Logger;
  readonly sessions: SessionStore;
  /** The media objects: in this thread, or on worker threads (config.workers). */
  readonly registry: MediaObjectSet;
  /** The worker threads, when config.workers > 0. */
  readonly pool: WorkerPool | undefined;
  readonly dispatcher: ProtocolDispatcher;
  private readonly transport: KmsTransport;
  /** The URLs of HttpEndpoints, served on the KMS port (and through the site in workshop mode: handleHttp). */
  readonly httpEndpoints: HttpEndpointServer;
  private started = false;

  constructor(config: Partial<KmsConfig> = {}, log?: Logger) {
    const merged = { ...defaultKmsConfig(), ...config };
    const reach = reachOf(merged);
    // Reachable from the network: clients from other machines without an allowed Origin need a token; make one.
    const accessToken = merged.accessToken ?? (reach === 'network' ? randomBytes(18).toString('base64url') : undefined);
    this.config = { ...merged, reach, ...(accessToken ? { accessToken } : {}) };
    this.log = log ?? createLogger('kms');
    sharedKmd ??= KmdRegistry.fromNodeModules();
    this.sessions = new SessionStore({
      garbageCollectorPeriod: this.config.garbageCollectorPeriod,
      releaseOrphans: async (ids) => {
        for (const id of ids) await this.registry.release(id).catch((error: unknown) => this.log.warn(`GC release of ${id} failed: ${String(error)}`));
      },
      log: (message) => this.log.info(message),
    });
    this.httpEndpoints = new HttpEndpointServer(() => this.config.httpAnnouncedBase ?? this.httpBase);
    const sessionIds = (): string[] => this.sessions.ids();
    this.pool = this.config.workers > 0 ? new WorkerPool(sharedKmd, this.config, this.log, sessionIds, this.httpEndpoints, this.config.workers, this.config.placement) : undefined;
    this.registry = this.pool ?? new ObjectRegistry(sharedKmd, this.config, this.log, sessionIds, this.httpEndpoints);
    this.dispatcher = new ProtocolDispatcher(this.registry, this.sessions);
    this.transport = new KmsTransport(
      {
        host: this.config.host,
        port: this.config.port,
        path: this.config.path,
        allowedOrigins: this.config.allowedOrigins,
        maxFrameBytes: this.config.maxFrameBytes,
        tls: this.config.tls,
        ...(this.config.accessToken ? { accessToken: this.config.accessToken } : {}),
        httpHandler: (req, res) => this.httpEndpoints.handle(req, res),
      },
      this.dispatcher,
      this.sessions,
      this.log,
    );
    this.registry.onRelease((id) => this.sessions.forgetObject(id));
    this.registry.onEvent((source, event, data, requester) => {
      const sessions = this.sessions
        .all()
        .filter((session) => session.isSubscribed(source, event) && session.connection?.open && (!session.scoped || visibleTo(session, source, data, requester)));
      if (sessions.length === 0) return;
      const text = JSON.stringify({ jsonrpc: '2.0', method: 'onEvent', params: { value: { data, object: source, type: event } } });
      for (const session of sessions) session.connection?.sendEvent(text);
    });
  }

  /** Addresses the media sockets listen on and their candidates carry (unless an endpoint sets networkInterfaces). */
  get mediaAddresses(): { addresses: string[]; bind: string | undefined } {
    const { addresses, bind } = hostAddresses(this.config.networkInterfaces, os.networkInterfaces(), this.config.reach);
    return { addresses: this.config.externalIPv4 ? [this.config.externalIPv4, ...addresses] : addresses, bind };
  }

  /** Lets another HTTP(S) server (the site in workshop mode) hand WebSocket upgrades for /kurento to this KMS. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.transport.handleUpgrade(req, socket, head);
  }

  /**
   * Lets another HTTP(S) server (the site) serve the HttpEndpoint URLs, /kurento-http/…; false for other paths.
   */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean {
    return this.httpEndpoints.handle(req, res);
  }

  /** Where the KMS port answers plain HTTP: its address (a LAN one when it listens on every interface) and port. */
  private get httpBase(): string {
    const { port } = this.transport.address;
    let host = this.config.host;
    if (host === '0.0.0.0' || host === '::') host = this.config.reach === 'network' ? (this.mediaAddresses.addresses.find((address) => !address.startsWith('127.')) ?? '127.0.0.1') : '127.0.0.1';
    return `${this.config.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /** The URL clients use, e.g. ws://127.0.0.1:8888/kurento. */
  get url(): string {
    const { port } = this.transport.address;
    const host = this.config.host === '0.0.0.0' || this.config.host === '::' ? '127.0.0.1' : this.config.host;
    return `${this.config.tls ? 'wss' : 'ws'}://${host.includes(':') ? `[${host}]` : host}:${port}/${this.config.path}`;
  }

  get port(): number {
    return this.transport.address.port;
  }

  async start(): Promise<void> {
    if (this.started) return;
    prepareMediaDirectory(this.config.mediaDirectory);
    await this.transport.start();
    try {
      await this.pool?.start(this.config.httpAnnouncedBase ?? this.httpBase);
    } catch (error) {
      await this.transport.stop();
      throw error;
    }
    this.sessions.start();
    this.started = true;
    this.log.info(`embedded KMS listening on ${this.url} (${this.config.host === '127.0.0.1' ? 'loopback only' : `bound to ${this.config.host}`})`);
    const media = hostAddresses(this.config.networkInterfaces, os.networkInterfaces(), this.config.reach);
    this.log.info(
      `media: UDP sockets bound to ${media.bind ?? 'every interface (0.0.0.0)'}; host candidates carry ${media.addresses.join(', ')}` +
        `${this.config.externalIPv4 ? ` (announced as ${this.config.externalIPv4})` : ''}` +
        `${this.config.minPort && this.config.maxPort ? `, ports ${this.config.minPort}-${this.config.maxPort}` : ''}`,
    );
    if (this.config.reach === 'network') {
      this.log.info(
        `reachable from the network: pages from other machines need an allowed Origin and see only their own objects; other clients need the access token (${this.config.path}?token=…); http(s) player sources on private addresses are ${this.config.allowPrivateSources ? 'allowed' : 'refused'}`,
      );
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.sessions.stop();
    await this.transport.stop();
    await this.registry.releaseAll();
    await this.pool?.stop();
  }

  async health(): Promise<ServiceHealth> {
    return this.started
      ? { ok: true, detail: `${this.registry.all().length - 1} media objects, ${this.transport.connectionCount} connections` }
      : { ok: false, detail: 'not started' };
  }

  urls(): ServiceUrl[] {
    return [{ label: 'Embedded KMS', url: this.url }];
  }
}

/**
 * Whether an event may reach a scoped session: the ServerManager's ObjectCreated / ObjectDestroyed only for objects
 * of that session (raised by its own `create`, or an object it holds); events of its own objects always.
 */
function visibleTo(session: Session, source: string, data: Record<string, unknown>, requester: unknown): boolean {
  if (source !== SERVER_MANAGER_ID) return true;
  const id = typeof data.object === 'string' ? data.object : typeof data.objectId === 'string' ? data.objectId : undefined;
  return id !== undefined && (requester === session || session.refs.has(id));
}
