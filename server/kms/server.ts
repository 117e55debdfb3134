/**
 * The embedded KMS-compatible server: KMD object model + Kurento protocol over WebSocket. `npm run kms` runs it alone;
 * server/main.ts runs it inside `npm start`; the tests start one per suite.
 */
import { mkdirSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Service, ServiceHealth, ServiceUrl } from '../service';
import { defaultKmsConfig, type KmsConfig } from './config';
import { createLogger, type Logger } from './logger';
import { KmdRegistry } from './objects/kmd';
import { ObjectRegistry } from './objects/registry';
import { ProtocolDispatcher } from './protocol/dispatcher';
import { SessionStore } from './protocol/sessions';
import { KmsTransport } from './protocol/transport';

let sharedKmd: KmdRegistry | undefined;

export class KmsServer implements Service {
  readonly name = 'kms';
  readonly config: KmsConfig;
  readonly log: Logger;
  readonly sessions: SessionStore;
  readonly registry: ObjectRegistry;
  readonly dispatcher: ProtocolDispatcher;
  private readonly transport: KmsTransport;
  private started = false;

  constructor(config: Partial<KmsConfig> = {}, log?: Logger) {
    this.config = { ...defaultKmsConfig(), ...config };
    this.log = log ?? createLogger('kms');
    sharedKmd ??= KmdRegistry.fromNodeModules();
    this.sessions = new SessionStore({
      garbageCollectorPeriod: this.config.garbageCollectorPeriod,
      releaseOrphans: async (ids) => {
        for (const id of ids) await this.registry.release(id).catch((error: unknown) => this.log.warn(`GC release of ${id} failed: ${String(error)}`));
      },
      log: (message) => this.log.info(message),
    });
    this.registry = new ObjectRegistry(sharedKmd, this.config, this.log, () => this.sessions.ids());
    this.dispatcher = new ProtocolDispatcher(this.registry, this.sessions);
    this.transport = new KmsTransport(
      {
        host: this.config.host,
        port: this.config.port,
        path: this.config.path,
        allowedOrigins: this.config.allowedOrigins,
        maxFrameBytes: this.config.maxFrameBytes,
        tls: this.config.tls,
      },
      this.dispatcher,
      this.sessions,
      this.log,
    );
    this.registry.onRelease((id) => this.sessions.forgetObject(id));
    this.registry.onEvent((source, event, data) => {
      const sessions = this.sessions.all().filter((session) => session.isSubscribed(source.id, event) && session.connection?.open);
      if (sessions.length === 0) return;
      const text = JSON.stringify({
        jsonrpc: '2.0',
        method: 'onEvent',
        params: { value: { data: this.registry.kmd.marshalEvent(event, data), object: source.id, type: event } },
      });
      for (const session of sessions) session.connection?.sendEvent(text);
    });
  }

  /** Lets another HTTP(S) server (the site in workshop mode) hand WebSocket upgrades for /kurento to this KMS. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.transport.handleUpgrade(req, socket, head);
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
    mkdirSync(this.config.mediaDirectory, { recursive: true });
    await this.transport.start();
    this.sessions.start();
    this.started = true;
    this.log.info(`embedded KMS listening on ${this.url} (${this.config.host === '127.0.0.1' ? 'loopback only' : `bound to ${this.config.host}`})`);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.sessions.stop();
    await this.transport.stop();
    await this.registry.releaseAll();
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
