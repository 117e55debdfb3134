import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from '@docusaurus/types';

/** The lazily loaded parts of a chapter page, by the webpackChunkName of their import(). */
export const MEASURED_CHUNKS = ['lab', 'lab-editor', 'lab-export'] as const;

/** What a page fetches when it first needs one of them: the files of its chunk group it does not have yet. */
export interface ChunkSize {
  /** Files under assets/js that load on demand for it (not already in the page's entry point). */
  files: string[];
  bytes: number;
  /** Sum of each file gzipped at level 9, as the site's server sends them (the .gz beside each file). */
  gzip: number;
}

export type ChunkSizes = Record<(typeof MEASURED_CHUNKS)[number], ChunkSize>;

export const CHUNK_SIZES_FILE = 'chunk-sizes.json';

interface Chunk {
  files: Iterable<string>;
}
interface ChunkGroup {
  chunks: Chunk[];
}
interface Compilation {
  outputOptions: { path?: string };
  namedChunkGroups: Map<string, ChunkGroup>;
  entrypoints: Map<string, ChunkGroup>;
}
interface Compiler {
  hooks: { afterEmit: { tap(name: string, callback: (compilation: Compilation) => void): void } };
}

function filesOf(group: ChunkGroup | undefined): Set<string> {
  const files = new Set<string>();
  for (const chunk of group?.chunks ?? []) for (const file of chunk.files) if (file.endsWith('.js')) files.add(file);
  return files;
}

/**
 * Measures, in every client build, what the lab, its editor and its exporter cost when they load (the files of each
 * chunk group that the entry point has not loaded already, and for the editor and exporter, that the lab has not
 * loaded either), and writes it to build/<locale>/chunk-sizes.json. The e2e site spec holds them to the budgets.
 */
export default function chunkBudgets(): Plugin {
  return {
    name: 'kurento-labs-chunk-budgets',
    configureWebpack(_config, isServer) {
      if (isServer) return {};
      return {
        plugins: [
          {
            apply(compiler: Compiler) {
              compiler.hooks.afterEmit.tap('kurento-labs-chunk-budgets', (compilation) => {
                const out = compilation.outputOptions.path;
                if (!out) return;
                const loaded = new Set<string>();
                for (const entry of compilation.entrypoints.values()) for (const file of filesOf(entry)) loaded.add(file);
                const labFiles = filesOf(compilation.namedChunkGroups.get('lab'));
                const sizes: Partial<ChunkSizes> = {};
                for (const name of MEASURED_CHUNKS) {
                  const group = compilation.namedChunkGroups.get(name);
                  if (!group) throw new Error(`chunk-budgets: no chunk group named "${name}" (its import() lost its webpackChunkName?)`);
                  const already = name === 'lab' ? loaded : new Set([...loaded, ...labFiles]);
                  const files = [...filesOf(group)].filter((file) => !already.has(file)).sort();
                  let bytes = 0;
                  let gzip = 0;
                  for (const file of files) {
                    // After emit, webpack keeps only the size of an asset: read the file it wrote.
                    const buffer = readFileSync(path.join(out, file));
                    bytes += buffer.length;
                    gzip += gzipSync(buffer, { level: 9 }).length;
                  }
                  sizes[name] = { files: files.map((file) => path.basename(file)), bytes, gzip };
                }
                writeFileSync(path.join(out, CHUNK_SIZES_FILE), `${JSON.stringify(sizes, null, 2)}\n`);
              });
            },
          },
        ],
      };
    },
  };
}
