// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * An ESLint block that forbids imports of the folders `forbidden` in the files `files` (relative paths and the
 * @site/… alias alike).
 * @param {string} files @param {string[]} forbidden @param {string} message
 * @returns {import('typescript-eslint').ConfigWithExtends[]}
 */
function layer(files, forbidden, message) {
  return [
    {
      files: [`${files.replace(/\/\*\*$/, '')}/**/*.{ts,tsx,js,mjs}`],
      rules: {
        'no-restricted-imports': [
          /** @type {const} */ ('error'),
          { patterns: [{ group: forbidden.flatMap((folder) => [`**/${folder}/*`, `**/${folder}/**`, `@site/${folder}/*`, `@site/${folder}/**`, `../${folder}`, `../../${folder}`]), message }] },
        ],
      },
    },
  ];
}

export default tseslint.config(
  {
    ignores: ['build/**', 'build.locales/**', '.docusaurus/**', '.docusaurus-*/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**', 'var/**', '.generated/**', '.exp/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  // Layers: imports point down only. docs → src → labs → core → (kurento-client) → network; server/apps and bench →
  // core; server/kms/protocol → objects → media. A wrong import fails `npm run lint` with the rule it breaks.
  ...layer('core/**', ['src', 'labs', 'server', 'bench', 'tests', 'examples'], 'core is the UI-free bottom layer: it imports no other part of the project'),
  ...layer('labs/**', ['src', 'server', 'bench', 'tests', 'docs'], 'labs are UI-free: they import core (and each other), never the site, the server or the tests'),
  ...layer('src/**', ['server', 'bench', 'tests'], 'the site imports labs and core, never the server, the benches or the tests'),
  ...layer('server/**', ['src', 'labs', 'bench', 'tests'], 'the server imports core, never the site, the labs, the benches or the tests'),
  ...layer('bench/**', ['src', 'labs'], 'the benches import core and the server, never the site or the labs'),
  {
    files: ['server/kms/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/media/*', '**/media/**'], message: 'the protocol layer knows nothing of media (protocol → objects → media)' }] }],
    },
  },
  {
    files: ['server/kms/objects/**/*.ts', 'server/kms/media/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/protocol/*', '**/protocol/**'], message: 'objects and media never parse JSON-RPC (protocol → objects → media)' }] }],
    },
  },
  {
    files: ['server/kms/media/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/objects/*', '**/objects/**', '**/protocol/**'], message: 'the media layer is the bottom of the KMS: it imports neither objects nor protocol' }] }],
    },
  },
  {
    // Webpack loaders are CommonJS: webpack loads them with require().
    files: ['src/plugins/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['packages/reconnect-ws/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, WebSocket: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The page runtime and the labs' programs are classic scripts of one page: their top-level declarations are the
    // page's globals, used by the other scripts. The programs' own globals (settings, options) differ per lab:
    // tests/unit/lab-programs.test.ts checks each program for undefined names with its own list.
    files: ['labs/runtime/**/*.js', 'labs/programs/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.browser, kurentoClient: 'readonly', kurentoUtils: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { vars: 'local', args: 'none' }],
      'no-var': 'off',
    },
  },
  {
    files: ['labs/programs/**/*.js'],
    // `webRtcPeer = this` in a kurento-utils callback is the tutorials' idiom (there `this` is the WebRtcPeer).
    rules: { 'no-undef': 'off', '@typescript-eslint/no-this-alias': 'off' },
  },
  {
    // The complete programs the chapters show (examples/). Browser examples are classic scripts of their page, next to
    // the prebuilt bundles that define kurentoClient and kurentoUtils (examples/globals.d.ts types them).
    files: ['examples/**/js/**/*.js', 'examples/**/public/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.browser, kurentoClient: 'readonly', kurentoUtils: 'readonly' },
    },
    // function stop(), as in Kurento's tutorials: the page's own stop shadows window.stop, which it never uses.
    rules: { 'no-redeclare': ['error', { builtinGlobals: false }] },
  },
  {
    // Node.js examples written as CommonJS modules (an application server's media part, as in the chapters).
    files: ['examples/*/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // `const { source, tags, ...details } = event` leaves out fields on purpose.
    files: ['examples/**/*.{ts,js,mjs}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Scripts Playwright injects into pages as they are (bench/labs-phases.js).
    files: ['bench/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
