/** A LabHost for the runner's unit tests: no page, no media; the program's variables live in a Map the test holds. */
import { RunRecorder } from '../../labs/framework/recorder';
import type { LabHost } from '../../labs/framework/runner';
import type { LabSettings } from '../../labs/framework/types';

export const FAKE_SETTINGS: LabSettings = { kmsUrl: 'ws://127.0.0.1:8888/kurento', iceServers: [], siteOrigin: 'http://127.0.0.1:3000', media: { directory: '/srv/media', downloadBase: '/kms-media/' } };

/**
 * `vars` are the program's variables as checks read them; `run` is called with each section the runner runs (it may
 * set variables); nothing is ever wrong with the code.
 */
export function fakeLabHost(vars: Map<string, unknown>, run: (section: string, code: string) => void = () => undefined): LabHost {
  const recorder = new RunRecorder();
  return {
    locale: 'en',
    params: {},
    settings: FAKE_SETTINGS,
    recorder,
    now: () => recorder.now(),
    read: (name) => vars.get(name),
    recorded: () => [],
    media: (id) => ({ id, currentTime: 0, framesDecoded: 0, width: 0, height: 0 }),
    sampleColorAt: () => undefined,
    dominantFrequency: () => Promise.resolve(undefined),
    graph: () => recorder.graph,
    frames: () => recorder.frames,
    stats: () => recorder.stats,
    errors: () => [],
    syntax: () => Promise.resolve(undefined),
    run: (section, code) => {
      run(section, code);
      return Promise.resolve(undefined);
    },
  };
}
