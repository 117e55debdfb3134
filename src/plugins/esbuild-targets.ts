import { readFileSync } from 'node:fs';
import path from 'node:path';

/** esbuild's names for the browsers a browserslist query can name with a minimum version. */
const ESBUILD_BROWSERS = new Set(['chrome', 'edge', 'firefox', 'safari', 'ios', 'opera']);

/**
 * The esbuild targets (`chrome111`, `safari16.4`, …) of `queries`, which must each be "<browser> >= <version>": the
 * site's browserslist is written that way so that Babel's successor here, esbuild, targets exactly the same browsers.
 */
export function toEsbuildTargets(queries: readonly string[]): string[] {
  return queries.map((query) => {
    const match = /^\s*([a-z]+)\s*>=\s*(\d+(?:\.\d+)*)\s*$/i.exec(query);
    const browser = match?.[1]?.toLowerCase();
    if (!match || !browser || !ESBUILD_BROWSERS.has(browser)) {
      throw new Error(`browserslist entry "${query}" is not of the form "<browser> >= <version>" with a browser esbuild knows (${[...ESBUILD_BROWSERS].join(', ')})`);
    }
    return `${browser}${match[2] ?? ''}`;
  });
}

/** The targets of the browserslist in the site's package.json. */
export function esbuildTargets(root: string = path.resolve(__dirname, '..', '..')): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { browserslist?: unknown };
  if (!Array.isArray(pkg.browserslist) || !pkg.browserslist.every((entry): entry is string => typeof entry === 'string')) {
    throw new Error('package.json has no browserslist array');
  }
  return toEsbuildTargets(pkg.browserslist);
}
