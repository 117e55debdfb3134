import { useId, type ReactNode } from 'react';
import clsx from 'clsx';
import Translate, { translate } from '@docusaurus/Translate';
import { flowKey, type GraphLink, type GraphState } from '@site/labs/framework/recorder';
import type { GraphElement } from '@site/labs/framework/types';
import styles from './views.module.css';

export interface PipelineGraphProps {
  graph: GraphState;
}

type MediaType = GraphLink['mediaType'];

const MEDIA: readonly MediaType[] = ['AUDIO', 'VIDEO', 'DATA'];
/** Vertical offset of each media type's arrow, so parallel links do not overlap. */
const MEDIA_OFFSET: Record<MediaType, number> = { AUDIO: -5, VIDEO: 0, DATA: 5 };
/** Where along the curve each media type's letter sits, so the letters do not overlap either. */
const LABEL_AT: Record<MediaType, number> = { AUDIO: 0.35, VIDEO: 0.5, DATA: 0.65 };

const NODE_W = 176;
const NODE_H = 52;
const PORT_W = 150;
const PORT_H = 44;
const PORT_GAP = 10;
const HUB_HEAD = 46;
const COLUMN_GAP = 96;
const MARGIN = 16;

interface Box {
  element: GraphElement;
  x: number;
  y: number;
  w: number;
  h: number;
  hub: boolean;
}

interface Layout {
  boxes: Map<string, Box>;
  width: number;
  height: number;
}

interface Point {
  x: number;
  y: number;
}

/**
 * A layered layout: each element (a hub with its HubPorts counts as one) goes one column right of the elements
 * feeding it, elements that only receive go to the last column, and each column is ordered by where its feeders sit.
 * Cycles (A → B → A) are broken at the link that closes them, which is then drawn right to left.
 */
function layout(graph: GraphState, loops: boolean): Layout {
  const roles = new Set(graph.elements.map((element) => element.role));
  const clusterOf = (element: GraphElement): string => (element.parentRole && roles.has(element.parentRole) ? element.parentRole : element.role);
  const clusterByRole = new Map(graph.elements.map((element) => [element.role, clusterOf(element)]));
  const tops = graph.elements.filter((element) => clusterOf(element) === element.role);
  const children = new Map<string, GraphElement[]>();
  for (const element of graph.elements) {
    const cluster = clusterOf(element);
    if (cluster !== element.role) children.set(cluster, [...(children.get(cluster) ?? []), element]);
  }

  const out = new Map<string, Set<string>>(tops.map((element) => [element.role, new Set<string>()]));
  const feeders = new Map<string, Set<string>>(tops.map((element) => [element.role, new Set<string>()]));
  for (const link of graph.links) {
    const from = clusterByRole.get(link.source);
    const to = clusterByRole.get(link.sink);
    if (from === undefined || to === undefined || from === to) continue;
    out.get(from)?.add(to);
    feeders.get(to)?.add(from);
  }
  const hasFeeders = (role: string): boolean => (feeders.get(role)?.size ?? 0) > 0;

  // Depth-first from the sources (then from anything left): a link to an element still on the stack closes a cycle.
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const forward = new Map<string, string[]>();
  const visit = (role: string): void => {
    state.set(role, 'open');
    const next: string[] = [];
    for (const target of out.get(role) ?? []) {
      if (state.get(target) === 'open') continue;
      next.push(target);
      if (!state.has(target)) visit(target);
    }
    forward.set(role, next);
    state.set(role, 'done');
    order.push(role);
  };
  for (const element of tops) if (!hasFeeders(element.role) && !state.has(element.role)) visit(element.role);
  for (const element of tops) if (!state.has(element.role)) visit(element.role);

  const layer = new Map<string, number>();
  for (const role of order.reverse()) {
    const own = layer.get(role) ?? 0;
    layer.set(role, own);
    for (const target of forward.get(role) ?? []) layer.set(target, Math.max(layer.get(target) ?? 0, own + 1));
  }
  const last = Math.max(0, ...layer.values());
  for (const element of tops) if (hasFeeders(element.role) && (out.get(element.role)?.size ?? 0) === 0) layer.set(element.role, last);

  const columns: GraphElement[][] = Array.from({ length: last + 1 }, () => []);
  for (const element of tops) columns[layer.get(element.role) ?? 0]?.push(element);

  const rowGap = loops ? 72 : 28;
  const heightOf = (element: GraphElement): number => {
    const ports = children.get(element.role)?.length ?? 0;
    return ports > 0 ? HUB_HEAD + ports * (PORT_H + PORT_GAP) : NODE_H;
  };
  const columnHeight = (column: GraphElement[]): number => column.reduce((sum, element) => sum + heightOf(element), 0) + Math.max(0, column.length - 1) * rowGap;
  const tallest = Math.max(...columns.map(columnHeight));

  const boxes = new Map<string, Box>();
  const centre = new Map<string, number>();
  const barycentre = (element: GraphElement): number => {
    const ys = [...(feeders.get(element.role) ?? [])].map((role) => centre.get(role)).filter((y) => y !== undefined);
    return ys.length > 0 ? ys.reduce((sum, y) => sum + y, 0) / ys.length : Infinity;
  };
  columns.forEach((column, index) => {
    if (index > 0) column.sort((a, b) => barycentre(a) - barycentre(b) || 0);
    const x = MARGIN + index * (NODE_W + COLUMN_GAP);
    let y = MARGIN + (tallest - columnHeight(column)) / 2;
    for (const element of column) {
      const ports = children.get(element.role) ?? [];
      const h = heightOf(element);
      boxes.set(element.role, { element, x, y, w: NODE_W, h, hub: ports.length > 0 });
      centre.set(element.role, y + h / 2);
      ports.forEach((port, portIndex) => {
        const portY = y + HUB_HEAD + portIndex * (PORT_H + PORT_GAP);
        boxes.set(port.role, { element: port, x: x + (NODE_W - PORT_W) / 2, y: portY, w: PORT_W, h: PORT_H, hub: false });
      });
      y += h + rowGap;
    }
  });
  return { boxes, width: MARGIN * 2 + columns.length * NODE_W + (columns.length - 1) * COLUMN_GAP, height: MARGIN * 2 + tallest };
}

interface Route {
  d: string;
  label: Point;
  /** Every point that bounds the path (a cubic stays inside its control points), to size the drawing. */
  hull: Point[];
}

function cubicAt(a: Point, b: Point, c: Point, d: Point, at: number): Point {
  const u = 1 - at;
  return {
    x: u * u * u * a.x + 3 * u * u * at * b.x + 3 * u * at * at * c.x + at * at * at * d.x,
    y: u * u * u * a.y + 3 * u * u * at * b.y + 3 * u * at * at * c.y + at * at * at * d.y,
  };
}

function curve(a: Point, b: Point, c: Point, d: Point, labelAt: number): Route {
  return { d: `M${a.x},${a.y} C${b.x},${b.y} ${c.x},${c.y} ${d.x},${d.y}`, label: cubicAt(a, b, c, d, labelAt), hull: [a, b, c, d] };
}

/** Boxes that overlap horizontally (one column, or two ports of one hub). */
function sameColumn(a: Box, b: Box): boolean {
  return b.x < a.x + a.w && a.x < b.x + b.w;
}

/**
 * Left to right for links that go forward, right to left (below the centre line) for links that close a cycle; a
 * link that would cross the boxes of the columns in between detours above or below them. Self-loops are arcs on top.
 */
function route(source: Box, sink: Box, mediaType: MediaType, boxes: readonly Box[], detours: { above: number; below: number }): Route {
  const index = MEDIA.indexOf(mediaType);
  const offset = MEDIA_OFFSET[mediaType];
  const at = LABEL_AT[mediaType];
  if (source === sink) {
    const size = 18 + index * 12;
    const middle = source.x + source.w / 2;
    const start = { x: middle + 12 + index * 9, y: source.y };
    const end = { x: middle - 12 - index * 9, y: source.y };
    return curve(start, { x: start.x + size * 0.5, y: start.y - size * 1.8 }, { x: end.x - size * 0.5, y: end.y - size * 1.8 }, end, 0.5);
  }
  const sourceY = source.y + source.h / 2;
  const sinkY = sink.y + sink.h / 2;
  if (sameColumn(source, sink)) {
    const start = { x: source.x + source.w, y: sourceY + offset };
    const end = { x: sink.x + sink.w, y: sinkY + offset };
    const reach = Math.max(start.x, end.x) + 36 + index * 8;
    return curve(start, { x: reach, y: start.y }, { x: reach, y: end.y }, end, at);
  }
  const rightward = sink.x >= source.x + source.w;
  const direction = rightward ? 1 : -1;
  const shift = rightward ? -9 : 9;
  const start = { x: rightward ? source.x + source.w : source.x, y: sourceY + shift + offset };
  const end = { x: rightward ? sink.x : sink.x + sink.w, y: sinkY + shift + offset };
  const low = Math.min(start.y, end.y) - 4;
  const high = Math.max(start.y, end.y) + 4;
  const left = Math.min(start.x, end.x);
  const right = Math.max(start.x, end.x);
  const blocking = boxes.filter((box) => box.x > left && box.x + box.w < right && box.y < high && box.y + box.h > low);
  if (blocking.length === 0) {
    const bend = (end.x - start.x) / 2;
    return curve(start, { x: start.x + bend, y: start.y }, { x: end.x - bend, y: end.y }, end, at);
  }
  // Each detour gets its own lane, so that two of them never run on top of each other.
  const above = Math.min(...blocking.map((box) => box.y)) - 14 - detours.above * 7;
  const below = Math.max(...blocking.map((box) => box.y + box.h)) + 14 + detours.below * 7;
  const cost = (lane: number): number => Math.abs(lane - start.y) + Math.abs(lane - end.y);
  const goAbove = cost(above) <= cost(below);
  const lane = goAbove ? above : below;
  if (goAbove) detours.above += 1;
  else detours.below += 1;
  const r = 30 * direction;
  const from = { x: start.x + 2 * r, y: lane };
  const to = { x: end.x - 2 * r, y: lane };
  return {
    d: `M${start.x},${start.y} C${start.x + r},${start.y} ${start.x + r},${lane} ${from.x},${lane} L${to.x},${lane} C${end.x - r},${lane} ${end.x - r},${end.y} ${end.x},${end.y}`,
    label: { x: from.x + (to.x - from.x) * at, y: lane },
    hull: [start, from, to, end],
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function flowText(flowing: boolean): string {
  return flowing
    ? translate({ id: 'lab.graph.flowing', message: 'flowing', description: 'Media flows over this link' })
    : translate({ id: 'lab.graph.notFlowing', message: 'not flowing', description: 'No media flows over this link' });
}

function LegendLine({ mediaType, flowing }: { mediaType: MediaType; flowing: boolean }): ReactNode {
  return (
    <svg width="34" height="10" viewBox="0 0 34 10" aria-hidden="true">
      <line x1="2" y1="5" x2="28" y2="5" className={clsx(styles.link, styles[`link_${mediaType}`], flowing ? styles.flowing : styles.idle)} />
    </svg>
  );
}

/** The live media pipeline: elements as boxes, one arrow per connection and media type, green while media flows. */
export default function PipelineGraph({ graph }: PipelineGraphProps): ReactNode {
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, '');
  const okMarker = `${uid}-ok`;
  const idleMarker = `${uid}-idle`;

  const isFlowing = (link: GraphLink): boolean =>
    graph.flowOut[flowKey(link.source, link.mediaType)] === 'FLOWING' && graph.flowIn[flowKey(link.sink, link.mediaType)] === 'FLOWING';
  const loops = graph.links.some((link) => link.source === link.sink);
  const { boxes, width, height } = layout(graph, loops);
  const obstacles = [...boxes.values()].filter((box) => box.element.parentRole === undefined || !boxes.has(box.element.parentRole));
  const detours = { above: 0, below: 0 };
  const links = graph.links.flatMap((link) => {
    const source = boxes.get(link.source);
    const sink = boxes.get(link.sink);
    return source && sink ? [{ link, flowing: isFlowing(link), path: route(source, sink, link.mediaType, obstacles, detours) }] : [];
  });
  // The drawing grows to hold self-loops above the boxes and detours around them.
  const hull = links.flatMap((entry) => entry.path.hull);
  const minX = Math.min(0, ...hull.map((point) => point.x - 12));
  const minY = Math.min(0, ...hull.map((point) => point.y - 12));
  const maxX = Math.max(width, ...hull.map((point) => point.x + 12));
  const maxY = Math.max(height, ...hull.map((point) => point.y + 12));
  const flowingCount = links.filter((entry) => entry.flowing).length;

  const describe = (link: GraphLink, flowing: boolean): string => `${link.source} → ${link.sink} ${link.mediaType} ${flowText(flowing)}`;
  const summary = translate(
    { id: 'lab.graph.summary', message: 'Media pipeline. Elements: {elements}. Links: {links}, with media flowing: {flowing}.', description: 'Accessible name of the pipeline drawing' },
    { elements: graph.elements.length, links: links.length, flowing: flowingCount },
  );

  return (
    <div className={styles.view} data-testid="pipeline-graph">
      {graph.elements.length === 0 ? (
        <p className={styles.empty}>
          <Translate id="lab.graph.empty">No media elements yet. They appear here as the lab creates them.</Translate>
        </p>
      ) : (
        <svg
          className={styles.graphSvg}
          viewBox={`${minX} ${minY} ${maxX - minX} ${maxY - minY}`}
          width={maxX - minX}
          height={maxY - minY}
          role="img"
          aria-label={summary}
        >
          <defs>
            {[
              { id: okMarker, className: styles.arrowFlowing },
              { id: idleMarker, className: styles.arrowIdle },
            ].map((marker) => (
              <marker key={marker.id} id={marker.id} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto">
                <path d="M0,0 L10,5 L0,10 z" className={marker.className} />
              </marker>
            ))}
          </defs>
          {[...boxes.values()].map((box) => (
            <g key={box.element.role} data-testid="graph-element" data-role={box.element.role} data-type={box.element.type}>
              <title>{`${box.element.role} (${box.element.type})`}</title>
              <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={box.hub ? 10 : 6} className={box.hub ? styles.hub : styles.node} />
              <text x={box.x + box.w / 2} y={box.y + 21} textAnchor="middle" className={styles.nodeRole}>
                {clip(box.element.role, 22)}
              </text>
              <text x={box.x + box.w / 2} y={box.y + 37} textAnchor="middle" className={styles.nodeType}>
                {clip(box.element.type, 24)}
              </text>
            </g>
          ))}
          {links.map(({ link, flowing, path }) => (
            <g key={`${link.source}|${link.sink}|${link.mediaType}`} data-testid="graph-link" data-flowing={String(flowing)} data-source={link.source} data-sink={link.sink} data-media={link.mediaType}>
              <title>{describe(link, flowing)}</title>
              <path
                d={path.d}
                className={clsx(styles.link, styles[`link_${link.mediaType}`], flowing ? styles.flowing : styles.idle)}
                markerEnd={`url(#${flowing ? okMarker : idleMarker})`}
              />
              <text x={path.label.x} y={path.label.y + 3} textAnchor="middle" className={styles.linkLabel}>
                {link.mediaType[0]}
              </text>
            </g>
          ))}
        </svg>
      )}
      <ul className={styles.visuallyHidden} data-testid="graph-links-text">
        {links.length === 0 ? (
          <li>{translate({ id: 'lab.graph.noLinks', message: 'No connections between elements yet.' })}</li>
        ) : (
          links.map(({ link, flowing }) => <li key={`${link.source}|${link.sink}|${link.mediaType}`}>{describe(link, flowing)}</li>)
        )}
      </ul>
      {graph.elements.length > 0 && (
        <ul className={styles.legend} aria-label={translate({ id: 'lab.graph.legend', message: 'Legend' })}>
          {MEDIA.map((mediaType) => (
            <li key={mediaType}>
              <LegendLine mediaType={mediaType} flowing />
              <span className={styles.mono}>
                {mediaType[0]} = {mediaType}
              </span>
            </li>
          ))}
          <li>
            <LegendLine mediaType="VIDEO" flowing />
            {translate({ id: 'lab.graph.legend.flowing', message: 'media flowing (both ends report FLOWING)' })}
          </li>
          <li>
            <LegendLine mediaType="VIDEO" flowing={false} />
            {translate({ id: 'lab.graph.legend.notFlowing', message: 'no media flowing yet' })}
          </li>
        </ul>
      )}
    </div>
  );
}
