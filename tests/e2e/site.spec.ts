import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { CHUNK_SIZES_FILE, type ChunkSizes } from '../../src/plugins/chunk-budgets';
import { chapterOf } from './lab-helpers';
import { LOAD_AHEAD_PX } from '../../src/components/Lab/load-ahead';

/** What the build measured (src/plugins/chunk-budgets.ts), per locale. */
function chunkSizes(locale: '' | 'zh-Hans'): ChunkSizes {
  return JSON.parse(readFileSync(path.join('build', locale, CHUNK_SIZES_FILE), 'utf8')) as ChunkSizes;
}

/** Budgets of issue 19, in bytes of gzip. */
const BUDGETS = { lab: 120 * 1024, 'lab-editor': 150 * 1024 } as const;

test.describe('site', () => {
  test('the home page renders in English and in Chinese', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kurento Labs');
    await expect(page.getByRole('link', { name: 'Start learning' })).toBeVisible();
    await page.goto('/zh-Hans/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
    await expect(page.getByRole('link', { name: '开始学习' })).toBeVisible();
  });

  test('the locale dropdown switches to 简体中文', async ({ page }) => {
    await page.goto('/docs/intro');
    await page.locator('.navbar__item.dropdown').filter({ hasText: 'English' }).hover();
    await page.getByRole('link', { name: '简体中文' }).click();
    await expect(page).toHaveURL(/\/zh-Hans\/docs\/intro$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
  });

  test('dark mode toggles and is remembered', async ({ page }) => {
    await page.goto('/');
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-theme', 'light');
    // The toggle cycles system → light → dark.
    const toggle = page.getByRole('button', { name: /mode/i }).first();
    for (let i = 0; i < 3 && (await html.getAttribute('data-theme')) !== 'dark'; i += 1) await toggle.click();
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await page.reload();
    await expect(html).toHaveAttribute('data-theme', 'dark');
  });

  test('code blocks: Copy gives the code, and the word-wrap button is there exactly when a block is wider than its box', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.setViewportSize({ width: 412, height: 823 });
    await page.goto('/docs/first-app-javascript');
    const blocks = page.locator('.theme-code-block');
    await expect(blocks.first()).toBeVisible();
    // The button follows each block's width once the page has been laid out (a ResizeObserver reports it).
    await expect
      .poll(async () =>
        blocks.evaluateAll((all) =>
          all.map((block) => {
            const pre = block.querySelector('pre');
            const scrollable = pre ? pre.scrollWidth > pre.clientWidth : false;
            const button = block.querySelector('button[aria-label="Toggle word wrap"]');
            return scrollable === (button !== null && button.checkVisibility());
          }),
        ),
      )
      .not.toContain(false);
    // Blocks far below the first screen are laid out only when they come near (content-visibility: auto): each gets its
    // button then, and keeps the height it had before it rendered.
    const consistent = (block: Element): boolean => {
      const pre = block.querySelector('pre');
      const button = block.querySelector('button[aria-label="Toggle word wrap"]');
      return (pre ? pre.scrollWidth > pre.clientWidth : false) === (button !== null && button.checkVisibility());
    };
    const count = await blocks.count();
    let wideBelow = 0;
    for (let index = 0; index < count; index += 1) {
      const block = blocks.nth(index);
      const offscreen = await block.evaluate((element) => element.getBoundingClientRect().top > window.innerHeight);
      const before = await block.evaluate((element) => element.getBoundingClientRect().height);
      await block.scrollIntoViewIfNeeded();
      await expect.poll(() => block.evaluate(consistent), `block ${index}: its word-wrap button once it is in view`).toBe(true);
      expect(Math.abs((await block.evaluate((element) => element.getBoundingClientRect().height)) - before), `block ${index} keeps its height when it renders (rounding of long blocks aside)`).toBeLessThan(Math.max(2, before * 0.002));
      if (offscreen && (await block.evaluate((element) => { const pre = element.querySelector('pre'); return pre !== null && pre.scrollWidth > pre.clientWidth; }))) wideBelow += 1;
    }
    expect(wideBelow, 'blocks below the first screen that are wider than the phone').toBeGreaterThan(0);
    const kinds = await blocks.evaluateAll((all) => all.map((block) => block.querySelector('button[aria-label="Toggle word wrap"]')?.checkVisibility() === true));
    expect(kinds, 'the chapter has blocks of both kinds at this width').toContain(true);
    expect(kinds).toContain(false);

    const wide = blocks.filter({ has: page.getByRole('button', { name: 'Toggle word wrap' }).and(page.locator(':visible')) }).first();
    const pre = wide.locator('pre');
    await wide.getByRole('button', { name: 'Toggle word wrap' }).click();
    await expect.poll(() => pre.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await wide.getByRole('button', { name: 'Toggle word wrap' }).click();
    await expect.poll(() => pre.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);

    await wide.hover();
    await wide.getByRole('button', { name: /copy/i }).click();
    const lines = await wide.locator('pre code .token-line').allTextContents();
    expect((await page.evaluate(() => navigator.clipboard.readText())).trimEnd()).toBe(lines.join('\n').trimEnd());
  });

  test("on a phone, the menu is rendered when it first opens: it lists the chapters, goes back to the site's menu, and a chapter opens from it", async ({ page }) => {
    await page.setViewportSize({ width: 412, height: 823 });
    await page.goto('/docs/first-app-javascript');
    // Hydrated (Docusaurus marks it on <html>), and still no menu: the theme would have rendered it by now.
    await expect(page.locator('html')).toHaveAttribute('data-has-hydrated', 'true');
    await expect(page.locator('.navbar-sidebar')).toHaveCount(0);
    await page.getByRole('button', { name: 'Toggle navigation bar' }).click();
    const menu = page.locator('.navbar-sidebar');
    await expect(menu).toBeVisible();
    // On a chapter, the menu opens on the chapters (the sidebar); one of them opens from it.
    await menu.locator('a.menu__link[href$="/docs/glossary"]').click();
    await expect(page).toHaveURL(/\/docs\/glossary$/);
    await expect(menu).toBeHidden();
    // Opened again (kept once rendered): "Back to main menu" leads to the navbar's items, and it closes.
    await page.getByRole('button', { name: 'Toggle navigation bar' }).click();
    await expect(menu).toBeVisible();
    await menu.getByRole('button', { name: /Back to main menu/ }).click();
    await expect(menu.locator('.navbar-sidebar__item').first().locator('a.menu__link').first()).toBeVisible();
    await page.getByRole('button', { name: 'Close navigation bar' }).click();
    await expect(menu).toBeHidden();
  });

  test('a code block in a tab shown later gets its word-wrap button then', async ({ page }) => {
    await page.setViewportSize({ width: 412, height: 823 });
    await page.goto('/docs/coturn');
    const panel = page.locator('[role=tabpanel]').filter({ hasText: 'docker run -d --name kms' });
    await expect(panel).toBeHidden();
    await page.getByRole('tab', { name: 'Docker' }).click();
    await expect(panel).toBeVisible();
    const block = panel.locator('.theme-code-block').first();
    const scrollable = await block.locator('pre').evaluate((element) => element.scrollWidth > element.clientWidth);
    expect(scrollable, 'the Docker tab holds a block wider than the phone').toBe(true);
    await expect(block.getByRole('button', { name: 'Toggle word wrap' })).toBeVisible();
  });

  for (const [locale, prefix, term, expected] of [
    ['en', '', 'GStreamer', /What Kurento is/],
    ['zh-Hans', '/zh-Hans', '媒体管道', /Kurento 是什么/],
  ] as const) {
    test(`local search finds a word in ${locale}`, async ({ page }) => {
      await page.goto(`${prefix}/`);
      const search = page.getByRole('combobox').or(page.locator('input.navbar__search-input')).first();
      await search.click();
      await search.fill(term);
      await expect(page.getByRole('option').first()).toBeVisible();
      await expect(page.getByRole('listbox')).toContainText(expected);
    });
  }

  test('the browser check loads kurento-client and kurento-utils and gets an offer with VP8 and opus', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    await page.goto('/browser-check');
    await page.waitForLoadState('networkidle');
    const before = scripts.length;
    await page.getByTestId('browser-check-run').click();
    await expect(page.getByTestId('check-offer')).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
    const codecs = await page.getByTestId('offer-codecs').innerText();
    expect(codecs).toMatch(/video: VP8/);
    expect(codecs).toMatch(/audio: opus/);
    // kurento-client and kurento-utils arrived on demand, after the click.
    expect(scripts.slice(before).some((url) => /kurento/.test(url))).toBe(true);
    expect(errors).toEqual([]);
  });

  for (const locale of ['', 'zh-Hans'] as const) {
    test(`the lab chunk and the editor chunk stay within their budgets (${locale || 'en'})`, () => {
      const sizes = chunkSizes(locale);
      for (const [name, budget] of Object.entries(BUDGETS) as Array<[keyof typeof BUDGETS, number]>) {
        const size = sizes[name];
        expect(size.files.length, `${name} has files`).toBeGreaterThan(0);
        test.info().annotations.push({ type: 'chunk', description: `${name}: ${(size.gzip / 1024).toFixed(1)} KB gzip (${(size.bytes / 1024).toFixed(1)} KB), budget ${budget / 1024} KB` });
        expect(size.gzip, `${name}: ${size.gzip} bytes gzip`).toBeLessThanOrEqual(budget);
      }
    });
  }

  test('a chapter loads no lab code until the lab comes into view, and no editor code until Edit', async ({ page }) => {
    const sizes = chunkSizes('');
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(path.basename(new URL(request.url()).pathname)));
    const loaded = (name: keyof ChunkSizes): boolean => sizes[name].files.some((file) => fetched.includes(file));
    await page.goto(chapterOf('hello-world'));
    await page.waitForLoadState('networkidle');
    const slot = page.getByTestId('lab-slot-hello-world');
    // The lab starts far enough below the first screen (more than the margin the page loads labs ahead by).
    const below = await slot.evaluate((element) => element.getBoundingClientRect().top - window.innerHeight);
    expect(below, 'the lab is below the first screen').toBeGreaterThan(LOAD_AHEAD_PX);
    expect(loaded('lab'), 'no lab code before the lab is in view').toBe(false);
    expect(fetched.some((file) => /^kurento-(client|utils)-/.test(file)), 'no kurento bundle before the lab is in view').toBe(false);
    await slot.scrollIntoViewIfNeeded();
    const lab = page.getByTestId('lab-hello-world');
    await expect(lab.getByTestId('lab-run')).toBeEnabled();
    expect(loaded('lab'), 'the lab code loads when it comes into view').toBe(true);
    expect(loaded('lab-editor'), 'no editor code before Edit').toBe(false);
    await lab.getByTestId('edit-loopback').click();
    await expect(lab.locator('.cm-editor')).toBeVisible();
    expect(loaded('lab-editor'), 'the editor code loads on Edit').toBe(true);
  });
});

