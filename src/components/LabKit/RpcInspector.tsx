import { memo, useCallback, useDeferredValue, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import clsx from 'clsx';
import Translate, { translate } from '@docusaurus/Translate';
import { channelKind, pairFrames, type ChannelKind, type RpcPair } from '@site/labs/framework/recorder';
import type { LabFrame } from '@site/labs/framework/types';
import styles from './views.module.css';

export interface RpcInspectorProps {
  frames: readonly LabFrame[];
}

/** Rows rendered at most: the newest ones. */
const MAX_ROWS = 500;
const ALL_CHANNELS = '';

function elapsed(t: number): string {
  return `+${(t / 1000).toFixed(3)} s`;
}

/**
 * The container passes a fresh copy of the recorder's (append-only, front-trimmed) frame list on every render; keep
 * the previous copy while its length and ends are the same, so that pairing and filtering run only on new frames.
 */
function useStableList<T>(list: readonly T[]): readonly T[] {
  const cache = useRef(list);
  const previous = cache.current;
  if (previous !== list && (previous.length !== list.length || previous[0] !== list[0] || previous.at(-1) !== list.at(-1))) cache.current = list;
  return cache.current;
}

/** The frame a row stands for: its request, or the notification. Stays the same object when older frames are dropped. */
function anchorOf(pair: RpcPair): LabFrame | undefined {
  return pair.request ?? pair.notification;
}

const lowerTexts = new WeakMap<LabFrame, string>();
function lower(frame: LabFrame | undefined): string {
  if (!frame) return '';
  let text = lowerTexts.get(frame);
  if (text === undefined) {
    text = frame.text.toLowerCase();
    lowerTexts.set(frame, text);
  }
  return text;
}

function pretty(frame: LabFrame): string {
  try {
    return JSON.stringify(JSON.parse(frame.text), null, 2);
  } catch {
    return frame.text;
  }
}

function isPing(pair: RpcPair): boolean {
  return pair.method === 'ping';
}

function isEvent(pair: RpcPair): boolean {
  return pair.method === 'onEvent' || pair.method.startsWith('onEvent ');
}

const frameKeys = new WeakMap<LabFrame, number>();
let nextFrameKey = 0;
function keyOf(frame: LabFrame): number {
  let key = frameKeys.get(frame);
  if (key === undefined) {
    key = nextFrameKey++;
    frameKeys.set(frame, key);
  }
  return key;
}

function directionText(frame: LabFrame): string {
  if (channelKind(frame.channel) === 'app-kms') {
    return frame.direction === 'out'
      ? translate({ id: 'lab.rpc.direction.appOut', message: 'sent by the application server', description: 'A JSON-RPC frame the application server sent to KMS' })
      : translate({ id: 'lab.rpc.direction.appIn', message: 'received by the application server', description: 'A JSON-RPC frame the application server received from KMS' });
  }
  return frame.direction === 'out'
    ? translate({ id: 'lab.rpc.direction.out', message: 'sent', description: 'A JSON-RPC frame the page sent' })
    : translate({ id: 'lab.rpc.direction.in', message: 'received', description: 'A JSON-RPC frame the page received' });
}

/** Who talks on a channel, in words: the page with KMS, the page with an application server, or that server with KMS. */
function laneText(kind: ChannelKind): string {
  switch (kind) {
    case 'app-kms':
      return translate({ id: 'lab.rpc.lane.appKms', message: 'application server ↔ KMS', description: 'Frames the application server exchanged with KMS for this page' });
    case 'browser-app':
      return translate({ id: 'lab.rpc.lane.browserApp', message: 'browser ↔ application server', description: 'Frames between this page and an application server' });
    case 'browser-kms':
      return translate({ id: 'lab.rpc.lane.browserKms', message: 'browser ↔ KMS', description: "Frames between this page's kurento-client and KMS" });
  }
}

interface RowProps {
  pair: RpcPair;
  anchor: LabFrame;
  selected: boolean;
  onSelect: (anchor: LabFrame) => void;
}

const RpcRow = memo(function RpcRow({ pair, anchor, selected, onSelect }: RowProps): ReactNode {
  let result: ReactNode = null;
  if (pair.error) {
    result = (
      <span className={styles.fail}>
        {pair.error.code} {pair.error.message}
      </span>
    );
  } else if (pair.response) {
    result = (
      <span className={styles.ok}>
        <span aria-hidden="true">✓</span>
        <span className={styles.visuallyHidden}>{translate({ id: 'lab.rpc.result.ok', message: 'succeeded' })}</span>
      </span>
    );
  } else if (pair.request) {
    result = (
      <span className={styles.muted}>
        <Translate id="lab.rpc.result.pending" description="A request still waiting for its response">
          waiting for response…
        </Translate>
      </span>
    );
  }
  const kind = channelKind(pair.channel);
  return (
    <li>
      <button
        type="button"
        className={clsx(styles.rowButton, styles.rpcRow, kind === 'app-kms' && styles.rpcRowAppKms, selected && styles.rpcRowSelected)}
        aria-pressed={selected}
        onClick={() => onSelect(anchor)}
        data-testid="rpc-row"
        data-lane={kind}
        data-method={pair.method}
        data-status={pair.error ? 'error' : pair.response ? 'ok' : pair.request ? 'pending' : 'notification'}
      >
        <span className={styles.time}>{elapsed(anchor.t)}</span>
        <span aria-hidden="true" title={directionText(anchor)}>
          {anchor.direction === 'out' ? '→' : '←'}
        </span>
        <span className={styles.rpcMethod}>
          <span className={styles.visuallyHidden}>{directionText(anchor)} </span>
          {pair.method}
        </span>
        <span className={styles.rpcChannel}>
          {pair.channel}
          {kind !== 'browser-kms' && (
            <span className={clsx(styles.rpcLane, kind === 'app-kms' && styles.rpcLaneAppKms)} data-testid="rpc-lane">
              {laneText(kind)}
            </span>
          )}
        </span>
        <span className={styles.rpcLatency}>{pair.latency !== undefined ? `${pair.latency} ms` : ''}</span>
        <span className={styles.rpcResult}>
          {result}
          {anchor.dropped !== undefined && (
            <span className={styles.muted}>
              {' '}
              <Translate id="lab.rpc.dropped" values={{ count: anchor.dropped }} description="The application server skipped frames (rate limit) before this one">
                {'({count} frames left out before this one)'}
              </Translate>
            </span>
          )}
        </span>
      </button>
    </li>
  );
});

function CopyButton({ text, label }: { text: string; label: string }): ReactNode {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return undefined;
    const timer = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = (): void => {
    if (!navigator.clipboard) {
      setState('failed');
      return;
    }
    navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <button type="button" className={styles.smallButton} onClick={copy} aria-label={label} data-testid="rpc-copy">
      <span aria-live="polite">
        {state === 'copied'
          ? translate({ id: 'lab.rpc.copied', message: 'Copied' })
          : state === 'failed'
            ? translate({ id: 'lab.rpc.copyFailed', message: 'Copy failed' })
            : translate({ id: 'lab.rpc.copy', message: 'Copy' })}
      </span>
    </button>
  );
}

function Pane({ title, frame }: { title: string; frame: LabFrame }): ReactNode {
  const json = pretty(frame);
  return (
    <div className={styles.rpcPane}>
      <div className={styles.paneHead}>
        <span>
          {title}{' '}
          <span className={clsx(styles.muted, styles.mono)}>
            {directionText(frame)} {elapsed(frame.t)}
          </span>
        </span>
        <CopyButton text={json} label={translate({ id: 'lab.rpc.copyLabel', message: 'Copy {what} JSON', description: '{what} is Request, Response or Notification' }, { what: title })} />
      </div>
      {frame.truncated && (
        <p className={styles.muted}>
          <Translate id="lab.rpc.truncatedFrame" description="A frame whose long strings (SDPs) the application server cut before forwarding it">
            The application server shortened the long strings of this frame before forwarding it.
          </Translate>
        </p>
      )}
      <pre className={styles.json}>{json}</pre>
    </div>
  );
}

function Detail({ pair }: { pair: RpcPair }): ReactNode {
  const request = translate({ id: 'lab.rpc.request', message: 'Request' });
  const response = translate({ id: 'lab.rpc.response', message: 'Response' });
  return (
    <div className={styles.rpcDetail} data-testid="rpc-detail" data-lane={channelKind(pair.channel)}>
      {pair.notification && <Pane title={translate({ id: 'lab.rpc.notification', message: 'Notification' })} frame={pair.notification} />}
      {pair.request && <Pane title={request} frame={pair.request} />}
      {pair.request &&
        (pair.response ? (
          <Pane title={response} frame={pair.response} />
        ) : (
          <div className={styles.rpcPane}>
            <div className={styles.paneHead}>{response}</div>
            <p className={styles.empty}>
              <Translate id="lab.rpc.noResponse">No response yet.</Translate>
            </p>
          </div>
        ))}
    </div>
  );
}

/** The JSON-RPC traffic of the run: requests paired with their responses, notifications, errors, latencies. */
export default function RpcInspector({ frames }: RpcInspectorProps): ReactNode {
  const stableFrames = useStableList(frames);
  const pairs = useMemo(() => pairFrames(stableFrames), [stableFrames]);
  const [query, setQuery] = useState('');
  const [hideNoise, setHideNoise] = useState(false);
  const [channel, setChannel] = useState(ALL_CHANNELS);
  const [selected, setSelected] = useState<LabFrame | undefined>();
  const listId = useId();
  const needle = useDeferredValue(query.trim().toLowerCase());

  const channels = useMemo(() => [...new Set(pairs.map((pair) => pair.channel))], [pairs]);
  const viaAppServer = channels.some((name) => channelKind(name) === 'app-kms');
  const filtered = useMemo(
    () =>
      pairs.filter(
        (pair) =>
          (channel === ALL_CHANNELS || pair.channel === channel) &&
          !(hideNoise && (isPing(pair) || isEvent(pair))) &&
          (needle === '' ||
            pair.method.toLowerCase().includes(needle) ||
            lower(pair.request).includes(needle) ||
            lower(pair.response).includes(needle) ||
            lower(pair.notification).includes(needle)),
      ),
    [pairs, channel, hideNoise, needle],
  );
  const shown = filtered.length > MAX_ROWS ? filtered.slice(-MAX_ROWS) : filtered;
  const selectedPair = selected ? pairs.find((pair) => anchorOf(pair) === selected) : undefined;

  const select = useCallback((anchor: LabFrame) => setSelected((previous) => (previous === anchor ? undefined : anchor)), []);

  return (
    <div className={styles.view} data-testid="rpc-inspector">
      <div className={styles.toolbar}>
        <input
          type="search"
          className={styles.search}
          value={query}
          onChange={(change) => setQuery(change.target.value)}
          placeholder={translate({ id: 'lab.rpc.filter.placeholder', message: 'Filter by method or JSON text' })}
          aria-label={translate({ id: 'lab.rpc.filter.label', message: 'Filter JSON-RPC messages by method or JSON text' })}
          aria-controls={listId}
          data-testid="rpc-filter"
        />
        <label>
          <input type="checkbox" checked={hideNoise} onChange={(change) => setHideNoise(change.target.checked)} data-testid="rpc-hide-noise" />
          <Translate id="lab.rpc.hideNoise" description="Checkbox that hides ping requests and onEvent notifications">
            Hide ping and onEvent
          </Translate>
        </label>
        {channels.length > 1 && (
          <label>
            <Translate id="lab.rpc.channel">Channel</Translate>
            <select className={styles.select} value={channel} onChange={(change) => setChannel(change.target.value)} data-testid="rpc-channel">
              <option value={ALL_CHANNELS}>{translate({ id: 'lab.rpc.channel.all', message: 'All channels' })}</option>
              {channels.map((name) => (
                <option key={name} value={name}>
                  {`${name} (${laneText(channelKind(name))})`}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {viaAppServer && (
        <p className={styles.note} data-testid="rpc-app-kms-note">
          <Translate id="lab.rpc.appKmsNote" description="Explains the app-kms channels of the three-tier labs; app-kms: is an identifier">
            {'The app-kms: channels are what the application server exchanged with KMS for this page: the browser never talks to KMS, the application server forwards a copy of its own frames (only those about the media objects of this page).'}
          </Translate>
        </p>
      )}
      <div className={styles.rpcScroll}>
        {shown.length === 0 ? (
          <p className={styles.empty} id={listId}>
            {pairs.length === 0 ? (
              <Translate id="lab.rpc.empty">No JSON-RPC messages yet.</Translate>
            ) : (
              <Translate id="lab.rpc.noMatch">No message matches the filters.</Translate>
            )}
          </p>
        ) : (
          <ul className={styles.rpcList} id={listId} aria-label={translate({ id: 'lab.rpc.list', message: 'JSON-RPC messages' })}>
            {shown.map((pair) => {
              const anchor = anchorOf(pair);
              return anchor ? <RpcRow key={keyOf(anchor)} pair={pair} anchor={anchor} selected={anchor === selected} onSelect={select} /> : null;
            })}
          </ul>
        )}
      </div>
      <p className={styles.note}>
        {filtered.length > shown.length && (
          <Translate id="lab.rpc.truncated" values={{ shown: shown.length, total: filtered.length }} description="Only the newest messages are listed">
            {'Showing last {shown} of {total} messages.'}
          </Translate>
        )}{' '}
        {!selectedPair && shown.length > 0 && <Translate id="lab.rpc.selectHint">Select a message to see its request and response.</Translate>}
      </p>
      {selectedPair && <Detail pair={selectedPair} />}
    </div>
  );
}
