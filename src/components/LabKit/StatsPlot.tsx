import { useMemo, useRef, type ReactNode } from 'react';
import clsx from 'clsx';
import Translate, { translate } from '@docusaurus/Translate';
import type { StatsSample } from '@site/labs/framework/types';
import styles from './views.module.css';

export interface StatsPlotProps {
  samples: readonly StatsSample[];
}

type Metric = 'bitrate' | 'packets' | 'loss' | 'rtt';

const METRICS: readonly Metric[] = ['bitrate', 'packets', 'loss', 'rtt'];
/** Seconds of history drawn. */
const WINDOW = 60;
/** A longer pause between two samples breaks the line instead of joining across it. */
const GAP = 3.5;
const COLOURS = 8;

interface Point {
  /** Seconds since the run started. */
  t: number;
  v: number;
  /** First point after a pause. */
  gap: boolean;
}

interface Line {
  key: string;
  series: string;
  kind: StatsSample['kind'];
  direction: StatsSample['direction'];
  colour: number;
  points: Record<Metric, Point[]>;
}

interface Computed {
  lines: Line[];
  /** Newest sample time, in seconds. */
  end: number;
}

/** Keep the previous list while length and ends are unchanged (the container passes a fresh copy on every render). */
function useStableList<T>(list: readonly T[]): readonly T[] {
  const cache = useRef(list);
  const previous = cache.current;
  if (previous !== list && (previous.length !== list.length || previous[0] !== list[0] || previous.at(-1) !== list.at(-1))) cache.current = list;
  return cache.current;
}

/** Per-second rates from consecutive cumulative samples of the same series × kind × direction, over the last minute. */
export function computeRates(samples: readonly StatsSample[]): Computed {
  let endMs = 0;
  for (const sample of samples) endMs = Math.max(endMs, sample.t);
  const fromMs = (endMs / 1000 - WINDOW) * 1000;
  const groups = new Map<string, StatsSample[]>();
  for (const sample of samples) {
    const key = `${sample.series}|${sample.kind}|${sample.direction}`;
    const group = groups.get(key);
    if (group) group.push(sample);
    else groups.set(key, [sample]);
  }
  const lines: Line[] = [];
  for (const [key, group] of groups) {
    const first = group[0];
    if (!first) continue;
    const points: Record<Metric, Point[]> = { bitrate: [], packets: [], loss: [], rtt: [] };
    let previous: StatsSample | undefined;
    let gap = false;
    for (const sample of group) {
      const before = previous;
      previous = sample;
      if (!before) continue;
      const dt = (sample.t - before.t) / 1000;
      if (dt <= 0) continue;
      if (sample.t < fromMs) continue;
      const bytes = sample.bytes - before.bytes;
      const packets = sample.packets - before.packets;
      // A counter that went down was reset (a new peer or endpoint under the same role): start the line again.
      if (bytes < 0 || packets < 0) {
        gap = true;
        continue;
      }
      const t = sample.t / 1000;
      const broken = gap || dt > GAP;
      gap = false;
      points.bitrate.push({ t, v: (bytes * 8) / 1000 / dt, gap: broken });
      points.packets.push({ t, v: packets / dt, gap: broken });
      points.loss.push({ t, v: Math.max(0, sample.packetsLost - before.packetsLost), gap: broken });
      if (sample.roundTripTime !== undefined && Number.isFinite(sample.roundTripTime)) {
        points.rtt.push({ t, v: sample.roundTripTime * 1000, gap: broken || points.rtt.length === 0 });
      }
    }
    lines.push({ key, series: first.series, kind: first.kind, direction: first.direction, colour: lines.length % COLOURS, points });
  }
  return { lines, end: endMs / 1000 };
}

/** A round step (1, 2 or 5 × 10ⁿ) giving about four ticks up to `max`. */
function niceStep(max: number): number {
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100 || value === 0) return String(Math.round(value));
  if (magnitude >= 10) return value.toFixed(1).replace(/\.0$/, '');
  return value.toFixed(2).replace(/\.?0+$/, '');
}

function metricTitle(metric: Metric): string {
  switch (metric) {
    case 'bitrate':
      return translate({ id: 'lab.stats.bitrate', message: 'Bitrate (kbps)', description: 'Chart title' });
    case 'packets':
      return translate({ id: 'lab.stats.packets', message: 'Packets per second', description: 'Chart title' });
    case 'loss':
      return translate({ id: 'lab.stats.loss', message: 'Packets lost (per interval)', description: 'Chart title: lost packets between two samples' });
    case 'rtt':
      return translate({ id: 'lab.stats.rtt', message: 'Round-trip time (ms)', description: 'Chart title' });
  }
}

const UNITS: Record<Metric, string> = { bitrate: 'kbps', packets: 'pkt/s', loss: 'pkt', rtt: 'ms' };

function lineName(line: Line): string {
  const kind =
    line.kind === 'audio' ? translate({ id: 'lab.stats.kind.audio', message: 'audio' }) : translate({ id: 'lab.stats.kind.video', message: 'video' });
  const direction =
    line.direction === 'inbound'
      ? translate({ id: 'lab.stats.direction.inbound', message: 'inbound', description: 'RTP received' })
      : translate({ id: 'lab.stats.direction.outbound', message: 'outbound', description: 'RTP sent' });
  return `${line.series} ${kind} ${direction}`;
}

const W = 340;
const H = 150;
const PAD = { left: 44, right: 12, top: 10, bottom: 22 };

function SeriesSwatch({ line }: { line: Line }): ReactNode {
  return (
    <svg width="24" height="8" viewBox="0 0 24 8" aria-hidden="true">
      <line x1="1" y1="4" x2="23" y2="4" className={clsx(styles.series, styles[`c${line.colour}`], line.direction === 'outbound' && styles.outbound)} />
    </svg>
  );
}

function Chart({ metric, lines, end }: { metric: Metric; lines: readonly Line[]; end: number }): ReactNode {
  const drawn = lines.filter((line) => line.points[metric].length > 0);
  const x0 = Math.max(0, end - WINDOW);
  const x1 = x0 + WINDOW;
  let max = 0;
  for (const line of drawn) for (const point of line.points[metric]) max = Math.max(max, point.v);
  // A little headroom, so that a steady line does not run along the top edge.
  const ceiling = max > 0 ? max * 1.08 : 1;
  const step = niceStep(ceiling);
  const top = Math.max(step, Math.ceil(ceiling / step) * step);
  const yTicks = Array.from({ length: Math.round(top / step) + 1 }, (_, index) => index * step);
  const xTicks: number[] = [];
  for (let tick = Math.ceil(x0 / 10) * 10; tick <= x1; tick += 10) xTicks.push(tick);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const sx = (t: number): number => PAD.left + ((t - x0) / WINDOW) * plotW;
  const sy = (v: number): number => PAD.top + plotH - (v / top) * plotH;
  const count = drawn.reduce((sum, line) => sum + line.points[metric].length, 0);
  const title = metricTitle(metric);
  const format = (value: number): string => `${formatNumber(value)} ${UNITS[metric]}`;

  return (
    <figure className={styles.chart}>
      <figcaption>{title}</figcaption>
      <svg
        className={styles.chartSvg}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={title}
        data-testid="stats-chart"
        data-metric={metric}
        data-points={count}
      >
        {yTicks.map((tick) => (
          <g key={`y${tick}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={sy(tick)} y2={sy(tick)} className={tick === 0 ? styles.axis : styles.grid} />
            <text x={PAD.left - 4} y={sy(tick) + 3} textAnchor="end" className={styles.tick}>
              {formatNumber(tick)}
            </text>
          </g>
        ))}
        <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + plotH} className={styles.axis} />
        {xTicks.map((tick) => (
          <text key={`x${tick}`} x={sx(tick)} y={H - 6} textAnchor="middle" className={styles.tick}>
            {`${tick}s`}
          </text>
        ))}
        {drawn.map((line) => {
          const points = line.points[metric];
          const d = points.map((point, index) => `${index === 0 || point.gap ? 'M' : 'L'}${sx(point.t).toFixed(1)},${sy(point.v).toFixed(1)}`).join(' ');
          const last = points.at(-1);
          return (
            <g key={line.key} data-series={line.series} data-kind={line.kind} data-direction={line.direction}>
              <path d={d} className={clsx(styles.series, styles[`c${line.colour}`], line.direction === 'outbound' && styles.outbound)} />
              {last && <circle cx={sx(last.t)} cy={sy(last.v)} r={2.5} className={clsx(styles.dot, styles[`f${line.colour}`])} />}
            </g>
          );
        })}
      </svg>
      {drawn.length === 0 ? (
        <p className={styles.note}>
          <Translate id="lab.stats.waiting">Needs two samples of a stream: about two seconds.</Translate>
        </p>
      ) : (
        <ul className={styles.seriesLegend}>
          {drawn.map((line) => {
            const last = line.points[metric].at(-1);
            return (
              <li key={line.key}>
                <SeriesSwatch line={line} />
                <span className={clsx(styles.seriesName, styles.mono)}>{lineName(line)}</span>
                <span className={styles.lastValue}>{last ? format(last.v) : ''}</span>
              </li>
            );
          })}
        </ul>
      )}
    </figure>
  );
}

/** Live WebRTC statistics of the run (KMS getStats and the browser's getStats): bitrate, packet rate, loss, RTT. */
export default function StatsPlot({ samples }: StatsPlotProps): ReactNode {
  const stable = useStableList(samples);
  const { lines, end } = useMemo(() => computeRates(stable), [stable]);
  const hasRtt = lines.some((line) => line.points.rtt.length > 0);

  return (
    <div className={clsx(styles.view, styles.stats)} data-testid="stats-plot">
      {samples.length === 0 ? (
        <p className={styles.empty}>
          <Translate id="lab.stats.empty">No statistics yet. They are sampled once per second while media flows.</Translate>
        </p>
      ) : (
        <>
          <p className={styles.note}>
            <Translate id="lab.stats.intro" values={{ seconds: WINDOW }} description="Explains the charts; solid/dashed line styles">
              {'Last {seconds} s, one point per second. Solid lines: inbound; dashed lines: outbound.'}
            </Translate>
          </p>
          <div className={styles.charts}>
            {METRICS.filter((metric) => metric !== 'rtt' || hasRtt).map((metric) => (
              <Chart key={metric} metric={metric} lines={lines} end={end} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
