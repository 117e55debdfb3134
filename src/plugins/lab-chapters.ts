import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { LABS } from '../../labs';
import { EXERCISES } from '../../labs/exercises';
import type { Localized } from '../../core/localized';

/**
 * Which chapter embeds which lab and which exercise, read from the chapters themselves (`<Lab id="…"/>`,
 * `<Exercise id="…"/>` in docs/*.mdx): the labs index links there, the i18n check and the end-to-end tests open them
 * there, and nothing else has to list them again.
 */
export interface Embeds {
  /** Lab id → the route of the chapter that embeds it (e.g. /docs/first-app-javascript). */
  labs: Record<string, string>;
  exercises: Record<string, string>;
}

/** What pages show of a lab or an exercise before its code loads: names and summaries, from their definitions. */
export interface Catalog {
  embeds: Embeds;
  labs: Array<{ id: string; title: Localized; summary: Localized; elements: readonly string[] }>;
  exercises: Array<{ id: string; lab: string; title: Localized }>;
}

export function findEmbeds(siteDir: string): Embeds {
  const docs = path.join(siteDir, 'docs');
  const embeds: Embeds = { labs: {}, exercises: {} };
  for (const file of readdirSync(docs).filter((name) => name.endsWith('.mdx')).sort()) {
    const route = `/docs/${file.replace(/\.mdx$/, '')}`;
    const text = readFileSync(path.join(docs, file), 'utf8');
    for (const [pattern, target] of [
      [/<Lab id="([^"]+)"/g, embeds.labs],
      [/<Exercise id="([^"]+)"/g, embeds.exercises],
    ] as const) {
      for (const match of text.matchAll(pattern)) {
        const id = match[1] ?? '';
        if (target[id] && target[id] !== route) throw new Error(`${id} is embedded twice: in ${target[id]} and in ${route}`);
        target[id] = route;
      }
    }
  }
  return embeds;
}

export function catalog(siteDir: string): Catalog {
  return {
    embeds: findEmbeds(siteDir),
    labs: LABS.map((lab) => ({ id: lab.id, title: lab.title, summary: lab.summary, elements: lab.elements })),
    exercises: EXERCISES.map((exercise) => ({ id: exercise.id, lab: exercise.lab, title: exercise.title })),
  };
}

/**
 * `usePluginData('kurento-labs-catalog')`: the catalog, in every page's global data, so that a chapter shows a lab's
 * name before the lab's code loads (when the lab scrolls into view), and the labs index needs no lab code at all.
 */
export default function labCatalog(context: LoadContext): Plugin<unknown> {
  return {
    name: 'kurento-labs-catalog',
    async loadContent() {
      return catalog(context.siteDir);
    },
    async contentLoaded({ content, actions }) {
      actions.setGlobalData(content as Catalog);
    },
    getPathsToWatch() {
      return [path.join(context.siteDir, 'docs', '*.mdx')];
    },
  };
}
