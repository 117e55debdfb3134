/**
 * The site's locales, one place for the Docusaurus configuration (i18n) and for the build (server/site/build.ts), which
 * builds each locale in a process of its own. The default locale comes first.
 */
export const DEFAULT_LOCALE = 'en';
export const SITE_LOCALES = [DEFAULT_LOCALE, 'zh-Hans'] as const;
