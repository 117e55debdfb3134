/** Addresses of this machine, for tests that need a client or a peer that is not on loopback. */
import os from 'node:os';

/** The first IPv4 address of a non-loopback interface, or undefined on a machine that has none. */
export function lanAddress(): string | undefined {
  for (const infos of Object.values(os.networkInterfaces())) {
    for (const info of infos ?? []) if (info.family === 'IPv4' && !info.internal) return info.address;
  }
  return undefined;
}

/** For node:test's `skip`: why a test cannot run here. */
export const NEEDS_LAN = lanAddress() === undefined ? 'this machine has no non-loopback IPv4 address to act as another machine' : false;
