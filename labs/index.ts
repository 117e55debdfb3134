/** Every lab of the site, in the order of the labs index. `<Lab id="…"/>` looks them up here. */
import { broadcasting } from './broadcasting';
import type { AnyLab } from './framework/types';
import { groupCall } from './group-call';
import { helloWorld } from './hello-world';
import { mixing } from './mixing';
import { routing } from './routing';
import { transcoding } from './transcoding';

export const LABS: readonly AnyLab[] = [helloWorld, broadcasting, groupCall, routing, transcoding, mixing];

export function getLab(id: string): AnyLab | undefined {
  return LABS.find((lab) => lab.id === id);
}
