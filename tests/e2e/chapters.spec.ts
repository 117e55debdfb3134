/**
 * Every chapter in both locales: the page renders with its title, every lab it embeds renders with an enabled Run
 * button, nothing throws; and the local search of each locale finds the chapter by a term of its own.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { EMBEDS, LOCALES, collectErrors } from './lab-helpers';

const root = path.resolve(__dirname, '..', '..');
const ZH_DOCS = path.join(root, 'i18n', 'zh-Hans', 'docusaurus-plugin-content-docs', 'current');

interface Chapter {
  id: string;
  titles: Record<'en' | 'zh-Hans', string>;
  /** A term the chapter has and (almost) no other, per locale: its `search_term` front matter. */
  terms: Record<'en' | 'zh-Hans', string>;
  labs: string[];
}

function frontMatterField(file: string, field: string): string {
  const head = /^---\n([\s\S]*?)\n---/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
  const value = new RegExp(`^${field}:\\s*(.+)$`, 'm').exec(head)?.[1]?.trim() ?? '';
  return value.replace(/^"(.*)"$/, '$1');
}

const chapters: Chapter[] = readdirSync(path.join(root, 'docs'))
  .filter((file) => file.endsWith('.mdx'))
  .sort()
  .map((file) => {
    const source = readFileSync(path.join(root, 'docs', file), 'utf8');
    const en = path.join(root, 'docs', file);
    const zh = path.join(ZH_DOCS, file);
    return {
      id: file.replace(/\.mdx$/, ''),
      titles: { en: frontMatterField(en, 'title'), 'zh-Hans': frontMatterField(zh, 'title') },
      terms: { en: frontMatterField(en, 'search_term'), 'zh-Hans': frontMatterField(zh, 'search_term') },
      labs: [...source.matchAll(/<Lab id="([^"]+)"/g)].map((match) => match[1] ?? ''),
    };
  });

test('every chapter has a search term', () => {
  const missing = chapters.flatMap((chapter) =>
    (['en', 'zh-Hans'] as const)
      .filter((locale) => !chapter.terms[locale])
      .map((locale) => `${locale === 'en' ? 'docs' : 'i18n/zh-Hans/docusaurus-plugin-content-docs/current'}/${chapter.id}.mdx`),
  );
  expect(missing, `add "search_term: <a word only this chapter has>" to the front matter of: ${missing.join(', ')}`).toEqual([]);
});

for (const [locale, prefix] of LOCALES) {
  test(`every chapter renders in ${locale} with its labs`, async ({ page }) => {
    test.setTimeout(120_000);
    const errors = collectErrors(page);
    for (const chapter of chapters) {
      await page.goto(`${prefix}/docs/${chapter.id}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(chapter.titles[locale]);
      // Diagrams are images of their committed renderings: each has a text alternative and loads. They load lazily,
      // when near the viewport, and a lab above one grows as it loads: once (zh-Hans rtp-http) a diagram stayed
      // unloaded for 15 s with the viewport inside the lab above it. Each look scrolls to it again, as a reader would.
      for (const image of await page.locator('figure img[src*="/diagrams/"]:visible').all()) {
        await expect(image).toHaveAttribute('alt', /\S/);
        const loaded = async (): Promise<number> => {
          await image.scrollIntoViewIfNeeded();
          return image.evaluate((element) => (element as HTMLImageElement).naturalWidth);
        };
        await expect.poll(loaded, { message: `${chapter.id}: a diagram loads` }).toBeGreaterThan(0);
      }
      for (const lab of chapter.labs) {
        // A lab loads its code when it comes near the viewport.
        await page.getByTestId(`lab-slot-${lab}`).scrollIntoViewIfNeeded();
        await expect(page.getByTestId(`lab-${lab}`).getByTestId('lab-run'), `${chapter.id}: lab ${lab}`).toBeEnabled();
      }
    }
    expect(errors).toEqual([]);
  });

  test(`local search finds every chapter in ${locale}`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(`${prefix}/`);
    const search = page.getByRole('combobox').or(page.locator('input.navbar__search-input')).first();
    for (const chapter of chapters) {
      const term = chapter.terms[locale];
      await search.click();
      await search.fill(term);
      await expect(page.getByRole('listbox'), `searching "${term}" lists ${chapter.id}`).toContainText(chapter.titles[locale]);
      await search.fill('');
    }
  });
}

for (const [locale, prefix] of LOCALES) {
  test(`before-you-start lists every chapter in sidebar order and every lab (${locale})`, async ({ page }) => {
    await page.goto(`${prefix}/docs/before-you-start`);
    const order = page.getByTestId('reading-order').locator('li');
    await expect(order).toHaveCount(chapters.length);
    // The same chapters, in the same order, as the sidebar's links.
    const sidebar = await page.locator('nav.menu a.menu__link:not(.menu__link--sublist)[href*="/docs/"]').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).pathname));
    const listed = await order.locator('a').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).pathname));
    expect(listed).toEqual(sidebar);
    await expect(page.getByTestId('lab-list').locator('li')).toHaveCount(Object.keys(EMBEDS.labs).length);
  });
}
