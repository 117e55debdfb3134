/**
 * The highlighter in the browser: a chunk of its own, fetched the first time a code block is rendered in the browser
 * rather than hydrated from the server's HTML (a page reached by a link inside the site, a lab's code). A page opened
 * from its URL keeps the highlighting the server rendered and never loads Prism (see ./index.tsx).
 *
 * The server bundle replaces this module with ./highlighter.server.ts (src/plugins/code-highlighting.ts).
 */
import type * as prism from './prism';

export type Highlighter = typeof prism;

let loaded: Highlighter | null = null;
let loading: Promise<Highlighter> | null = null;

/** The highlighter if it is already loaded (always on the server). */
export function getHighlighter(): Highlighter | null {
  return loaded;
}

export function loadHighlighter(): Promise<Highlighter> {
  loading ??= import(/* webpackChunkName: "prism" */ './prism').then((module) => (loaded = module));
  return loading;
}
