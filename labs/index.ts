/** Every lab of the site, in the order of the labs index. `<Lab id="…"/>` looks them up here. */
import type { AnyLab } from './framework/types';
import { helloWorld } from './hello-world';
import { threeTierGroupCall } from './three-tier-group-call';
import { threeTierHelloWorld } from './three-tier-hello-world';
import { threeTierOne2Many } from './three-tier-one2many';
import { threeTierOne2One } from './three-tier-one2one';
import { turnRelay } from './turn-relay';

export const LABS: readonly AnyLab[] = [turnRelay, helloWorld, threeTierHelloWorld, threeTierOne2One, threeTierOne2Many, threeTierGroupCall];

export function getLab(id: string): AnyLab | undefined {
  return LABS.find((lab) => lab.id === id);
}
