/**
 * The trainer dashboard (workshop mode): every attendee × every lab, live from the site server (server-sent events on
 * /workshop/trainer/events, which needs the trainer cookie that /trainer?token=… sets); per lab how many finished and
 * their median time; filters for stuck and failed runs; the KMS pool's load; a banner broadcast to attendees.
 */
import { memo, useEffect, useMemo, useState, type ReactNode } from 'react';
import Translate, { translate } from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { LABS } from '@site/labs';
import type { Locale } from '@site/core/localized';
import { BANNER_MAX, isStuck, labSummary, type AttendeeView, type DashboardSnapshot, type KmsView, type LabCell } from '@site/core/workshop';
import styles from './workshop.module.css';

type Connection = 'connecting' | 'live' | 'refused' | 'lost';

function minutes(ms: number | undefined): string {
  if (ms === undefined) return '–';
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

const STATE_CLASS: Record<string, string | undefined> = { complete: styles.complete, failed: styles.failed, running: styles.running };

function stateLabel(state: LabCell['state']): string {
  switch (state) {
    case 'running':
      return translate({ id: 'trainer.state.running', message: 'running' });
    case 'complete':
      return translate({ id: 'trainer.state.complete', message: 'complete' });
    case 'failed':
      return translate({ id: 'trainer.state.failed', message: 'failed' });
    case 'stopped':
      return translate({ id: 'trainer.state.stopped', message: 'stopped' });
    default:
      return translate({ id: 'trainer.state.partial', message: 'partly run' });
  }
}

const Cell = memo(function Cell({ cell, now, stuckMinutes, locale }: { cell: LabCell | undefined; now: number; stuckMinutes: number; locale: Locale }): ReactNode {
  if (!cell) return <td className={styles.cell} data-state="none" />;
  const stuck = isStuck(cell, now, stuckMinutes);
  return (
    <td className={`${styles.cell} ${STATE_CLASS[cell.state] ?? styles.other} ${stuck ? styles.stuck : ''}`} data-state={cell.state} data-stuck={stuck} data-testid="trainer-cell">
      <div>
        {stateLabel(cell.state)} · {cell.step + 1}/{cell.steps}
      </div>
      {cell.completedInMs !== undefined ? (
        <div className={styles.small}>
          <Translate id="trainer.took" values={{ time: minutes(cell.completedInMs) }}>
            {'took {time}'}
          </Translate>
        </div>
      ) : null}
      {cell.state === 'running' && cell.missing.length > 0 ? (
        <div className={styles.small} data-testid="trainer-missing">
          <Translate id="trainer.missing">Missing:</Translate> {cell.missing.map((item) => item[locale]).join(', ')}
        </div>
      ) : null}
      {cell.state === 'failed' && cell.error ? (
        <div className={styles.small} data-testid="trainer-error" data-code={cell.error.code}>
          {cell.stepId}: {cell.error.message[locale]} <code>{cell.error.code}</code>
        </div>
      ) : null}
    </td>
  );
});

const Row = memo(function Row({ attendee, labs, now, stuckMinutes, locale, showKms }: { attendee: AttendeeView; labs: readonly string[]; now: number; stuckMinutes: number; locale: Locale; showKms: boolean }): ReactNode {
  return (
    <tr data-testid="trainer-row" data-name={attendee.name}>
      <th scope="row">
        {attendee.name || '—'}
        {showKms && attendee.kms ? <div className={styles.small}>{attendee.kms}</div> : null}
      </th>
      {labs.map((lab) => (
        <Cell key={lab} cell={attendee.labs[lab]} now={now} stuckMinutes={stuckMinutes} locale={locale} />
      ))}
    </tr>
  );
});

function PoolTable({ pool }: { pool: KmsView[] }): ReactNode {
  if (pool.length === 0) return null;
  return (
    <table data-testid="trainer-pool">
      <thead>
        <tr>
          <th>KMS</th>
          <th>
            <Translate id="trainer.pool.state">State</Translate>
          </th>
          <th>CPU</th>
          <th>
            <Translate id="trainer.pool.pipelines">Pipelines</Translate>
          </th>
          <th>
            <Translate id="trainer.pool.attendees">Attendees</Translate>
          </th>
        </tr>
      </thead>
      <tbody>
        {pool.map((kms) => (
          <tr key={kms.url} data-testid="trainer-kms" data-url={kms.url} data-up={kms.up} data-attendees={kms.attendees}>
            <td>
              <code>{kms.url}</code>
            </td>
            <td className={kms.up ? undefined : styles.down}>
              {kms.up ? translate({ id: 'trainer.pool.up', message: 'in the pool' }) : translate({ id: 'trainer.pool.down', message: 'out of the pool' })}
              {kms.message ? <div className={styles.small}>{kms.message}</div> : null}
            </td>
            <td>{kms.cpu === undefined ? '–' : `${Math.round(kms.cpu)} %`}</td>
            <td>{kms.pipelines ?? '–'}</td>
            <td>{kms.attendees}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function TrainerDashboard(): ReactNode {
  const { i18n } = useDocusaurusContext();
  const locale: Locale = i18n.currentLocale === 'zh-Hans' ? 'zh-Hans' : 'en';
  const [connection, setConnection] = useState<Connection>('connecting');
  const [attendees, setAttendees] = useState<Map<string, AttendeeView>>(new Map());
  const [banner, setBanner] = useState('');
  const [pool, setPool] = useState<KmsView[]>([]);
  const [notices, setNotices] = useState<DashboardSnapshot['notices']>([]);
  const [draft, setDraft] = useState('');
  const [sendError, setSendError] = useState('');
  const [stuckOnly, setStuckOnly] = useState(false);
  const [stuckMinutes, setStuckMinutes] = useState(5);
  const [failedOnly, setFailedOnly] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    const source = new EventSource('/workshop/trainer/events');
    const parse = (event: Event): unknown => JSON.parse((event as MessageEvent<string>).data) as unknown;
    source.addEventListener('snapshot', (event) => {
      const snapshot = parse(event) as DashboardSnapshot;
      setAttendees(new Map(snapshot.attendees.map((attendee) => [attendee.id, attendee])));
      setBanner(snapshot.banner);
      setPool(snapshot.pool);
      setNotices(snapshot.notices);
      setConnection('live');
    });
    source.addEventListener('attendees', (event) => {
      const changed = parse(event) as AttendeeView[];
      setAttendees((current) => {
        const next = new Map(current);
        for (const attendee of changed) next.set(attendee.id, attendee);
        return next;
      });
      setNow(Date.now());
    });
    source.addEventListener('banner', (event) => setBanner(String((parse(event) as { text?: unknown }).text ?? '')));
    source.addEventListener('pool', (event) => setPool(parse(event) as KmsView[]));
    source.addEventListener('notices', (event) => setNotices(parse(event) as DashboardSnapshot['notices']));
    source.onerror = () => {
      // A refused stream (no trainer cookie, or not a workshop) is closed for good; a lost one is retried by the browser.
      setConnection(source.readyState === EventSource.CLOSED ? 'refused' : 'lost');
    };
    source.onopen = () => setConnection('live');
    return () => source.close();
  }, []);

  const labIds = useMemo(() => {
    const known = LABS.map((lab) => lab.id);
    const extra = new Set<string>();
    for (const attendee of attendees.values()) for (const lab of Object.keys(attendee.labs)) if (!known.includes(lab)) extra.add(lab);
    return [...known, ...[...extra].sort()];
  }, [attendees]);
  const titles = useMemo(() => new Map(LABS.map((lab) => [lab.id, lab.title[locale]])), [locale]);
  const all = useMemo(() => [...attendees.values()].sort((a, b) => a.name.localeCompare(b.name)), [attendees]);
  const shown = all.filter((attendee) => {
    const cells = Object.values(attendee.labs);
    if (stuckOnly && !cells.some((cell) => isStuck(cell, now, stuckMinutes))) return false;
    if (failedOnly && !cells.some((cell) => cell.state === 'failed')) return false;
    return true;
  });

  const sendBanner = async (text: string): Promise<void> => {
    setSendError('');
    try {
      const response = await fetch('/workshop/trainer/banner', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text }) });
      if (!response.ok) setSendError(((await response.json()) as { error?: string }).error ?? String(response.status));
      else setDraft('');
    } catch (error) {
      setSendError(String(error));
    }
  };

  if (connection === 'refused') {
    return (
      <p className="alert alert--warning" data-testid="trainer-refused">
        <Translate id="trainer.refused">
          The dashboard did not open: it needs workshop mode (npm start -- --https) and the trainer token. Open the /trainer?token=… address that npm start printed.
        </Translate>
      </p>
    );
  }

  return (
    <div data-testid="trainer-dashboard" data-connection={connection} data-attendees={all.length}>
      {connection === 'lost' ? (
        <p className="alert alert--warning">
          <Translate id="trainer.lost">The connection to the site server was lost; the browser reconnects by itself.</Translate>
        </p>
      ) : null}
      <form
        className={styles.controls}
        onSubmit={(event) => {
          event.preventDefault();
          void sendBanner(draft);
        }}
      >
        <label>
          <Translate id="trainer.banner.label">Banner for every attendee</Translate>{' '}
          <input data-testid="trainer-banner-input" value={draft} maxLength={BANNER_MAX} size={50} onChange={(event) => setDraft(event.target.value)} />
        </label>
        <button type="submit" className="button button--sm button--primary" disabled={draft.trim() === ''} data-testid="trainer-banner-send">
          <Translate id="trainer.banner.send">Broadcast</Translate>
        </button>
        <button type="button" className="button button--sm button--secondary" disabled={banner === ''} onClick={() => void sendBanner('')} data-testid="trainer-banner-clear">
          <Translate id="trainer.banner.clear">Remove the banner</Translate>
        </button>
        {banner ? (
          <span data-testid="trainer-banner-current">
            <Translate id="trainer.banner.current">Showing:</Translate> “{banner}”
          </span>
        ) : null}
        {sendError ? <span className={styles.down}>{sendError}</span> : null}
      </form>
      <PoolTable pool={pool} />
      {notices.length > 0 ? (
        <ul data-testid="trainer-notices">
          {notices.slice(-8).map((notice) => (
            <li key={`${notice.at}-${notice.text.en}`}>
              {new Date(notice.at).toLocaleTimeString()} {notice.text[locale]}
            </li>
          ))}
        </ul>
      ) : null}
      <div className={styles.controls}>
        <label>
          <input type="checkbox" checked={stuckOnly} onChange={(event) => setStuckOnly(event.target.checked)} data-testid="trainer-filter-stuck" />{' '}
          <Translate id="trainer.filter.stuck">Stuck for more than</Translate>{' '}
          <input type="number" min={1} max={120} value={stuckMinutes} onChange={(event) => setStuckMinutes(Math.max(1, Number(event.target.value) || 1))} style={{ width: '4em' }} data-testid="trainer-filter-minutes" />{' '}
          <Translate id="trainer.filter.minutes">minutes</Translate>
        </label>
        <label>
          <input type="checkbox" checked={failedOnly} onChange={(event) => setFailedOnly(event.target.checked)} data-testid="trainer-filter-failed" />{' '}
          <Translate id="trainer.filter.failed">Failed</Translate>
        </label>
        <span>
          <Translate id="trainer.count" values={{ shown: shown.length, all: all.length }}>
            {'{shown} of {all} attendees'}
          </Translate>
        </span>
      </div>
      <table className={styles.grid} data-testid="trainer-grid">
        <thead>
          <tr>
            <th>
              <Translate id="trainer.attendee">Attendee</Translate>
            </th>
            {labIds.map((lab) => (
              <th key={lab} title={titles.get(lab) ?? lab}>
                {lab}
              </th>
            ))}
          </tr>
          <tr data-testid="trainer-summary">
            <th>
              <Translate id="trainer.summary">Finished · median time</Translate>
            </th>
            {labIds.map((lab) => {
              const { finished, medianMs } = labSummary(all, lab);
              return (
                <th key={lab} className={styles.small} data-lab={lab} data-finished={finished}>
                  {finished} · {minutes(medianMs)}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {shown.map((attendee) => (
            <Row key={attendee.id} attendee={attendee} labs={labIds} now={now} stuckMinutes={stuckMinutes} locale={locale} showKms={pool.length > 0} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
