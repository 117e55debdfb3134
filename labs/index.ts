/** Every lab of the site, in the order of the labs index. `<Lab id="…"/>` looks them up here. */
import { bandwidth } from './bandwidth';
import { broadcasting } from './broadcasting';
import { connectionCheck } from './connection-check';
import { dataChannels } from './data-channels';
import type { AnyLab } from './framework/types';
import { groupCall } from './group-call';
import { helloWorld } from './hello-world';
import { magicMirror } from './magic-mirror';
import { mixing } from './mixing';
import { player } from './player';
import { qrCodes } from './qr-codes';
import { recording } from './recording';
import { routing } from './routing';
import { rtpGateway } from './rtp-gateway';
import { threeTierGroupCall } from './three-tier-group-call';
import { threeTierHelloWorld } from './three-tier-hello-world';
import { threeTierOne2Many } from './three-tier-one2many';
import { threeTierOne2One } from './three-tier-one2one';
import { transcoding } from './transcoding';
import { turnRelay } from './turn-relay';
import { upload } from './upload';
import { webrtcEvents } from './webrtc-events';

export const LABS: readonly AnyLab[] = [
  connectionCheck,
  turnRelay,
  helloWorld,
  threeTierHelloWorld,
  threeTierOne2One,
  threeTierOne2Many,
  threeTierGroupCall,
  webrtcEvents,
  dataChannels,
  bandwidth,
  broadcasting,
  groupCall,
  routing,
  recording,
  player,
  upload,
  transcoding,
  mixing,
  magicMirror,
  qrCodes,
  rtpGateway,
];

export function getLab(id: string): AnyLab | undefined {
  return LABS.find((lab) => lab.id === id);
}
