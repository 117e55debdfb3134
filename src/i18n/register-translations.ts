/**
 * Stands for the translations a module of the site uses (src/plugins/split-translations.ts): imported as
 * `register-translations.ts?ids=…`, the build replaces this file's text with code that adds those messages of the
 * page's locale to Docusaurus' translations before the module runs.
 */
export {};
