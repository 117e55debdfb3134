/**
 * Runs a lab: its steps in order (run, then check until it passes or times out), while feeding every recorded event
 * to the expected-sequence matcher. Knows nothing of React or the DOM; the site and the tests watch it through
 * `subscribe`.
 */
import { explainError, explain, type Explanation } from './explain';
import type { RunRecorder } from './recorder';
import { SequenceMatcher } from './sequence';
import type { AnyLab, LabContext, Localized } from './types';

export type StepStatus = 'pending' | 'running' | 'checking' | 'passed' | 'failed' | 'skipped';
export type RunStatus = 'idle' | 'running' | 'complete' | 'failed' | 'stopped';

export interface StepState {
  id: string;
  status: StepStatus;
  detail?: string;
  error?: Explanation;
  startedAt?: number;
  endedAt?: number;
}

const DEFAULT_CHECK_TIMEOUT = 10000;
const CHECK_INTERVAL = 25;
/** After the last step, how long to wait for required expected events still missing. */
const SETTLE_TIMEOUT = 15000;

export class LabRun {
  status: RunStatus = 'idle';
  readonly steps: StepState[];
  readonly matcher: SequenceMatcher;
  error: Explanation | undefined;
  private fed = 0;
  private readonly listeners = new Set<() => void>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;

  constructor(
    readonly lab: AnyLab,
    private readonly context: LabContext,
    readonly recorder: RunRecorder,
    private readonly abort: AbortController,
  ) {
    this.steps = lab.steps.map((step) => ({ id: step.id, status: 'pending' }));
    this.matcher = new SequenceMatcher(lab.expected);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Feeds events recorded since the last call to the matcher. */
  private feed(): void {
    const events = this.recorder.events;
    if (this.fed > events.length) this.fed = 0;
    let changed = false;
    for (; this.fed < events.length; this.fed += 1) {
      const event = events[this.fed];
      if (event && this.matcher.observe(event).length > 0) changed = true;
    }
    if (this.matcher.tick(this.recorder.now()).length > 0) changed = true;
    if (changed) this.changed();
  }

  get complete(): boolean {
    return this.status === 'complete';
  }

  async start(): Promise<void> {
    if (this.status !== 'idle') throw new Error('a run starts once');
    this.status = 'running';
    this.startedAt = Date.now();
    this.unsubscribe = this.recorder.subscribe(() => this.feed());
    this.ticker = setInterval(() => this.feed(), 250);
    this.changed();
    const state = this.lab.createState();
    try {
      for (const [index, step] of this.lab.steps.entries()) {
        const stepState = this.steps[index];
        if (!stepState) continue;
        this.throwIfStopped();
        stepState.status = 'running';
        stepState.startedAt = this.recorder.now();
        this.changed();
        await step.run(this.context, state);
        if (step.check) {
          stepState.status = 'checking';
          this.changed();
          const timeout = step.checkTimeout ?? DEFAULT_CHECK_TIMEOUT;
          const deadline = Date.now() + timeout;
          for (;;) {
            this.throwIfStopped();
            const result = await step.check(this.context, state);
            stepState.detail = result.detail;
            if (result.ok) break;
            if (Date.now() > deadline) {
              throw explainedTimeout(step.title, timeout);
            }
            await this.context.sleep(CHECK_INTERVAL);
          }
        }
        stepState.status = 'passed';
        stepState.endedAt = this.recorder.now();
        this.changed();
      }
      // Steps done: give the expected events that are still missing a little time to arrive.
      const settleUntil = Date.now() + SETTLE_TIMEOUT;
      while (!this.matcher.complete && Date.now() < settleUntil) {
        this.throwIfStopped();
        this.feed();
        await this.context.sleep(CHECK_INTERVAL);
      }
      this.feed();
      if (!this.matcher.complete) {
        const missing = this.matcher.all.filter((s) => s.status !== 'seen' && !s.expectation.optional).map((s) => s.expectation.label);
        throw explainedTimeout(
          {
            en: `Expected events ${missing.map((label) => label.en).join(', ')}`,
            'zh-Hans': `预期事件 ${missing.map((label) => label['zh-Hans']).join('、')}`,
          },
          SETTLE_TIMEOUT,
        );
      }
      this.status = 'complete';
    } catch (error) {
      if (this.abort.signal.aborted) {
        this.status = 'stopped';
      } else {
        const explanation = error instanceof ExplainedFailure ? error.explanation : explainError(error);
        this.error = explanation;
        const current = this.steps.find((step) => step.status === 'running' || step.status === 'checking');
        if (current) {
          current.status = 'failed';
          current.error = explanation;
          current.endedAt = this.recorder.now();
        }
        this.status = 'failed';
      }
    } finally {
      for (const step of this.steps) if (step.status === 'pending') step.status = 'skipped';
      this.finishedAt = Date.now();
      if (this.ticker) clearInterval(this.ticker);
      this.unsubscribe?.();
      this.feed();
      this.changed();
    }
  }

  private throwIfStopped(): void {
    if (this.abort.signal.aborted) throw new Error('stopped');
  }

  stop(): void {
    this.abort.abort();
  }
}

class ExplainedFailure extends Error {
  constructor(readonly explanation: Explanation) {
    super(explanation.title.en);
  }
}

function explainedTimeout(what: Localized, ms: number): ExplainedFailure {
  return new ExplainedFailure(explain.timeout(what, Math.round(ms / 1000)));
}
