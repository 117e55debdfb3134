/**
 * What exercises judge a run by, from what the lab observed: the pipeline graph, the JSON-RPC frames, the stats, and
 * the pictures the page plays. Never the code's text.
 */
import type { GraphView, LabFrame, LabView, Rgb, StatsSample } from './types';

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
