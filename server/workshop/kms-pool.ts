/**
 * A pool of KMS servers for a workshop (`KMS_URL=ws://a:8888/kurento,ws://b:8888/kurento` or `--kms URL` repeated):
 * - each KMS is polled with kurento-client (ServerManager.getUsedCpu and getPipelines); one that does not answer
 *   leaves the pool (with a notice for the trainer dashboard) and returns when it answers again;
 * - each attendee (their site cookie) is assigned one KMS, sticky while it stays in the pool, chosen by load;
 * - attendees' pages reach their KMS through the site (wss://<site>/kurento, forwarded to the assigned KMS), so one
 *   certificate and one origin serve the whole pool and the KMS ports need not be open to the LAN;
 * - the application servers place each room or call on one KMS (server/apps), using the assignment of the browser
 *   that opens it.
 * The pool is not a media cluster: a pipeline lives on one KMS, as in any Kurento deployment.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import kurentoClient, { type KurentoClient, type ServerManager } from 'kurento-client';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import { call } from '../../core/kurento';
import type { Localized } from '../../core/localized';
import type { KmsView } from '../../core/workshop';
import type { Service, ServiceHealth, ServiceUrl } from '../service';

/** What the assignment rule sees of one KMS. */
export interface KmsLoad {
  url: string;
  up: boolean;
  /** Percent of CPU in use (ServerManager.getUsedCpu), when known. */
  cpu?: number;
  pipelines?: number;
  /** Attendees assigned to it. */
  attendees: number;
}

/**
 * The assignment rule: among the KMS in the pool, the one with the lowest score, where
 *   score = attendees assigned + pipelines / 2 + CPU percent / 25
 * (attendees count at once, before their pipelines exist; 100 % CPU weighs as much as four attendees). Ties go to the
 * first in the list. Undefined when no KMS is in the pool.
 */
export function chooseKms(loads: readonly KmsLoad[]): string | undefined {
  let best: { url: string; score: number } | undefined;
  for (const load of loads) {
    if (!load.up) continue;
    const score = load.attendees + (load.pipelines ?? 0) / 2 + (load.cpu ?? 0) / 25;
    if (!best || score < best.score) best = { url: load.url, score };
  }
  return best?.url;
}

/** Parses KMS_URL (comma-separated) and --kms (repeated) into a list of distinct ws:// or wss:// URLs. */
export function parseKmsList(env: string | undefined, args: readonly string[] = []): string[] {
  const urls = [...(env ?? '').split(','), ...args.flatMap((arg) => arg.split(','))].map((url) => url.trim()).filter(Boolean);
  for (const url of urls) if (!/^wss?:\/\/[^/]/.test(url)) throw new Error(`a KMS URL must start with ws:// or wss://, not "${url}"`);
  return [...new Set(urls)];
}

interface Member {
  url: string;
  up: boolean;
  cpu?: number;
  pipelines?: number;
  message?: string;
  since: number;
  client?: KurentoClient;
  /** Whether it was ever polled (a KMS that never answered is reported once, not as "left"). */
  polled: boolean;
}

export interface KmsPoolOptions {
  urls: readonly string[];
  log: (line: string) => void;
  /** The pool's state changed (load figures, a KMS left or came back, assignments). */
  onChange?: (views: KmsView[]) => void;
  /** A line for the trainer dashboard. */
  onNotice?: (text: Localized) => void;
  /** Called when an attendee is assigned a KMS. */
  onAssign?: (attendee: string, url: string) => void;
  pollMs?: number;
  /** Origins whose pages may open /kurento through the site. */
  allowedOrigins: readonly string[];
}

const POLL_TIMEOUT_MS = 4000;
const MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** Browser frames buffered while the connection to the KMS opens. */
const MAX_EARLY_FRAMES = 64;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

export class KmsPool implements Service {
  readonly name = 'kms-pool';
  private readonly members: Member[];
  private readonly assignments = new Map<string, string>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private polling: Promise<void> | undefined;

  constructor(private readonly options: KmsPoolOptions) {
    if (options.urls.length === 0) throw new Error('a KMS pool needs at least one KMS URL');
    this.members = options.urls.map((url) => ({ url, up: false, since: Date.now(), polled: false }));
  }

  get kmsUrls(): string[] {
    return this.members.map((member) => member.url);
  }

  /** The KMS of `attendee` (a cookie value): the one assigned, while it is in the pool; else a new choice. */
  assign(attendee: string | undefined): string | undefined {
    if (attendee) {
      const current = this.assignments.get(attendee);
      if (current && this.members.some((member) => member.url === current && member.up)) return current;
    }
    const url = chooseKms(this.loads());
    if (attendee && url) {
      this.assignments.set(attendee, url);
      this.options.onAssign?.(attendee, url);
      this.changed();
    }
    return url;
  }

  /** The KMS assigned to `attendee`, without assigning one. */
  assigned(attendee: string): string | undefined {
    return this.assignments.get(attendee);
  }

  loads(): KmsLoad[] {
    const counts = new Map<string, number>();
    for (const url of this.assignments.values()) counts.set(url, (counts.get(url) ?? 0) + 1);
    return this.members.map((member) => ({
      url: member.url,
      up: member.up,
      ...(member.cpu === undefined ? {} : { cpu: member.cpu }),
      ...(member.pipelines === undefined ? {} : { pipelines: member.pipelines }),
      attendees: counts.get(member.url) ?? 0,
    }));
  }

  views(): KmsView[] {
    return this.loads().map((load) => {
      const member = this.members.find((candidate) => candidate.url === load.url);
      return { ...load, since: member?.since ?? 0, ...(member?.message ? { message: member.message } : {}) };
    });
  }

  private changed(): void {
    this.options.onChange?.(this.views());
  }

  /** Polls every KMS once (all at once); resolves when each answered or timed out. */
  pollNow(): Promise<void> {
    this.polling ??= Promise.all(this.members.map((member) => this.poll(member))).then(() => {
      this.polling = undefined;
      this.changed();
    });
    return this.polling;
  }

  private async poll(member: Member): Promise<void> {
    try {
      const client = member.client ?? (member.client = await withTimeout(call<KurentoClient>((done) => kurentoClient(member.url, { failAfter: 1 }, done)), POLL_TIMEOUT_MS, `connecting to ${member.url}`));
      const manager = await withTimeout(call<ServerManager>((done) => client.getServerManager(done)), POLL_TIMEOUT_MS, 'getServerManager');
      const [cpu, pipelines] = await withTimeout(
        Promise.all([call<number>((done) => manager.getUsedCpu(500, done)), call<unknown[]>((done) => manager.getPipelines(done as (error: unknown, value: unknown[]) => void))]),
        POLL_TIMEOUT_MS,
        'ServerManager figures',
      );
      member.cpu = Number(cpu);
      member.pipelines = pipelines.length;
      if (!member.up) {
        member.up = true;
        member.since = Date.now();
        delete member.message;
        if (member.polled) {
          this.options.log(`KMS ${member.url} answers again: back in the pool`);
          this.options.onNotice?.({ en: `${member.url} answers again: it is back in the pool.`, 'zh-Hans': `${member.url} 重新应答：已回到池中。` });
        } else this.options.log(`KMS ${member.url} is in the pool`);
      }
    } catch (error) {
      const reason = describe(error);
      const client = member.client;
      member.client = undefined;
      try {
        client?.close();
      } catch {
        // already closed
      }
      if (member.up || !member.polled) {
        member.up = false;
        member.since = Date.now();
        member.message = reason;
        delete member.cpu;
        delete member.pipelines;
        // Its attendees get another KMS on their next page load or connection.
        for (const [attendee, url] of this.assignments) if (url === member.url) this.assignments.delete(attendee);
        this.options.log(`KMS ${member.url} left the pool: ${reason}`);
        this.options.onNotice?.({
          en: `${member.url} does not answer (${reason}): it left the pool; new attendees and new connections go to the other KMS.`,
          'zh-Hans': `${member.url} 没有应答（${reason}）：已移出池；新学员和新连接会分配到其他 KMS。`,
        });
      }
    } finally {
      member.polled = true;
    }
  }

  async start(): Promise<void> {
    this.running = true;
    await this.pollNow();
    const up = this.members.filter((member) => member.up).length;
    this.options.log(`KMS pool: ${up} of ${this.members.length} answer (${this.kmsUrls.join(', ')})`);
    const loop = (): void => {
      if (!this.running) return;
      void this.pollNow().finally(() => {
        if (this.running) this.timer = setTimeout(loop, this.options.pollMs ?? 2000);
      });
    };
    this.timer = setTimeout(loop, this.options.pollMs ?? 2000);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.polling?.catch(() => undefined);
    for (const member of this.members) {
      try {
        member.client?.close();
      } catch {
        // already closed
      }
      member.client = undefined;
    }
    for (const client of this.wss.clients) client.terminate();
  }

  async health(): Promise<ServiceHealth> {
    const up = this.members.filter((member) => member.up);
    return { ok: up.length > 0, detail: `KMS pool: ${up.length} of ${this.members.length} in the pool` };
  }

  urls(): ServiceUrl[] {
    return this.members.map((member, index) => ({ label: `KMS pool #${index + 1}`, url: member.url }));
  }

  /**
   * A browser's WebSocket to /kurento: forwarded, frame by frame, to the KMS assigned to `attendee` (text stays text).
   * Either side closing closes the other.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, attendee: string | undefined, remoteIsLoopback: boolean): void {
    const origin = req.headers.origin;
    if (origin === undefined ? !remoteIsLoopback : !this.options.allowedOrigins.includes(origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOrigin not allowed\n');
      return;
    }
    const url = this.assign(attendee);
    if (!url) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNo KMS of the pool answers\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (browser) => this.bridge(browser, url));
  }

  private bridge(browser: WebSocket, url: string): void {
    const upstream = new WebSocket(url, { perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });
    const early: Array<{ data: RawData; binary: boolean }> = [];
    const closeBoth = (code: number, reason: string): void => {
      if (browser.readyState === WebSocket.OPEN || browser.readyState === WebSocket.CONNECTING) browser.close(code, reason);
      if (upstream.readyState === WebSocket.OPEN) upstream.close(code === 1006 || code === 1005 ? 1000 : code, reason);
      else if (upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
    };
    browser.on('message', (data, binary) => {
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary });
      else if (early.length < MAX_EARLY_FRAMES) early.push({ data, binary });
      else closeBoth(1008, 'too many frames before the KMS answered');
    });
    upstream.on('open', () => {
      for (const frame of early.splice(0)) upstream.send(frame.data, { binary: frame.binary });
    });
    upstream.on('message', (data, binary) => {
      if (browser.readyState === WebSocket.OPEN) browser.send(data, { binary });
    });
    const safeCode = (code: number): number => (code >= 1000 && code <= 4999 && code !== 1005 && code !== 1006 ? code : 1011);
    browser.on('close', (code) => closeBoth(safeCode(code), 'browser closed'));
    upstream.on('close', (code) => closeBoth(safeCode(code), `KMS ${url} closed the connection`));
    upstream.on('error', (error) => {
      this.options.log(`KMS ${url}: ${error.message}`);
      closeBoth(1011, `KMS ${url} is not reachable`);
    });
    browser.on('error', () => closeBoth(1011, 'browser socket error'));
  }
}
