import type { VendorData } from '@site/src/plugins/kurento-vendor';
import { lazy, memo, startTransition, Suspense, useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import CodeBlock from '@theme/CodeBlock';
import Tabs from '@theme/Tabs';
import TabItem from '@theme/TabItem';
import Translate, { translate } from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { useColorMode } from '@docusaurus/theme-common';
import { usePluginData } from '@docusaurus/useGlobalData';
import type { LabRun, StepState } from '@site/labs/framework/runner';
import { explainError, type Explanation } from '@site/labs/framework/explain';
import { DECLARATIONS, SETTINGS, parseProgram, type Program } from '@site/labs/framework/program';
import type { AnyLab, Exercise, LabParams, LabSettings, LabStep, Locale } from '@site/labs/framework/types';
import { recordProgress, useProgress } from '@site/src/kurento/progress';
import { loadRuntimeConfig, useLabSettings } from '@site/src/kurento/settings-store';
import { resolveTurn } from '@site/core/settings';
import { REPLACED_EVENT, editScope, readEdit, resetEdit, saveEdit, useEdits } from '@site/src/kurento/edits';
import { programText } from './program-text';
import { FrameHost, type LabPage } from './host/frame-host';
import { closeSession, openSession, preparePage, sessionPageHtml, settingsSection, type Session } from './session';
import { followRun } from './workshop-report';
import CandidateTable from './CandidateTable';
import ErrorBox from './ErrorBox';
import EventTimeline from './EventTimeline';
import PipelineGraph from './PipelineGraph';
import RpcInspector from './RpcInspector';
import SettingsPanel, { sourceLabel } from './SettingsPanel';
import StatsPlot from './StatsPlot';
import styles from './lab.module.css';

// The editor and its language support load only when a learner presses Edit.
const Editor = lazy(() => import(/* webpackChunkName: "lab-editor" */ './Editor'));

function defaultParams(lab: AnyLab, exercise?: Exercise): LabParams {
  return { ...Object.fromEntries((lab.params ?? []).map((param) => [param.id, param.default])), ...(exercise?.params ?? {}) };
}

function statusText(status: StepState['status']): string {
  switch (status) {
    case 'pending':
      return translate({ id: 'lab.step.pending', message: 'to do' });
    case 'running':
      return translate({ id: 'lab.step.running', message: 'running' });
    case 'checking':
      return translate({ id: 'lab.step.checking', message: 'checking' });
    case 'passed':
      return translate({ id: 'lab.step.passed', message: 'done' });
    case 'failed':
      return translate({ id: 'lab.step.failed', message: 'failed' });
    case 'skipped':
      return translate({ id: 'lab.step.skipped', message: 'not run' });
  }
}

/**
 * How often a running lab re-renders the panel. Events, frames and stats arrive in bursts (a dozen RPC frames within a
 * few milliseconds while a pipeline is built); ten renders a second is still live to the eye and leaves the page's
 * main thread to kurento-client.
 */
/**
 * `?step_timeout=<seconds>` in the page's address: how long each step of a run may take, in place of its own timeout
 * (15 s for most), from 1 to 600 s. Longer for a KMS far away; shorter to see a forgotten call named sooner.
 */
function stepTimeoutOption(): { stepTimeout?: number } {
  const seconds = Number(new URLSearchParams(window.location.search).get('step_timeout'));
  return Number.isFinite(seconds) && seconds >= 1 && seconds <= 600 ? { stepTimeout: seconds * 1000 } : {};
}

const RENDER_INTERVAL_MS = 100;

function useSessionUpdates(session: Session | undefined): void {
  const [, forceUpdate] = useReducer((count: number) => count + 1, 0);
  useEffect(() => {
    if (!session) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let frame = 0;
    const schedule = (): void => {
      if (timer !== undefined || frame) return;
      timer = setTimeout(() => {
        timer = undefined;
        frame = requestAnimationFrame(() => {
          frame = 0;
          startTransition(forceUpdate);
        });
      }, RENDER_INTERVAL_MS);
    };
    const offRun = session.run.subscribe(schedule);
    const offRecorder = session.recorder.subscribe(schedule);
    return () => {
      offRun();
      offRecorder();
      if (timer !== undefined) clearTimeout(timer);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [session]);
}

/** Calls `callback` when the browser is idle (soon after, where requestIdleCallback is missing); returns the cancel. */
function whenIdle(callback: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(callback, { timeout: 2000 });
    return () => window.cancelIdleCallback(id);
  }
  const timer = setTimeout(callback, 200);
  return () => clearTimeout(timer);
}

/** A run's statuses after which the panel is idle, and a page for the next run may be prepared. */
const ENDED = new Set(['complete', 'failed', 'stopped']);

/** A section's code, highlighted once per text (the panel re-renders while a lab runs; the code does not change). */
const CodeView = memo(function CodeView({ code, section, errorLine }: { code: string; section: string; errorLine?: number }): ReactNode {
  return (
    <div data-testid={`code-${section}`} data-source={code}>
      <CodeBlock language="js" metastring={errorLine ? `{${errorLine}}` : undefined}>
        {code}
      </CodeBlock>
    </div>
  );
});

interface StepItemProps {
  section: string;
  index?: number;
  step?: LabStep;
  state?: StepState;
  code: string;
  original: string;
  edited: boolean;
  locale: Locale;
  /** Where this section's edits are kept (src/kurento/edits: per lab or exercise, and per language). */
  editsKey: string;
  dark: boolean;
  busy: boolean;
  editing: boolean;
  /** Bumped when the code is replaced from outside the editor: the editor starts again from the new code. */
  epoch: number;
  /** An error of this section that is not the step's own (e.g. a syntax error of the declarations). */
  error?: Explanation;
  onEdit: (section: string | undefined) => void;
  onRun?: () => void;
}

function StepItem({ section, index, step, state, code, original, edited, locale, editsKey, dark, busy, editing, epoch, error, onEdit, onRun }: StepItemProps): ReactNode {
  const status = state?.status ?? 'pending';
  const explanation = state?.error ?? error;
  const errorLine = explanation?.section === section ? explanation.line : undefined;
  const title = step ? step.title[locale] : translate({ id: 'lab.declarations', message: 'Shared code: the variables the steps use' });
  const label = translate(
    { id: 'lab.editor.label', message: 'Code of {what}' },
    { what: step ? `${translate({ id: 'lab.step', message: 'step' })} ${(index ?? 0) + 1}: ${step.title[locale]}` : title },
  );
  return (
    <li className={`${styles.step} ${styles[`step_${status}`] ?? ''}`} data-testid={`lab-step-${section}`} data-status={step ? status : undefined} data-edited={edited || undefined}>
      <div className={styles.stepHead}>
        {step && <span className={styles.stepStatus}>{statusText(status)}</span>}
        <strong>{title}</strong>
        {edited && (
          <span className={styles.editedBadge} data-testid={`edited-${section}`}>
            <Translate id="lab.edited">edited</Translate>
          </span>
        )}
        {state?.detail && (
          <span className={styles.muted}>
            {' — '}
            {/^https?:\/\//.test(state.detail) ? (
              <a href={state.detail} download data-testid={`lab-step-${section}-link`}>
                {state.detail}
              </a>
            ) : (
              state.detail
            )}
          </span>
        )}
      </div>
      {step && <p>{step.explain[locale]}</p>}
      {editing ? (
        <Suspense
          fallback={
            <p className={styles.muted} role="status">
              <Translate id="lab.editor.loading">Loading the editor…</Translate>
            </p>
          }
        >
          <Editor
            key={epoch}
            value={code}
            label={label}
            dark={dark}
            errorLine={errorLine}
            onChange={(next) => saveEdit(editsKey, section, next, original)}
            onRun={() => onRun?.()}
            onClose={() => onEdit(undefined)}
          />
          <p className={styles.muted}>
            <Translate id="lab.editor.keys">Ctrl+Enter runs this step, Escape closes the editor, Tab moves on. Your edits stay in this browser until you reset them.</Translate>
          </p>
        </Suspense>
      ) : (
        <CodeView code={code} section={section} errorLine={errorLine} />
      )}
      <div className={styles.stepButtons}>
        <button type="button" className="button button--sm button--secondary" onClick={() => onEdit(editing ? undefined : section)} aria-expanded={editing} data-testid={`edit-${section}`}>
          {editing ? <Translate id="lab.editor.close">Close the editor</Translate> : <Translate id="lab.editor.edit">Edit</Translate>}
        </button>
        {onRun && (
          <button type="button" className="button button--sm button--primary" onClick={onRun} disabled={busy} data-testid={`run-${section}`}>
            <Translate id="lab.step.run">Run this step</Translate>
          </button>
        )}
        {edited && (
          <button type="button" className="button button--sm button--outline button--secondary" onClick={() => resetEdit(editsKey, section)} data-testid={`reset-code-${section}`}>
            <Translate id="lab.editor.reset">Reset the code</Translate>
          </button>
        )}
      </div>
      {explanation && <ErrorBox explanation={explanation} locale={locale} testId={state?.error ? 'lab-error' : 'lab-section-error'} />}
    </li>
  );
}

export interface LabPanelProps {
  lab: AnyLab;
  /** In an exercise: its task, starting code, hints and check (src/components/Exercise). */
  exercise?: Exercise;
  /** Called when a run ends (exercises judge it). */
  onRunEnd?: (session: { host: FrameHost; run: LabRun }) => void;
}

/**
 * One lab on a page: settings, parameters, the program shown step by step (each step's code can be edited and run
 * again), Run/Stop/Reset, the lab's page (the iframe the program runs in), and the live views (event timeline with
 * the expected sequence, JSON-RPC inspector, pipeline graph, stats, candidates).
 */
export default function LabPanel({ lab, exercise, onRunEnd }: LabPanelProps): ReactNode {
  const { i18n } = useDocusaurusContext();
  const locale = (i18n.currentLocale === 'zh-Hans' ? 'zh-Hans' : 'en') as Locale;
  const { colorMode } = useColorMode();
  const dark = colorMode === 'dark';
  const vendor = usePluginData('kurento-labs-vendor') as VendorData;
  const { resolved, ready, turn, runtime } = useLabSettings();
  const progress = useProgress()[lab.id];
  const scope = exercise ? `${lab.id}@${exercise.id}` : lab.id;
  // The code carries the comments of the page's language: an edit made on the Chinese page is kept apart from the English.
  const editsKey = editScope(scope, locale);
  const edits = useEdits(editsKey);
  const [program, setProgram] = useState<Program | undefined>();
  const [programError, setProgramError] = useState<Explanation | undefined>();
  const [params, setParams] = useState<LabParams>(() => defaultParams(lab, exercise));
  const [session, setSession] = useState<Session | undefined>();
  const sessionRef = useRef<Session | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [startError, setStartError] = useState<Explanation | undefined>();
  const [exportError, setExportError] = useState<Explanation | undefined>();
  const [exporting, setExporting] = useState(false);
  const [showSettings, setShowSettings] = useState(false);
  const [editing, setEditing] = useState<string | undefined>(exercise?.step);
  const pageRef = useRef<HTMLDivElement>(null);
  const sectionRef = useRef<HTMLElement>(null);
  /** The page for the next run, loaded ahead while the panel is idle (FrameHost takes it when Run is pressed). */
  const spareRef = useRef<LabPage | undefined>(undefined);
  /**
   * The panel is on screen: only then is a page prepared for it, so that a chapter's labs below the fold cost nothing
   * and one scrolled past gives its page back (each holds kurento-client and kurento-utils).
   */
  const [onScreen, setOnScreen] = useState(false);
  const [epoch, setEpoch] = useState(0);
  /** Runs started in this panel (the tests wait for a new one to end). */
  const [runs, setRuns] = useState(0);
  useSessionUpdates(session);
  // Workshop mode: the trainer dashboard follows each run of this panel (nothing is sent outside workshop mode).
  useEffect(() => (session ? followRun(scope, session.run, resolved.kmsUrl) : undefined), [session, scope, resolved.kmsUrl]);

  useEffect(() => {
    const onReplaced = (event: Event): void => {
      if ((event as CustomEvent<{ scope: string }>).detail.scope === editsKey) setEpoch((value) => value + 1);
    };
    window.addEventListener(REPLACED_EVENT, onReplaced);
    return () => window.removeEventListener(REPLACED_EVENT, onReplaced);
  }, [editsKey]);

  useEffect(() => {
    let alive = true;
    programText(lab, locale)
      .then((text) => {
        if (alive) setProgram(parseProgram(text));
      })
      .catch((error: unknown) => {
        if (alive) setProgramError(explainError(error));
      });
    return () => {
      alive = false;
    };
  }, [lab, locale]);

  useEffect(() => {
    const element = sectionRef.current;
    if (!element || typeof IntersectionObserver === 'undefined') return undefined;
    const observer = new IntersectionObserver((entries) => {
      const latest = entries[entries.length - 1];
      if (latest) setOnScreen(latest.isIntersecting);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // While nothing runs and the panel is on screen, a page for the next run loads in the background (hidden): Run then
  // starts the program at once. A page made for another color mode is replaced; the prepared page goes with the panel.
  useEffect(() => {
    const container = pageRef.current;
    const idle = !busy && (!session || ENDED.has(session.run.status));
    if (!onScreen) {
      spareRef.current?.discard();
      spareRef.current = undefined;
    }
    if (!program || !onScreen || !container || !idle) return undefined;
    const html = sessionPageHtml({ lab, locale, vendor, dark });
    if (spareRef.current?.fits(container, html)) return undefined;
    spareRef.current?.discard();
    spareRef.current = undefined;
    return whenIdle(() => {
      spareRef.current = preparePage({ lab, locale, vendor, dark, container }, { html });
    });
  }, [program, onScreen, busy, session, lab, locale, vendor, dark]);

  useEffect(
    () => () => {
      spareRef.current?.discard();
      spareRef.current = undefined;
    },
    [],
  );

  const settings: LabSettings = useMemo(
    () => ({
      kmsUrl: resolved.kmsUrl,
      iceServers: resolved.iceServers,
      ...(turn ? { turn } : {}),
      ...(runtime?.turnStatus ? { turnStatus: runtime.turnStatus } : {}),
      ...(resolved.usesEmbeddedKms && runtime?.media ? { media: runtime.media } : {}),
      siteOrigin: typeof window === 'undefined' ? '' : window.location.origin,
    }),
    [resolved.kmsUrl, resolved.iceServers, resolved.usesEmbeddedKms, turn, runtime],
  );

  const settingsText = useMemo(() => settingsSection(lab, settings, params), [settings, params, lab]);

  /** The code of a section as it would run now: the learner's edit, the exercise's start, or the program's own. */
  const originalOf = useCallback(
    (section: string): string => {
      if (section === SETTINGS) return settingsText;
      if (exercise?.start !== undefined && section === exercise.step) return exercise.start;
      if (section === DECLARATIONS) return program?.declarations.code ?? '';
      return program?.steps.find((step) => step.id === section)?.code ?? '';
    },
    [program, settingsText, exercise],
  );
  /** What a section shows: the learner's edit or the original. */
  const shownCode = useCallback((section: string): string => (section === SETTINGS ? settingsText : edits.code(section, originalOf(section))), [edits, originalOf, settingsText]);
  // What a section runs: read from the store at the moment it runs, so an edit typed just before Run is never missed.
  const codeOf = useCallback((section: string): string => (section === SETTINGS ? settingsText : (readEdit(editsKey, section) ?? originalOf(section))), [editsKey, originalOf, settingsText]);

  const dispose = useCallback(async (): Promise<void> => {
    const current = sessionRef.current;
    sessionRef.current = undefined;
    await closeSession(current);
  }, []);

  useEffect(() => {
    const onLeave = (): void => {
      sessionRef.current?.host.leave();
      void dispose();
    };
    window.addEventListener('pagehide', onLeave);
    return () => {
      window.removeEventListener('pagehide', onLeave);
      void dispose();
    };
  }, [dispose]);

  /** A fresh page for the program, with the live TURN state and credentials (a page may have been open for hours). */
  const newSession = async (): Promise<Session | undefined> => {
    await dispose();
    setStartError(undefined);
    const container = pageRef.current;
    if (!container) return undefined;
    // The page (prepared ahead, or made now) loads while the live configuration is fetched.
    const page = spareRef.current ?? preparePage({ lab, locale, vendor, dark, container }, { visible: true });
    spareRef.current = undefined;
    const live = (await loadRuntimeConfig({ maxAgeMs: 0 })) ?? runtime;
    const liveTurn = resolveTurn(resolved, live?.turn);
    let created: Session;
    try {
      created = await openSession({
        lab,
        locale,
        settings: { ...settings, ...(liveTurn ? { turn: liveTurn } : {}), ...(live?.turnStatus ? { turnStatus: live.turnStatus } : {}) },
        params,
        container,
        vendor,
        dark,
        scope,
        page,
      });
    } catch (error) {
      setStartError(FrameHost.pageFailure(error instanceof Error ? error.message : String(error)));
      return undefined;
    }
    sessionRef.current = created;
    setSession(created);
    return created;
  };

  const finished = (current: Session): void => {
    const { run } = current;
    const key = exercise ? `exercise:${exercise.id}` : lab.id;
    if (run.status === 'complete') recordProgress(key, 'complete', (run.finishedAt ?? 0) - (run.startedAt ?? 0));
    else if (run.status === 'failed') recordProgress(key, 'failed');
    onRunEnd?.(current);
    setSession({ ...current });
  };

  const run = async (): Promise<void> => {
    if (!program) return;
    setRuns((count) => count + 1);
    setBusy(true);
    const created = await newSession();
    setBusy(false);
    if (!created) return;
    await created.run.start({
      code: codeOf,
      signal: created.abort.signal,
      ...stepTimeoutOption(),
      ...(exercise ? { judge: exercise.check, judgeTimeout: exercise.timeout ?? 15000, relaxFrom: exercise.step, ...(exercise.until ? { until: exercise.until } : {}) } : {}),
    });
    finished(created);
  };

  const runStep = async (stepId: string): Promise<void> => {
    if (!program) return;
    setRuns((count) => count + 1);
    let current = sessionRef.current;
    if (!current || current.run.status === 'stopped') {
      setBusy(true);
      current = await newSession();
      setBusy(false);
      if (!current) return;
    }
    await current.run.runStep(stepId, { code: codeOf, signal: current.abort.signal, ...stepTimeoutOption() });
    finished(current);
  };

  const stop = async (): Promise<void> => {
    const current = sessionRef.current;
    if (!current) return;
    current.abort.abort();
    setBusy(true);
    await current.host.dispose();
    setBusy(false);
    setSession({ ...current });
  };

  const reset = async (): Promise<void> => {
    setBusy(true);
    await dispose();
    setSession(undefined);
    setStartError(undefined);
    setParams(defaultParams(lab, exercise));
    setBusy(false);
  };

  const exportRun = (): void => {
    if (!session) return;
    const data = session.recorder.toJSON(lab.id, resolved.kmsUrl);
    const blob = new Blob([JSON.stringify({ ...data, status: session.run.status, steps: session.run.steps }, null, 2)], { type: 'application/json' });
    download(blob, `kurento-labs-${lab.id}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  };

  const exportApp = async (): Promise<void> => {
    if (!program || exporting) return;
    setExportError(undefined);
    setExporting(true);
    try {
      const { exportLabApp } = await import(/* webpackChunkName: "lab-export" */ './export-app');
      const blob = await exportLabApp({ lab, program, locale, code: codeOf, vendor, dark: false });
      download(blob, `kurento-labs-${lab.id}.zip`);
    } catch (error) {
      // The export's code and the vendor bundles come from this site: a site rebuilt or stopped since the page loaded.
      setExportError(exportFailure(error instanceof Error ? error.message : String(error)));
    } finally {
      setExporting(false);
    }
  };

  const status = session?.run.status ?? 'idle';
  const running = status === 'running';
  const stepStates = session?.run.steps;
  const error = startError ?? programError ?? session?.run.error;
  const sectionError = error?.section && !stepStates?.some((state) => state.id === error.section && state.error) ? error : undefined;

  return (
    <section ref={sectionRef} className={styles.lab} data-testid={`lab-${scope}`} data-status={busy ? 'starting' : status} data-runs={runs} aria-labelledby={`lab-title-${scope}`}>
      <header className={styles.header}>
        <div>
          <h3 id={`lab-title-${scope}`} className={styles.title}>
            <span className={styles.labBadge}>
              <Translate id="lab.badge">Live lab</Translate>
            </span>{' '}
            {lab.title[locale]}
            {progress?.status === 'complete' && !exercise && (
              <span className={styles.doneMark} title={translate({ id: 'lab.progress.done', message: 'You completed this lab' })} data-testid="lab-progress-mark">
                ✓
              </span>
            )}
          </h3>
          <p className={styles.summary}>{lab.summary[locale]}</p>
          <p className={styles.tags}>
            {lab.elements.map((element) => (
              <code key={element}>{element}</code>
            ))}
          </p>
        </div>
      </header>

      <div className={styles.kmsLine}>
        <span>
          <Translate id="lab.kms">KMS:</Translate> <code data-testid="lab-kms-url">{resolved.kmsUrl}</code>{' '}
          <span className={styles.muted}>({sourceLabel(resolved.kmsUrlSource)})</span>
        </span>
        <button type="button" className="button button--link button--sm" onClick={() => setShowSettings((shown) => !shown)} aria-expanded={showSettings}>
          {showSettings ? <Translate id="lab.settings.hide">Hide settings</Translate> : <Translate id="lab.settings.show">Change KMS settings</Translate>}
        </button>
      </div>
      {showSettings && <SettingsPanel locale={locale} />}

      {(lab.params ?? []).length > 0 && (
        <fieldset className={styles.params} disabled={running}>
          <legend>
            <Translate id="lab.params">Options</Translate>
          </legend>
          {(lab.params ?? []).map((param) => {
            // An option the exercise sets is part of its starting state: the task is about the code.
            const fixed = exercise?.params?.[param.id] !== undefined;
            const fixedTitle = fixed ? translate({ id: 'exercise.paramFixed', message: 'Set by the exercise' }) : undefined;
            return (
              <label key={param.id} title={fixedTitle}>
                {param.label[locale]}{' '}
                {param.kind === 'number' ? (
                  <input
                    type="number"
                    min={param.min}
                    max={param.max}
                    value={Number(params[param.id] ?? param.default)}
                    onChange={(event) => setParams({ ...params, [param.id]: Math.min(param.max ?? Infinity, Math.max(param.min ?? -Infinity, Number(event.target.value))) })}
                    disabled={fixed}
                    data-testid={`lab-param-${param.id}`}
                  />
                ) : (
                  <select value={String(params[param.id] ?? param.default)} onChange={(event) => setParams({ ...params, [param.id]: event.target.value })} disabled={fixed} data-testid={`lab-param-${param.id}`}>
                    {(param.choices ?? []).map((choice) => (
                      <option key={choice.value} value={choice.value}>
                        {choice.label[locale]}
                      </option>
                    ))}
                  </select>
                )}
              </label>
            );
          })}
        </fieldset>
      )}

      <div className={styles.controls}>
        <button type="button" className="button button--primary" onClick={() => void run()} disabled={running || busy || !ready || !program} data-testid="lab-run">
          {status === 'idle' ? <Translate id="lab.run">Run</Translate> : <Translate id="lab.runAgain">Run again</Translate>}
        </button>
        <button type="button" className="button button--secondary" onClick={() => void stop()} disabled={!running || busy} data-testid="lab-stop">
          <Translate id="lab.stop">Stop</Translate>
        </button>
        <button type="button" className="button button--secondary" onClick={() => void reset()} disabled={busy || status === 'idle'} data-testid="lab-reset">
          <Translate id="lab.reset">Reset</Translate>
        </button>
        <button type="button" className="button button--outline button--secondary" onClick={exportRun} disabled={!session} data-testid="lab-export">
          <Translate id="lab.export">Export run (JSON)</Translate>
        </button>
        {!exercise && (
          <button type="button" className="button button--outline button--secondary" onClick={() => void exportApp()} disabled={!program || exporting} aria-busy={exporting} data-testid="lab-export-app">
            {exporting ? <Translate id="lab.exportApp.preparing">Preparing the app…</Translate> : <Translate id="lab.exportApp">Download as app</Translate>}
          </button>
        )}
        <span className={styles.status} data-testid="lab-status" aria-live="polite">
          {!program && !programError && <Translate id="lab.status.loadingProgram">Loading the lab's code…</Translate>}
          {program && status === 'idle' && !busy && <Translate id="lab.status.idle">Ready. Press Run, or run a step.</Translate>}
          {busy && <Translate id="lab.status.loading">Starting the lab's page (kurento-client and kurento-utils)…</Translate>}
          {status === 'running' && <Translate id="lab.status.running">Running…</Translate>}
          {status === 'complete' && <Translate id="lab.status.complete">Complete: every step passed and every expected event arrived.</Translate>}
          {status === 'partial' && <Translate id="lab.status.partial">Ran the steps up to the one you ran. Press Run for a full run.</Translate>}
          {status === 'failed' && <Translate id="lab.status.failed">Stopped on an error (see below).</Translate>}
          {status === 'stopped' && <Translate id="lab.status.stopped">Stopped.</Translate>}
        </span>
      </div>
      {exportError && <ErrorBox explanation={exportError} locale={locale} testId="lab-export-error" />}
      <p className={styles.completion}>
        <Translate id="lab.completion">Completion:</Translate> {lab.completion[locale]}
      </p>

      {exercise && session?.run.verdict && (
        <p className={session.run.verdict.ok ? styles.verdictOk : styles.verdictNo} data-testid="exercise-verdict" data-ok={session.run.verdict.ok} role="status">
          {session.run.verdict.ok ? (
            <Translate id="exercise.passed">Done: the run shows what the task asks.</Translate>
          ) : (
            <Translate id="exercise.notYet">Not yet.</Translate>
          )}{' '}
          <span className={styles.muted}>{session.run.verdict.detail}</span>
        </p>
      )}
      {error && !error.section && <ErrorBox explanation={error} locale={locale} />}

      <div className={styles.page} aria-label={translate({ id: 'lab.page', message: "The lab's page: what the program shows" })}>
        {!session && (
          <p className={styles.muted}>
            <Translate id="lab.page.empty">The program's page appears here when it runs: the videos it plays and the messages it prints.</Translate>
          </p>
        )}
        {/* The iframe goes in here (FrameHost): React renders no children into it. */}
        <div ref={pageRef} className={styles.pageFrame} data-testid="lab-page-container" hidden={!session} />
      </div>

      {program && (
        <ol className={styles.steps}>
          <li className={styles.step} data-testid={`lab-step-${SETTINGS}`}>
            <div className={styles.stepHead}>
              <strong>
                <Translate id="lab.settingsSection">Settings: your KMS URL and ICE servers, and the lab's options</Translate>
              </strong>
            </div>
            <CodeView code={settingsText} section={SETTINGS} />
          </li>
          <StepItem
            section={DECLARATIONS}
            code={shownCode(DECLARATIONS)}
            original={originalOf(DECLARATIONS)}
            edited={edits.edited(DECLARATIONS)}
            locale={locale}
            editsKey={editsKey}
            dark={dark}
            busy={busy || running}
            editing={editing === DECLARATIONS}
            epoch={epoch}
            error={sectionError?.section === DECLARATIONS ? sectionError : undefined}
            onEdit={setEditing}
          />
          {lab.steps.map((step, index) => (
            <StepItem
              key={step.id}
              section={step.id}
              index={index}
              step={step}
              state={stepStates?.[index]}
              code={shownCode(step.id)}
              original={originalOf(step.id)}
              edited={edits.edited(step.id)}
              locale={locale}
              editsKey={editsKey}
              dark={dark}
              busy={busy || running}
              editing={editing === step.id}
              epoch={epoch}
              error={sectionError?.section === step.id ? sectionError : undefined}
              onEdit={setEditing}
              onRun={() => void runStep(step.id)}
            />
          ))}
        </ol>
      )}

      {session && (
        <Tabs className={styles.views} lazy>
          <TabItem value="events" label={translate({ id: 'lab.tab.events', message: 'Events' })} default>
            <EventTimeline events={session.recorder.events.slice()} expectations={session.run.matcher.all.map((state) => ({ ...state }))} locale={locale} running={running} eventClasses={lab.eventClasses} />
          </TabItem>
          <TabItem value="rpc" label={translate({ id: 'lab.tab.rpc', message: 'JSON-RPC' })}>
            <RpcInspector frames={session.recorder.frames.slice()} />
          </TabItem>
          <TabItem value="graph" label={translate({ id: 'lab.tab.graph', message: 'Pipeline' })}>
            <PipelineGraph graph={{ ...session.recorder.graph }} />
          </TabItem>
          <TabItem value="stats" label={translate({ id: 'lab.tab.stats', message: 'Stats' })}>
            <StatsPlot samples={session.recorder.stats.slice()} />
          </TabItem>
          <TabItem value="candidates" label={translate({ id: 'lab.candidates.tab', message: 'Candidates' })}>
            <CandidateTable events={session.recorder.events.slice()} />
          </TabItem>
        </Tabs>
      )}
    </section>
  );
}

/** Why "Download as app" gave no file, and what to do. */
function exportFailure(message: string): Explanation {
  return {
    code: 'export-failed',
    title: { en: `The app could not be put together: ${message}`, 'zh-Hans': `无法生成应用：${message}` },
    fix: {
      en: 'The download takes the lab code and /vendor/kurento-client-*.min.js and /vendor/kurento-utils-*.min.js from this site: reload the page and try again; if it repeats, check that npm start is still running.',
      'zh-Hans': '下载会从本站取得实验代码以及 /vendor/kurento-client-*.min.js 和 /vendor/kurento-utils-*.min.js：请刷新页面后重试；如果问题重复出现，请检查 npm start 是否仍在运行。',
    },
  };
}

function download(blob: Blob, name: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  // The browser reads the blob when its download starts, which on a busy machine can be seconds after the click: a
  // URL revoked before that gives no file at all. A minute is plenty, and the blob is freed afterwards.
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

