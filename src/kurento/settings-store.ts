/**
 * Browser side of the settings: what the learner saved (localStorage), what `npm start` serves at run time
 * (/labs-runtime.json), what the build baked in (customFields), resolved with the precedence of settings.ts.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { resolveSettings, resolveTurn, type EmbeddedKms, type ResolvedSettings, type StoredSettings, type TurnSettings } from '@site/core/settings';

const STORAGE_KEY = 'kurento-labs:settings';
const CHANGE_EVENT = 'kurento-labs:settings-changed';

export interface RuntimeConfig extends StoredSettings {
  embeddedKms?: EmbeddedKms | null;
  /** The embedded KMS' media directory (file:// URIs) and where the site serves its files, when it runs one. */
  media?: { directory: string; downloadBase: string } | null;
  /** The coturn `npm start` runs, when it runs one. */
  turn?: Omit<TurnSettings, 'source'> | null;
  /** Why there is no coturn (not installed, failed to start), in plain words. */
  turnStatus?: { available: boolean; reason?: string } | null;
  appServers?: boolean;
}

let runtimePromise: Promise<RuntimeConfig | null> | undefined;
let runtimeFetchedAt = 0;
/** How long one answer is reused: the TURN state and its time-limited credentials are the server's live ones. */
const RUNTIME_MAX_AGE_MS = 60_000;

/**
 * `npm start` serves /labs-runtime.json (computed for each request: the live TURN state, fresh time-limited TURN
 * credentials); the dev server and static hosting do not (null then). `maxAgeMs: 0` asks again now.
 */
export function loadRuntimeConfig({ maxAgeMs = RUNTIME_MAX_AGE_MS }: { maxAgeMs?: number } = {}): Promise<RuntimeConfig | null> {
  if (!runtimePromise || Date.now() - runtimeFetchedAt > maxAgeMs) {
    runtimeFetchedAt = Date.now();
    runtimePromise = fetch('/labs-runtime.json', { cache: 'no-store' })
      .then((response) => (response.ok ? (response.json() as Promise<RuntimeConfig>) : null))
      .catch(() => null);
  }
  return runtimePromise;
}

function readStored(): StoredSettings {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as unknown) : {};
    if (typeof parsed !== 'object' || parsed === null) return {};
    const record = parsed as Record<string, unknown>;
    return {
      ...(typeof record.kmsUrl === 'string' ? { kmsUrl: record.kmsUrl } : {}),
      ...(typeof record.iceServers === 'string' ? { iceServers: record.iceServers } : {}),
    };
  } catch {
    return {};
  }
}

let storedSnapshot: StoredSettings | undefined;
let storedRaw: string | null | undefined;

function subscribeStored(listener: () => void): () => void {
  const onStorage = (event: StorageEvent): void => {
    if (event.key === STORAGE_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  window.addEventListener(CHANGE_EVENT, listener);
  return () => {
    window.removeEventListener('storage', onStorage);
    window.removeEventListener(CHANGE_EVENT, listener);
  };
}

/** What the server renders with, and the snapshot while nothing is stored. */
const EMPTY: StoredSettings = {};

function getStoredSnapshot(): StoredSettings {
  const raw = window.localStorage.getItem(STORAGE_KEY);
  if (raw !== storedRaw || storedSnapshot === undefined) {
    storedRaw = raw;
    // Nothing stored: the server's snapshot itself, so that hydration finds no change to render synchronously again.
    storedSnapshot = raw === null ? EMPTY : readStored();
  }
  return storedSnapshot;
}

export function saveStoredSettings(settings: StoredSettings): void {
  const clean: StoredSettings = {};
  if (settings.kmsUrl?.trim()) clean.kmsUrl = settings.kmsUrl.trim();
  if (settings.iceServers?.trim()) clean.iceServers = settings.iceServers.trim();
  if (Object.keys(clean).length === 0) window.localStorage.removeItem(STORAGE_KEY);
  else window.localStorage.setItem(STORAGE_KEY, JSON.stringify(clean));
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

export interface LabSettingsState {
  resolved: ResolvedSettings;
  /** The TURN server the labs use, if any (see resolveTurn). */
  turn: TurnSettings | undefined;
  stored: StoredSettings;
  runtime: RuntimeConfig | null;
  /** False until the run-time configuration has been fetched (labs wait for it before running). */
  ready: boolean;
  save: (settings: StoredSettings) => void;
}

export function useLabSettings(): LabSettingsState {
  const { siteConfig } = useDocusaurusContext();
  const build = (siteConfig.customFields?.labDefaults ?? {}) as StoredSettings;
  const stored = useSyncExternalStore(subscribeStored, getStoredSnapshot, () => EMPTY);
  const [runtime, setRuntime] = useState<RuntimeConfig | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let alive = true;
    void loadRuntimeConfig().then((config) => {
      if (!alive) return;
      setRuntime(config);
      setReady(true);
    });
    return () => {
      alive = false;
    };
  }, []);
  const location = typeof window === 'undefined' ? { protocol: 'http:', hostname: '127.0.0.1' } : window.location;
  const resolved = resolveSettings({
    stored,
    search: typeof window === 'undefined' ? '' : window.location.search,
    runtime: runtime ?? undefined,
    build,
    location,
    embedded: runtime?.embeddedKms,
  });
  const save = useCallback((settings: StoredSettings) => saveStoredSettings(settings), []);
  return { resolved, turn: resolveTurn(resolved, runtime?.turn), stored, runtime, ready, save };
}
