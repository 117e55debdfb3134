import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { STANDALONE_MEDIA_DIR, STANDALONE_ORIGINS, parseKmsCli } from '../../server/kms/options';
import { originListed } from '../../server/kms/protocol/transport';
import { hostAddresses } from '../../server/kms/media/webrtc-session';

test('npm run kms: pages of this machine on any port by default, --allow-origin replaces them, env comma list too', () => {
  assert.deepEqual(parseKmsCli([], {}, '/r').config.allowedOrigins, [...STANDALONE_ORIGINS]);
  for (const origin of ['http://127.0.0.1:3000', 'http://127.0.0.1:41234', 'http://localhost:3001', 'https://[::1]:8443']) {
    assert.ok(originListed(origin, STANDALONE_ORIGINS), origin);
  }
  for (const origin of ['http://127.0.0.1.evil.example:3000', 'http://localhost.evil.example', 'http://127.0.0.1:3000x', 'http://192.168.1.5:3000', 'null']) {
    assert.equal(originListed(origin, STANDALONE_ORIGINS), false, origin);
  }
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

test('workers: one per core unless --workers or KMS_WORKERS say otherwise; 0 keeps every object in one thread', () => {
  assert.equal(parseKmsCli([], {}, '/r').config.workers, os.availableParallelism());
  assert.equal(parseKmsCli(['--workers', '0'], {}, '/r').config.workers, 0);
  assert.equal(parseKmsCli([], { KMS_WORKERS: '3' }, '/r').config.workers, 3);
  assert.equal(parseKmsCli(['--workers', '1'], { KMS_WORKERS: '3' }, '/r').config.workers, 1);
  assert.throws(() => parseKmsCli(['--workers', 'two'], {}, '/r'), /--workers must be an integer between 0 and 64/);
  assert.throws(() => parseKmsCli(['--workers=-1'], {}, '/r'), /--workers must be an integer/);
});

test('placement: fill unless --placement or KMS_PLACEMENT say spread; anything else is refused', () => {
  assert.equal(parseKmsCli([], {}, '/r').config.placement, undefined, 'the config default (fill) applies');
  assert.equal(parseKmsCli(['--placement', 'spread'], {}, '/r').config.placement, 'spread');
  assert.equal(parseKmsCli([], { KMS_PLACEMENT: 'spread' }, '/r').config.placement, 'spread');
  assert.equal(parseKmsCli(['--placement', 'fill'], { KMS_PLACEMENT: 'spread' }, '/r').config.placement, 'fill');
  assert.throws(() => parseKmsCli(['--placement', 'even'], {}, '/r'), /--placement must be fill or spread, not "even"/);
});

const info = (address: string, family: 'IPv4' | 'IPv6', internal = false): os.NetworkInterfaceInfo =>
  ({ address, family, internal, netmask: '', mac: '', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as os.NetworkInterfaceInfo;
const machine = {
  lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
  eth0: [info('192.0.2.2', 'IPv4'), info('fd00::2', 'IPv6')],
  wlan0: [info('10.1.2.3', 'IPv4')],
  tun0: [info('fd00::9', 'IPv6')],
};

test('npm run kms: media in /tmp/kurento-labs unless --media-dir or KMS_MEDIA_DIR say otherwise; token and private sources', () => {
  assert.equal(parseKmsCli([], {}, '/r').config.mediaDirectory, STANDALONE_MEDIA_DIR);
  assert.equal(parseKmsCli(['--media-dir', 'm'], {}, '/r').config.mediaDirectory, '/r/m');
  assert.equal(parseKmsCli([], { KMS_MEDIA_DIR: '/srv/media' }, '/r').config.mediaDirectory, '/srv/media');
  assert.equal(parseKmsCli(['--token', 'a-token-of-twenty-chars'], {}, '/r').config.accessToken, 'a-token-of-twenty-chars');
  assert.throws(() => parseKmsCli(['--token', 'short'], {}, '/r'), /--token must be at least 16 characters/);
  assert.equal(parseKmsCli(['--allow-private-sources'], {}, '/r').config.allowPrivateSources, true);
  assert.equal(parseKmsCli([], { KMS_ALLOW_PRIVATE_SOURCES: '0' }, '/r').config.allowPrivateSources, false);
});

test('media addresses: loopback alone (bound) for a loopback KMS; every interface plus loopback for a network one; networkInterfaces names them', () => {
  assert.deepEqual(hostAddresses(undefined, machine, 'loopback'), { addresses: ['127.0.0.1'], bind: '127.0.0.1', unknown: [] });
  assert.deepEqual(hostAddresses(undefined, machine, 'network'), { addresses: ['192.0.2.2', '10.1.2.3', '127.0.0.1'], bind: undefined, unknown: [] });
  assert.deepEqual(hostAddresses('eth0', machine, 'loopback'), { addresses: ['192.0.2.2'], bind: '192.0.2.2', unknown: [] });
  assert.deepEqual(hostAddresses(' eth0 , wlan0', machine), { addresses: ['192.0.2.2', '10.1.2.3'], bind: undefined, unknown: [] });
  assert.deepEqual(hostAddresses('eth0 lo', machine), { addresses: ['192.0.2.2', '127.0.0.1'], bind: undefined, unknown: [] });
  assert.deepEqual(hostAddresses('eth9,tun0', machine, 'loopback'), { addresses: ['127.0.0.1'], bind: '127.0.0.1', unknown: ['eth9', 'tun0'] });
});
