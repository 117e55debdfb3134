/**
 * Every chapter in both locales: the page renders with its title, every lab it embeds renders with an enabled Run
 * button, nothing throws; and the local search of each locale finds the chapter by a term of its own.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { LOCALES, collectErrors } from './lab-helpers';

const root = path.resolve(__dirname, '..', '..');
const ZH_DOCS = path.join(root, 'i18n', 'zh-Hans', 'docusaurus-plugin-content-docs', 'current');

/** A term each chapter has and (almost) no other, per locale: the search must list that chapter for it. */
const SEARCH_TERMS: Readonly<Record<string, { en: string; 'zh-Hans': string }>> = {
  intro: { en: 'LiveKit', 'zh-Hans': '速览' },
  'before-you-start': { en: 'preparation', 'zh-Hans': '学习路线' },
  'installing-kms': { en: 'CloudFormation', 'zh-Hans': '免安装' },
  'configuring-kms': { en: 'pemCertificateRSA', 'zh-Hans': '外网' },
  coturn: { en: 'turndb', 'zh-Hans': '密钥' },
  workshop: { en: 'rebinding', 'zh-Hans': '访问令牌' },
  'first-app-javascript': { en: 'isSecureContext', 'zh-Hans': '两个角色' },
  'three-tier': { en: 'jvmArguments', 'zh-Hans': '信令阶段' },
  'endpoint-events': { en: 'KmsIRtpConnection', 'zh-Hans': '继承关系' },
  broadcasting: { en: 'startPresenter', 'zh-Hans': '观众' },
  'group-call': { en: 'conferenceroom', 'zh-Hans': '静音' },
  routing: { en: 'createSwitchboard', 'zh-Hans': '连接的规则' },
  recording: { en: 'MediaProfileSpecType', 'zh-Hans': '暂停' },
  playback: { en: 'seekableInit', 'zh-Hans': '回放' },
  transcoding: { en: 'colorchannelmixer', 'zh-Hans': '转码' },
  mixing: { en: 'kmscompositemixer', 'zh-Hans': '混流' },
  filters: { en: 'kurento-module-scaffold', 'zh-Hans': '魔镜' },
  troubleshooting: { en: 'ECONNREFUSED', 'zh-Hans': '对号入座' },
  glossary: { en: 'Symmetric', 'zh-Hans': '术语' },
};

interface Chapter {
  id: string;
  titles: Record<'en' | 'zh-Hans', string>;
  labs: string[];
}

function frontMatterTitle(file: string): string {
  const title = /^title:\s*(.+)$/m.exec(readFileSync(file, 'utf8'))?.[1]?.trim() ?? '';
  return title.replace(/^"(.*)"$/, '$1');
}

const chapters: Chapter[] = readdirSync(path.join(root, 'docs'))
  .filter((file) => file.endsWith('.mdx'))
  .sort()
  .map((file) => {
    const source = readFileSync(path.join(root, 'docs', file), 'utf8');
    return {
      id: file.replace(/\.mdx$/, ''),
      titles: { en: frontMatterTitle(path.join(root, 'docs', file)), 'zh-Hans': frontMatterTitle(path.join(ZH_DOCS, file)) },
      labs: [...source.matchAll(/<Lab id="([^"]+)"/g)].map((match) => match[1] ?? ''),
    };
  });

test('every chapter has a search term', () => {
  expect(chapters.map((chapter) => chapter.id).sort()).toEqual(Object.keys(SEARCH_TERMS).sort());
});

for (const [locale, prefix] of LOCALES) {
  test(`every chapter renders in ${locale} with its labs`, async ({ page }) => {
    test.setTimeout(120_000);
    const errors = collectErrors(page);
    for (const chapter of chapters) {
      await page.goto(`${prefix}/docs/${chapter.id}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(chapter.titles[locale]);
      // Diagrams are images of their committed renderings: each has a text alternative and loads.
      for (const image of await page.locator('figure img[src*="/diagrams/"]:visible').all()) {
        await image.scrollIntoViewIfNeeded();
        await expect(image).toHaveAttribute('alt', /\S/);
        await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth), { message: `${chapter.id}: a diagram loads` }).toBeGreaterThan(0);
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
      const term = SEARCH_TERMS[chapter.id]?.[locale] ?? '';
      await search.click();
      await search.fill(term);
      await expect(page.getByRole('listbox'), `searching "${term}" lists ${chapter.id}`).toContainText(chapter.titles[locale]);
      await search.fill('');
    }
  });
}
