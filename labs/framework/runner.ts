/**
 * Runs a lab's program on a host, section by section: the settings, the declarations, then each step, waiting after
 * each step until it has done its part (the variables it sets are defined, the events it brings are seen, its check
 * passes) or until it is clearly not going to (an error of the program, or its timeout, named with what is missing).
 * Every recorded event feeds the expected-sequence matcher. Any step can be run again alone, with edited code, on the
 * live page: earlier steps run first when they have not run yet. Knows nothing of React or the DOM.
 */
import { ERROR_CODES_LINK, explain, explainError, type Explanation } from './explain';
import { DECLARATIONS, SETTINGS } from './program';
import type { RunRecorder } from './recorder';
import { SequenceMatcher } from './sequence';
import type { AnyLab, CheckResult, LabStep, LabView, Localized, ProgramError } from './types';

export type StepStatus = 'pending' | 'running' | 'checking' | 'passed' | 'failed' | 'skipped';
/** `partial`: some steps ran (one was run alone), the others have not yet. */
export type RunStatus = 'idle' | 'running' | 'complete' | 'failed' | 'stopped' | 'partial';

export interface StepState {
  id: string;
  status: StepStatus;
  detail?: string;
  error?: Explanation;
  startedAt?: number;
  endedAt?: number;
  /** The code the step last ran, exactly as it was run. */
  ran?: string;
}

/** What runs the program: the site's iframe, or any other page that can run scripts. */
export interface LabHost extends LabView {
  readonly recorder: RunRecorder;
  /** Parses a section without running it; the syntax error, if any. */
  syntax(section: string, code: string): Promise<ProgramError | undefined>;
  /** Runs a section as a script of the page; the exception it threw while it ran, if any. */
  run(section: string, code: string): Promise<ProgramError | undefined>;
}

export interface RunOptions {
  /** The code of a section: the learner's edit, or the program's own. */
  code: (section: string) => string;
  signal: AbortSignal;
  /**
   * An exercise: the steps run with their `sets` only (the learner's change may rightly skip what a step's own check
   * proves), errors the program reports are data for the judge rather than the end of the run, and `judge` decides
   * (retried until `judgeTimeout`) instead of the expected events.
   */
  judge?: (view: LabView) => CheckResult | Promise<CheckResult>;
  judgeTimeout?: number;
  /** How long the same failing hint must hold to be the verdict (default VERDICT_SETTLE_MS). */
  verdictSettleMs?: number;
  /** With a judge: the step the learner changes. The steps before it run as in the lab, their checks included. */
  relaxFrom?: string;
  /** The last step a full run goes through (default: the lab's last); the steps after it do not run. */
  until?: string;
  /** How long each step may take, in ms, in place of its own timeout (the page's `?step_timeout=<seconds>`). */
  stepTimeout?: number;
}

/** The last verdict of an exercise's judge. */
export interface Verdict {
  ok: boolean;
  detail?: string;
  hint?: Localized;
}

const DEFAULT_STEP_TIMEOUT = 15000;
const EXERCISE_STEP_WAIT = 5000;
const POLL_MS = 25;
/** After the last step, how long to wait for required expected events still missing. */
const SETTLE_TIMEOUT = 15000;
/**
 * An exercise's judge that keeps failing with the same hint for this long has seen enough: the hint is the verdict.
 * A correct answer passes as soon as the run shows it; a wrong one need not wait out the whole timeout.
 */
export const VERDICT_SETTLE_MS = 6000;
/**
 * A hint marked `settled` (CheckResult) is the verdict once it has held this long: the callbacks and events of answers
 * already on their way have arrived by then.
 */
export const SETTLED_HINT_MS = 1500;

class Stopped extends Error {}

class StepFailure extends Error {
  constructor(readonly explanation: Explanation) {
    super(explanation.title.en);
  }
}

/** A section's name in messages: the step's title, or "the settings" / "the declarations". */
function sectionName(lab: AnyLab, section: string | undefined): Localized {
  if (section === SETTINGS) return { en: 'The settings', 'zh-Hans': '设置' };
  if (section === DECLARATIONS) return { en: 'The declarations', 'zh-Hans': '声明部分' };
  const step = lab.steps.find((candidate) => candidate.id === section);
  return step ? { en: `Step “${step.title.en}”`, 'zh-Hans': `步骤“${step.title['zh-Hans']}”` } : { en: 'The program', 'zh-Hans': '程序' };
}

/** A program error as the learner reads it, pointing at its section and line. */
export function explainProgramError(lab: AnyLab, error: ProgramError): Explanation {
  const where = sectionName(lab, error.section);
  let explanation: Explanation;
  if (error.explanation) explanation = error.explanation;
  else if (error.kind === 'syntax') explanation = explain.syntaxError(where, error.line, error.message);
  else if (error.code !== undefined && error.code >= 40000 && error.code < 50000) {
    explanation = { ...explain.kmsError(error.code, error.message, error.type), link: ERROR_CODES_LINK };
  } else if (error.kind === 'reported') {
    explanation = explainError(Object.assign(new Error(error.message), { name: error.name ?? 'Error', code: error.code }));
    if (explanation.code === 'unexpected') explanation = explain.exception(where, error.line, error.message);
  } else explanation = explain.exception(where, error.line, error.message);
  return { ...explanation, ...(error.section ? { section: error.section } : {}), ...(error.line ? { line: error.line } : {}), ...(error.column ? { column: error.column } : {}) };
}

export class LabRun {
  status: RunStatus = 'idle';
  readonly steps: StepState[];
  readonly matcher: SequenceMatcher;
  error: Explanation | undefined;
  /** An exercise's verdict, once judged. */
  verdict: Verdict | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  /** Sections that ran in this page, in order (settings and declarations included). */
  readonly ran = new Set<string>();
  private fed = 0;
  private readonly listeners = new Set<() => void>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Ends the current nap early (see nap). */
  private wakeNap: (() => void) | undefined;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(
    readonly lab: AnyLab,
    private readonly host: LabHost,
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

  private feed(): void {
    const events = this.host.recorder.events;
    if (this.fed > events.length) this.fed = 0;
    let changed = false;
    for (; this.fed < events.length; this.fed += 1) {
      const event = events[this.fed];
      if (event && this.matcher.observe(event).length > 0) changed = true;
    }
    if (this.matcher.tick(this.host.recorder.now()).length > 0) changed = true;
    if (changed) this.changed();
  }

  get complete(): boolean {
    return this.status === 'complete';
  }

  private watch(): void {
    if (this.unsubscribe) return;
    this.startedAt ??= Date.now();
    this.unsubscribe = this.host.recorder.subscribe(() => {
      this.feed();
      this.wakeNap?.();
    });
    this.ticker = setInterval(() => this.feed(), 250);
  }

  /** Runs every step from the first (or from where the page is), then waits for the expected events. */
  start(options: RunOptions): Promise<void> {
    const until = options.until === undefined ? -1 : this.lab.steps.findIndex((step) => step.id === options.until);
    if (options.until !== undefined && until < 0) return Promise.reject(new Error(`no step ${options.until}`));
    return this.exclusive(() => this.runThrough(until < 0 ? this.lab.steps.length - 1 : until, options, true));
  }

  /** Runs one step again with its current code; the steps before it run first if they have not run in this page. */
  runStep(stepId: string, options: RunOptions): Promise<void> {
    const index = this.lab.steps.findIndex((step) => step.id === stepId);
    if (index < 0) return Promise.reject(new Error(`no step ${stepId}`));
    return this.exclusive(() => this.runThrough(index, options, false, true));
  }

  private exclusive(task: () => Promise<void>): Promise<void> {
    const next = this.busy.then(task, task);
    this.busy = next.catch(() => undefined);
    return next;
  }

  private async runThrough(last: number, options: RunOptions, settle: boolean, again = false): Promise<void> {
    this.watch();
    this.status = 'running';
    this.error = undefined;
    this.verdict = undefined;
    if (again) {
      const target = this.steps[last];
      if (target) target.status = 'pending';
    }
    this.changed();
    const stepsToRun = this.lab.steps.slice(0, last + 1).filter((step, index) => (again && index === last) || !this.ran.has(step.id));
    // In an exercise, the steps from the one the learner changes on run relaxed (see runOne).
    const relaxIndex = options.judge ? this.lab.steps.findIndex((step) => step.id === options.relaxFrom) : -1;
    const relaxed = (id: string): boolean => options.judge !== undefined && (relaxIndex < 0 || this.lab.steps.findIndex((step) => step.id === id) >= relaxIndex);
    try {
      const unavailable = this.lab.unavailable?.(this.host.settings, this.host.params);
      if (unavailable) throw new StepFailure(unavailable);
      // Nothing runs when any code to run has a syntax error: the learner sees the line before anything happens.
      const sections = [...(this.ran.has(SETTINGS) ? [] : [SETTINGS]), ...(this.ran.has(DECLARATIONS) ? [] : [DECLARATIONS]), ...stepsToRun.map((step) => step.id)];
      for (const section of sections) {
        const syntax = await this.host.syntax(section, options.code(section));
        if (syntax) throw new StepFailure(explainProgramError(this.lab, syntax));
      }
      for (const section of [SETTINGS, DECLARATIONS]) {
        if (this.ran.has(section)) continue;
        const thrown = await this.host.run(section, options.code(section));
        this.ran.add(section);
        if (thrown) throw new StepFailure(explainProgramError(this.lab, thrown));
      }
      for (const step of stepsToRun) {
        this.throwIfStopped(options.signal);
        await this.runOne(step, options, relaxed(step.id));
      }
      if (settle && options.judge) await this.judge(options.judge, options.judgeTimeout ?? DEFAULT_STEP_TIMEOUT, options.verdictSettleMs ?? VERDICT_SETTLE_MS, options.signal);
      else if (settle) await this.settle(options.signal);
      this.feed();
      // A full run that stops early (an exercise's `until`) is judged on the steps it ran; the others are not run.
      if (settle) for (const step of this.steps.slice(last + 1)) step.status = 'skipped';
      const allPassed = this.steps.slice(0, settle ? last + 1 : undefined).every((step) => step.status === 'passed');
      this.status = allPassed && (settle || this.matcher.complete) ? 'complete' : 'partial';
    } catch (error) {
      if (error instanceof Stopped || options.signal.aborted) {
        this.status = 'stopped';
      } else {
        const explanation = error instanceof StepFailure ? error.explanation : explainError(error);
        this.error = explanation;
        const current =
          this.steps.find((step) => step.status === 'running' || step.status === 'checking') ??
          (explanation.section ? this.steps.find((step) => step.id === explanation.section) : undefined);
        if (current) {
          current.status = 'failed';
          current.error = explanation;
          current.endedAt = this.host.recorder.now();
        }
        this.status = 'failed';
      }
    } finally {
      if (this.status === 'failed' || this.status === 'stopped') {
        for (const step of this.steps) if (step.status === 'pending') step.status = 'skipped';
      }
      this.finishedAt = Date.now();
      this.feed();
      this.changed();
    }
  }

  /**
   * Waits for the next look at a step: POLL_MS at most, less when the run records something (a message of KMS, an
   * event), since what a step waits for comes with those. The look is one task later: the program's callback for the
   * message (which stores the variable the step sets) runs in the task that delivered it.
   */
  private nap(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(new Stopped('stopped'));
        return;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (this.wakeNap === wake) this.wakeNap = undefined;
        resolve();
      };
      const wake = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(done, 0);
        if (this.wakeNap === wake) this.wakeNap = undefined;
      };
      const onAbort = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        if (this.wakeNap === wake) this.wakeNap = undefined;
        reject(new Stopped('stopped'));
      };
      timer = setTimeout(done, POLL_MS);
      this.wakeNap = wake;
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async runOne(step: LabStep, options: RunOptions, exercise: boolean): Promise<void> {
    const state = this.steps.find((candidate) => candidate.id === step.id);
    if (!state) return;
    const code = options.code(step.id);
    state.status = 'running';
    state.detail = undefined;
    state.error = undefined;
    state.startedAt = this.host.recorder.now();
    state.ran = code;
    this.changed();
    const errorsBefore = this.host.errors().length;
    const thrown = await this.host.run(step.id, code);
    this.ran.add(step.id);
    if (thrown) throw new StepFailure(explainProgramError(this.lab, thrown));
    state.status = 'checking';
    this.changed();
    // In an exercise the learner's change may leave a step's variables undefined on purpose (a refused request): the
    // run goes on after a short wait, and the judge says what the run shows.
    const own = options.stepTimeout ?? step.timeout ?? DEFAULT_STEP_TIMEOUT;
    const timeout = exercise ? Math.min(own, EXERCISE_STEP_WAIT) : own;
    const deadline = Date.now() + timeout;
    for (;;) {
      this.throwIfStopped(options.signal);
      const newErrors = this.host.errors().slice(errorsBefore);
      const failure = newErrors.find((error) => !options.judge || error.kind !== 'reported');
      if (failure) throw new StepFailure(explainProgramError(this.lab, { ...failure, section: failure.section ?? step.id }));
      this.feed();
      // In an exercise, a step whose code caught an error and reported it is over: the judge weighs the error.
      if (options.judge && newErrors.length > 0) break;
      const missing = this.missing(step, exercise);
      let checkDone = true;
      if (missing.length === 0 && step.check && !exercise) {
        const result = await step.check(this.host);
        state.detail = result.detail;
        checkDone = result.ok;
        if (!result.ok) missing.push(result.hint ?? { en: `the check (${result.detail ?? 'not yet'})`, 'zh-Hans': `检查（${result.detail ?? '尚未通过'}）` });
      }
      if (missing.length === 0 && checkDone) break;
      if (exercise && Date.now() > deadline) break;
      if (Date.now() > deadline) throw new StepFailure({ ...explain.stepTimeout(sectionName(this.lab, step.id), Math.round(timeout / 1000), missing), section: step.id });
      await this.nap(options.signal);
    }
    state.status = 'passed';
    state.endedAt = this.host.recorder.now();
    this.changed();
  }

  /** What a step still waits for: its variables, then (outside exercises) its expected events. */
  private missing(step: LabStep, exercise = false): Localized[] {
    const missing: Localized[] = [];
    for (const name of step.sets ?? []) {
      if (this.host.read(name) === undefined) {
        missing.push({ en: `${name} is still undefined (the callback that sets it has not run)`, 'zh-Hans': `${name} 仍然是 undefined（设置它的回调还没有执行）` });
      }
    }
    for (const id of exercise ? [] : (step.expects ?? [])) {
      const expectation = this.matcher.get(id);
      if (expectation && expectation.status !== 'seen') missing.push(expectation.expectation.label);
    }
    return missing;
  }

  /** An exercise: its judge decides, retried until it passes or the time is up; the last verdict explains. */
  private async judge(judge: NonNullable<RunOptions['judge']>, timeout: number, settleMs: number, signal: AbortSignal): Promise<void> {
    const until = Date.now() + timeout;
    let hint: string | undefined;
    let hintSince = 0;
    for (;;) {
      this.throwIfStopped(signal);
      this.feed();
      const result = await judge(this.host);
      this.verdict = { ok: result.ok, ...(result.detail ? { detail: result.detail } : {}), ...(result.hint ? { hint: result.hint } : {}) };
      this.changed();
      if (result.ok) return;
      // A hint is a diagnosis (a check without one is still waiting for media or events): once the same one has held
      // for a while, the run will not change its mind.
      if (result.hint?.en !== hint) {
        hint = result.hint?.en;
        hintSince = Date.now();
      }
      const settled = hint !== undefined && Date.now() - hintSince >= (result.settled ? Math.min(settleMs, SETTLED_HINT_MS) : settleMs);
      if (settled || Date.now() > until) {
        throw new StepFailure({
          code: 'exercise-not-done',
          title: result.hint ?? { en: 'Not yet: the run does not show what the task asks.', 'zh-Hans': '还没有完成：这次运行没有表现出任务要求的结果。' },
          fix: {
            en: 'Change the step as the task says and press Run again. The hints below go further, one at a time; the solution is there too.',
            'zh-Hans': '按任务要求修改这一步，然后再次点击“运行”。下面的提示会一条一条深入；答案也在那里。',
          },
          ...(result.detail ? { technical: result.detail } : {}),
        });
      }
      await sleep(250, signal);
    }
  }

  private async settle(signal: AbortSignal): Promise<void> {
    const until = Date.now() + SETTLE_TIMEOUT;
    const errorsBefore = this.host.errors().length;
    while (!this.matcher.complete && Date.now() < until) {
      this.throwIfStopped(signal);
      this.feed();
      // An error after the last step (in a callback of an earlier one) still stops the run, pointing at its section.
      const failure = this.host.errors()[errorsBefore];
      if (failure) throw new StepFailure(explainProgramError(this.lab, failure));
      await this.nap(signal);
    }
    this.feed();
    if (!this.matcher.complete) {
      const missing = this.matcher.all.filter((state) => state.status !== 'seen' && !state.expectation.optional).map((state) => state.expectation.label);
      throw new StepFailure(
        explain.timeout(
          { en: `Expected events ${missing.map((label) => label.en).join(', ')}`, 'zh-Hans': `预期事件 ${missing.map((label) => label['zh-Hans']).join('、')}` },
          Math.round(SETTLE_TIMEOUT / 1000),
        ),
      );
    }
  }

  private throwIfStopped(signal: AbortSignal): void {
    if (signal.aborted) throw new Stopped('stopped');
  }

  /** Stops watching (Reset, page leave). */
  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new Stopped('stopped'));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Stopped('stopped'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
