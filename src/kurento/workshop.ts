/**
 * An attendee's side of workshop mode (`npm start -- --https`): the display name (stored in this browser, generated
 * when none was chosen), the lab-run reports to the site server (only when /labs-runtime.json says the site runs a
 * workshop; nothing is sent otherwise), and the trainer's banner, pushed by the server.
 *
 * Reports are coalesced: per lab only the latest state waits to be sent, one request at a time; a 429 answer is
 * waited out (Retry-After) and the latest state is sent then, so a burst of changes is never lost, only merged.
 */
import { useSyncExternalStore } from 'react';
import type { ProgressReport } from '@site/core/workshop';
import { loadRuntimeConfig } from './settings-store';

const NAME_KEY = 'kurento-labs:workshop-name';
const NAME_EVENT = 'kurento-labs:workshop-name-changed';
const ANIMALS = ['Falcon', 'Otter', 'Lynx', 'Heron', 'Panda', 'Koala', 'Ibis', 'Marten', 'Puffin', 'Gecko', 'Bison', 'Crane'];

export interface WorkshopInfo {
  /** The site runs a workshop: lab runs are reported to the trainer. */
  reports: boolean;
}

let workshopPromise: Promise<WorkshopInfo | null> | undefined;

/** Whether this site runs a workshop (read once from /labs-runtime.json). */
export function workshopInfo(): Promise<WorkshopInfo | null> {
  workshopPromise ??= loadRuntimeConfig().then((config) => {
    const value = (config as { workshop?: unknown } | null)?.workshop;
    return typeof value === 'object' && value !== null && (value as WorkshopInfo).reports === true ? { reports: true } : null;
  });
  return workshopPromise;
}

/** The display name: the one chosen in this browser, or a generated one (kept, so it stays the same). */
export function displayName(): string {
  try {
    const stored = window.localStorage.getItem(NAME_KEY);
    if (stored) return stored;
    const generated = `${ANIMALS[Math.floor(Math.random() * ANIMALS.length)] ?? 'Otter'}-${Math.floor(100 + Math.random() * 900)}`;
    window.localStorage.setItem(NAME_KEY, generated);
    return generated;
  } catch {
    return 'Attendee';
  }
}

export function setDisplayName(name: string): void {
  const clean = name.trim().slice(0, 40);
  if (!clean) return;
  window.localStorage.setItem(NAME_KEY, clean);
  window.dispatchEvent(new Event(NAME_EVENT));
  void workshopInfo().then((info) => {
    if (info) void post('/workshop/name', { name: clean });
  });
}

export function useDisplayName(): string {
  return useSyncExternalStore(
    (listener) => {
      window.addEventListener(NAME_EVENT, listener);
      return () => window.removeEventListener(NAME_EVENT, listener);
    },
    displayName,
    () => '',
  );
}

function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin', keepalive: true });
}

const pending = new Map<string, Omit<ProgressReport, 'name'>>();
let sending = false;

async function drain(): Promise<void> {
  if (sending) return;
  sending = true;
  try {
    let backoff = 1000;
    while (pending.size > 0) {
      const [lab, report] = pending.entries().next().value as [string, Omit<ProgressReport, 'name'>];
      pending.delete(lab);
      let response: Response | undefined;
      try {
        response = await post('/workshop/report', { ...report, name: displayName() });
      } catch {
        response = undefined;
      }
      if (response?.ok) {
        backoff = 1000;
        continue;
      }
      if (response && response.status !== 429 && response.status < 500) {
        // The server said what is wrong with this report; sending it again would not help.
        console.warn(`workshop report refused (${response.status}): ${await response.text()}`);
        continue;
      }
      // Over the rate, or the server is away: keep the latest state of this lab (unless a newer one is queued).
      if (!pending.has(lab)) pending.set(lab, report);
      const retry = Number(response?.headers.get('Retry-After'));
      await new Promise((resolve) => setTimeout(resolve, Number.isFinite(retry) && retry > 0 ? retry * 1000 : backoff));
      backoff = Math.min(backoff * 2, 30_000);
    }
  } finally {
    sending = false;
  }
}

/** Queues a lab run's state for the trainer (workshop mode only; dropped otherwise). */
export function reportRun(report: Omit<ProgressReport, 'name'>): void {
  void workshopInfo().then((info) => {
    if (!info) return;
    pending.set(report.lab, report);
    void drain();
  });
}

/** The trainer's banner, pushed by the server (EventSource on /workshop/events); '' for none. */
let bannerText = '';
let bannerSource: EventSource | undefined;
const bannerListeners = new Set<() => void>();

function subscribeBanner(listener: () => void): () => void {
  bannerListeners.add(listener);
  if (!bannerSource) {
    void workshopInfo().then((info) => {
      if (!info || bannerSource) return;
      bannerSource = new EventSource('/workshop/events');
      bannerSource.addEventListener('banner', (event) => {
        try {
          bannerText = String((JSON.parse((event as MessageEvent<string>).data) as { text?: unknown }).text ?? '');
        } catch {
          bannerText = '';
        }
        for (const notify of bannerListeners) notify();
      });
    });
  }
  return () => bannerListeners.delete(listener);
}

export function useBanner(): string {
  return useSyncExternalStore(
    subscribeBanner,
    () => bannerText,
    () => '',
  );
}
