import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { esbuildTargets } from './esbuild-targets';

/**
 * The prebuilt browser bundles of kurento-client and kurento-utils that the site serves under stable URLs
 * (/vendor/kurento-client-<version>.min.js and /vendor/kurento-utils-<version>.min.js), like the bundles the Bower-era
 * tutorials loaded: one <script> each, which define the globals `kurentoClient` and `kurentoUtils`. The labs' pages
 * load them, every exported lab carries them, and the first-app chapter teaches a learner to use them without a
 * bundler. Built with esbuild when the site is built or served (about a second), into .generated/static, which the
 * site serves as a static directory. The labs' pages ask for them with `?v=<hash of both bundles>`, which the site's
 * server answers as immutable: a lab run after the first takes them from the browser's cache without asking the server
 * (about 10 ms sooner to the first video in `npm run bench -- labs`); new bundles come with a new `v`.
 */
export const VENDOR_DIR = path.join('.generated', 'static', 'vendor');

export interface VendorFiles {
  client: string;
  utils: string;
}

/** What the site gets (usePluginData('kurento-labs-vendor')): the stable URLs and the hash of the bundles' contents. */
export interface VendorData extends VendorFiles {
  version: string;
}

async function packageVersion(root: string, name: string): Promise<string> {
  const file = path.join(root, 'node_modules', name, 'package.json');
  return (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version;
}

/** The URL paths of the bundles for the installed versions (the site links them, exports fetch them). */
export async function vendorFiles(root: string): Promise<VendorFiles> {
  return {
    client: `/vendor/kurento-client-${await packageVersion(root, 'kurento-client')}.min.js`,
    utils: `/vendor/kurento-utils-${await packageVersion(root, 'kurento-utils')}.min.js`,
  };
}

async function newer(file: string, than: string[]): Promise<boolean> {
  try {
    const built = (await stat(file)).mtimeMs;
    for (const input of than) if ((await stat(input)).mtimeMs > built) return false;
    return true;
  } catch {
    return false;
  }
}

/** The first 12 hex digits of the SHA-256 of the built bundles, in order. */
async function contentVersion(targets: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const target of targets) hash.update(await readFile(target));
  return hash.digest('hex').slice(0, 12);
}

/** Builds both bundles into `<root>/.generated/static/vendor` unless they are there and newer than their inputs. */
export async function buildVendorBundles(root: string): Promise<VendorData> {
  const files = await vendorFiles(root);
  const outDir = path.join(root, VENDOR_DIR);
  const inputs = [path.join(root, 'package-lock.json'), path.join(root, 'packages', 'reconnect-ws', 'index.js'), __filename];
  const targets = [path.join(outDir, path.basename(files.client)), path.join(outDir, path.basename(files.utils))];
  if ((await newer(targets[0] ?? '', inputs)) && (await newer(targets[1] ?? '', inputs))) return { ...files, version: await contentVersion(targets) };
  await mkdir(outDir, { recursive: true });
  const { build } = await import('esbuild');
  const cacheDir = path.join(root, 'node_modules', '.cache', 'kurento-labs');
  await mkdir(cacheDir, { recursive: true });
  const shims = path.join(cacheDir, 'node-globals.js');
  // kurento-client and kurento-utils are CommonJS written for browserify: they need these Node modules and globals.
  await writeFile(`${shims}.${process.pid}.tmp`, "import process from 'process/browser';\nimport { Buffer } from 'buffer/';\nexport { process, Buffer };\n");
  await rename(`${shims}.${process.pid}.tmp`, shims);
  const common = {
    bundle: true,
    minify: true,
    format: 'iife' as const,
    platform: 'browser' as const,
    target: esbuildTargets(),
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    inject: [shims],
    alias: {
      url: require.resolve('url/'),
      util: require.resolve('util/'),
      events: require.resolve('events/'),
      buffer: require.resolve('buffer/'),
      stream: require.resolve('stream-browserify'),
    },
    // kurento-client's TransactionsManager has a fallback for `domain`; kurento-jsonrpc's unused Node client needs `ws`.
    plugins: [
      {
        name: 'kurento-labs-empty-modules',
        setup(builder: { onResolve: (options: { filter: RegExp }, callback: () => { path: string; namespace: string }) => void; onLoad: (options: { filter: RegExp; namespace: string }, callback: () => { contents: string }) => void }) {
          builder.onResolve({ filter: /^(domain|ws)$/ }, () => ({ path: 'empty', namespace: 'kurento-labs-empty' }));
          builder.onLoad({ filter: /.*/, namespace: 'kurento-labs-empty' }, () => ({ contents: 'module.exports = {};' }));
        },
      },
    ],
    legalComments: 'eof' as const,
    logLevel: 'warning' as const,
    absWorkingDir: root,
  };
  // Each locale's build runs this in a process of its own (server/site/build.ts), possibly at the same moment: a bundle
  // is written in the cache folder (not in the folder the site serves and copies) and renamed over its target, so
  // neither build ever reads or copies the other's half-written file.
  const bundle = async (entry: string, sourcefile: string, target: string): Promise<void> => {
    const temporary = path.join(cacheDir, `${path.basename(target)}.${process.pid}.tmp`);
    await build({ ...common, stdin: { contents: entry, resolveDir: root, sourcefile }, outfile: temporary });
    await rename(temporary, target);
  };
  await bundle("window.kurentoClient = require('kurento-client');", 'kurento-client-bundle.js', targets[0] ?? '');
  await bundle("window.kurentoUtils = require('kurento-utils');", 'kurento-utils-bundle.js', targets[1] ?? '');
  return { ...files, version: await contentVersion(targets) };
}

export default function kurentoVendor(context: LoadContext): Plugin<unknown> {
  return {
    name: 'kurento-labs-vendor',
    async loadContent() {
      return buildVendorBundles(context.siteDir);
    },
    async contentLoaded({ content, actions }) {
      // usePluginData('kurento-labs-vendor') in the site: the URLs of the bundles and their version.
      actions.setGlobalData(content as VendorData);
    },
  };
}
