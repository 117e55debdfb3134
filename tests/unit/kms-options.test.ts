import { test } from 'node:test';
import assert from 'node:assert/strict';
import type os from 'node:os';
import { STANDALONE_ORIGINS, parseKmsCli } from '../../server/kms/options';
import { hostAddresses } from '../../server/kms/media/webrtc-session';

test('npm run kms: the site origins by default, --allow-origin replaces them, env comma list too', () => {
  assert.deepEqual(parseKmsCli([], {}, '/r').config.allowedOrigins, [...STANDALONE_ORIGINS]);
  assert.deepEqual(parseKmsCli(['--allow-origin', 'https://lab.example'], {}, '/r').config.allowedOrigins, ['https://lab.example']);
  assert.deepEqual(parseKmsCli([], { KMS_ALLOWED_ORIGINS: 'http://a:1, http://b:2' }, '/r').config.allowedOrigins, ['http://a:1', 'http://b:2']);
});

test('iceTcp: --ice-tcp or KMS_ICE_TCP=1 turn it on, KMS_ICE_TCP=0 off, anything else is refused', () => {
  assert.equal(parseKmsCli([], {}, '/r').config.iceTcp, undefined);
  assert.equal(parseKmsCli(['--ice-tcp'], {}, '/r').config.iceTcp, true);
  assert.equal(parseKmsCli([], { KMS_ICE_TCP: '1' }, '/r').config.iceTcp, true);
  assert.equal(parseKmsCli([], { KMS_ICE_TCP: '0' }, '/r').config.iceTcp, false);
  assert.throws(() => parseKmsCli([], { KMS_ICE_TCP: 'yes' }, '/r'), /KMS_ICE_TCP must be 0 or 1/);
});

const info = (address: string, family: 'IPv4' | 'IPv6', internal = false): os.NetworkInterfaceInfo =>
  ({ address, family, internal, netmask: '', mac: '', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as os.NetworkInterfaceInfo;
const machine = {
  lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
  eth0: [info('192.0.2.2', 'IPv4'), info('fd00::2', 'IPv6')],
  wlan0: [info('10.1.2.3', 'IPv4')],
  tun0: [info('fd00::9', 'IPv6')],
};

test('networkInterfaces: names become their IPv4 addresses; loopback only when lo is named or nothing matched', () => {
  assert.deepEqual(hostAddresses(undefined, machine), { filter: undefined, loopback: true, unknown: [] });
  assert.deepEqual(hostAddresses('eth0', machine), { filter: ['192.0.2.2'], loopback: false, unknown: [] });
  assert.deepEqual(hostAddresses(' eth0 , wlan0', machine), { filter: ['192.0.2.2', '10.1.2.3'], loopback: false, unknown: [] });
  assert.deepEqual(hostAddresses('eth0 lo', machine), { filter: ['192.0.2.2'], loopback: true, unknown: [] });
  assert.deepEqual(hostAddresses('eth9,tun0', machine), { filter: undefined, loopback: true, unknown: ['eth9', 'tun0'] });
});
