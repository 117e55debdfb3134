/**
 * Workshop mode: a lab run's state, as the trainer dashboard sees it (core/workshop.ts ProgressReport), sent whenever
 * it changes (src/kurento/workshop.ts coalesces and rate-limits). Nothing is sent outside workshop mode.
 */
import type { Localized } from '@site/core/localized';
import { REPORT_LIMITS, type ProgressReport, type ReportState } from '@site/core/workshop';
import type { LabRun } from '@site/labs/framework/runner';
import { reportRun } from '@site/src/kurento/workshop';

const runIds = new WeakMap<LabRun, string>();

function clip(text: Localized): Localized {
  const cut = (value: string): string => (value.length > REPORT_LIMITS.text ? `${value.slice(0, REPORT_LIMITS.text - 1)}…` : value);
  return { en: cut(text.en), 'zh-Hans': cut(text['zh-Hans']) };
}

/** The report of `run` now; undefined while it has not started. */
export function runReport(labId: string, run: LabRun, kms: string): Omit<ProgressReport, 'name'> | undefined {
  if (run.status === 'idle' || run.steps.length === 0) return undefined;
  let id = runIds.get(run);
  if (!id) runIds.set(run, (id = Math.random().toString(36).slice(2, 12)));
  const failed = run.steps.findIndex((step) => step.status === 'failed');
  const active = run.steps.findIndex((step) => step.status === 'running' || step.status === 'checking');
  const lastPassed = run.steps.map((step) => step.status).lastIndexOf('passed');
  const index = failed >= 0 ? failed : active >= 0 ? active : Math.max(0, lastPassed);
  const state: ReportState = run.status === 'failed' && !run.error ? 'stopped' : run.status;
  const missing =
    state === 'running'
      ? run.matcher.all
          .filter((expectation) => expectation.status !== 'seen' && !expectation.expectation.optional)
          .slice(0, REPORT_LIMITS.missing)
          .map((expectation) => clip(expectation.expectation.label))
      : [];
  const elapsedMs = Math.max(0, Math.round((run.finishedAt ?? Date.now()) - (run.startedAt ?? Date.now())));
  return {
    lab: labId,
    run: id,
    state,
    step: index,
    steps: Math.min(run.steps.length, REPORT_LIMITS.steps),
    stepId: run.steps[index]?.id ?? 'start',
    missing,
    ...(state === 'failed' && run.error ? { error: { code: run.error.code.slice(0, REPORT_LIMITS.id), message: clip(run.error.title) } } : {}),
    kms: kms.slice(0, REPORT_LIMITS.url),
    elapsedMs: Math.min(elapsedMs, 24 * 3600 * 1000),
  };
}

/** Follows `run` and reports each change of its state (the elapsed time alone is not a change). */
export function followRun(labId: string, run: LabRun, kms: string): () => void {
  let last = '';
  const update = (): void => {
    const report = runReport(labId, run, kms);
    if (!report) return;
    const key = JSON.stringify({ ...report, elapsedMs: 0 });
    if (key === last) return;
    last = key;
    reportRun(report);
  };
  update();
  return run.subscribe(update);
}
