import type { Configuration, WebpackPluginInstance } from 'webpack';
import type { LoadContext, Plugin } from '@docusaurus/types';
import type TerserPlugin from 'terser-webpack-plugin';
import { esbuildTargets } from './esbuild-targets';

/**
 * Lets kurento-client 7.3 and kurento-utils 7.3 (CommonJS written for browserify) bundle under webpack 5 and Rspack.
 *
 * - Browser bundle: fallbacks for the Node core modules they require (url, util, events, stream, buffer), `domain`
 *   switched off (kurento-client's TransactionsManager has a fallback), `ws` switched off (kurento-jsonrpc's unused
 *   reconnecting client requires it; our reconnect-ws uses the browser WebSocket), a `process` / `Buffer` global, and
 *   our CommonJS reconnect-ws kept out of the site's JS rule.
 * - Server (SSR) bundle: both packages resolve to `false`; labs render client-only and import them lazily, so pages
 *   without a lab carry none of this code.
 * - Both bundles, when minified: esbuild minifies the JavaScript instead of Terser (the same terser-webpack-plugin,
 *   with its esbuild back end, targets from package.json's browserslist). From a clean cache each locale's client
 *   bundle took 32–34 s to compile and minify with Terser, 14–16 s with esbuild. Legal comments (licence headers of
 *   the bundled packages) stay, at the end of each file, where Terser moved them into a .LICENSE.txt beside it.
 */
export default function kurentoBundling(_context: LoadContext): Plugin {
  return {
    name: 'kurento-labs-bundling',
    configureWebpack(config, isServer, { currentBundler }): Configuration {
      minifyWithEsbuild(config, isServer);
      rawSources(config);
      if (isServer) {
        return {
          resolve: {
            alias: { 'kurento-client$': false, 'kurento-utils$': false },
          },
        };
      }
      return {
        // kurento-client's register() also accepts a module name and require()s it; the labs never use that form.
        ignoreWarnings: [{ module: /kurento-client[\\/]lib[\\/]register\.js$/, message: /Critical dependency/ }],
        // #region browser-fallbacks
        resolve: {
          // #endregion browser-fallbacks
          // node_modules/reconnect-ws is npm's symlink to packages/reconnect-ws (the `overrides` target). Resolved
          // through the link, the file stays under node_modules, so the site's JS rule leaves it alone, as it leaves
          // every dependency. (With Babel as that rule's compiler, before esbuild, compiling it added ESM helper imports
          // to the CommonJS file and webpack refused its `module.exports`.)
          symlinks: false,
          // #region browser-fallbacks
          fallback: {
            url: require.resolve('url/'),
            util: require.resolve('util/'),
            events: require.resolve('events/'),
            buffer: require.resolve('buffer/'),
            stream: require.resolve('stream-browserify'),
            domain: false,
            ws: false,
          },
        },
        plugins: [
          new currentBundler.instance.ProvidePlugin({
            process: require.resolve('process/browser'),
            Buffer: [require.resolve('buffer/'), 'Buffer'],
          }),
        ],
        // #endregion browser-fallbacks
      };
    },
  };
}

/**
 * `import text from './file.js?raw'`: the file's text, as it is on disk (a lab's program, the page runtime, an example
 * shown in a chapter). The rules that compile JavaScript skip such imports, so what a learner reads is byte for byte
 * the file that the tests run.
 */
function rawSources(config: Configuration): void {
  const rules = config.module?.rules;
  if (!config.module || !Array.isArray(rules)) return;
  for (const rule of rules) {
    if (!rule || typeof rule !== 'object' || !(rule.test instanceof RegExp)) continue;
    if (!rule.test.test('program.js') && !rule.test.test('program.ts') && !rule.test.test('program.html')) continue;
    rule.resourceQuery = { not: [/raw/] };
  }
  rules.unshift({ resourceQuery: /raw/, type: 'asset/source' });
}

/**
 * Swaps Docusaurus' Terser minimizer (present only when the build minifies) for the same plugin class driving esbuild.
 * The class is taken from the configured instance, so this uses Docusaurus' own copy of terser-webpack-plugin.
 */
function minifyWithEsbuild(config: Configuration, isServer: boolean): void {
  const minimizers = config.optimization?.minimizer;
  if (!config.optimization || !Array.isArray(minimizers)) return;
  config.optimization.minimizer = minimizers.map((minimizer) => {
    if (!minimizer || typeof minimizer !== 'object' || minimizer.constructor.name !== 'TerserPlugin') return minimizer;
    const Terser = minimizer.constructor as typeof TerserPlugin;
    const plugin: WebpackPluginInstance = new Terser({
      minify: Terser.esbuildMinify,
      terserOptions: { target: isServer ? ['node20'] : esbuildTargets(), legalComments: 'eof', charset: 'ascii' },
    });
    return plugin;
  });
}
