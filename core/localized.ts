/** Text a learner reads, in both languages of the site. Identifiers (event and class names) stay untranslated inside it. */
export type Locale = 'en' | 'zh-Hans';
export type Localized = Readonly<Record<Locale, string>>;

export const LOCALES: readonly Locale[] = ['en', 'zh-Hans'];

export function localize(text: Localized, locale: Locale): string {
  return text[locale];
}

/** Fills `{name}` placeholders in both languages. */
export function fill(text: Localized, values: Record<string, string | number>): Localized {
  return {
    en: text.en.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? `{${key}}`)),
    'zh-Hans': text['zh-Hans'].replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? `{${key}}`)),
  };
}
