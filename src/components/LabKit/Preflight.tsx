import type { VendorData } from '@site/src/plugins/kurento-vendor';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import Translate, { translate } from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { usePluginData } from '@docusaurus/useGlobalData';
import { LABS } from '@site/labs';
import { explainError, type Explanation } from '@site/labs/framework/explain';
import { parseProgram } from '@site/labs/framework/program';
import { programText } from './program-text';
import type { AnyLab, LabParams, LabSettings, Locale } from '@site/labs/framework/types';
import { recordProgress } from '@site/src/kurento/progress';
import { useLabSettings } from '@site/src/kurento/settings-store';
import { closeSession, openSession, settingsSection } from './session';
import SettingsPanel from './SettingsPanel';
import styles from './lab.module.css';

export interface PreflightRow {
  id: string;
  status: 'pending' | 'running' | 'complete' | 'failed';
  durationMs?: number;
  failingStep?: string;
  explanation?: Explanation;
}

function defaultParams(lab: AnyLab): LabParams {
  return Object.fromEntries((lab.params ?? []).map((param) => [param.id, param.default]));
}

/** Labs run at once by the preflight: `?jobs=N` (1 to MAX_JOBS), 1 without it. */
const MAX_JOBS = 8;
function preflightJobs(search: string): number {
  const value = Number(new URLSearchParams(search).get('jobs') ?? 1);
  return Number.isInteger(value) ? Math.min(MAX_JOBS, Math.max(1, value)) : 1;
}

/**
 * Trainer preflight: runs every lab, one after the other (or `?jobs=N` at a time), against the KMS of the settings,
 * and tabulates the result, the time, and the first failing step with the reason. `npm run labs:check` drives this same page headless. Each lab
 * runs its own program (not the learner's edits) in a page of its own, as in the lab panel.
 */
export default function Preflight(): ReactNode {
  const { i18n } = useDocusaurusContext();
  const locale: Locale = i18n.currentLocale === 'zh-Hans' ? 'zh-Hans' : 'en';
  const vendor = usePluginData('kurento-labs-vendor') as VendorData;
  const { resolved, ready, turn, runtime } = useLabSettings();
  const [rows, setRows] = useState<PreflightRow[]>(() => LABS.map((lab) => ({ id: lab.id, status: 'pending' })));
  const [running, setRunning] = useState(false);
  const [finished, setFinished] = useState(false);
  const stage = useRef<HTMLDivElement>(null);
  const started = useRef(false);

  const runAll = useCallback(async () => {
    setRunning(true);
    setFinished(false);
    const results: PreflightRow[] = LABS.map((lab) => ({ id: lab.id, status: 'pending' }));
    setRows([...results]);
    const settings: LabSettings = {
      kmsUrl: resolved.kmsUrl,
      iceServers: resolved.iceServers,
      ...(turn ? { turn } : {}),
      ...(runtime?.turnStatus ? { turnStatus: runtime.turnStatus } : {}),
      ...(resolved.usesEmbeddedKms && runtime?.media ? { media: runtime.media } : {}),
      siteOrigin: window.location.origin,
    };
    const runOne = async (index: number, lab: AnyLab): Promise<void> => {
      const row: PreflightRow = { id: lab.id, status: 'running' };
      results[index] = row;
      setRows([...results]);
      const began = Date.now();
      const params = defaultParams(lab);
      const container = document.createElement('div');
      stage.current?.append(container);
      let session;
      try {
        const program = parseProgram(await programText(lab, locale));
        session = await openSession({ lab, locale, settings, params, container, vendor, dark: false, scope: `preflight:${lab.id}` });
        const settingsText = settingsSection(lab, settings, params);
        const code = (section: string): string =>
          section === 'settings' ? settingsText : section === 'declarations' ? program.declarations.code : (program.steps.find((step) => step.id === section)?.code ?? '');
        await session.run.start({ code, signal: session.abort.signal });
        row.status = session.run.status === 'complete' ? 'complete' : 'failed';
        const failed = session.run.steps.find((step) => step.status === 'failed');
        if (failed) row.failingStep = lab.steps.find((step) => step.id === failed.id)?.title[locale] ?? failed.id;
        row.explanation = session.run.error;
      } catch (error) {
        row.status = 'failed';
        row.explanation = explainError(error);
      }
      row.durationMs = Date.now() - began;
      recordProgress(lab.id, row.status === 'complete' ? 'complete' : 'failed', row.durationMs);
      await closeSession(session);
      container.remove();
      setRows([...results]);
    };
    // `?jobs=N`: N labs at a time, each taking the next lab not yet started (each in its own page, with its own
    // pipeline). One at a time by default, so that each lab's time is its own.
    const jobs = preflightJobs(window.location.search);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let index = next++; index < LABS.length; index = next++) {
        const lab = LABS[index];
        if (lab) await runOne(index, lab);
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, LABS.length) }, worker));
    setRunning(false);
    setFinished(true);
  }, [locale, resolved.iceServers, resolved.kmsUrl, resolved.usesEmbeddedKms, turn, runtime, vendor]);

  // `?autorun=1`: start as soon as the settings are known (used by `npm run labs:check`).
  useEffect(() => {
    if (!ready || started.current) return;
    if (new URLSearchParams(window.location.search).get('autorun') === '1') {
      started.current = true;
      void runAll();
    }
  }, [ready, runAll]);

  const passed = rows.filter((row) => row.status === 'complete').length;
  return (
    <div data-testid="preflight" data-finished={finished ? 'true' : 'false'}>
      <SettingsPanel locale={locale} />
      <p>
        <button type="button" className="button button--primary" onClick={() => void runAll()} disabled={running || !ready} data-testid="preflight-run">
          {running ? <Translate id="preflight.running">Running every lab…</Translate> : <Translate id="preflight.run">Run every lab</Translate>}
        </button>{' '}
        {finished && (
          <strong data-testid="preflight-summary">
            {translate({ id: 'preflight.summary', message: '{passed} of {total} labs passed' }, { passed, total: rows.length })}
          </strong>
        )}
      </p>
      <table data-testid="preflight-table">
        <thead>
          <tr>
            <th>
              <Translate id="preflight.column.lab">Lab</Translate>
            </th>
            <th>
              <Translate id="preflight.column.result">Result</Translate>
            </th>
            <th>
              <Translate id="preflight.column.time">Time</Translate>
            </th>
            <th>
              <Translate id="preflight.column.why">First failing step, and why</Translate>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const lab = LABS.find((candidate) => candidate.id === row.id);
            return (
              <tr key={row.id} data-testid={`preflight-row-${row.id}`} data-status={row.status} data-ms={row.durationMs ?? ''}>
                <td>{lab?.title[locale] ?? row.id}</td>
                <td>
                  {row.status === 'complete'
                    ? translate({ id: 'preflight.result.pass', message: 'pass' })
                    : row.status === 'failed'
                      ? translate({ id: 'preflight.result.fail', message: 'FAIL' })
                      : row.status === 'running'
                        ? translate({ id: 'preflight.result.running', message: 'running…' })
                        : '—'}
                </td>
                <td>{row.durationMs !== undefined ? `${(row.durationMs / 1000).toFixed(1)} s` : ''}</td>
                <td data-testid={`preflight-why-${row.id}`}>
                  {row.failingStep && <strong>{row.failingStep}: </strong>}
                  {row.explanation && `${row.explanation.title[locale]} ${row.explanation.fix[locale]}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div ref={stage} className={styles.preflightStage} aria-hidden="true" />
    </div>
  );
}
