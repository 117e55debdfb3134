/** Progress marks per lab, kept in the browser (localStorage). */
import { useSyncExternalStore } from 'react';

export type LabProgressStatus = 'complete' | 'failed';

export interface LabProgress {
  status: LabProgressStatus;
  /** ISO date of the last run that ended this way. */
  at: string;
  /** Milliseconds the last run took. */
  durationMs?: number;
}

const KEY = 'kurento-labs:progress';
const EVENT = 'kurento-labs:progress-changed';

function read(): Record<string, LabProgress> {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(KEY) ?? '{}') as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, LabProgress>) : {};
  } catch {
    return {};
  }
}

let snapshot: Record<string, LabProgress> | undefined;
let raw: string | null | undefined;
const EMPTY: Record<string, LabProgress> = {};

function getSnapshot(): Record<string, LabProgress> {
  const current = window.localStorage.getItem(KEY);
  if (current !== raw || !snapshot) {
    raw = current;
    snapshot = read();
  }
  return snapshot;
}

function subscribe(listener: () => void): () => void {
  const onStorage = (event: StorageEvent): void => {
    if (event.key === KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  window.addEventListener(EVENT, listener);
  return () => {
    window.removeEventListener('storage', onStorage);
    window.removeEventListener(EVENT, listener);
  };
}

export function recordProgress(labId: string, status: LabProgressStatus, durationMs?: number): void {
  const all = read();
  // A completed lab stays complete when a later run fails: the mark records what the learner achieved.
  if (status === 'failed' && all[labId]?.status === 'complete') return;
  all[labId] = { status, at: new Date().toISOString(), ...(durationMs !== undefined ? { durationMs } : {}) };
  window.localStorage.setItem(KEY, JSON.stringify(all));
  window.dispatchEvent(new Event(EVENT));
}

export function clearProgress(): void {
  window.localStorage.removeItem(KEY);
  window.dispatchEvent(new Event(EVENT));
}

export function useProgress(): Record<string, LabProgress> {
  return useSyncExternalStore(subscribe, getSnapshot, () => EMPTY);
}
