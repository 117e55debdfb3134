/**
 * The site's LabHost: a lab's program runs in an iframe of its own, a page like the one an exported app has (the
 * prebuilt kurento-client and kurento-utils, the page runtime, the lab's videos). Each section of the program is a
 * classic script inserted into that page, so top-level `var` and `function` declarations become the page's globals and
 * the steps share them, as scripts of one page do. The lab reads those globals to name objects and to check steps.
 *
 * Errors: a syntax error is found before anything runs (each section is first parsed inside a function that is never
 * called); an exception while a section runs, an uncaught one later in a callback (located by the section's
 * sourceURL), an unhandled rejection, and each error the program passes to onError are recorded with their section
 * and line.
 */
import { declaredNames, DECLARATIONS, SETTINGS } from '@site/labs/framework/program';
import type { LabHost } from '@site/labs/framework/runner';
import type { RunRecorder } from '@site/labs/framework/recorder';
import {
  eventMatches,
  type AnyLab,
  type EventFilter,
  type GraphView,
  type LabEvent,
  type LabFrame,
  type LabParams,
  type LabSettings,
  type Locale,
  type ObservedMedia,
  type ProgramError,
  type Rgb,
  type StatsSample,
} from '@site/labs/framework/types';
import type { Explanation } from '@site/labs/framework/explain';
import { pageHtml, PAGE_CSS } from '@site/labs/runtime/page';
import { Observer, type ObserverSink } from './observer';

const SOURCE_PREFIX = 'kurento-labs:///';
const LOAD_TIMEOUT_MS = 15000;

export interface FrameHostOptions {
  lab: AnyLab;
  locale: Locale;
  settings: LabSettings;
  params: LabParams;
  recorder: RunRecorder;
  /** Where the iframe goes. */
  container: HTMLElement;
  /** The page runtime's text (labs/runtime/lab-runtime.js). */
  runtime: string;
  vendor: { client: string; utils: string };
  appPaths: readonly string[];
  dark: boolean;
  /** A page made ahead of the run (a hidden LabPage); used when it is the page start would make, discarded otherwise. */
  page?: LabPage;
}

/** The HTML of a lab's page on the site: the same for a page prepared ahead and one made when a run starts. */
export function labPageHtml(options: { lab: AnyLab; locale: Locale; vendor: { client: string; utils: string }; runtime: string; dark: boolean }): string {
  return pageHtml({
    title: options.lab.title[options.locale],
    page: options.lab.page,
    locale: options.locale,
    kurentoClientSrc: options.vendor.client,
    kurentoUtilsSrc: options.vendor.utils,
    runtime: { inline: options.runtime },
    css: { inline: PAGE_CSS },
    dark: options.dark,
  });
}

/**
 * A lab's page in its iframe, loading. Made when a run starts, or ahead of it (`hidden`): hidden in the panel until a
 * run takes it, so that Run does not wait for the page to be parsed and kurento-client and kurento-utils to be
 * evaluated (30-40 ms of the click-to-video path). Nothing of the program runs in it before a run takes it; the
 * FrameHost instruments it then, as it does a page made at once.
 *
 * The page is written into the frame with document.open/write rather than srcdoc: a document written so takes the
 * site's URL, hence the site's location.host, as the page of a tutorial has (three-tier programs open
 * 'ws://' + location.host + '/helloworld'); an about:srcdoc page has no host. An iframe cannot move to another parent
 * without loading again, so a prepared one is made where it will be shown.
 */
export class LabPage {
  readonly iframe: HTMLIFrameElement;
  readonly loaded: Promise<void>;
  private failed = false;

  constructor(
    readonly container: HTMLElement,
    readonly html: string,
    title: string,
    { hidden = false }: { hidden?: boolean } = {},
  ) {
    const iframe = document.createElement('iframe');
    iframe.title = title;
    iframe.setAttribute('allow', 'camera; microphone; autoplay; display-capture');
    iframe.className = 'kurento-labs-page';
    iframe.hidden = hidden;
    iframe.dataset.testid = hidden ? 'lab-page-prepared' : 'lab-page';
    this.iframe = iframe;
    container.append(iframe);
    const doc = iframe.contentDocument;
    if (!doc) {
      this.failed = true;
      this.loaded = Promise.reject(new Error("the lab's page could not be created"));
      this.loaded.catch(() => undefined);
      return;
    }
    this.loaded = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the lab's page did not load within ${LOAD_TIMEOUT_MS / 1000} s`)), LOAD_TIMEOUT_MS);
      const onLoad = (): void => {
        if (iframe.contentDocument?.readyState !== 'complete') return;
        clearTimeout(timer);
        iframe.removeEventListener('load', onLoad);
        resolve();
      };
      iframe.addEventListener('load', onLoad);
    });
    // A prepared page that fails is only noted here; the run that would take it makes a new one.
    this.loaded.catch(() => (this.failed = true));
    doc.open();
    doc.write(html);
    doc.close();
  }

  /** Whether a run in `container` whose page would be `html` can take this page. */
  fits(container: HTMLElement, html: string): boolean {
    return !this.failed && this.container === container && this.html === html && this.iframe.isConnected;
  }

  /** Makes this the panel's page: the only one in the container, visible. */
  show(): void {
    for (const child of [...this.container.children]) if (child !== this.iframe) child.remove();
    this.iframe.hidden = false;
    this.iframe.dataset.testid = 'lab-page';
  }

  discard(): void {
    this.iframe.remove();
  }
}

function sourceUrl(lab: string, section: string, purpose: 'run' | 'syntax'): string {
  return `${SOURCE_PREFIX}${lab}/${section}${purpose === 'syntax' ? '.syntax' : ''}.js`;
}

/** The section and line of the first frame of `stack` that is in a section of this lab. */
function locate(lab: string, stack: string | undefined): { section: string; line?: number; column?: number } | undefined {
  if (!stack) return undefined;
  const escaped = `${SOURCE_PREFIX}${lab}/`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`${escaped}([\\w-]+)\\.js:(\\d+):(\\d+)`).exec(stack);
  if (!match?.[1]) return undefined;
  return { section: match[1], line: Number(match[2]), column: Number(match[3]) };
}

function errorCode(error: unknown): { code?: number; type?: string; name?: string; message: string } {
  const record = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; data?: { type?: unknown }; name?: unknown; message?: unknown };
  return {
    ...(typeof record.code === 'number' ? { code: record.code } : {}),
    ...(typeof record.data?.type === 'string' ? { type: record.data.type } : {}),
    ...(typeof record.name === 'string' ? { name: record.name } : {}),
    message: record.message !== undefined ? String(record.message) : String(error),
  };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export class FrameHost implements LabHost {
  readonly locale: Locale;
  readonly params: LabParams;
  readonly settings: LabSettings;
  readonly recorder: RunRecorder;
  private readonly lab: AnyLab;
  private iframe: HTMLIFrameElement | undefined;
  private win: (Window & Record<string, unknown>) | undefined;
  private readonly observer: Observer;
  private readonly programErrors: ProgramError[] = [];
  private names: string[] = [];
  /** The section whose script is running right now (synchronously), for errors without a stack. */
  private running: string | undefined;
  /** The last section that ran: errors of unknown origin belong to it. */
  private lastSection: string | undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private disposed = false;
  /** What each section ran, exactly (the tests compare it with what the panel shows). */
  readonly executed = new Map<string, string>();
  private audio: AudioContext | undefined;

  constructor(private readonly options: FrameHostOptions) {
    this.lab = options.lab;
    this.locale = options.locale;
    this.params = options.params;
    this.settings = options.settings;
    this.recorder = options.recorder;
    const sink: ObserverSink = {
      recorder: options.recorder,
      appPaths: options.appPaths,
      ...(options.lab.appEvents ? { appEvents: options.lab.appEvents } : {}),
      failure: (explanation, message) => this.record({ kind: 'reported', message, explanation, ...(this.lastSection ? { section: this.lastSection } : {}) }),
    };
    this.observer = new Observer(sink);
    this.observer.resolvePeer = (value) => this.nameOf((candidate) => candidate === value);
    this.recorder.setRoleResolver((id) => this.nameOf((candidate) => typeof candidate === 'object' && candidate !== null && (candidate as { id?: unknown }).id === id));
  }

  /** The iframe's window (after start). */
  get page(): Window | undefined {
    return this.win;
  }

  /**
   * Makes the page (or takes the one prepared for it, options.page, when it is this lab's page as it would be made now)
   * and instruments it; rejects with an explanation when the page or its bundles do not load.
   */
  async start(): Promise<void> {
    const { container, vendor } = this.options;
    const html = labPageHtml({ lab: this.lab, locale: this.locale, vendor, runtime: this.options.runtime, dark: this.options.dark });
    let page = this.options.page;
    if (page && !page.fits(container, html)) {
      page.discard();
      page = undefined;
    }
    if (page) {
      // A page prepared a while ago that did not load (the site was restarting, say) is not this run's fault: a new one.
      await page.loaded.catch(() => {
        page?.discard();
        page = undefined;
      });
    }
    page ??= new LabPage(container, html, this.lab.title[this.locale]);
    this.iframe = page.iframe;
    page.show();
    await page.loaded;
    const iframe = page.iframe;
    const win = iframe.contentWindow as (Window & Record<string, unknown>) | null;
    if (!win || typeof win.kurentoClient !== 'function' || typeof win.kurentoUtils !== 'object') {
      throw new Error(`kurento-client or kurento-utils did not load in the lab's page (${vendor.client}, ${vendor.utils})`);
    }
    this.win = win;
    // The frame grows with the page: tiles a program adds (addVideo) stay visible without scrolling inside it.
    const fit = (): void => {
      const height = win.document.documentElement.scrollHeight;
      iframe.style.height = `${Math.min(1200, Math.max(120, height))}px`;
    };
    const resizeObserver = new (win as unknown as { ResizeObserver: typeof ResizeObserver }).ResizeObserver(fit);
    resizeObserver.observe(win.document.body);
    fit();
    this.observer.instrument(win);
    win.__kurentoLabsHost = { reportError: (error: unknown) => this.reported(error) };
    win.addEventListener('error', (event: ErrorEvent) => this.uncaught(event));
    win.addEventListener('unhandledrejection', (event: PromiseRejectionEvent) => this.rejected(event));
    this.statsTimer = setInterval(() => void this.sampleStats(), 1000);
  }

  // Running code ------------------------------------------------------------------------------------------------------

  private record(error: Omit<ProgramError, 't'>): void {
    if (this.disposed) return;
    this.programErrors.push({ ...error, t: this.recorder.now() });
  }

  private uncaught(event: ErrorEvent): void {
    // The lab shows the error where it happened; the browser need not report it again as uncaught.
    event.preventDefault();
    const error: unknown = event.error;
    const stack = error instanceof Error || (typeof error === 'object' && error !== null && 'stack' in error) ? String((error as { stack?: unknown }).stack) : undefined;
    const located = locate(this.lab.id, stack) ?? (event.filename?.startsWith(SOURCE_PREFIX) ? locate(this.lab.id, `${event.filename}:${event.lineno}:${event.colno}`) : undefined);
    const section = located?.section ?? this.running ?? this.lastSection;
    const line = located?.line ?? (this.running ? event.lineno : undefined);
    const details = errorCode(error ?? event.message);
    // During a syntax check (nothing runs) every error is a parse error; its line 1 is the wrapper's `(function () {`.
    // A SyntaxError thrown while code runs (kurento-client throws one for an unknown type) is an exception.
    const syntaxCheck = this.running?.endsWith('.syntax') === true;
    this.record({
      kind: syntaxCheck ? 'syntax' : 'exception',
      ...details,
      message: details.message || event.message,
      ...(section ? { section: section.replace(/\.syntax$/, '') } : {}),
      ...(line ? { line: syntaxCheck ? Math.max(1, line - 1) : line } : {}),
      ...(located?.column ?? event.colno ? { column: located?.column ?? event.colno } : {}),
    });
  }

  private rejected(event: PromiseRejectionEvent): void {
    event.preventDefault();
    const reason: unknown = event.reason;
    const stack = typeof reason === 'object' && reason !== null && 'stack' in reason ? String((reason as { stack?: unknown }).stack) : undefined;
    const located = locate(this.lab.id, stack);
    const section = located?.section ?? this.lastSection;
    this.record({ kind: 'exception', ...errorCode(reason), ...(section ? { section } : {}), ...(located?.line ? { line: located.line } : {}) });
  }

  /** onError(error) of the program. */
  private reported(error: unknown): void {
    const stack = new Error().stack;
    const located = locate(this.lab.id, stack);
    const section = located?.section ?? this.lastSection;
    this.record({ kind: 'reported', ...errorCode(error), ...(section ? { section } : {}), ...(located?.line ? { line: located.line } : {}) });
  }

  private insert(code: string, url: string): void {
    const doc = this.win?.document;
    if (!doc) throw new Error('the lab page is not running');
    const script = doc.createElement('script');
    script.textContent = `${code}\n//# sourceURL=${url}`;
    doc.body.appendChild(script);
    script.remove();
  }

  async syntax(section: string, code: string): Promise<ProgramError | undefined> {
    const before = this.programErrors.length;
    this.running = `${section}.syntax`;
    try {
      // Parsed inside a function that is never called: nothing runs, nothing is declared.
      this.insert(`(function () {\n${code}\n});`, sourceUrl(this.lab.id, section, 'syntax'));
    } finally {
      this.running = undefined;
    }
    const found = this.programErrors.slice(before).find((error) => error.kind === 'syntax');
    if (found) {
      this.programErrors.splice(before);
      return { ...found, kind: 'syntax', section };
    }
    return undefined;
  }

  async run(section: string, code: string): Promise<ProgramError | undefined> {
    const before = this.programErrors.length;
    this.executed.set(section, code);
    this.names = [...new Set([...this.names, ...declaredNames(code)])];
    this.running = section;
    this.lastSection = section;
    try {
      this.insert(code, sourceUrl(this.lab.id, section, 'run'));
    } finally {
      this.running = undefined;
    }
    // Names first appear once the program stored them: objects shown as Type#n so far get their names now.
    this.recorder.refreshRoles();
    return this.programErrors.slice(before).find((error) => error.section === section && (error.kind === 'exception' || error.kind === 'syntax'));
  }

  // What checks read -----------------------------------------------------------------------------------------------

  now(): number {
    return this.recorder.now();
  }

  read(name: string): unknown {
    const win = this.win;
    if (!win || !IDENTIFIER.test(name)) return undefined;
    if (name in win) return win[name];
    try {
      // Top-level let/const of the page's scripts are globals without a window property.
      // win.eval called as a plain function evaluates in the page's global scope (an indirect eval).
      const globalEval = win.eval as (code: string) => unknown;
      return globalEval(`typeof ${name} === 'undefined' ? undefined : ${name}`);
    } catch {
      return undefined;
    }
  }

  /** The name of the program variable whose value (or one of whose items, one level down) passes `test`. */
  private nameOf(test: (value: unknown) => boolean): string | undefined {
    for (const name of this.names) {
      if (name === 'ws_uri' || name === 'iceServers') continue;
      const value = this.read(name);
      if (value === undefined || value === null || typeof value === 'function') continue;
      if (test(value)) return name;
      if (Array.isArray(value)) {
        const index = value.findIndex((item) => test(item));
        if (index >= 0) return `${name}[${index}]`;
      } else if (typeof value === 'object' && Object.getPrototypeOf(value) === (this.win as unknown as { Object: ObjectConstructor }).Object.prototype) {
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) if (test(item)) return `${name}.${key}`;
      } else if (value instanceof Map) {
        for (const [key, item] of value) if (test(item)) return `${name}.${String(key)}`;
      }
    }
    return undefined;
  }

  recorded(filter: EventFilter): LabEvent[] {
    return this.recorder.events.filter((event) => eventMatches(filter, event));
  }

  private element(id: string): HTMLMediaElement | undefined {
    const element = this.win?.document.getElementById(id);
    return element && 'currentTime' in element ? (element as HTMLMediaElement) : undefined;
  }

  media(id: string): ObservedMedia {
    const element = this.element(id);
    const video = element as HTMLVideoElement | undefined;
    const quality = video && typeof video.getVideoPlaybackQuality === 'function' ? video.getVideoPlaybackQuality() : undefined;
    const decoded = (video as (HTMLVideoElement & { webkitDecodedFrameCount?: number }) | undefined)?.webkitDecodedFrameCount;
    return {
      id,
      currentTime: element?.currentTime ?? 0,
      framesDecoded: decoded ?? quality?.totalVideoFrames ?? 0,
      width: video?.videoWidth ?? 0,
      height: video?.videoHeight ?? 0,
    };
  }

  /** Averages a patch a quarter of the picture wide and high around (relX, relY): inside one cell of a 3x3 grid. */
  sampleColorAt(id: string, relX: number, relY: number): Rgb | undefined {
    const video = this.element(id) as HTMLVideoElement | undefined;
    if (!video || !video.videoWidth) return undefined;
    const canvas = document.createElement('canvas');
    canvas.width = 16;
    canvas.height = 16;
    const context2d = canvas.getContext('2d', { willReadFrequently: true });
    if (!context2d) return undefined;
    const w = video.videoWidth;
    const h = video.videoHeight;
    const patchW = w / 4;
    const patchH = h / 4;
    const x = Math.min(Math.max(0, relX * w - patchW / 2), w - patchW);
    const y = Math.min(Math.max(0, relY * h - patchH / 2), h - patchH);
    context2d.drawImage(video, x, y, patchW, patchH, 0, 0, 16, 16);
    const { data } = context2d.getImageData(0, 0, 16, 16);
    let r = 0;
    let g = 0;
    let b = 0;
    for (let i = 0; i < data.length; i += 4) {
      r += data[i] ?? 0;
      g += data[i + 1] ?? 0;
      b += data[i + 2] ?? 0;
    }
    const n = data.length / 4;
    return { r: Math.round(r / n), g: Math.round(g / n), b: Math.round(b / n) };
  }

  async dominantFrequency(id: string): Promise<number | undefined> {
    const element = this.element(id);
    const stream = element?.srcObject;
    if (!(stream instanceof (this.win as unknown as { MediaStream: typeof MediaStream }).MediaStream) || stream.getAudioTracks().length === 0) return undefined;
    this.audio ??= new AudioContext();
    const audio = this.audio;
    if (audio.state === 'suspended') await audio.resume().catch(() => undefined);
    const source = audio.createMediaStreamSource(stream);
    const analyser = audio.createAnalyser();
    analyser.fftSize = 8192;
    source.connect(analyser);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    source.disconnect();
    let best = -Infinity;
    let index = -1;
    // Ignore the lowest bins (DC, hum); tones of the labs are 300–1000 Hz.
    for (let i = 5; i < bins.length; i += 1) {
      const value = bins[i] ?? -Infinity;
      if (value > best) {
        best = value;
        index = i;
      }
    }
    if (index < 0 || best < -90) return undefined;
    return Math.round((index * audio.sampleRate) / analyser.fftSize);
  }

  graph(): GraphView {
    return this.recorder.graph;
  }

  frames(): readonly LabFrame[] {
    return this.recorder.frames;
  }

  stats(): readonly StatsSample[] {
    return this.recorder.stats;
  }

  errors(): readonly ProgramError[] {
    return this.programErrors;
  }

  /** An explanation the panel shows when the page itself did not come up. */
  static pageFailure(message: string): Explanation {
    return {
      code: 'page-failed',
      title: { en: `The lab's page did not start: ${message}`, 'zh-Hans': `实验页面没有启动：${message}` },
      fix: {
        en: 'The page loads /vendor/kurento-client-*.min.js and /vendor/kurento-utils-*.min.js from this site: reload the page; if it repeats, rebuild the site (npm run build) and restart npm start.',
        'zh-Hans': '实验页面从本站加载 /vendor/kurento-client-*.min.js 和 /vendor/kurento-utils-*.min.js：请刷新页面；如果问题重复出现，请重新构建站点（npm run build）并重启 npm start。',
      },
    };
  }

  // Stats -----------------------------------------------------------------------------------------------------------

  private async sampleStats(): Promise<void> {
    if (this.disposed) return;
    const t = this.recorder.now();
    const samples: StatsSample[] = [];
    for (const peer of this.observer.peers.keys()) {
      const pc = peer.peerConnection;
      if (!pc || pc.signalingState === 'closed') continue;
      const name = this.observer.peerName(peer, this.observer.resolvePeer);
      const report = await pc.getStats().catch(() => undefined);
      const reportRtt = new Map<string, number>();
      let selectedPair: string | undefined;
      const pairs = new Map<string, number>();
      let hasOutbound = false;
      report?.forEach((stat: Record<string, unknown> & { type: string }) => {
        if (stat.type === 'remote-inbound-rtp' && typeof stat.localId === 'string' && typeof stat.roundTripTime === 'number') reportRtt.set(stat.localId, stat.roundTripTime);
        else if (stat.type === 'transport' && typeof stat.selectedCandidatePairId === 'string') selectedPair = stat.selectedCandidatePairId;
        else if (stat.type === 'candidate-pair' && typeof stat.currentRoundTripTime === 'number') pairs.set(String(stat.id), stat.currentRoundTripTime);
        else if (stat.type === 'outbound-rtp') hasOutbound = true;
      });
      const pairRtt = selectedPair !== undefined ? pairs.get(selectedPair) : undefined;
      report?.forEach((stat: Record<string, unknown> & { type: string }) => {
        if (stat.type !== 'inbound-rtp' && stat.type !== 'outbound-rtp') return;
        const kind = stat.kind === 'audio' ? 'audio' : 'video';
        const inbound = stat.type === 'inbound-rtp';
        const roundTripTime = inbound ? (hasOutbound || kind !== 'video' ? undefined : pairRtt) : (reportRtt.get(String(stat.id)) ?? pairRtt);
        samples.push({
          t,
          series: `browser:${name}`,
          kind,
          direction: inbound ? 'inbound' : 'outbound',
          packets: Number(inbound ? stat.packetsReceived : stat.packetsSent) || 0,
          bytes: Number(inbound ? stat.bytesReceived : stat.bytesSent) || 0,
          packetsLost: Number(stat.packetsLost) || 0,
          ...(inbound && kind === 'video' ? { framesDecoded: Number(stat.framesDecoded) || 0 } : {}),
          ...(roundTripTime !== undefined ? { roundTripTime } : {}),
        });
      });
    }
    // kurento-client takes its last argument as the callback only when it is `instanceof Function` of the page that
    // loaded it: a function of this window would be sent as the mediaType, and the callback never called.
    const pageCallback = (this.win as unknown as { Function: FunctionConstructor } | undefined)?.Function('done', 'return function (error, result) { done(error, result); };') as
      | ((done: (error: unknown, result: Record<string, Record<string, unknown>>) => void) => (error: unknown, result: Record<string, Record<string, unknown>>) => void)
      | undefined;
    for (const { role, object } of this.observer.endpoints()) {
      if (!object.getStats || !pageCallback) continue;
      const stats = await new Promise<Record<string, Record<string, unknown>> | undefined>((resolve) => {
        // A KMS that does not answer must not stop the sampling.
        const timer = setTimeout(() => resolve(undefined), 3000);
        try {
          object.getStats?.(
            pageCallback((error, result) => {
              clearTimeout(timer);
              resolve(error ? undefined : result);
            }),
          );
        } catch {
          clearTimeout(timer);
          resolve(undefined);
        }
      });
      for (const stat of Object.values(stats ?? {})) {
        if (stat.type !== 'inboundrtp' && stat.type !== 'outboundrtp') continue;
        const inbound = stat.type === 'inboundrtp';
        samples.push({
          t,
          series: `kms:${role}`,
          kind: /audio/i.test(String(stat.id) + String(stat.codecId ?? '')) ? 'audio' : 'video',
          direction: inbound ? 'inbound' : 'outbound',
          packets: Number(inbound ? stat.packetsReceived : stat.packetsSent) || 0,
          bytes: Number(inbound ? stat.bytesReceived : stat.bytesSent) || 0,
          packetsLost: Number(stat.packetsLost) || 0,
          ...(typeof stat.roundTripTime === 'number' ? { roundTripTime: stat.roundTripTime } : {}),
        });
      }
    }
    if (!this.disposed) this.recorder.addStats(samples);
  }

  /** The site's page is being unloaded: release the program's pipelines at once (dispose follows, if it gets time). */
  leave(): void {
    this.observer.releaseNow();
  }

  /** Stop / Reset / page leave: release what the program built, then remove its page (timers, tracks, sockets go). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.statsTimer) clearInterval(this.statsTimer);
    await this.observer.dispose();
    for (const track of this.tracks()) track.stop();
    void this.audio?.close().catch(() => undefined);
    this.iframe?.remove();
    this.iframe = undefined;
    this.win = undefined;
  }

  /** Every media track the page still holds (previews, synthetic sources), to stop them. */
  private tracks(): MediaStreamTrack[] {
    const doc = this.win?.document;
    if (!doc) return [];
    return [...doc.querySelectorAll('video, audio')].flatMap((element) => {
      const stream = (element as HTMLMediaElement).srcObject;
      return stream && 'getTracks' in stream ? stream.getTracks() : [];
    });
  }
}

export { DECLARATIONS, SETTINGS };
