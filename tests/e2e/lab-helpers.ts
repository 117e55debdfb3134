/**
 * What every end-to-end lab test does: open the chapter that embeds a lab, set its parameters, run it to completion
 * (or fail with the lab's own explanation and the status of every step), read what a step's check measured, and
 * prove that Reset leaves no pipeline on the KMS.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import kurentoClient, { type KurentoClient, type ServerManager } from 'kurento-client';
import path from 'node:path';
import { LOAD_AHEAD_PX } from '../../src/components/Lab/load-ahead';
import { findEmbeds } from '../../src/plugins/lab-chapters';

/** Which chapter embeds which lab and exercise, read from docs/ as the site does. */
export const EMBEDS = findEmbeds(path.resolve(__dirname, '..', '..'));
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

/** The chapter page of a lab (the chapter whose MDX embeds <Lab id="…"/>). */
export function chapterOf(id: string): string {
  const chapter = EMBEDS.labs[id];
  if (!chapter) throw new Error(`no chapter embeds <Lab id="${id}"/>`);
  return chapter;
}

/** The chapter page of an exercise. */
export function exerciseChapterOf(id: string): string {
  const chapter = EMBEDS.exercises[id];
  if (!chapter) throw new Error(`no chapter embeds <Exercise id="${id}"/>`);
  return chapter;
}

/**
 * Opens the chapter that embeds lab `id` (with an optional query, e.g. `?kms=…`) and brings the lab into view: a lab
 * loads its code when it comes near the viewport. Resolves with the lab's panel.
 */
export async function openLabPage(page: Page, id: string, { prefix = '', query = '' }: { prefix?: string; query?: string } = {}): Promise<Locator> {
  await page.goto(`${prefix}${chapterOf(id)}${query}`);
  const lab = page.getByTestId(`lab-${id}`);
  await bringIntoView(page.getByTestId(`lab-slot-${id}`), lab);
  return lab;
}

/**
 * Scrolls a lab's slot into view until what loads there is visible: while the page hydrates, its layout can still
 * move (and scroll) under the first scroll. Then waits until every lab near the viewport has loaded its program: a
 * lab above that grows while a test clicks moves the button under the pointer, and the click lands beside it (seen
 * once: qr-codes stayed idle below a magic-mirror lab that was still loading).
 */
async function bringIntoView(slot: Locator, loaded: Locator): Promise<void> {
  await expect(async () => {
    await slot.scrollIntoViewIfNeeded();
    await expect(loaded).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect
    .poll(
      () =>
        slot.page().evaluate((ahead) => {
          // Labs load `ahead` px beyond the viewport (src/components/Lab): a placeholder in that band is a lab on its way.
          const near = (element: Element): boolean => {
            const box = element.getBoundingClientRect();
            return box.bottom > -ahead && box.top < window.innerHeight + ahead;
          };
          const pending = [...document.querySelectorAll('[data-testid^="lab-placeholder-"]')].filter(near).length;
          // A loaded panel grows once more when its program arrives (Run is enabled from then on).
          const loading = [...document.querySelectorAll('section[data-testid^="lab-"]')].filter((panel) => near(panel) && panel.querySelector('[data-testid="lab-run"]:disabled') && panel.getAttribute('data-status') === 'idle').length;
          return pending + loading;
        }, LOAD_AHEAD_PX),
      { message: 'the labs near the viewport finish loading', timeout: 20_000 },
    )
    .toBe(0);
}

/** Opens the chapter that embeds exercise `id` and brings it into view; resolves with the exercise's box. */
export async function openExercisePage(page: Page, id: string, { prefix = '' }: { prefix?: string } = {}): Promise<Locator> {
  await page.goto(`${prefix}${exerciseChapterOf(id)}`);
  const box = page.getByTestId(`exercise-${id}`);
  await bringIntoView(page.getByTestId(`exercise-slot-${id}`), box);
  return box;
}

/** Opens the chapter that embeds `id`, sets the parameters, runs the lab and waits for it to complete. */
export async function runLab(page: Page, id: string, { params = {}, prefix = '', timeout = 75_000 }: RunOptions = {}): Promise<{ lab: Locator; seconds: number }> {
  const lab = await openLabPage(page, id, { prefix });
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
    blocks.map((block) => {
      // Docusaurus 3.10 ends each highlighted line with a <br> instead of a newline character: join the lines.
      const lines = [...block.querySelectorAll('.token-line')].map((line) => line.textContent ?? '');
      return { section: block.getAttribute('data-testid')?.slice('code-'.length) ?? '', code: block.getAttribute('data-source') ?? '', text: lines.length > 0 ? lines.join('\n') : (block.textContent ?? '') };
    }),
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

/** A pipeline its owner released meanwhile (an application server whose page closed) answers 40101. */
function gone(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 40101;
}

/**
 * getPipelines, retried when a pipeline goes away between the list and kurento-client's describe of each id (the
 * application servers release theirs when a page closes).
 */
async function listPipelines<T>(manager: ServerManager): Promise<T[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call<T[]>((done) => manager.getPipelines(done as (error: unknown, value: unknown[]) => void));
    } catch (error) {
      if (!gone(error) || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export async function pipelinesOnKms(): Promise<number> {
  const client = await call<KurentoClient>((done) => kurentoClient(KMS_URL, { failAfter: 2 }, done));
  try {
    const manager = await call<ServerManager>((done) => client.getServerManager(done));
    return (await listPipelines<unknown>(manager)).length;
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

/** Replaces the code in the open editor of `section` (select all, then the text as one input, as a paste would). */
export async function setEditorCode(lab: Locator, section: string, code: string): Promise<void> {
  const editor = lab.getByTestId(`lab-step-${section}`).locator('.cm-content');
  await expect(editor).toBeVisible();
  await editor.click();
  await lab.page().keyboard.press('ControlOrMeta+a');
  await lab.page().keyboard.insertText(code);
  await expect(lab.getByTestId(`lab-step-${section}`)).toHaveAttribute('data-edited', 'true');
}

/** Releases every pipeline of the KMS (what a page outside the labs, e.g. an exported app, left behind). */
export async function releaseAllPipelines(): Promise<void> {
  const client = await call<KurentoClient>((done) => kurentoClient(KMS_URL, { failAfter: 2 }, done));
  try {
    const manager = await call<ServerManager>((done) => client.getServerManager(done));
    const pipelines = await listPipelines<{ release(callback: (error: unknown) => void): void }>(manager);
    // A pipeline its owner released meanwhile answers 40101: that is fine.
    await Promise.all(pipelines.map((pipeline) => call<void>((done) => pipeline.release((error) => done(error && !gone(error) ? error : undefined, undefined)))));
  } finally {
    client.close();
  }
}
