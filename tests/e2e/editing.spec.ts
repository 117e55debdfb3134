/**
 * Editing a step, as a learner does: the keyboard drives the editor, edits survive a reload until reset, and each
 * kind of mistake is explained where it happened (a syntax error before anything runs, an exception with its step
 * and line, a KMS error with its code and the troubleshooting link, a step that never finishes with what is missing).
 */
import { expect, test, type Locator } from '@playwright/test';
import { collectErrors, openLabPage, pipelinesOnKms, releaseAllPipelines, resetLeavesNoPipeline, setEditorCode } from './lab-helpers';

async function editAndRun(lab: Locator, section: string, code: string): Promise<void> {
  await lab.getByTestId(`edit-${section}`).click();
  await setEditorCode(lab, section, code);
  await lab.getByTestId('lab-run').click();
  await expect(lab).toHaveAttribute('data-status', /^(complete|failed)$/, { timeout: 45_000 });
}

test.afterEach(async () => {
  // A failed run keeps its pipeline until Reset: leave none for the next test (edits live in the page's local
  // storage, which Playwright clears between tests).
  await releaseAllPipelines();
});

test('the editor is driven by the keyboard, and an edit stays until Reset the code', async ({ page }) => {
  const errors = collectErrors(page);
  const lab = await openLabPage(page, 'hello-world');
  await lab.getByTestId('edit-loopback').focus();
  await page.keyboard.press('Enter');
  const editor = lab.getByTestId('lab-step-loopback').locator('.cm-content');
  await expect(editor).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText("webRtcEp.connect(webRtcEp, function (error) {\n  if (error) return onError(error);\n  showStatus('my loopback');\n});");
  // Ctrl+Enter runs this step (and the steps before it, which have not run yet).
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(lab.getByTestId('lab-step-loopback')).toHaveAttribute('data-status', 'passed', { timeout: 45_000 });
  await expect(lab.getByTestId('lab-step-play')).not.toHaveAttribute('data-status', 'passed');
  await expect(lab.frameLocator('[data-testid="lab-page"]').locator('#status')).toContainText('my loopback');
  // Escape leaves the editor; Tab then moves on from the Edit button.
  await editor.click();
  await page.keyboard.press('Escape');
  await expect(editor).toHaveCount(0);
  // The edit is kept in this browser: after a reload the step shows it, marked as edited.
  await resetLeavesNoPipeline(lab);
  await page.reload();
  const again = await openLabPage(page, 'hello-world');
  await expect(again.getByTestId('lab-step-loopback')).toHaveAttribute('data-edited', 'true');
  await expect(again.getByTestId('code-loopback')).toHaveAttribute('data-source', /my loopback/);
  await again.getByTestId('reset-code-loopback').click();
  await expect(again.getByTestId('lab-step-loopback')).not.toHaveAttribute('data-edited', 'true');
  await expect(again.getByTestId('code-loopback')).not.toHaveAttribute('data-source', /my loopback/);
  expect(errors).toEqual([]);
});

test('an edit made on the Chinese page stays there: the English page shows its own code, comments in English', async ({ page }) => {
  const zh = await openLabPage(page, 'hello-world', { prefix: '/zh-Hans' });
  await expect(zh.getByTestId('code-declarations')).toHaveAttribute('data-source', /^\/\/ Hello World：浏览器/);
  await zh.getByTestId('edit-loopback').click();
  await setEditorCode(zh, 'loopback', '// 我的回环\nwebRtcEp.connect(webRtcEp, onError);');
  await zh.getByTestId('edit-loopback').click();
  const en = await openLabPage(page, 'hello-world');
  await expect(en.getByTestId('code-declarations')).toHaveAttribute('data-source', /^\/\/ Hello World: the browser is both/);
  await expect(en.getByTestId('lab-step-loopback')).not.toHaveAttribute('data-edited', 'true');
  await expect(en.getByTestId('code-loopback')).not.toHaveAttribute('data-source', /我的回环/);
  const again = await openLabPage(page, 'hello-world', { prefix: '/zh-Hans' });
  await expect(again.getByTestId('lab-step-loopback')).toHaveAttribute('data-edited', 'true');
  await expect(again.getByTestId('code-loopback')).toHaveAttribute('data-source', /我的回环/);
  await again.getByTestId('reset-code-loopback').click();
  await expect(again.getByTestId('lab-step-loopback')).not.toHaveAttribute('data-edited', 'true');
});

test('a syntax error is shown at its line and nothing runs', async ({ page }) => {
  const lab = await openLabPage(page, 'hello-world');
  await editAndRun(lab, 'pipeline', "client.create('MediaPipeline', function (error, _pipeline) {\n  if (error) return onError(error);\n  pipeline = _pipeline;\n  pipeline.create('WebRtcEndpoint', function (error, endpoint) {\n    webRtcEp = endpoint;\n  };\n});");
  const error = lab.getByTestId('lab-error');
  await expect(error).toHaveAttribute('data-code', 'syntax-error');
  await expect(error).toContainText('line 6');
  await expect(error).toContainText('nothing ran');
  // Not even the camera step ran, and KMS was never asked for anything.
  await expect(lab.getByTestId('lab-step-camera')).not.toHaveAttribute('data-status', 'passed');
  expect(await pipelinesOnKms()).toBe(0);
});

test('an exception names its step and line', async ({ page }) => {
  const lab = await openLabPage(page, 'hello-world');
  await editAndRun(lab, 'loopback', "// a typo in a variable name\nwebRtcEndpoint.connect(webRtcEp, onError);");
  const error = lab.getByTestId('lab-error');
  await expect(error).toHaveAttribute('data-code', 'step-exception');
  await expect(error).toContainText('line 2');
  await expect(error).toContainText('webRtcEndpoint is not defined');
  await expect(lab.getByTestId('lab-step-loopback')).toHaveAttribute('data-status', 'failed');
});

test('a KMS error comes with its code and the troubleshooting link', async ({ page }) => {
  const lab = await openLabPage(page, 'hello-world');
  await editAndRun(lab, 'negotiate', "webRtcEp.processOffer('not an SDP offer', function (error, answer) {\n  if (error) return onError(error);\n  sdpAnswer = answer;\n});");
  const error = lab.getByTestId('lab-error');
  await expect(error).toHaveAttribute('data-code', /^kms-40\d{3}$/);
  await expect(error).toContainText(/KMS refused the request: .+ \(40\d{3}\)/);
  await expect(error.getByTestId('lab-error-link')).toHaveAttribute('href', /troubleshooting/);
});

test('a step that never finishes names what is still missing', async ({ page }) => {
  // Each step gets 5 s instead of 15 (?step_timeout, as a learner can set it): what is missing is the same, sooner.
  const lab = await openLabPage(page, 'hello-world', { query: '?step_timeout=5' });
  // gatherCandidates forgotten: KMS never starts ICE, so its GATHERING state never comes.
  await editAndRun(lab, 'gather', '// TODO: webRtcEp.gatherCandidates(onError);');
  const error = lab.getByTestId('lab-error');
  await expect(error).toHaveAttribute('data-code', 'step-timeout');
  await expect(error).toContainText(/gatherCandidates” did not finish within 5 s/);
  await expect(error).toContainText('IceComponentStateChanged');
});
