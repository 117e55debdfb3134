/** Every lab of the site, in the order of the labs index. `<Lab id="…"/>` looks them up here. */
import type { AnyLab } from './framework/types';
import { helloWorld } from './hello-world';
import { threeTierHelloWorld } from './three-tier-hello-world';

export const LABS: readonly AnyLab[] = [helloWorld, threeTierHelloWorld];

export function getLab(id: string): AnyLab | undefined {
  return LABS.find((lab) => lab.id === id);
}
