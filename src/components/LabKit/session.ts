/**
 * One run of a lab's program in the site: a fresh page (FrameHost), its recorder, and the runner. Used by the lab
 * panel and by the trainer preflight alike.
 */
import type { VendorData } from '@site/src/plugins/kurento-vendor';
import { translate } from '@docusaurus/Translate';
import { RunRecorder } from '@site/labs/framework/recorder';
import { LabRun } from '@site/labs/framework/runner';
import { settingsCode } from '@site/labs/framework/program';
import type { AnyLab, LabParams, LabSettings, Locale } from '@site/labs/framework/types';
import runtimeSource from '@site/labs/runtime/lab-runtime.js?raw';
import { FrameHost, LabPage, labPageHtml } from './host/frame-host';

/** The application servers of `npm start` (server/apps): a lab page's sockets to them are observed. */
export const APP_PATHS = ['/helloworld', '/call', '/one2many', '/groupcall', '/rtpgateway'];

export interface Session {
  host: FrameHost;
  run: LabRun;
  recorder: RunRecorder;
  abort: AbortController;
}

declare global {
  interface Window {
    /** What each lab's page ran, by lab and section: the end-to-end tests compare it with the code shown. */
    __kurentoLabsExecuted?: Record<string, Map<string, string>>;
  }
}

/** The settings section of a lab's program: the learner's settings and the lab's options as variables. */
export function settingsSection(lab: AnyLab, settings: LabSettings, params: LabParams): string {
  return settingsCode(
    { ws_uri: settings.kmsUrl, iceServers: settings.iceServers, params, extra: { ...(lab.settingsVars?.(settings) ?? {}) } },
    {
      settings: translate({ id: 'lab.code.settings', message: 'Your settings (Change KMS settings above; they are not edited here)' }),
      params: translate({ id: 'lab.code.params', message: "The lab's options" }),
    },
  );
}

export interface SessionOptions {
  lab: AnyLab;
  locale: Locale;
  settings: LabSettings;
  params: LabParams;
  container: HTMLElement;
  vendor: VendorData;
  dark: boolean;
  /** The key under which the tests find what the page ran (the lab id, or lab@exercise). */
  scope: string;
  /** A page made ahead (preparePage), taken when it is the page this session would make. */
  page?: LabPage;
}

/** The HTML of the page a session with these options makes. */
export function sessionPageHtml(options: Pick<SessionOptions, 'lab' | 'locale' | 'vendor' | 'dark'>): string {
  return labPageHtml({ lab: options.lab, locale: options.locale, vendor: pageVendor(options.vendor), runtime: runtimeSource, dark: options.dark });
}

/**
 * Starts loading, in `container`, the page a session with these options would make (hidden unless `visible`), so that
 * openSession can take it instead of waiting for a new page to load. `html`: sessionPageHtml(options), when the caller
 * has it already.
 */
export function preparePage(
  options: Pick<SessionOptions, 'lab' | 'locale' | 'vendor' | 'dark' | 'container'>,
  { visible = false, html = sessionPageHtml(options) }: { visible?: boolean; html?: string } = {},
): LabPage {
  return new LabPage(options.container, html, options.lab.title[options.locale], { hidden: !visible });
}

/**
 * The URLs a lab's page loads the bundles from: with `v`, the hash of their contents, which the site's server answers
 * as immutable, so that every run after the first takes them from the browser's cache without a request.
 */
export function pageVendor(vendor: VendorData): { client: string; utils: string } {
  const version = encodeURIComponent(vendor.version);
  return { client: `${vendor.client}?v=${version}`, utils: `${vendor.utils}?v=${version}` };
}

/** Makes the lab's page and its runner; rejects (after cleaning up) when the page does not start. */
export async function openSession(options: SessionOptions): Promise<Session> {
  const recorder = new RunRecorder();
  const host = new FrameHost({
    lab: options.lab,
    locale: options.locale,
    settings: options.settings,
    params: options.params,
    recorder,
    container: options.container,
    runtime: runtimeSource,
    vendor: pageVendor(options.vendor),
    appPaths: APP_PATHS,
    dark: options.dark,
    ...(options.page ? { page: options.page } : {}),
  });
  try {
    await host.start();
  } catch (error) {
    await host.dispose();
    throw error;
  }
  window.__kurentoLabsExecuted ??= {};
  window.__kurentoLabsExecuted[options.scope] = host.executed;
  return { host, recorder, run: new LabRun(options.lab, host), abort: new AbortController() };
}

export async function closeSession(session: Session | undefined): Promise<void> {
  if (!session) return;
  session.abort.abort();
  session.run.dispose();
  await session.host.dispose();
}
