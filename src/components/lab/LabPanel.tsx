import { memo, startTransition, useCallback, useEffect, useReducer, useRef, useState, type ReactNode } from 'react';
import CodeBlock from '@theme/CodeBlock';
import Tabs from '@theme/Tabs';
import TabItem from '@theme/TabItem';
import Translate, { translate } from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { RunRecorder } from '@site/labs/framework/recorder';
import { LabRun, type StepState } from '@site/labs/framework/runner';
import { explainError, type Explanation } from '@site/labs/framework/explain';
import { recordingsUri, type AnyLab, type CodeSettings, type LabParams, type LabStep, type Locale } from '@site/labs/framework/types';
import { loadKurento } from '@site/src/kurento/load';
import { recordProgress, useProgress } from '@site/src/kurento/progress';
import { loadRuntimeConfig, useLabSettings } from '@site/src/kurento/settings-store';
import { resolveTurn } from '@site/core/settings';
import { BrowserLabContext } from './browser-context';
import CandidateTable from './CandidateTable';
import ErrorBox from './ErrorBox';
import EventTimeline from './EventTimeline';
import PipelineGraph from './PipelineGraph';
import RpcInspector from './RpcInspector';
import SettingsPanel, { sourceLabel } from './SettingsPanel';
import StatsPlot from './StatsPlot';
import styles from './lab.module.css';

interface Current {
  run: LabRun;
  recorder: RunRecorder;
  context: BrowserLabContext;
}

function defaultParams(lab: AnyLab): LabParams {
  return Object.fromEntries((lab.params ?? []).map((param) => [param.id, param.default]));
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
 * few milliseconds while a pipeline is built); rendering the whole panel for each animation frame kept the page's main
 * thread busy for almost all of a run and delayed kurento-client's own messages behind it. Ten renders a second is
 * still live to the eye.
 */
const RENDER_INTERVAL_MS = 100;

/** Re-renders when the run or its recorder changes: at most every RENDER_INTERVAL_MS, in an animation frame. */
function useRunUpdates(current: Current | undefined): void {
  const [, forceUpdate] = useReducer((count: number) => count + 1, 0);
  useEffect(() => {
    if (!current) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let frame = 0;
    const schedule = (): void => {
      if (timer !== undefined || frame) return;
      timer = setTimeout(() => {
        timer = undefined;
        frame = requestAnimationFrame(() => {
          frame = 0;
          // As a transition, React may yield to input and to the page's own tasks (kurento-client's messages) midway.
          startTransition(forceUpdate);
        });
      }, RENDER_INTERVAL_MS);
    };
    const offRun = current.run.subscribe(schedule);
    const offRecorder = current.recorder.subscribe(schedule);
    return () => {
      offRun();
      offRecorder();
      if (timer !== undefined) clearTimeout(timer);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [current]);
}

/** A step's code, highlighted once per code text: the panel re-renders while a lab runs, the code does not change. */
const StepCode = memo(function StepCode({ code }: { code: string }): ReactNode {
  return <CodeBlock language="js">{code}</CodeBlock>;
});

/**
 * One lab on a page: settings, parameters, Run/Stop/Reset, the steps with their code and checks, the video tiles,
 * and the four live views (event timeline with the expected sequence, JSON-RPC inspector, pipeline graph, stats).
 */
export default function LabPanel({ lab }: { lab: AnyLab }): ReactNode {
  const { i18n } = useDocusaurusContext();
  const locale = (i18n.currentLocale === 'zh-Hans' ? 'zh-Hans' : 'en') as Locale;
  const { resolved, ready, turn, runtime } = useLabSettings();
  const progress = useProgress()[lab.id];
  const [params, setParams] = useState<LabParams>(() => defaultParams(lab));
  const [current, setCurrent] = useState<Current | undefined>();
  const [startError, setStartError] = useState<Explanation | undefined>();
  const [showSettings, setShowSettings] = useState(false);
  const [busy, setBusy] = useState(false);
  const tilesRef = useRef<HTMLDivElement>(null);
  const videos = useRef(new Map<string, HTMLVideoElement>());
  const currentRef = useRef<Current | undefined>(undefined);
  currentRef.current = current;
  useRunUpdates(current);

  const video = useCallback((slot: string): HTMLVideoElement => {
    let element = videos.current.get(slot);
    if (element) return element;
    const figure = document.createElement('figure');
    figure.className = styles.tile ?? '';
    element = document.createElement('video');
    element.autoplay = true;
    element.muted = true;
    element.playsInline = true;
    element.dataset.slot = slot;
    element.setAttribute('data-testid', `video-${slot}`);
    const caption = document.createElement('figcaption');
    caption.textContent = slot;
    figure.append(element, caption);
    tilesRef.current?.append(figure);
    videos.current.set(slot, element);
    return element;
  }, []);

  const clearTiles = useCallback((): void => {
    for (const element of videos.current.values()) {
      element.srcObject = null;
      element.closest('figure')?.remove();
    }
    videos.current.clear();
  }, []);

  const dispose = useCallback(async (): Promise<void> => {
    const active = currentRef.current;
    if (!active) return;
    active.run.stop();
    await active.context.dispose();
  }, []);

  // Leaving the page (or the lab unmounting) releases the pipeline and closes the peers.
  useEffect(() => {
    const onLeave = (): void => void dispose();
    window.addEventListener('pagehide', onLeave);
    return () => {
      window.removeEventListener('pagehide', onLeave);
      void dispose();
    };
  }, [dispose]);

  const run = async (): Promise<void> => {
    setBusy(true);
    setStartError(undefined);
    await dispose();
    clearTiles();
    let modules;
    try {
      modules = await loadKurento();
    } catch (error) {
      setStartError(explainError(error));
      setBusy(false);
      return;
    }
    // The TURN state and credentials as the server has them now (a page may have been open for hours).
    const live = (await loadRuntimeConfig({ maxAgeMs: 0 })) ?? runtime;
    const recorder = new RunRecorder();
    const abort = new AbortController();
    const context = new BrowserLabContext({
      locale,
      settings: {
        kmsUrl: resolved.kmsUrl,
        iceServers: resolved.iceServers,
        turn: resolveTurn(resolved, live?.turn),
        turnStatus: live?.turnStatus ?? undefined,
        media: resolved.usesEmbeddedKms ? (runtime?.media ?? undefined) : undefined,
        siteOrigin: window.location.origin,
      },
      params,
      modules,
      recorder,
      video,
      signal: abort.signal,
    });
    const labRun = new LabRun(lab, context, recorder, abort);
    const next = { run: labRun, recorder, context };
    currentRef.current = next;
    setCurrent(next);
    setBusy(false);
    await labRun.start();
    if (labRun.status === 'complete') recordProgress(lab.id, 'complete', (labRun.finishedAt ?? 0) - (labRun.startedAt ?? 0));
    else if (labRun.status === 'failed') recordProgress(lab.id, 'failed');
    // Media keeps flowing after completion so the learner can watch; Stop or Reset ends it.
    setCurrent({ ...next });
  };

  const stop = async (): Promise<void> => {
    setBusy(true);
    await dispose();
    setBusy(false);
    if (currentRef.current) setCurrent({ ...currentRef.current });
  };

  const reset = async (): Promise<void> => {
    setBusy(true);
    await dispose();
    clearTiles();
    currentRef.current = undefined;
    setCurrent(undefined);
    setStartError(undefined);
    setParams(defaultParams(lab));
    setBusy(false);
  };

  const exportRun = (): void => {
    if (!current) return;
    const data = current.recorder.toJSON(lab.id, resolved.kmsUrl);
    const blob = new Blob([JSON.stringify({ ...data, status: current.run.status, steps: current.run.steps }, null, 2)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `kurento-labs-${lab.id}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  };

  const status = current?.run.status ?? 'idle';
  const running = status === 'running';
  const codeSettings: CodeSettings = {
    kmsUrl: resolved.kmsUrl,
    iceServers: resolved.iceServers,
    params,
    recordingsUri: recordingsUri(resolved.usesEmbeddedKms ? (runtime?.media ?? undefined) : undefined),
    siteOrigin: typeof window === 'undefined' ? '' : window.location.origin,
    turn,
  };
  const stepStates = current?.run.steps;
  const error = startError ?? current?.run.error;

  return (
    <section className={styles.lab} data-testid={`lab-${lab.id}`} data-status={status} aria-labelledby={`lab-title-${lab.id}`}>
      <header className={styles.header}>
        <div>
          <h3 id={`lab-title-${lab.id}`} className={styles.title}>
            <span className={styles.labBadge}>
              <Translate id="lab.badge">Live lab</Translate>
            </span>{' '}
            {lab.title[locale]}
            {progress?.status === 'complete' && (
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
          {(lab.params ?? []).map((param) => (
            <label key={param.id}>
              {param.label[locale]}{' '}
              {param.kind === 'number' ? (
                <input
                  type="number"
                  min={param.min}
                  max={param.max}
                  value={Number(params[param.id] ?? param.default)}
                  onChange={(event) => setParams({ ...params, [param.id]: Math.min(param.max ?? Infinity, Math.max(param.min ?? -Infinity, Number(event.target.value))) })}
                  data-testid={`lab-param-${param.id}`}
                />
              ) : (
                <select value={String(params[param.id] ?? param.default)} onChange={(event) => setParams({ ...params, [param.id]: event.target.value })} data-testid={`lab-param-${param.id}`}>
                  {(param.choices ?? []).map((choice) => (
                    <option key={choice.value} value={choice.value}>
                      {choice.label[locale]}
                    </option>
                  ))}
                </select>
              )}
            </label>
          ))}
        </fieldset>
      )}

      <div className={styles.controls}>
        <button type="button" className="button button--primary" onClick={() => void run()} disabled={running || busy || !ready} data-testid="lab-run">
          {status === 'idle' ? <Translate id="lab.run">Run</Translate> : <Translate id="lab.runAgain">Run again</Translate>}
        </button>
        <button type="button" className="button button--secondary" onClick={() => void stop()} disabled={!running || busy} data-testid="lab-stop">
          <Translate id="lab.stop">Stop</Translate>
        </button>
        <button type="button" className="button button--secondary" onClick={() => void reset()} disabled={busy || status === 'idle'} data-testid="lab-reset">
          <Translate id="lab.reset">Reset</Translate>
        </button>
        <button type="button" className="button button--outline button--secondary" onClick={exportRun} disabled={!current} data-testid="lab-export">
          <Translate id="lab.export">Export run (JSON)</Translate>
        </button>
        <span className={styles.status} data-testid="lab-status" aria-live="polite">
          {status === 'idle' && !busy && <Translate id="lab.status.idle">Ready. Press Run.</Translate>}
          {busy && <Translate id="lab.status.loading">Loading kurento-client and kurento-utils…</Translate>}
          {status === 'running' && <Translate id="lab.status.running">Running…</Translate>}
          {status === 'complete' && <Translate id="lab.status.complete">Complete: every step passed and every expected event arrived.</Translate>}
          {status === 'failed' && <Translate id="lab.status.failed">Stopped on an error (see below).</Translate>}
          {status === 'stopped' && <Translate id="lab.status.stopped">Stopped.</Translate>}
        </span>
      </div>
      <p className={styles.completion}>
        <Translate id="lab.completion">Completion:</Translate> {lab.completion[locale]}
      </p>

      {error && <ErrorBox explanation={error} locale={locale} />}

      <div className={styles.tiles} ref={tilesRef} aria-label={translate({ id: 'lab.videos', message: 'Video tiles' })} />

      <ol className={styles.steps}>
        {lab.steps.map((step: LabStep<unknown>, index: number) => {
          const state = stepStates?.[index];
          const stepStatus = state?.status ?? 'pending';
          return (
            <li key={step.id} className={`${styles.step} ${styles[`step_${stepStatus}`] ?? ''}`} data-testid={`lab-step-${step.id}`} data-status={stepStatus}>
              <div className={styles.stepHead}>
                <span className={styles.stepStatus}>{statusText(stepStatus)}</span>
                <strong>{step.title[locale]}</strong>
                {state?.detail && (
                  <span className={styles.muted}>
                    {' — '}
                    {/^https?:\/\//.test(state.detail) ? (
                      <a href={state.detail} download data-testid={`lab-step-${step.id}-link`}>
                        {state.detail}
                      </a>
                    ) : (
                      state.detail
                    )}
                  </span>
                )}
              </div>
              <p>{step.explain[locale]}</p>
              <StepCode code={step.code(codeSettings)} />
            </li>
          );
        })}
      </ol>

      {current && (
        <Tabs className={styles.views} lazy>
          <TabItem value="events" label={translate({ id: 'lab.tab.events', message: 'Events' })} default>
            <EventTimeline events={current.recorder.events.slice()} expectations={current.run.matcher.all.map((state) => ({ ...state }))} locale={locale} running={running} eventClasses={lab.eventClasses} />
          </TabItem>
          <TabItem value="rpc" label={translate({ id: 'lab.tab.rpc', message: 'JSON-RPC' })}>
            <RpcInspector frames={current.recorder.frames.slice()} />
          </TabItem>
          <TabItem value="graph" label={translate({ id: 'lab.tab.graph', message: 'Pipeline' })}>
            <PipelineGraph graph={{ ...current.recorder.graph }} />
          </TabItem>
          <TabItem value="stats" label={translate({ id: 'lab.tab.stats', message: 'Stats' })}>
            <StatsPlot samples={current.recorder.stats.slice()} />
          </TabItem>
          <TabItem value="candidates" label={translate({ id: 'lab.candidates.tab', message: 'Candidates' })}>
            <CandidateTable events={current.recorder.events.slice()} />
          </TabItem>
        </Tabs>
      )}
    </section>
  );
}
