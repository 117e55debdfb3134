/**
 * The browser's way to the lab definitions: one chunk per lab, fetched when a page needs that lab, so that the lab
 * chunk (the panel and its views) does not carry every lab's texts and checks. Keyed by lab id (each lab lives in
 * labs/<id>.ts); tests/unit/lab-loaders.test.ts checks that this list and LABS (labs/index.ts) hold the same labs.
 */
import type { AnyLab } from './framework/types';

export const LAB_LOADERS: Readonly<Record<string, () => Promise<AnyLab>>> = {
  'connection-check': () => import('./connection-check').then((module) => module.connectionCheck),
  'turn-relay': () => import('./turn-relay').then((module) => module.turnRelay),
  'hello-world': () => import('./hello-world').then((module) => module.helloWorld),
  'three-tier-hello-world': () => import('./three-tier-hello-world').then((module) => module.threeTierHelloWorld),
  'three-tier-one2one': () => import('./three-tier-one2one').then((module) => module.threeTierOne2One),
  'three-tier-one2many': () => import('./three-tier-one2many').then((module) => module.threeTierOne2Many),
  'three-tier-group-call': () => import('./three-tier-group-call').then((module) => module.threeTierGroupCall),
  'webrtc-events': () => import('./webrtc-events').then((module) => module.webrtcEvents),
  'data-channels': () => import('./data-channels').then((module) => module.dataChannels),
  'bandwidth': () => import('./bandwidth').then((module) => module.bandwidth),
  'broadcasting': () => import('./broadcasting').then((module) => module.broadcasting),
  'group-call': () => import('./group-call').then((module) => module.groupCall),
  'routing': () => import('./routing').then((module) => module.routing),
  'recording': () => import('./recording').then((module) => module.recording),
  'player': () => import('./player').then((module) => module.player),
  'upload': () => import('./upload').then((module) => module.upload),
  'transcoding': () => import('./transcoding').then((module) => module.transcoding),
  'mixing': () => import('./mixing').then((module) => module.mixing),
  'magic-mirror': () => import('./magic-mirror').then((module) => module.magicMirror),
  'qr-codes': () => import('./qr-codes').then((module) => module.qrCodes),
  'rtp-gateway': () => import('./rtp-gateway').then((module) => module.rtpGateway),
};

const loaded = new Map<string, Promise<AnyLab | undefined>>();

/** The lab with this id, loaded once (the same promise for every caller: React's use() needs a stable one). */
export function loadLab(id: string): Promise<AnyLab | undefined> {
  let found = loaded.get(id);
  if (!found) {
    const load = Object.hasOwn(LAB_LOADERS, id) ? LAB_LOADERS[id] : undefined;
    found = load ? load() : Promise.resolve(undefined);
    loaded.set(id, found);
  }
  return found;
}
