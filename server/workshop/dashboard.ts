/**
 * The trainer dashboard's server side (workshop mode only): attendees' pages post each lab run's progress
 * (POST /workshop/report, validated, bounded, rate-limited per attendee), the trainer's page follows every attendee
 * live (GET /workshop/trainer/events, server-sent events) and broadcasts a banner that attendees' pages receive
 * (GET /workshop/events). Attendees are known by an unguessable cookie the site sets; the trainer by a cookie that
 * opening /trainer?token=<trainer token> sets. The state (attendees, their latest run of each lab, the banner) is
 * written to a small JSON file, debounced, and read back on the next start without the runs that were under way.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import {
  BANNER_MAX,
  REPORT_BURST,
  REPORT_LIMITS,
  REPORT_RATE,
  RateLimiter,
  ReportError,
  validateReport,
  type AttendeeView,
  type DashboardSnapshot,
  type KmsView,
  type LabCell,
  type ProgressReport,
} from '../../core/workshop';
import type { Localized } from '../../core/localized';
import type { Service, ServiceHealth, ServiceUrl } from '../service';

export const ATTENDEE_COOKIE = 'kl_attendee';
export const TRAINER_COOKIE = 'kl_trainer';
/** Attendees the dashboard keeps at most (a class is tens; this bounds memory against a script making cookies). */
const MAX_ATTENDEES = 500;
/** Labs one attendee's record keeps at most (lab ids come from the page). */
const MAX_LABS_PER_ATTENDEE = 64;
/** Trainer pages get attendee changes batched at most this often. */
const PUSH_INTERVAL_MS = 200;
const SAVE_DEBOUNCE_MS = 1000;
const SSE_KEEPALIVE_MS = 20_000;
const MAX_NOTICES = 50;
/** Server-push streams open at once (attendees' pages and trainers'): a class is tens, each page has one. */
const MAX_STREAMS = 2000;
const STATE_VERSION = 1;

interface Attendee extends AttendeeView {
  /** The cookie value: the attendee's identity (never sent to the dashboard). */
  secret: string;
}

export interface WorkshopOptions {
  /** The JSON file the state is kept in (var/workshop-<port>/state.json). */
  stateFile: string;
  /** The trainer token; made (and kept next to the state) when not given. */
  trainerToken?: string;
  /** Origins whose pages may post (the site's own). */
  origins: readonly string[];
  log: (line: string) => void;
  now?: () => number;
  /** Attendees' pages report their lab runs (workshop mode, https); otherwise only the KMS pool uses the cookie. */
  reports?: boolean;
  /** Cookies with the Secure attribute (the site is https). */
  secureCookies?: boolean;
}

interface SseClient {
  res: ServerResponse;
  trainer: boolean;
}

function cookies(req: IncomingMessage): Map<string, string> {
  const result = new Map<string, string>();
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0) result.set(part.slice(0, index).trim(), part.slice(index + 1).trim());
  }
  return result;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** Reads a request body up to `limit` bytes; rejects with ReportError(413) beyond it. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new ReportError(413, `the body is larger than ${limit} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new ReportError(413, `the body is larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export class WorkshopDashboard implements Service {
  readonly name = 'workshop';
  readonly trainerToken: string;
  private readonly attendees = new Map<string, Attendee>();
  private readonly limiter = new RateLimiter(REPORT_BURST, REPORT_RATE, () => this.now());
  private readonly clients = new Set<SseClient>();
  private readonly changed = new Set<string>();
  private banner = '';
  private pool: KmsView[] = [];
  private notices: Array<{ at: number; text: Localized }> = [];
  private pushTimer: ReturnType<typeof setTimeout> | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private keepalive: ReturnType<typeof setInterval> | undefined;
  private readonly now: () => number;
  private get secure(): string {
    return this.options.secureCookies === false ? '' : ' Secure;';
  }

  /** Whether attendees' pages report their lab runs (workshop mode). */
  get reports(): boolean {
    return this.options.reports !== false;
  }

  constructor(private readonly options: WorkshopOptions) {
    this.now = options.now ?? Date.now;
    this.load();
    this.trainerToken = options.trainerToken ?? this.loadOrMakeToken();
    this.keepalive = setInterval(() => {
      for (const client of this.clients) client.res.write(': keepalive\n\n');
    }, SSE_KEEPALIVE_MS);
    this.keepalive.unref();
  }

  // ---- identity ------------------------------------------------------------------------------------------------

  /**
   * The attendee a request comes from (its cookie), made with a fresh cookie when `res` is given and the request has
   * none (or an unknown one). Undefined when the request has no known cookie and none may be set.
   */
  attendeeOf(req: IncomingMessage, res?: ServerResponse): Attendee | undefined {
    const secret = cookies(req).get(ATTENDEE_COOKIE);
    const known = secret ? this.attendees.get(secret) : undefined;
    if (known) return known;
    if (!res) return undefined;
    if (this.attendees.size >= MAX_ATTENDEES) {
      // Full: a cookie that never reported anything (a script, a browser that went away) makes room, oldest first.
      const idle = [...this.attendees.values()].filter((candidate) => candidate.name === '' && Object.keys(candidate.labs).length === 0).sort((a, b) => a.lastSeen - b.lastSeen)[0];
      if (!idle) return undefined;
      this.attendees.delete(idle.secret);
    }
    const fresh = randomBytes(18).toString('base64url');
    const attendee: Attendee = { secret: fresh, id: randomBytes(6).toString('hex'), name: '', lastSeen: this.now(), labs: {} };
    this.attendees.set(fresh, attendee);
    res.appendHeader('Set-Cookie', `${ATTENDEE_COOKIE}=${fresh}; Path=/; HttpOnly;${this.secure} SameSite=Strict; Max-Age=${14 * 24 * 3600}`);
    this.touch(attendee);
    return attendee;
  }

  /** The attendee's cookie value of a request (e.g. a WebSocket upgrade to an application server), when known. */
  attendeeSecret(req: IncomingMessage): string | undefined {
    const secret = cookies(req).get(ATTENDEE_COOKIE);
    return secret && this.attendees.has(secret) ? secret : undefined;
  }

  isTrainer(req: IncomingMessage): boolean {
    return sameSecret(cookies(req).get(TRAINER_COOKIE), this.trainerToken);
  }

  /**
   * Guards the /trainer pages: `?token=<trainer token>` sets the trainer cookie and redirects to the page without
   * the token (so it stays out of the history); the cookie lets the page through; anything else is refused.
   * Returns true when the request may be served as usual.
   */
  guardTrainerPage(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = url.searchParams.get('token');
    if (token !== null) {
      if (!sameSecret(token, this.trainerToken)) {
        this.refuseTrainer(res);
        return false;
      }
      url.searchParams.delete('token');
      res.writeHead(303, {
        Location: `${url.pathname}${url.search}`,
        'Set-Cookie': `${TRAINER_COOKIE}=${this.trainerToken}; Path=/; HttpOnly;${this.secure} SameSite=Strict`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return false;
    }
    if (this.isTrainer(req)) return true;
    this.refuseTrainer(res);
    return false;
  }

  private refuseTrainer(res: ServerResponse): void {
    res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(
      'The trainer dashboard needs the trainer token: open the /trainer address that `npm start -- --https` printed (…/trainer?token=…).\n' +
        '讲师面板需要讲师令牌：请打开 `npm start -- --https` 打印的 /trainer 地址（…/trainer?token=…）。\n',
    );
  }

  // ---- HTTP ----------------------------------------------------------------------------------------------------

  /** Handles /workshop/… requests. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    if (method === 'POST' && !this.originAllowed(req)) {
      json(res, 403, { error: 'Origin not allowed: post from the workshop site' });
      return;
    }
    if ((pathname === '/workshop/report' || pathname === '/workshop/name') && !this.reports) {
      json(res, 404, { error: 'lab runs are reported in workshop mode only (npm start -- --https)' });
      return;
    }
    if (pathname === '/workshop/report' && method === 'POST') return this.report(req, res);
    if (pathname === '/workshop/name' && method === 'POST') return this.rename(req, res);
    if (pathname === '/workshop/events' && method === 'GET') return this.subscribe(req, res, false);
    if (pathname === '/workshop/trainer/events' && method === 'GET') {
      if (!this.isTrainer(req)) return json(res, 401, { error: 'the trainer token is missing: open /trainer?token=…' });
      return this.subscribe(req, res, true);
    }
    if (pathname === '/workshop/trainer/banner' && method === 'POST') {
      if (!this.isTrainer(req)) return json(res, 401, { error: 'the trainer token is missing: open /trainer?token=…' });
      return this.setBannerFrom(req, res);
    }
    json(res, 404, { error: `no ${method} ${pathname}` });
  }

  private originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return typeof origin === 'string' && this.options.origins.includes(origin);
  }

  private async report(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const attendee = this.attendeeOf(req, res);
    if (!attendee) {
      json(res, 503, { error: `the workshop already has ${MAX_ATTENDEES} attendees` });
      return;
    }
    try {
      if (!this.limiter.take(attendee.secret)) {
        const retry = Math.max(1, this.limiter.retryAfter(attendee.secret));
        throw Object.assign(new ReportError(429, `too many reports: send again in ${retry} s`), { retry });
      }
      const body = await readBody(req, REPORT_LIMITS.bodyBytes);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new ReportError(400, 'the body is not JSON');
      }
      const report = validateReport(parsed);
      // With a pool, pages use the site's own /kurento, which forwards to their KMS: name that KMS instead.
      const host = req.headers.host;
      if (attendee.kms && host && (report.kms === `wss://${host}/kurento` || report.kms === `ws://${host}/kurento`)) report.kms = attendee.kms;
      this.apply(attendee, report);
      json(res, 200, { ok: true });
    } catch (error) {
      if (error instanceof ReportError) {
        const retry = (error as ReportError & { retry?: number }).retry;
        json(res, error.status, { error: error.message }, retry ? { 'Retry-After': String(retry) } : {});
      } else {
        json(res, 500, { error: 'the report could not be stored' });
        this.options.log(`workshop report failed: ${String(error)}`);
      }
    }
  }

  /** An attendee's display name, as soon as their page knows it (before any lab runs). */
  private async rename(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const attendee = this.attendeeOf(req, res);
    if (!attendee) return json(res, 503, { error: `the workshop already has ${MAX_ATTENDEES} attendees` });
    try {
      if (!this.limiter.take(attendee.secret)) throw new ReportError(429, 'too many reports: send again later');
      const body = JSON.parse(await readBody(req, 1024).catch(() => '')) as unknown;
      const name = (body as { name?: unknown } | null)?.name;
      if (typeof name !== 'string' || name.trim() === '' || name.length > REPORT_LIMITS.name) throw new ReportError(400, `send {"name": "…"} (1 to ${REPORT_LIMITS.name} characters)`);
      // eslint-disable-next-line no-control-regex
      attendee.name = name.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
      attendee.lastSeen = this.now();
      this.touch(attendee);
      json(res, 200, { ok: true });
    } catch (error) {
      json(res, error instanceof ReportError ? error.status : 400, { error: error instanceof ReportError ? error.message : 'the body is not JSON' });
    }
  }

  /** Records a valid report: the attendee's name and the lab's cell (an older run never overwrites a newer one). */
  apply(attendee: Attendee, report: ProgressReport): void {
    const now = this.now();
    attendee.name = report.name;
    attendee.lastSeen = now;
    if (report.kms) attendee.kms ??= report.kms;
    const previous = attendee.labs[report.lab];
    if (!previous && Object.keys(attendee.labs).length >= MAX_LABS_PER_ATTENDEE) throw new ReportError(400, `more than ${MAX_LABS_PER_ATTENDEE} labs`);
    const sameRun = previous?.run === report.run;
    const cell: LabCell = {
      run: report.run,
      state: report.state,
      step: report.step,
      steps: report.steps,
      stepId: report.stepId,
      missing: report.state === 'running' ? report.missing : [],
      ...(report.error ? { error: report.error } : {}),
      kms: report.kms,
      elapsedMs: report.elapsedMs,
      startedAt: sameRun && previous ? previous.startedAt : now - report.elapsedMs,
      updatedAt: now,
    };
    // A later run that did not complete keeps the time of the last completed one: "how long it took" stays known.
    const completed = report.state === 'complete' ? report.elapsedMs : previous?.completedInMs;
    if (completed !== undefined) cell.completedInMs = completed;
    attendee.labs[report.lab] = cell;
    this.touch(attendee);
  }

  private async setBannerFrom(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = JSON.parse(await readBody(req, 4096)) as unknown;
      const value = (body as { text?: unknown } | null)?.text;
      if (typeof value !== 'string') throw new ReportError(400, 'send {"text": "…"} (an empty text removes the banner)');
      // eslint-disable-next-line no-control-regex
      const clean = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
      if (clean.length > BANNER_MAX) throw new ReportError(400, `the banner is longer than ${BANNER_MAX} characters`);
      this.setBanner(clean);
      json(res, 200, { ok: true, banner: clean });
    } catch (error) {
      json(res, error instanceof ReportError ? error.status : 400, { error: error instanceof ReportError ? error.message : 'the body is not JSON' });
    }
  }

  setBanner(text: string): void {
    this.banner = text;
    this.broadcast('banner', { text }, 'all');
    this.scheduleSave();
  }

  // ---- KMS pool ------------------------------------------------------------------------------------------------

  /** The pool's state (load of each KMS, who is assigned to it), pushed to the trainer pages. */
  setPool(pool: KmsView[]): void {
    this.pool = pool;
    this.broadcast('pool', pool, 'trainer');
  }

  /** A line for the dashboard, e.g. that a KMS left the pool. */
  notice(text: Localized): void {
    this.notices.push({ at: this.now(), text });
    if (this.notices.length > MAX_NOTICES) this.notices.splice(0, this.notices.length - MAX_NOTICES);
    this.broadcast('notices', this.notices, 'trainer');
  }

  /** Sets the KMS an attendee's browser is assigned (shown on the dashboard). */
  setAttendeeKms(secret: string, url: string): void {
    const attendee = this.attendees.get(secret);
    if (!attendee || attendee.kms === url) return;
    attendee.kms = url;
    this.touch(attendee);
  }

  // ---- server push ---------------------------------------------------------------------------------------------

  snapshot(): DashboardSnapshot {
    return { attendees: [...this.attendees.values()].filter((attendee) => attendee.name !== '' || Object.keys(attendee.labs).length > 0).map((attendee) => this.view(attendee)), banner: this.banner, pool: this.pool, notices: this.notices };
  }

  get bannerText(): string {
    return this.banner;
  }

  private view(attendee: Attendee): AttendeeView {
    const { secret: _secret, ...view } = attendee;
    return view;
  }

  private subscribe(req: IncomingMessage, res: ServerResponse, trainer: boolean): void {
    if (this.clients.size >= MAX_STREAMS) {
      json(res, 503, { error: `${MAX_STREAMS} pages already follow the workshop` }, { 'Retry-After': '30' });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    const client: SseClient = { res, trainer };
    this.clients.add(client);
    req.socket.setNoDelay(true);
    if (trainer) this.send(client, 'snapshot', this.snapshot());
    else this.send(client, 'banner', { text: this.banner });
    const drop = (): void => {
      this.clients.delete(client);
    };
    req.on('close', drop);
    res.on('error', drop);
  }

  private send(client: SseClient, event: string, data: unknown): void {
    client.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private broadcast(event: string, data: unknown, to: 'all' | 'trainer'): void {
    for (const client of this.clients) if (to === 'all' || client.trainer) this.send(client, event, data);
  }

  /** How many pages follow the workshop (trainer pages, attendee pages). */
  get followers(): { trainers: number; attendees: number } {
    let trainers = 0;
    for (const client of this.clients) if (client.trainer) trainers += 1;
    return { trainers, attendees: this.clients.size - trainers };
  }

  private touch(attendee: Attendee): void {
    this.changed.add(attendee.secret);
    this.pushTimer ??= setTimeout(() => this.flush(), PUSH_INTERVAL_MS);
    this.scheduleSave();
  }

  /** Sends the attendees that changed since the last push, in one event per batch. */
  private flush(): void {
    this.pushTimer = undefined;
    const views: AttendeeView[] = [];
    for (const secret of this.changed) {
      const attendee = this.attendees.get(secret);
      if (attendee && (attendee.name !== '' || Object.keys(attendee.labs).length > 0)) views.push(this.view(attendee));
    }
    this.changed.clear();
    if (views.length > 0) this.broadcast('attendees', views, 'trainer');
  }

  // ---- persistence ---------------------------------------------------------------------------------------------

  private scheduleSave(): void {
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      this.save();
    }, SAVE_DEBOUNCE_MS);
  }

  /** Writes the state now (atomically: a temporary file renamed over the old one). */
  save(): void {
    const file = this.options.stateFile;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const state = { version: STATE_VERSION, banner: this.banner, attendees: [...this.attendees.values()] };
      writeFileSync(`${file}.tmp`, JSON.stringify(state), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      this.options.log(`could not save the workshop state to ${file}: ${String(error)}`);
    }
  }

  /** Reads the state of a previous start; runs that were under way then are not kept (their pages are gone). */
  private load(): void {
    let raw: string;
    try {
      raw = readFileSync(this.options.stateFile, 'utf8');
    } catch {
      return;
    }
    try {
      const state = JSON.parse(raw) as { version?: number; banner?: unknown; attendees?: unknown };
      if (state.version !== STATE_VERSION || !Array.isArray(state.attendees)) throw new Error('unknown format');
      if (typeof state.banner === 'string') this.banner = state.banner.slice(0, BANNER_MAX);
      for (const item of state.attendees.slice(0, MAX_ATTENDEES) as Attendee[]) {
        if (typeof item?.secret !== 'string' || typeof item.id !== 'string' || typeof item.labs !== 'object' || item.labs === null) continue;
        const labs: Record<string, LabCell> = {};
        for (const [lab, cell] of Object.entries(item.labs)) if (cell.state !== 'running') labs[lab] = cell;
        const { kms: _kms, ...rest } = item;
        this.attendees.set(item.secret, { ...rest, name: String(item.name ?? '').slice(0, REPORT_LIMITS.name), labs });
      }
      this.options.log(`workshop: ${this.attendees.size} attendees read back from ${this.options.stateFile}`);
    } catch (error) {
      this.options.log(`workshop: ignoring ${this.options.stateFile} (${String(error)})`);
    }
  }

  private loadOrMakeToken(): string {
    const file = path.join(path.dirname(this.options.stateFile), 'trainer-token');
    try {
      const kept = readFileSync(file, 'utf8').trim();
      if (/^[A-Za-z0-9_-]{20,}$/.test(kept)) return kept;
    } catch {
      // made below
    }
    const token = randomBytes(18).toString('base64url');
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${token}\n`, { mode: 0o600 });
    } catch (error) {
      this.options.log(`could not keep the trainer token in ${file}: ${String(error)}`);
    }
    return token;
  }

  async start(): Promise<void> {
    // Nothing to open: the site serves the routes.
  }

  async stop(): Promise<void> {
    this.close();
  }

  async health(): Promise<ServiceHealth> {
    const { trainers, attendees } = this.followers;
    return { ok: true, detail: `workshop dashboard: ${this.attendees.size} attendees known, ${attendees} attendee pages and ${trainers} trainer pages following` };
  }

  urls(): ServiceUrl[] {
    return [];
  }

  /** Saves what is pending and ends every server-push stream. */
  close(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.save();
    }
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.pushTimer = undefined;
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = undefined;
    for (const client of this.clients) client.res.end();
    this.clients.clear();
  }
}
