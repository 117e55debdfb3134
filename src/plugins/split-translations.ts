import path from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';

/**
 * UI messages travel with the code that shows them (src/plugins/translations-loader.cjs). Docusaurus puts every
 * message of the locale in every page's main bundle: on the Chinese site, 500 messages (12 KB gzipped), most of them
 * for the labs, the configuration forms and the trainer's page. In the browser build, a message that a module of
 * src/ names moves into that module's chunk, added to Docusaurus' translations when the module loads (before any of
 * its components render); the theme's own messages stay. The server build keeps them all, so pages render as before.
 */
export default function splitTranslations(context: LoadContext): Plugin {
  return {
    name: 'kurento-labs-split-translations',
    configureWebpack(_config, isServer) {
      if (isServer) return {};
      const loader = path.join(__dirname, 'translations-loader.cjs');
      const registerFile = path.join(context.siteDir, 'src', 'i18n', 'register-translations.ts');
      const options = { translationsFile: path.join(context.generatedFilesDir, 'codeTranslations.json'), registerFile, sourceDirs: [path.join(context.siteDir, 'src')] };
      return {
        module: {
          rules: [
            { test: /[\\/]codeTranslations\.json$/, include: [context.generatedFilesDir], use: [{ loader, options: { ...options, mode: 'main' } }] },
            {
              test: /\.[jt]sx?$/,
              include: [path.join(context.siteDir, 'src')],
              exclude: [registerFile],
              resourceQuery: { not: [/raw/] },
              enforce: 'pre',
              use: [{ loader, options: { ...options, mode: 'module' } }],
            },
            { test: /register-translations\.ts$/, resourceQuery: /ids=/, use: [{ loader, options: { ...options, mode: 'register' } }] },
          ],
        },
      };
    },
  };
}
