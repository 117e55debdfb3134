/** Every lab of the site, in the order of the labs index. `<Lab id="…"/>` looks them up here. */
import { connectionCheck } from './connection-check';
import { dataChannels } from './data-channels';
import type { AnyLab } from './framework/types';
import { helloWorld } from './hello-world';
import { player } from './player';
import { recording } from './recording';
import { webrtcEvents } from './webrtc-events';

export const LABS: readonly AnyLab[] = [connectionCheck, helloWorld, webrtcEvents, dataChannels, recording, player];

export function getLab(id: string): AnyLab | undefined {
  return LABS.find((lab) => lab.id === id);
}
