/**
 * What exercises judge a run by, from what the lab observed: the pipeline graph, the JSON-RPC frames, the stats, and
 * the pictures the page plays. Never the code's text.
 */
import type { GraphView, LabFrame, LabSettings, LabView, Rgb, StatsSample } from './types';

/** Links of the graph into `sink` (by media type), from any source. */
export function linksInto(graph: GraphView, sink: string): Array<{ source: string; mediaType: string }> {
  return graph.links.filter((link) => link.sink === sink).map((link) => ({ source: link.source, mediaType: link.mediaType }));
}

/** Graph elements of a KMS class. */
export function elementsOfType(graph: GraphView, type: string): string[] {
  return graph.elements.filter((element) => element.type === type).map((element) => element.role);
}

/**
 * Send rate of a series over the last `windowMs` of its samples, in kbit/s (undefined with fewer than two samples in
 * the window).
 */
export function bitrateKbps(samples: readonly StatsSample[], series: string, kind: 'audio' | 'video', direction: 'inbound' | 'outbound', windowMs = 3000): number | undefined {
  const own = samples.filter((sample) => sample.series === series && sample.kind === kind && sample.direction === direction);
  const last = own.at(-1);
  if (!last) return undefined;
  const first = own.find((sample) => sample.t >= last.t - windowMs);
  if (!first || first === last || last.t === first.t) return undefined;
  return ((last.bytes - first.bytes) * 8) / (last.t - first.t);
}

/** KMS error responses on the program's own connections (channel `kms`…): code, type and message. */
export function kmsErrors(frames: readonly LabFrame[]): Array<{ code: number; type?: string; message: string }> {
  const found: Array<{ code: number; type?: string; message: string }> = [];
  for (const frame of frames) {
    if (frame.direction !== 'in' || !frame.channel.startsWith('kms')) continue;
    let message: { error?: { code?: unknown; message?: unknown; data?: { type?: unknown } } };
    try {
      message = JSON.parse(frame.text) as typeof message;
    } catch {
      continue;
    }
    const code = Number(message.error?.code);
    if (Number.isFinite(code) && code >= 40000 && code < 50000) {
      found.push({ code, message: String(message.error?.message ?? ''), ...(typeof message.error?.data?.type === 'string' ? { type: message.error.data.type } : {}) });
    }
  }
  return found;
}

function brightness(color: Rgb | undefined): number {
  return color ? 0.299 * color.r + 0.587 * color.g + 0.114 * color.b : 0;
}

/**
 * How the picture of `remote` relates to the one of `local`: the left-minus-right brightness of each band of rows,
 * compared. Mirrored pictures have opposite asymmetries (correlation near -1), the same picture the same ones (near
 * +1), an upside-down one the same asymmetries in reverse row order. Works with a camera's scene as with the test
 * pattern, as long as the picture is not left-right symmetric.
 */
export function mirrorCorrelation(view: LabView, local: string, remote: string): { mirrored: number; vertical: number; strength: number } | undefined {
  const rows = [0.1, 0.3, 0.5, 0.7, 0.9];
  const asymmetry = (id: string, y: number): number => brightness(view.sampleColorAt(id, 0.2, y)) - brightness(view.sampleColorAt(id, 0.8, y));
  const a = rows.map((y) => asymmetry(local, y));
  const b = rows.map((y) => asymmetry(remote, y));
  if (a.every((value) => value === 0) || b.every((value) => value === 0)) return undefined;
  const dot = (x: number[], y: number[]): number => x.reduce((sum, value, index) => sum + value * (y[index] ?? 0), 0);
  const norm = (x: number[]): number => Math.sqrt(dot(x, x)) || 1;
  const reversed = [...b].reverse();
  return {
    // -1: the remote picture is the local one mirrored left-right.
    mirrored: dot(a, b) / (norm(a) * norm(b)),
    // +1 with rows reversed and sides kept: upside down.
    vertical: dot(a, reversed) / (norm(a) * norm(reversed)),
    strength: norm(a),
  };
}

/** A request of the program to KMS (its own kurento-client connections), with the answer once it came. */
export interface KmsRequest {
  t: number;
  channel: string;
  method: string;
  params: Record<string, unknown>;
  /** undefined while unanswered. */
  answered?: { ok: boolean; value?: unknown };
}

/** The program's requests to KMS of a JSON-RPC method (`create`, `invoke`…), oldest first, with their answers. */
export function kmsRequests(frames: readonly LabFrame[], method: string): KmsRequest[] {
  const requests = new Map<string, KmsRequest>();
  const found: KmsRequest[] = [];
  for (const frame of frames) {
    if (frame.observer || !frame.channel.startsWith('kms')) continue;
    let message: { id?: unknown; method?: unknown; params?: unknown; result?: { value?: unknown }; error?: unknown };
    try {
      message = JSON.parse(frame.text) as typeof message;
    } catch {
      continue;
    }
    const key = `${frame.channel}|${String(message.id)}`;
    if (frame.direction === 'out' && message.method === method && message.id !== undefined) {
      const request: KmsRequest = { t: frame.t, channel: frame.channel, method, params: (message.params ?? {}) as Record<string, unknown> };
      requests.set(key, request);
      found.push(request);
    } else if (frame.direction === 'in' && message.id !== undefined) {
      const request = requests.get(key);
      if (request && !request.answered) request.answered = message.error ? { ok: false } : { ok: true, value: message.result?.value };
    }
  }
  return found;
}

/**
 * The objects of a KMS class the program created (the create requests KMS accepted), with the constructor parameters
 * they were created with: what the object got, whatever the code that made them looked like.
 */
export function createdObjects(frames: readonly LabFrame[], type: string): Array<{ id: string; params: Record<string, unknown>; t: number }> {
  return kmsRequests(frames, 'create')
    .filter((request) => request.params.type === type && request.answered?.ok && typeof request.answered.value === 'string')
    .map((request) => ({ id: String(request.answered?.value), params: (request.params.constructorParams ?? {}) as Record<string, unknown>, t: request.t }));
}

/**
 * Where the site serves a file:// URI of the embedded KMS's media directory, or undefined when the URI is elsewhere
 * (another KMS keeps its files on its own machine).
 */
export function mediaDownloadUrl(settings: LabSettings, uri: string): string | undefined {
  const media = settings.media;
  if (!media) return undefined;
  const root = `file://${media.directory.replace(/\/+$/, '')}/`;
  if (!uri.startsWith(root)) return undefined;
  const relative = uri.slice(root.length);
  if (relative === '' || relative.split('/').some((part) => part === '..')) return undefined;
  return `${settings.siteOrigin}${media.downloadBase}${relative}`;
}

/** Files a run's judge downloaded, per run (a run has its own view): each is fetched once. */
const downloads = new WeakMap<LabView, Map<string, Promise<Uint8Array | undefined>>>();

/** The bytes of a file the site serves (undefined when it cannot be read), fetched once per run and URL. */
export function downloadOnce(view: LabView, url: string): Promise<Uint8Array | undefined> {
  let files = downloads.get(view);
  if (!files) downloads.set(view, (files = new Map()));
  let file = files.get(url);
  if (!file) {
    file = fetch(url, { cache: 'no-store' })
      .then(async (response) => (response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined))
      .catch(() => undefined);
    files.set(url, file);
  }
  return file;
}

/** What a recorded file is, from its bytes: its container (by magic number) and which media types it has tracks of. */
export interface RecordedFile {
  bytes: number;
  container: 'webm' | 'mp4' | 'unknown';
  audio: boolean;
  video: boolean;
}

function indexOfAscii(bytes: Uint8Array, text: string, from = 0, to = bytes.length): number {
  const codes = [...text].map((char) => char.charCodeAt(0));
  outer: for (let i = from; i <= Math.min(to, bytes.length) - codes.length; i += 1) {
    for (let j = 0; j < codes.length; j += 1) if (bytes[i + j] !== codes[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Reads a recording: WebM starts with the EBML magic 1A 45 DF A3 and names its tracks' codecs (V_VP8, A_OPUS…) in
 * its header; MP4 has `ftyp` at offset 4 and a `hdlr` box of type `vide` or `soun` per track.
 */
export function inspectRecording(bytes: Uint8Array): RecordedFile {
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) {
    // The Tracks element is written before the first cluster: the header is enough.
    const header = Math.min(bytes.length, 65536);
    const has = (prefix: 'V_' | 'A_'): boolean => ['VP8', 'VP9', 'AV1', 'MPEG4/ISO/AVC', 'OPUS', 'VORBIS', 'AAC'].some((codec) => indexOfAscii(bytes, `${prefix}${codec}`, 0, header) >= 0);
    return { bytes: bytes.length, container: 'webm', video: has('V_'), audio: has('A_') };
  }
  if (indexOfAscii(bytes, 'ftyp', 4, 8) === 4) {
    const handlers = new Set<string>();
    for (let at = indexOfAscii(bytes, 'hdlr'); at >= 0; at = indexOfAscii(bytes, 'hdlr', at + 4)) {
      handlers.add(String.fromCharCode(...bytes.slice(at + 12, at + 16)));
    }
    return { bytes: bytes.length, container: 'mp4', video: handlers.has('vide'), audio: handlers.has('soun') };
  }
  return { bytes: bytes.length, container: 'unknown', video: false, audio: false };
}
