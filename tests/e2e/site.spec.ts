import { expect, test } from '@playwright/test';

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
});
