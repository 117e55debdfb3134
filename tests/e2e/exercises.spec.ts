/**
 * Every exercise, as a learner would do it: the solution typed into the editor passes the check; one plausible wrong
 * answer fails it with the hint that fits what the run showed.
 */
import { expect, test, type Locator } from '@playwright/test';
import { EXERCISES } from '../../labs/exercises';
import { EMBEDS, expectShownIsRun, openExercisePage, setEditorCode } from './lab-helpers';

/** A wrong answer per exercise, and words of the hint it must get. */
const WRONG: Record<string, { code: string; hint: RegExp }> = {
  'loopback-audio': {
    code: "webRtcEp.connect(webRtcEp, 'VIDEO', function (error) {\n  if (error) return onError(error);\n});",
    hint: /You connected the VIDEO, not the AUDIO/,
  },
  mirror: {
    code: "pipeline.create('GStreamerFilter', { command: 'videoflip method=vertical-flip' }, function (error, filter) {\n  if (error) return onError(error);\n  webRtcEp.connect(filter, function (error) {\n    if (error) return onError(error);\n    filter.connect(webRtcEp, onError);\n  });\n});",
    hint: /upside down/,
  },
  bandwidth: {
    code: "webRtcEp.processOffer(sdpOffer, function (error, answer) {\n  if (error) return onError(error);\n  sdpAnswer = answer;\n  webRtcPeer.processAnswer(sdpAnswer, onError);\n  webRtcEp.setMaxVideoRecvBandwidth(150, onError);\n});",
    hint: /before processOffer/,
  },
  'kms-error': {
    code: "webRtcEp.processOffer('not an SDP offer');",
    hint: /did not catch it/,
  },
  // Only the AUDIO connected, but the profile still records audio and video.
  'record-audio': {
    code: "pipeline.create('RecorderEndpoint', { uri: recordingUri, mediaProfile: profile }, function (error, _recorder) {\n  if (error) return onError(error);\n  recorder = _recorder;\n  webRtcEp.connect(recorder, 'AUDIO', onError);\n});",
    hint: /mediaProfile WEBM, a profile for audio and video/,
  },
  // The MP4 profile, but the file keeps its .webm name.
  'record-mp4': {
    code: "pipeline.create('RecorderEndpoint', { uri: recordingUri, mediaProfile: 'MP4' }, function (error, _recorder) {\n  if (error) return onError(error);\n  recorder = _recorder;\n  recordedTypes.forEach(function (mediaType) {\n    webRtcEp.connect(recorder, mediaType, onError);\n  });\n});",
    hint: /still ends in \.webm/,
  },
  // Two routes to viewer-1's port, hoping to add green's audio to red: the second replaces the first.
  dispatcher: {
    code: "pipeline.create('Dispatcher', function (error, _dispatcher) {\n  if (error) return onError(error);\n  dispatcher = _dispatcher;\n  addPorts(dispatcher, dispatcherPorts, function () {\n    dispatcher.connect(dispatcherPorts.red, dispatcherPorts['viewer-1'], function (error) {\n      if (error) return onError(error);\n      dispatcher.connect(dispatcherPorts.green, dispatcherPorts['viewer-1'], onError);\n    });\n  });\n});",
    hint: /both its video and its audio from sources\.green/,
  },
  // carol gets an endpoint, a port and a browser peer, but the port is never connected.
  'composite-third': {
    code: "join(people[0], function () {\n  join(people[1], function () {\n    pipeline.create('WebRtcEndpoint', function (error, webRtcEp) {\n      if (error) return onError(error);\n      composite.createHubPort(function (error, port) {\n        if (error) return onError(error);\n        endpoints.carol = webRtcEp;\n        ports.carol = port;\n        room.push('carol');\n        peers.carol = kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv({\n          remoteVideo: addVideo('carol-grid', 'carol receives', { muted: true }),\n          videoStream: testSource({ color: '#1565c0', label: 'carol', frequency: 659 }),\n          configuration: { iceServers: iceServers },\n        }, function (error) {\n          if (error) return onError(error);\n          negotiate(peers.carol, webRtcEp);\n        });\n      });\n    });\n  });\n});",
    hint: /receives nothing: creating a port does not connect it/,
  },
  // The offsets of a mask, but a size of 0: KMS draws nothing.
  'face-mask': {
    code: "faceOverlay.setOverlayedImage(hatUri, 0, 0, 0, 0, function (error) {\n  if (error) return onError(error);\n  hatSet = true;\n});",
    hint: /No image over the face yet/,
  },
};


async function answer(exercise: Locator, id: string, lab: string, step: string, code: string): Promise<void> {
  const panel = exercise.getByTestId(`lab-${lab}@${id}`);
  // The exercise opens the editor of its step.
  await setEditorCode(panel, step, code);
  const runs = Number((await panel.getAttribute('data-runs')) ?? 0);
  await panel.getByTestId('lab-run').click();
  await expect(panel).toHaveAttribute('data-runs', String(runs + 1));
  await expect(panel).toHaveAttribute('data-status', /^(complete|failed)$/, { timeout: 60_000 });
}

for (const exercise of EXERCISES) {
  test(`exercise ${exercise.id}: the solution passes, a wrong answer gets its hint`, async ({ page }) => {
    test.setTimeout(150_000);
    const wrong = WRONG[exercise.id];
    expect(wrong, `a wrong answer for ${exercise.id} in this spec`).toBeTruthy();
    expect(EMBEDS.labs[exercise.lab], `the lab ${exercise.lab} is in a chapter`).toBeTruthy();
    const box = await openExercisePage(page, exercise.id);
    await expect(box.getByTestId('exercise-task')).toBeVisible();
    const panel = box.getByTestId(`lab-${exercise.lab}@${exercise.id}`);

    await answer(box, exercise.id, exercise.lab, exercise.step, wrong?.code ?? '');
    await expect(panel).toHaveAttribute('data-status', 'failed');
    await expect(panel.getByTestId('lab-error')).toHaveAttribute('data-code', 'exercise-not-done');
    await expect(panel.getByTestId('lab-error')).toContainText(wrong?.hint ?? /./);

    await answer(box, exercise.id, exercise.lab, exercise.step, exercise.solution);
    const status = await panel.getAttribute('data-status');
    if (status !== 'complete') {
      // The verdict line carries what the check measured last (e.g. "waiting for Stopped").
      const verdict = await panel.getByTestId('exercise-verdict').innerText().catch(() => '(no verdict)');
      throw new Error(`${exercise.id}: the solution did not pass: ${verdict}\n${await panel.getByTestId('lab-error').innerText().catch(() => '')}`);
    }
    await expect(panel.getByTestId('exercise-verdict')).toHaveAttribute('data-ok', 'true');
    await panel.getByTestId('lab-reset').click();
  });
}

test('on the Chinese page, the solution comes with Chinese comments, goes into the editor as shown, and passes', async ({ page }) => {
  test.setTimeout(90_000);
  const box = await openExercisePage(page, 'record-audio', { prefix: '/zh-Hans' });
  const panel = box.getByTestId('lab-recording@record-audio');
  await box.getByTestId('exercise-solution').click();
  await expect(box.getByTestId('exercise-solution-code')).toContainText('// 只录音频的格式');
  await box.getByTestId('exercise-use-solution').click();
  await expect(panel.getByTestId('lab-step-recorder')).toHaveAttribute('data-edited', 'true');
  await expect(panel.getByTestId('code-recorder').or(panel.getByTestId('lab-step-recorder').locator('.cm-content')).first()).toContainText('只录音频的格式');
  await panel.getByTestId('lab-run').click();
  await expect(panel).toHaveAttribute('data-status', /^(complete|failed)$/, { timeout: 60_000 });
  expect(await panel.getAttribute('data-status')).toBe('complete');
  await expectShownIsRun(panel, 'recording@record-audio');
  await panel.getByTestId('lab-reset').click();
});
