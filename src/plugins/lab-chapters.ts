import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';

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

export default function labChapters(context: LoadContext): Plugin<unknown> {
  return {
    name: 'kurento-labs-chapters',
    async loadContent() {
      return findEmbeds(context.siteDir);
    },
    async contentLoaded({ content, actions }) {
      // usePluginData('kurento-labs-chapters') in the site.
      actions.setGlobalData(content as Embeds);
    },
    getPathsToWatch() {
      return [path.join(context.siteDir, 'docs', '*.mdx')];
    },
  };
}
