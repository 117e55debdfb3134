/** Addresses and ports of this machine, for tests, checks and benches. */
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';

/** A TCP port of 127.0.0.1 that was free a moment ago (the OS picks it; the probe is closed before this resolves). */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The first IPv4 address of a non-loopback interface, or undefined on a machine that has none. */
export function lanAddress(): string | undefined {
  for (const infos of Object.values(os.networkInterfaces())) {
    for (const info of infos ?? []) if (info.family === 'IPv4' && !info.internal) return info.address;
  }
  return undefined;
}

/** For node:test's `skip`: why a test cannot run here. */
export const NEEDS_LAN = lanAddress() === undefined ? 'this machine has no non-loopback IPv4 address to act as another machine' : false;
