import type { Configuration } from 'webpack';
import type { LoadContext, Plugin } from '@docusaurus/types';

/**
 * Lets kurento-client 7.3 and kurento-utils 7.3 (CommonJS written for browserify) bundle under webpack 5 and Rspack.
 *
 * - Browser bundle: fallbacks for the Node core modules they require (url, util, events, stream, buffer), `domain`
 *   switched off (kurento-client's TransactionsManager has a fallback), `ws` switched off (kurento-jsonrpc's unused
 *   reconnecting client requires it; our reconnect-ws uses the browser WebSocket), a `process` / `Buffer` global, and
 *   our CommonJS reconnect-ws kept out of the Babel rule.
 * - Server (SSR) bundle: both packages resolve to `false`; labs render client-only and import them lazily, so pages
 *   without a lab carry none of this code.
 */
export default function kurentoBundling(_context: LoadContext): Plugin {
  return {
    name: 'kurento-labs-bundling',
    configureWebpack(_config, isServer, { currentBundler }): Configuration {
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
        resolve: {
          // node_modules/reconnect-ws is npm's symlink to packages/reconnect-ws (the `overrides` target). Resolved
          // through the link, the file stays under node_modules, so the site's Babel rule leaves it alone: Babel would
          // otherwise add ESM helper imports to that CommonJS file and webpack would refuse its `module.exports`.
          symlinks: false,
          // theme-mermaid imports the optional ELK layouts behind a flag webpack does not see as constant; the site
          // uses no ELK layout.
          alias: { '@mermaid-js/layout-elk': false },
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
      };
    },
  };
}
