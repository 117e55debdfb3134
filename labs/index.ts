/** Every lab of the site, in the order of the labs index. `<Lab id="…"/>` looks them up here. */
import { broadcasting } from './broadcasting';
import { connectionCheck } from './connection-check';
import { dataChannels } from './data-channels';
import type { AnyLab } from './framework/types';
import { groupCall } from './group-call';
import { helloWorld } from './hello-world';
import { mixing } from './mixing';
import { player } from './player';
import { recording } from './recording';
import { routing } from './routing';
import { transcoding } from './transcoding';
import { webrtcEvents } from './webrtc-events';

export const LABS: readonly AnyLab[] = [connectionCheck, helloWorld, webrtcEvents, dataChannels, broadcasting, groupCall, routing, recording, player, transcoding, mixing];

export function getLab(id: string): AnyLab | undefined {
  return LABS.find((lab) => lab.id === id);
}
