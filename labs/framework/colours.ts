/**
 * What the labs with synthetic sources share (broadcasting, group call, routing, mixing): the colours and tones of the
 * sources their programs make with testSource(), and the checks that read a tile of the lab's page to tell which
 * source it shows and whether it still plays. UI-free: the checks read a LabView only.
 *
 * The programs are plain JavaScript and write the same hex colours and frequencies themselves (a learner reads them
 * there); the checks compare what a tile shows with the constants here.
 */
import { localize, type CheckResult, type LabView, type Localized, type Rgb } from './types';

/** A synthetic source a tile can be matched to: a solid colour and a tone. */
export interface TestColour {
  key: string;
  name: Localized;
  hex: string;
  /** Tone frequency in Hz (0: no tone). */
  frequency: number;
}

export const RED: TestColour = { key: 'red', name: { en: 'red', 'zh-Hans': '红色' }, hex: '#d32f2f', frequency: 440 };
export const GREEN: TestColour = { key: 'green', name: { en: 'green', 'zh-Hans': '绿色' }, hex: '#2e7d32', frequency: 554 };
export const BLUE: TestColour = { key: 'blue', name: { en: 'blue', 'zh-Hans': '蓝色' }, hex: '#1565c0', frequency: 659 };
export const AMBER: TestColour = { key: 'amber', name: { en: 'amber', 'zh-Hans': '琥珀色' }, hex: '#f9a825', frequency: 784 };
/** An empty cell of a Composite's grid. */
export const BLACK: TestColour = { key: 'black', name: { en: 'black (empty cell)', 'zh-Hans': '黑色（空格）' }, hex: '#000000', frequency: 0 };

export const PALETTE: readonly TestColour[] = [RED, GREEN, BLUE, AMBER];

/**
 * How far (per RGB channel, 0–255) a sampled tile may be from its source's colour. VP8 and the YUV 4:2:0 round trip
 * move a solid colour by a few units; the palette colours are more than 70 apart on at least one channel.
 */
export const COLOUR_TOLERANCE = 48;

export function rgbOf(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return { r: (value >> 16) & 0xff, g: (value >> 8) & 0xff, b: value & 0xff };
}

export function channelDistance(a: Rgb, b: Rgb): number {
  return Math.max(Math.abs(a.r - b.r), Math.abs(a.g - b.g), Math.abs(a.b - b.b));
}

/** The colour of `candidates` nearest to a sample. */
export function nearestColour(sample: Rgb, candidates: readonly TestColour[] = PALETTE): TestColour {
  let best = candidates[0] ?? RED;
  for (const colour of candidates) if (channelDistance(sample, rgbOf(colour.hex)) < channelDistance(sample, rgbOf(best.hex))) best = colour;
  return best;
}

/** A sample shows `colour`: within COLOUR_TOLERANCE of it, and nearer to it than to any other candidate. */
export function showsColour(sample: Rgb | undefined, colour: TestColour, candidates: readonly TestColour[] = PALETTE): boolean {
  return sample !== undefined && nearestColour(sample, candidates) === colour && channelDistance(sample, rgbOf(colour.hex)) <= COLOUR_TOLERANCE;
}

export function rgbText(sample: Rgb): string {
  return `rgb(${sample.r},${sample.g},${sample.b})`;
}

/**
 * Checks that each video of the page shows the colour of the source it should show: the sampled centre of the tile
 * must be within COLOUR_TOLERANCE of that colour, and nearer to it than to any other test colour. The detail lists
 * every video as `viewer-1 ✓ red #d32f2f rgb(210,48,47)` (or `✗ … ≠ …`), which the end-to-end tests read.
 */
export function colourCheck(view: LabView, wanted: ReadonlyArray<{ video: string; colour: TestColour }>): CheckResult {
  let ok = true;
  const parts = wanted.map(({ video, colour }) => {
    const sample = view.sampleColorAt(video, 0.5, 0.5);
    if (!sample) {
      ok = false;
      return `${video} ✗ ${localize({ en: 'no picture yet', 'zh-Hans': '还没有画面' }, view.locale)}`;
    }
    const good = showsColour(sample, colour);
    if (!good) ok = false;
    const name = localize(colour.name, view.locale);
    return good ? `${video} ✓ ${name} ${colour.hex} ${rgbText(sample)}` : `${video} ✗ ${rgbText(sample)} ≠ ${name} ${colour.hex}`;
  });
  return { ok, detail: parts.join('; ') };
}

/** Frames a video of the page has decoded so far. */
export function framesOf(view: LabView, video: string): number {
  return view.media(video).framesDecoded;
}

/** Every video's frame count each time a check looked at it, per run (a run has its own view). */
const frameHistory = new WeakMap<LabView, Map<string, Array<{ t: number; frames: number }>>>();

/**
 * How many frames a video decoded since run time `since` (ms): its frame count now, minus its count the first time a
 * check looked at it at or after `since`. The first look gives 0; call it from a check that is retried, and it
 * measures what the video did after the moment that mattered (a viewer left, a media type was connected again).
 */
export function framesSince(view: LabView, video: string, since: number): number {
  let videos = frameHistory.get(view);
  if (!videos) frameHistory.set(view, (videos = new Map()));
  let history = videos.get(video);
  if (!history) videos.set(video, (history = []));
  const frames = framesOf(view, video);
  const t = view.now();
  history.push({ t, frames });
  if (history.length > 400) history.splice(0, history.length - 400);
  const first = history.find((sample) => sample.t >= since);
  return first ? frames - first.frames : 0;
}

/** Videos that decoded at least `min` frames since `since`; the detail reads `viewer-1 +31 frames, viewer-3 +30 frames`. */
export function movingCheck(view: LabView, videos: readonly string[], since: number, min = 10): CheckResult {
  const more = videos.map((video) => ({ video, more: framesSince(view, video, since) }));
  return { ok: more.every((entry) => entry.more >= min), detail: more.map((entry) => `${entry.video} +${entry.more} frames`).join(', ') };
}

/** Both checks must pass; their details are joined. */
export function both(first: CheckResult, second: CheckResult): CheckResult {
  return { ok: first.ok && second.ok, detail: [first.detail, second.detail].filter(Boolean).join('; ') };
}

/**
 * The id of an object as ElementConnectionData carries it: KMS sends ids (strings); a client that turned them into
 * objects would hand over something with an `id`.
 */
export function idOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
  return String(value);
}

/** What the lab calls the KMS object with this id: the program variable that holds it, as the pipeline graph shows it. */
export function nameOfId(view: LabView, id: string): string {
  return view.graph().elements.find((element) => element.id === id)?.role ?? id;
}
