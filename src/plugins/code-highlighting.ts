import path from 'node:path';
import type { Plugin } from '@docusaurus/types';

/**
 * Prism out of the browser's main bundle (see src/theme/CodeBlock/Content/index.tsx):
 * - the classic theme's client module that registers the extra Prism languages at startup (and so puts Prism in
 *   every page's main bundle) becomes an empty module in the client build: src/theme/CodeBlock/Content/prism.ts
 *   registers them in the highlighter's own chunk;
 * - the server build highlights synchronously: src/theme/CodeBlock/Content/highlighter.ts becomes
 *   highlighter.server.ts there.
 */
export default function codeHighlighting(): Plugin {
  return {
    name: 'kurento-labs-code-highlighting',
    configureWebpack(_config, isServer, { currentBundler }) {
      const { NormalModuleReplacementPlugin } = currentBundler.instance;
      return {
        plugins: isServer
          ? [new NormalModuleReplacementPlugin(/[\\/]src[\\/]theme[\\/]CodeBlock[\\/]Content[\\/]highlighter\.ts$/, './highlighter.server.ts')]
          : [new NormalModuleReplacementPlugin(/[\\/]@docusaurus[\\/]theme-classic[\\/]lib[\\/]prism-include-languages\.js$/, path.join(__dirname, 'empty-module.ts'))],
      };
    },
  };
}
