/**
 * Workshop mode (`npm start -- --https`): what an attendee's page reports about each lab run to the site server, and
 * what the trainer dashboard receives. Shared by the pages (src), the site server (server/workshop) and the tests, so
 * that the limits and the validation are one rule, written once.
 */
import type { Localized } from './localized';

/** Run states a report can carry (labs/framework/runner.ts RunStatus, without 'idle'). */
export const REPORT_STATES = ['running', 'complete', 'failed', 'stopped', 'partial'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** Limits of one report; a report beyond them is refused with 400 (or 413 for the body size). */
export const REPORT_LIMITS = {
  /** Bytes of the JSON body. */
  bodyBytes: 8 * 1024,
  /** Characters of a display name. */
  name: 40,
  /** Characters of an identifier (lab, step, run, error code). */
  id: 64,
  /** Characters of one plain-words text (an error title, one missing event). */
  text: 300,
  /** Characters of the KMS URL. */
  url: 200,
  /** How many missing events one report names. */
  missing: 12,
  /** Steps of a lab. */
  steps: 64,
} as const;

/** Per attendee: a burst of this many reports, then REPORT_RATE per second (a lab run sends a few per step). */
export const REPORT_BURST = 30;
export const REPORT_RATE = 3;

export interface RunError {
  /** The lab framework's explanation code, e.g. `kms-unreachable`, `step-timeout`. */
  code: string;
  /** What failed, in plain words, in both languages. */
  message: Localized;
}

/** One lab run's progress, as an attendee's page sends it (POST /workshop/report). */
export interface ProgressReport {
  /** The attendee's display name (stored in their browser). */
  name: string;
  lab: string;
  /** A random id per run: reports of an older run never overwrite a newer one's. */
  run: string;
  state: ReportState;
  /** 0-based index of the current step (the failing one when failed), and how many steps the lab has. */
  step: number;
  steps: number;
  /** The current step's id. */
  stepId: string;
  /** Expected events still missing (for a running lab), in both languages. */
  missing: Localized[];
  /** The first failing step's error (state 'failed'). */
  error?: RunError;
  /** The KMS the run uses. */
  kms: string;
  /** Milliseconds since the run started (time to complete, when state is 'complete'). */
  elapsedMs: number;
}

export class ReportError extends Error {
  constructor(readonly status: 400 | 413 | 429, message: string) {
    super(message);
    this.name = 'ReportError';
  }
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._@:-]*$/;

function fail(message: string): never {
  throw new ReportError(400, message);
}

function text(value: unknown, field: string, max: number, { allowEmpty = false }: { allowEmpty?: boolean } = {}): string {
  if (typeof value !== 'string') fail(`${field} must be a string`);
  if (value.length > max) fail(`${field} is longer than ${max} characters`);
  if (!allowEmpty && value.trim() === '') fail(`${field} must not be empty`);
  // Control characters have no place in what a dashboard shows.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) fail(`${field} contains control characters`);
  return value;
}

function identifier(value: unknown, field: string): string {
  const checked = text(value, field, REPORT_LIMITS.id);
  if (!ID.test(checked)) fail(`${field} must be an identifier (letters, digits, . _ @ : -)`);
  return checked;
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(`${field} must be an integer from ${min} to ${max}`);
  return value;
}

function localized(value: unknown, field: string): Localized {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${field} must be {"en": …, "zh-Hans": …}`);
  const record = value as Record<string, unknown>;
  return { en: text(record.en, `${field}.en`, REPORT_LIMITS.text), 'zh-Hans': text(record['zh-Hans'], `${field}["zh-Hans"]`, REPORT_LIMITS.text) };
}

/** Checks a parsed report body field by field; throws ReportError(400) naming the first field that is wrong. */
export function validateReport(body: unknown): ProgressReport {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail('the report must be a JSON object');
  const record = body as Record<string, unknown>;
  const known = new Set(['name', 'lab', 'run', 'state', 'step', 'steps', 'stepId', 'missing', 'error', 'kms', 'elapsedMs']);
  const unknown = Object.keys(record).filter((key) => !known.has(key));
  if (unknown.length > 0) fail(`unknown field ${unknown[0] ?? ''}`);
  const state = record.state;
  if (typeof state !== 'string' || !(REPORT_STATES as readonly string[]).includes(state)) fail(`state must be one of ${REPORT_STATES.join(', ')}`);
  const steps = integer(record.steps, 'steps', 1, REPORT_LIMITS.steps);
  const missing = record.missing ?? [];
  if (!Array.isArray(missing)) fail('missing must be a list');
  if (missing.length > REPORT_LIMITS.missing) fail(`missing names more than ${REPORT_LIMITS.missing} events`);
  let error: RunError | undefined;
  if (record.error !== undefined) {
    if (typeof record.error !== 'object' || record.error === null) fail('error must be {code, message}');
    const raw = record.error as Record<string, unknown>;
    error = { code: identifier(raw.code, 'error.code'), message: localized(raw.message, 'error.message') };
  }
  if (state === 'failed' && !error) fail('a failed run reports its error');
  return {
    name: text(record.name, 'name', REPORT_LIMITS.name),
    lab: identifier(record.lab, 'lab'),
    run: identifier(record.run, 'run'),
    state: state as ReportState,
    step: integer(record.step, 'step', 0, steps - 1),
    steps,
    stepId: identifier(record.stepId, 'stepId'),
    missing: missing.map((item, index) => localized(item, `missing[${index}]`)),
    ...(error ? { error } : {}),
    kms: text(record.kms, 'kms', REPORT_LIMITS.url, { allowEmpty: true }),
    elapsedMs: integer(record.elapsedMs, 'elapsedMs', 0, 24 * 3600 * 1000),
  };
}

/** A per-key token bucket: `take(key)` is false when the key is over its rate. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Seconds until `key` may send again. */
  retryAfter(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket || bucket.tokens >= 1) return 0;
    return Math.ceil((1 - bucket.tokens) / this.perSecond);
  }
}

/** The median of a list of numbers (undefined for none). */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** One cell of the dashboard: an attendee's latest run of a lab. */
export interface LabCell {
  run: string;
  state: ReportState;
  step: number;
  steps: number;
  stepId: string;
  missing: Localized[];
  error?: RunError;
  kms: string;
  elapsedMs: number;
  /** Server time of the run's first report and of its latest one (ms since epoch). */
  startedAt: number;
  updatedAt: number;
  /** Time to complete (ms), once complete. */
  completedInMs?: number;
}

export interface AttendeeView {
  /** A short public handle (not the attendee's cookie). */
  id: string;
  name: string;
  /** The KMS this attendee's browser is assigned (a KMS pool), if any. */
  kms?: string;
  lastSeen: number;
  labs: Record<string, LabCell>;
}

export interface KmsView {
  url: string;
  up: boolean;
  /** Percent, from ServerManager.getUsedCpu. */
  cpu?: number;
  pipelines?: number;
  attendees: number;
  /** Why it left the pool, in plain words; when it came back. */
  message?: string;
  since: number;
}

export interface DashboardSnapshot {
  attendees: AttendeeView[];
  banner: string;
  pool: KmsView[];
  /** Pool changes worth a line on the dashboard ("ws://… left the pool: …"), newest last. */
  notices: Array<{ at: number; text: Localized }>;
}

/** Characters of a broadcast banner. */
export const BANNER_MAX = 200;

/** Whether a running cell has made no progress for `minutes` (the "stuck" filter). */
export function isStuck(cell: LabCell, now: number, minutes: number): boolean {
  return cell.state === 'running' && now - cell.updatedAt >= minutes * 60_000;
}

/** Per lab: how many attendees completed it and their median time to complete (ms). */
export function labSummary(attendees: readonly AttendeeView[], lab: string): { finished: number; medianMs: number | undefined } {
  const times: number[] = [];
  for (const attendee of attendees) {
    const cell = attendee.labs[lab];
    if (cell?.completedInMs !== undefined) times.push(cell.completedInMs);
  }
  return { finished: times.length, medianMs: median(times) };
}
