/**
 * What every end-to-end lab test does: open the chapter that embeds a lab, set its parameters, run it to completion
 * (or fail with the lab's own explanation and the status of every step), read what a step's check measured, and
 * prove that Reset leaves no pipeline on the KMS.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import kurentoClient, { type KurentoClient, type ServerManager } from 'kurento-client';
import { LAB_CHAPTERS } from '../../labs/chapters';
import { call } from '../../core/kurento';
import { E2E_KMS_PORT } from './ports';

export const KMS_URL = `ws://127.0.0.1:${E2E_KMS_PORT}/kurento`;
export const LOCALES = [
  ['en', ''],
  ['zh-Hans', '/zh-Hans'],
] as const;
export type LocaleName = (typeof LOCALES)[number][0];

export interface RunOptions {
  /** Lab parameters by id (`lab-param-<id>`: a select or an input). */
  params?: Record<string, string>;
  /** '' for English, '/zh-Hans' for Chinese. */
  prefix?: string;
  timeout?: number;
}

/** The chapter page of a lab (labs/chapters.ts). */
export function chapterOf(id: string): string {
  const chapter = LAB_CHAPTERS[id];
  if (!chapter) throw new Error(`no chapter embeds ${id} (labs/chapters.ts)`);
  return chapter;
}

/** Opens the chapter that embeds `id`, sets the parameters, runs the lab and waits for it to complete. */
export async function runLab(page: Page, id: string, { params = {}, prefix = '', timeout = 75_000 }: RunOptions = {}): Promise<{ lab: Locator; seconds: number }> {
  await page.goto(`${prefix}${chapterOf(id)}`);
  const lab = page.getByTestId(`lab-${id}`);
  await expect(lab.getByTestId('lab-run')).toBeEnabled();
  for (const [param, value] of Object.entries(params)) {
    const input = lab.getByTestId(`lab-param-${param}`);
    if ((await input.evaluate((element) => element.tagName)) === 'SELECT') await input.selectOption(value);
    else await input.fill(value);
  }
  const started = Date.now();
  await lab.getByTestId('lab-run').click();
  await expect(lab).toHaveAttribute('data-status', /complete|failed/, { timeout });
  const seconds = (Date.now() - started) / 1000;
  if ((await lab.getAttribute('data-status')) !== 'complete') {
    const error = await lab.getByTestId('lab-error').innerText().catch(() => '(no error box)');
    const steps = await lab.locator('[data-testid^="lab-step-"]').evaluateAll((items) =>
      items.map((item) => `${item.getAttribute('data-testid')} ${item.getAttribute('data-status')}: ${item.querySelector('div')?.textContent ?? ''}`),
    );
    throw new Error(`lab ${id} ${JSON.stringify(params)} did not complete after ${seconds.toFixed(1)} s: ${error}\n${steps.join('\n')}`);
  }
  test.info().annotations.push({ type: 'run time', description: `${id} ${JSON.stringify(params)}: ${seconds.toFixed(1)} s` });
  await expectShownIsRun(lab, id);
  return { lab, seconds };
}

/**
 * What the panel shows for each section of the program (settings, declarations, every step) is, character for
 * character, what the lab's page ran: the code blocks carry their text in data-source, the page records what it ran.
 */
export async function expectShownIsRun(lab: Locator, scope: string): Promise<void> {
  const shown = await lab.locator('[data-source]').evaluateAll((blocks) =>
    blocks.map((block) => ({ section: block.getAttribute('data-testid')?.slice('code-'.length) ?? '', code: block.getAttribute('data-source') ?? '', text: block.textContent ?? '' })),
  );
  const ran = await lab.page().evaluate((key) => [...(window.__kurentoLabsExecuted?.[key] ?? new Map<string, string>()).entries()], scope);
  const ranBySection = new Map(ran);
  expect(shown.length, 'every section is shown').toBeGreaterThan(2);
  for (const { section, code, text } of shown) {
    expect(ranBySection.get(section), `section ${section} ran exactly the code shown`).toBe(code);
    // The highlighted block renders the same text (Prism adds no characters; copy buttons have no text content). Its
    // lines end in <br> elements, which have no text: the line breaks are compared by the check above.
    expect(text.replace(/\n/g, '').trimEnd(), `section ${section} displays its code`).toBe(code.replace(/\n/g, '').trimEnd());
  }
}

/** The head line of a passed step: status, title and the detail its check measured. */
export async function stepDetail(lab: Locator, step: string): Promise<string> {
  const item = lab.getByTestId(`lab-step-${step}`);
  await expect(item).toHaveAttribute('data-status', 'passed');
  return (await item.locator('div').first().innerText()).replace(/\s+/g, ' ');
}

export async function pipelinesOnKms(): Promise<number> {
  const client = await call<KurentoClient>((done) => kurentoClient(KMS_URL, { failAfter: 2 }, done));
  try {
    const manager = await call<ServerManager>((done) => client.getServerManager(done));
    const pipelines = await call<unknown[]>((done) => manager.getPipelines(done));
    return pipelines.length;
  } finally {
    client.close();
  }
}

/** Reset releases what the lab built (directly, or through the application servers when its sockets close). */
export async function resetLeavesNoPipeline(lab: Locator, timeout = 10_000): Promise<void> {
  await lab.getByTestId('lab-reset').click();
  await expect(lab).toHaveAttribute('data-status', 'idle');
  await expect.poll(pipelinesOnKms, { timeout }).toBe(0);
}

/** Uncaught page errors, to assert that there were none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Opens the pipeline graph tab and waits for its first element. */
export async function openGraph(lab: Locator, locale: LocaleName = 'en'): Promise<Locator> {
  await lab.getByRole('tab', { name: locale === 'en' ? 'Pipeline' : '管道' }).click();
  const view = lab.getByTestId('pipeline-graph');
  await expect(view.getByTestId('graph-element').first()).toBeVisible();
  return view;
}
