import type { Config } from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import chunkBudgets from './src/plugins/chunk-budgets';
import codeHighlighting from './src/plugins/code-highlighting';
import i18nCompleteness from './src/plugins/i18n-completeness';
import kurentoBundling from './src/plugins/kurento-bundling';
import kurentoVendor from './src/plugins/kurento-vendor';
import labCatalog from './src/plugins/lab-chapters';
import precompress from './src/plugins/precompress';
import rehypeRowHeaders from './src/plugins/rehype-row-headers';
import remarkDiagrams from './src/plugins/remark-diagrams';
import splitTranslations from './src/plugins/split-translations';
import { esbuildTargets } from './src/plugins/esbuild-targets';
import { DEFAULT_LOCALE, SITE_LOCALES } from './core/site-locales';
import { codeTheme } from './src/theme/code-theme';

/**
 * Settings a build bakes in as the last fallback before "the embedded KMS on the page's host" (see
 * src/kurento/settings.ts for the full precedence). `npm start` also serves them at run time in /labs-runtime.json.
 */
const buildTimeLabDefaults = {
  kmsUrl: process.env.KMS_URL ?? '',
  iceServers: process.env.ICE_SERVERS ?? '',
};

const config: Config = {
  title: 'Kurento Labs',
  tagline: 'Learn Kurento Media Server with live labs that run real media pipelines',
  favicon: 'img/favicon.svg',
  url: 'http://localhost',
  baseUrl: '/',
  trailingSlash: false,
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  // Docusaurus Faster (Rspack + SWC) is off: the npm registry reachable here lacks SWC's non-Linux binaries, so its
  // lockfile entries cannot be complete and `npm ci` would refuse it. esbuild (whose binaries it has) does the two jobs
  // that took the time instead: see `webpack.jsLoader` below and src/plugins/kurento-bundling.ts.
  future: { v4: true, faster: false },
  webpack: {
    // esbuild compiles the site's TypeScript, JSX and MDX output instead of Babel (the same browsers, from package.json's
    // browserslist; React's automatic JSX runtime as Babel's preset had it). The minifier is esbuild's too
    // (src/plugins/kurento-bundling.ts).
    jsLoader: (isServer) => ({
      loader: require.resolve('esbuild-loader'),
      options: { loader: 'tsx', jsx: 'automatic', target: isServer ? 'node20' : esbuildTargets() },
    }),
  },
  markdown: {
    // Chapters give headings explicit ids with the classic `{#id}` syntax (the labs index links to `#lab-<id>`).
    mdx1Compat: { headingIds: true },
    hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' },
  },
  i18n: {
    defaultLocale: DEFAULT_LOCALE,
    locales: [...SITE_LOCALES],
    // Each locale's base URL is explicit: server/site/build.ts builds every locale with `--locale`, and Docusaurus gives
    // a locale built alone the site's base URL unless its own is set.
    localeConfigs: {
      en: { label: 'English', htmlLang: 'en', baseUrl: '/' },
      'zh-Hans': { label: '简体中文', htmlLang: 'zh-Hans', baseUrl: '/zh-Hans/' },
    },
  },
  customFields: { labDefaults: buildTimeLabDefaults },
  // Link prefetching in idle time, a few at a time (src/client/idle-prefetch.ts).
  clientModules: ['./src/client/idle-prefetch.ts'],
  // .generated/static holds the prebuilt kurento-client and kurento-utils bundles (src/plugins/kurento-vendor.ts).
  staticDirectories: ['static', '.generated/static'],
  presets: [
    [
      'classic',
      {
        docs: {
          routeBasePath: '/docs',
          sidebarPath: './sidebars.ts',
          showLastUpdateTime: false,
          // ```mermaid blocks become images of their committed renderings (npm run diagrams): no Mermaid in the pages.
          beforeDefaultRemarkPlugins: [remarkDiagrams],
          // Comparison tables (an empty first header cell) get row headers, as screen readers need.
          rehypePlugins: [rehypeRowHeaders],
        },
        blog: false,
        theme: { customCss: ['./src/css/custom.css', './src/css/code-colors.css'] },
      } satisfies Preset.Options,
    ],
  ],
  themes: [
    [
      '@easyops-cn/docusaurus-search-local',
      {
        hashed: true,
        language: ['en', 'zh'],
        indexDocs: true,
        indexBlog: false,
        indexPages: true,
        docsRouteBasePath: '/docs',
        highlightSearchTermsOnTargetPage: true,
        explicitSearchResultPath: true,
        removeDefaultStopWordFilter: ['en'],
      },
    ],
  ],
  // i18nCompleteness fails the build when a page, UI string or lab lacks its Chinese side.
  plugins: [kurentoBundling, codeHighlighting, splitTranslations, kurentoVendor, labCatalog, chunkBudgets, precompress, i18nCompleteness],
  themeConfig: {
    colorMode: { defaultMode: 'light', respectPrefersColorScheme: true },
    navbar: {
      title: 'Kurento Labs',
      // The title beside it says the name: an alt repeating it would be read twice.
      logo: { alt: '', src: 'img/logo.svg' },
      items: [
        { type: 'docSidebar', sidebarId: 'guide', position: 'left', label: 'Guide' },
        { to: '/labs', label: 'Labs', position: 'left' },
        { to: '/browser-check', label: 'Browser check', position: 'left' },
        { type: 'localeDropdown', position: 'right' },
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Learn',
          items: [
            { label: 'Guide', to: '/docs/intro' },
            { label: 'Labs', to: '/labs' },
          ],
        },
        {
          title: 'Kurento',
          items: [
            { label: 'Kurento documentation', href: 'https://doc-kurento.readthedocs.io/' },
            { label: 'Kurento source', href: 'https://github.com/Kurento/kurento' },
          ],
        },
      ],
      copyright: 'Kurento Labs. Kurento is a project of its own authors; this site is an independent tutorial.',
    },
    prism: {
      theme: codeTheme,
      darkTheme: codeTheme,
      additionalLanguages: ['java', 'bash', 'ini', 'json', 'diff'],
    },
  } satisfies Preset.ThemeConfig,
};

export default config;
