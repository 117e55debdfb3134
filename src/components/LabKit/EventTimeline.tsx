import { memo, useCallback, useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import clsx from 'clsx';
import Translate, { translate } from '@docusaurus/Translate';
import type { ExpectationState } from '@site/labs/framework/sequence';
import type { LabEvent, Lane, Locale } from '@site/labs/framework/types';
import classStyles from './event-classes.module.css';
import styles from './views.module.css';

export interface EventTimelineProps {
  events: readonly LabEvent[];
  expectations: readonly ExpectationState[];
  locale: Locale;
  running: boolean;
  /** For labs about events: KMD class → the events it defines, most general class first (LabDefinition.eventClasses). */
  eventClasses?: Readonly<Record<string, readonly string[]>>;
}

const LANES: readonly Lane[] = ['kms', 'browser', 'app'];
/** Rows rendered at most: the newest ones. */
const MAX_ROWS = 500;
/** Keys of the KMS event envelope that say nothing about the event itself. */
const ENVELOPE = new Set(['source', 'tags', 'timestamp', 'timestampMillis', 'type']);

function laneLabel(lane: Lane): string {
  switch (lane) {
    case 'kms':
      return translate({ id: 'lab.timeline.lane.kms', message: 'KMS', description: 'Lane of events raised by Kurento Media Server' });
    case 'browser':
      return translate({ id: 'lab.timeline.lane.browser', message: 'Browser', description: 'Lane of events raised by the browser WebRTC peer' });
    case 'app':
      return translate({ id: 'lab.timeline.lane.app', message: 'Application server', description: 'Lane of messages from the application server' });
  }
}

function elapsed(t: number): string {
  return `+${(t / 1000).toFixed(3)} s`;
}

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** JSON.stringify that survives cycles and bigints (event data comes from outside). */
function toJson(value: unknown, indent?: number): string {
  const seen = new WeakSet<object>();
  try {
    const text = JSON.stringify(
      value,
      (_key, item: unknown) => {
        if (typeof item === 'bigint') return item.toString();
        if (typeof item === 'object' && item !== null) {
          if (seen.has(item)) return '[circular]';
          seen.add(item);
        }
        return item;
      },
      indent,
    );
    return text ?? String(value);
  } catch {
    return String(value);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** `typ` and transport of an ICE candidate line (`candidate:1 1 UDP 2122 192.0.2.1 5000 typ host`), or of `{ candidate }`. */
function candidateInfo(value: unknown): string | undefined {
  const line = typeof value === 'string' ? value : isRecord(value) && typeof value.candidate === 'string' ? value.candidate : undefined;
  if (line === undefined) return undefined;
  if (line.trim() === '') return translate({ id: 'lab.timeline.summary.endOfCandidates', message: 'end of candidates' });
  const parts = line.replace(/^a=/, '').trim().split(/\s+/);
  const at = (index: number): string => (index >= 0 ? (parts[index + 1] ?? '?') : '');
  const typ = at(parts.indexOf('typ')) || '?';
  const protocol = (parts[2] ?? '?').toLowerCase();
  const tcpType = at(parts.indexOf('tcptype'));
  return `${typ} ${protocol}${tcpType ? ` ${tcpType}` : ''}`;
}

/** A KMS object id names its class at the end (`…_kurento.WebRtcEndpoint`); the role is nicer when known. */
function elementName(id: unknown, roles: ReadonlyMap<string, string> | undefined): string {
  if (typeof id !== 'string') return '?';
  const role = roles?.get(id);
  if (role) return role;
  const kmsClass = /_kurento\.(\w+)$/.exec(id)?.[1];
  if (kmsClass) return kmsClass;
  return id.length > 24 ? `…${id.slice(-20)}` : id;
}

function shortJson(data: Record<string, unknown>): string {
  const rest = Object.fromEntries(Object.entries(data).filter(([key]) => !ENVELOPE.has(key)));
  const json = toJson(rest);
  if (json === '{}') return '';
  return json.length > 100 ? `${json.slice(0, 99)}…` : json;
}

/**
 * One line on what an event says: the new state, the media type, the candidate type… `roles` maps KMS object ids to
 * the roles the lab gave them (for the sink of ElementConnected).
 */
export function summarize(event: LabEvent, roles?: ReadonlyMap<string, string>): string {
  const data = event.data;
  switch (event.type) {
    case 'IceComponentStateChanged':
      if (text(data.state) !== undefined) return text(data.state) ?? '';
      break;
    case 'MediaFlowInStateChanged':
    case 'MediaFlowOutStateChanged':
      return [text(data.mediaType), text(data.state)].filter(Boolean).join(' ');
    case 'ElementConnected':
    case 'ElementDisconnected':
      return `${text(data.mediaType) ?? ''} → ${elementName(data.sink, roles)}`.trim();
    case 'IceCandidateFound':
    case 'icecandidate': {
      const info = candidateInfo(data.candidate);
      if (info !== undefined) return info;
      break;
    }
    case 'NewCandidatePairSelected': {
      const pair = isRecord(data.candidatePair) ? data.candidatePair : {};
      return translate(
        { id: 'lab.timeline.summary.pair', message: 'local {local} ↔ remote {remote}', description: 'Selected ICE candidate pair; values are candidate types such as host/srflx/relay' },
        { local: candidateInfo(pair.localCandidate) ?? '?', remote: candidateInfo(pair.remoteCandidate) ?? '?' },
      );
    }
  }
  if (text(data.oldState) !== undefined && text(data.newState) !== undefined) return `${text(data.oldState)} → ${text(data.newState)}`;
  if (text(data.state) !== undefined) return text(data.state) ?? '';
  return shortJson(data);
}

/** Stable React keys for events (the recorder drops the oldest ones, so indexes shift). */
const eventKeys = new WeakMap<LabEvent, number>();
let nextEventKey = 0;
function keyOf(event: LabEvent): number {
  let key = eventKeys.get(event);
  if (key === undefined) {
    key = nextEventKey++;
    eventKeys.set(event, key);
  }
  return key;
}

interface RowProps {
  event: LabEvent;
  column: string | undefined;
  summary: string;
  expanded: boolean;
  onToggle: (event: LabEvent) => void;
}

const EventRow = memo(function EventRow({ event, column, summary, expanded, onToggle }: RowProps): ReactNode {
  return (
    <li className={clsx(styles.eventRow, styles[`lane_${event.lane}`])} data-testid="timeline-event" data-lane={event.lane} data-type={event.type}>
      <button type="button" className={styles.rowButton} aria-expanded={expanded} onClick={() => onToggle(event)}>
        <span className={styles.time}>{elapsed(event.t)}</span>
        <span className={clsx(styles.cell, column)}>
          <span className={styles.laneBadge}>{laneLabel(event.lane)}</span>
          <span className={styles.source}>{event.source}</span>
          <span className={styles.type}>{event.type}</span>
          {summary && <span className={styles.summary}>{summary}</span>}
        </span>
      </button>
      {expanded && <pre className={clsx(styles.json, styles.eventJson)}>{toJson(event, 2)}</pre>}
    </li>
  );
});

function statusText(state: ExpectationState): string {
  switch (state.status) {
    case 'seen':
      return translate({ id: 'lab.timeline.expected.seen', message: 'seen', description: 'Status of an expected event that arrived' });
    case 'waiting':
      return translate({ id: 'lab.timeline.expected.waiting', message: 'waiting', description: 'Status of an expected event not arrived yet' });
    case 'overdue':
      return translate({ id: 'lab.timeline.expected.overdue', message: 'overdue', description: 'Status of an expected event later than it should be' });
  }
}

/** ✓ seen, a clock while waiting (drawn: clock glyphs are missing from many fonts), ⚠ overdue. */
function StatusIcon({ status }: { status: ExpectationState['status'] }): ReactNode {
  if (status === 'seen') return '✓';
  if (status === 'overdue') return '⚠\uFE0E';
  return (
    <svg viewBox="0 0 16 16" width="14" height="14">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M8 4.5V8l2.5 1.6" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}

function Checklist({ expectations, locale }: { expectations: readonly ExpectationState[]; locale: Locale }): ReactNode {
  const headingId = useId();
  const seen = expectations.filter((state) => state.status === 'seen').length;
  return (
    <section className={styles.checklist} aria-labelledby={headingId}>
      <h4 className={styles.heading} id={headingId}>
        <Translate id="lab.timeline.expected.title" description="Heading of the expected-versus-observed event checklist">
          Expected events
        </Translate>{' '}
        <span className={styles.muted}>
          <Translate id="lab.timeline.expected.count" values={{ seen, total: expectations.length }} description="How many expected events arrived">
            {'{seen} of {total} seen'}
          </Translate>
        </span>
      </h4>
      {expectations.length === 0 ? (
        <p className={styles.empty}>
          <Translate id="lab.timeline.expected.none">This lab expects no particular events.</Translate>
        </p>
      ) : (
        <ul className={styles.expList}>
          {expectations.map((state) => {
            const { expectation, status } = state;
            return (
              <li key={expectation.id} className={clsx(styles.exp, styles[`exp_${status}`])} data-testid={`expected-${expectation.id}`} data-status={status}>
                <span className={styles.expIcon} aria-hidden="true">
                  <StatusIcon status={status} />
                </span>
                <span className={styles.expBody}>
                  <span className={styles.visuallyHidden}>{statusText(state)}: </span>
                  {expectation.label[locale]}
                  {expectation.optional && (
                    <span className={styles.expMeta}>
                      <Translate id="lab.timeline.expected.optional" description="Marks an expected event that is not required">
                        (optional)
                      </Translate>
                    </span>
                  )}
                  {status === 'seen' && state.seenAt !== undefined && (
                    <span className={clsx(styles.expMeta, styles.mono)}>
                      <Translate id="lab.timeline.expected.seenAt" values={{ time: duration(state.seenAt) }} description="When an expected event arrived, after the run started">
                        {'at {time}'}
                      </Translate>
                    </span>
                  )}
                  {state.outOfOrder > 0 && (
                    <span className={clsx(styles.expMeta, styles.warn)}>
                      <Translate id="lab.timeline.expected.outOfOrder" values={{ count: state.outOfOrder }} description="Matching events that came before their prerequisites">
                        {'{count} out of order'}
                      </Translate>
                    </span>
                  )}
                  {status === 'overdue' && (
                    <span className={styles.expHint} role="note">
                      {expectation.hint?.[locale] ??
                        translate({ id: 'lab.timeline.expected.lateNoHint', message: 'This event is taking longer than expected.' })}
                    </span>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/**
 * Every event the lab's KMS element can raise, grouped by the KMD class that defines it, with how often KMS raised it in
 * this run. A name is a button: it filters the event list to that type.
 */
function EventClasses({ classes, events, onPick }: { classes: Readonly<Record<string, readonly string[]>>; events: readonly LabEvent[]; onPick: (type: string) => void }): ReactNode {
  const headingId = useId();
  const counts = useMemo(() => {
    const map = new Map<string, number>();
    for (const event of events) if (event.lane === 'kms') map.set(event.type, (map.get(event.type) ?? 0) + 1);
    return map;
  }, [events]);
  const entries = Object.entries(classes);
  return (
    <section className={classStyles.classes} aria-labelledby={headingId} data-testid="event-classes">
      <h4 className={styles.heading} id={headingId}>
        <Translate id="lab.eventClasses.heading" description="Heading of the table of events grouped by the KMD class that defines them">
          Events by the class that defines them
        </Translate>
      </h4>
      <p className={styles.muted}>
        <Translate
          id="lab.eventClasses.note"
          description="Explains the table of event classes; {last} is a class name such as WebRtcEndpoint"
          values={{ last: <code>{entries[entries.length - 1]?.[0] ?? ''}</code> }}
        >
          {'A {last} raises the events of its own class and of every class it inherits from (top: the most general). The number is how often KMS raised it in this run; a name filters the list below.'}
        </Translate>
      </p>
      <table className={classStyles.table}>
        <tbody>
          {entries.map(([className, names]) => (
            <tr key={className} data-testid={`event-class-${className}`}>
              <th scope="row">
                <code>{className}</code>
              </th>
              <td>
                {names.map((name) => {
                  const count = counts.get(name) ?? 0;
                  return (
                    <button
                      key={name}
                      type="button"
                      className={clsx(classStyles.chip, count > 0 ? classStyles.seen : classStyles.unseen)}
                      onClick={() => onPick(name)}
                      data-testid={`event-count-${name}`}
                      data-count={count}
                      title={translate(
                        { id: 'lab.eventClasses.filter', message: 'Show only {type} events', description: 'Tooltip of an event name in the class table' },
                        { type: name },
                      )}
                    >
                      {name} <span className={classStyles.count}>×{count}</span>
                    </button>
                  );
                })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The expected-versus-observed checklist and the events of the run in three lanes (KMS, browser, application server),
 * filterable, each expandable to its JSON. Follows the newest event while running unless the learner scrolled up.
 */
export default function EventTimeline({ events, expectations, locale, running, eventClasses }: EventTimelineProps): ReactNode {
  const [lanes, setLanes] = useState<Readonly<Record<Lane, boolean>>>({ kms: true, browser: true, app: true });
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState<ReadonlySet<LabEvent>>(() => new Set());
  const [following, setFollowing] = useState(true);
  const scrollRef = useRef<HTMLDivElement>(null);
  const followRef = useRef(true);
  const listId = useId();

  const needle = query.trim().toLowerCase();
  const filtered = useMemo(
    () =>
      events.filter(
        (event) => lanes[event.lane] && (needle === '' || event.type.toLowerCase().includes(needle) || event.source.toLowerCase().includes(needle)),
      ),
    [events, lanes, needle],
  );
  const shown = filtered.length > MAX_ROWS ? filtered.slice(-MAX_ROWS) : filtered;
  const isFiltered = needle !== '' || LANES.some((lane) => !lanes[lane]);

  // KMS events carry their object's id in `source`: learn which role each id has, to name connection sinks.
  const roles = useMemo(() => {
    const map = new Map<string, string>();
    for (const event of events) if (event.lane === 'kms' && typeof event.data.source === 'string') map.set(event.data.source, event.source);
    return map;
  }, [events]);

  const visibleLanes = LANES.filter((lane) => lanes[lane]);
  const columnOf = (lane: Lane): string | undefined => styles[`col${visibleLanes.indexOf(lane) + 2}`];

  const toggle = useCallback((event: LabEvent) => {
    setExpanded((previous) => {
      const next = new Set(previous);
      if (next.has(event)) next.delete(event);
      else next.add(event);
      return next;
    });
  }, []);

  const onScroll = (): void => {
    const element = scrollRef.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
    followRef.current = atBottom;
    setFollowing(atBottom);
  };

  const jumpToNewest = (): void => {
    const element = scrollRef.current;
    if (!element) return;
    followRef.current = true;
    setFollowing(true);
    element.scrollTop = element.scrollHeight;
  };

  // When events arrive: stay on the newest one while running, unless the learner scrolled up to read. Only then, so
  // a render for other reasons does not force a layout to read scrollHeight.
  const newest = events.at(-1);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (running && followRef.current && element) element.scrollTop = element.scrollHeight;
  }, [running, events.length, newest]);

  return (
    <div className={clsx(styles.view, styles.timeline)} data-testid="timeline">
      <Checklist expectations={expectations} locale={locale} />
      {eventClasses && <EventClasses classes={eventClasses} events={events} onPick={setQuery} />}
      <section className={styles.events} aria-label={translate({ id: 'lab.timeline.events.label', message: 'Observed events' })}>
        <div className={styles.toolbar}>
          {LANES.map((lane) => (
            <label key={lane}>
              <input
                type="checkbox"
                checked={lanes[lane]}
                onChange={(change) => setLanes((previous) => ({ ...previous, [lane]: change.target.checked }))}
                data-testid={`timeline-lane-${lane}`}
              />
              {laneLabel(lane)}
            </label>
          ))}
          <input
            type="search"
            className={styles.search}
            value={query}
            onChange={(change) => setQuery(change.target.value)}
            placeholder={translate({ id: 'lab.timeline.filter.placeholder', message: 'Filter by event type or source' })}
            aria-label={translate({ id: 'lab.timeline.filter.label', message: 'Filter events by type or source' })}
            aria-controls={listId}
            data-testid="timeline-filter"
          />
        </div>
        <div className={clsx(styles.eventScroll, styles[`cols${Math.max(visibleLanes.length, 1)}`])} ref={scrollRef} onScroll={onScroll}>
          {visibleLanes.length > 0 && (
            <div className={styles.laneHeader} aria-hidden="true">
              <span className={styles.time}>
                <Translate id="lab.timeline.column.time" description="Column of event times since the run started">
                  Time
                </Translate>
              </span>
              {visibleLanes.map((lane) => (
                <span key={lane} className={columnOf(lane)}>
                  {laneLabel(lane)}
                </span>
              ))}
            </div>
          )}
          {shown.length === 0 ? (
            <p className={styles.empty} id={listId}>
              {events.length === 0 ? (
                <Translate id="lab.timeline.empty">No events yet. They appear here as KMS, the browser and the server raise them.</Translate>
              ) : (
                <Translate id="lab.timeline.noMatch">No event matches the filters.</Translate>
              )}
            </p>
          ) : (
            <ol className={styles.eventList} id={listId}>
              {shown.map((event) => (
                <EventRow
                  key={keyOf(event)}
                  event={event}
                  column={columnOf(event.lane)}
                  summary={summarize(event, roles)}
                  expanded={expanded.has(event)}
                  onToggle={toggle}
                />
              ))}
            </ol>
          )}
          {running && !following && shown.length > 0 && (
            <button type="button" className={clsx(styles.smallButton, styles.jump)} onClick={jumpToNewest}>
              <Translate id="lab.timeline.jumpToNewest" description="Button that scrolls the event list to the newest event">
                ↓ Newest events
              </Translate>
            </button>
          )}
        </div>
        <p className={styles.note}>
          {filtered.length > shown.length ? (
            <Translate id="lab.timeline.truncated" values={{ shown: shown.length, total: filtered.length }} description="Only the newest events are drawn">
              {'Showing last {shown} of {total} events.'}
            </Translate>
          ) : isFiltered && events.length > 0 ? (
            <Translate id="lab.timeline.matching" values={{ count: filtered.length, total: events.length }}>
              {'{count} of {total} events match the filters.'}
            </Translate>
          ) : null}{' '}
          {shown.length > 0 && <Translate id="lab.timeline.expandHint">Select an event to see its JSON.</Translate>}
        </p>
      </section>
    </div>
  );
}
