import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkKmsUrl, defaultKmsUrl, parseIceServers, resolveSettings } from '../../core/settings';

const http = { protocol: 'http:', hostname: '10.0.0.7' };

test('KMS URL precedence: panel > query (kms or ws_uri) > start > build > embedded default', () => {
  const all = {
    stored: { kmsUrl: 'ws://panel:8888/kurento' },
    search: '?kms=ws://query:8888/kurento',
    runtime: { kmsUrl: 'ws://start:8888/kurento' },
    build: { kmsUrl: 'ws://build:8888/kurento' },
    location: http,
  };
  assert.equal(resolveSettings(all).kmsUrl, 'ws://panel:8888/kurento');
  assert.equal(resolveSettings({ ...all, stored: {} }).kmsUrl, 'ws://query:8888/kurento');
  assert.equal(resolveSettings({ ...all, stored: {}, search: '?ws_uri=ws://tutorial:8888/kurento' }).kmsUrl, 'ws://tutorial:8888/kurento');
  assert.equal(resolveSettings({ ...all, stored: {}, search: '' }).kmsUrl, 'ws://start:8888/kurento');
  assert.equal(resolveSettings({ ...all, stored: {}, search: '', runtime: {} }).kmsUrl, 'ws://build:8888/kurento');
  const fallback = resolveSettings({ location: http });
  assert.equal(fallback.kmsUrl, 'ws://10.0.0.7:8888/kurento');
  assert.equal(fallback.kmsUrlSource, 'default');
});

test('the default follows the page: wss on https, the embedded port and path of npm start', () => {
  assert.equal(defaultKmsUrl({ protocol: 'https:', hostname: 'lab.example' }), 'wss://lab.example:8888/kurento');
  assert.equal(defaultKmsUrl(http, { port: 3000, path: 'kurento', secure: true }), 'wss://10.0.0.7:3000/kurento');
  assert.equal(defaultKmsUrl({ protocol: 'http:', hostname: '::1' }), 'ws://[::1]:8888/kurento');
});

test('invalid values are skipped with a warning, and the next source is used', () => {
  const resolved = resolveSettings({ stored: { kmsUrl: 'http://oops:8888/kurento' }, search: '?kms=not a url', runtime: { kmsUrl: 'ws://ok:8888/kurento' }, location: http });
  assert.equal(resolved.kmsUrl, 'ws://ok:8888/kurento');
  assert.equal(resolved.kmsUrlSource, 'start');
  assert.deepEqual(resolved.warnings.map((warning) => [warning.source, warning.problem.code]), [
    ['panel', 'kms-url-scheme'],
    ['query', 'kms-url-invalid'],
  ]);
});

test('ICE servers precedence and validation', () => {
  const stun = '[{"urls":"stun:10.0.0.1:3478"}]';
  const turn = '[{"urls":["turn:10.0.0.1:3478?transport=udp"],"username":"yb","credential":"1"}]';
  assert.deepEqual(resolveSettings({ stored: { iceServers: turn }, search: `?ice_servers=${encodeURIComponent(stun)}`, location: http }).iceServers, [
    { urls: ['turn:10.0.0.1:3478?transport=udp'], username: 'yb', credential: '1' },
  ]);
  assert.deepEqual(resolveSettings({ search: `?ice_servers=${encodeURIComponent(stun)}`, location: http }).iceServers, [{ urls: 'stun:10.0.0.1:3478' }]);
  assert.deepEqual(resolveSettings({ location: http }).iceServers, []);
  assert.deepEqual(parseIceServers('[{"urls":"turn:1.2.3.4:3478"}]'), { ok: false, problem: { code: 'ice-turn-credentials', index: 1 } });
  assert.deepEqual(parseIceServers('{'), { ok: false, problem: { code: 'ice-json' } });
  assert.deepEqual(parseIceServers('[{"urls":"http://x"}]'), { ok: false, problem: { code: 'ice-urls', index: 1 } });
  assert.deepEqual(checkKmsUrl('  ws://h:1/kurento '), { ok: true, url: 'ws://h:1/kurento' });
});

test("the labs know when they use the site's own embedded KMS (its media folder) and when another one", async () => {
  const { recordingsUri } = await import('../../labs/framework/types');
  const embedded = { port: 8888, path: 'kurento' };
  const local = { protocol: 'http:', hostname: '127.0.0.1' };
  assert.equal(resolveSettings({ location: local, embedded }).usesEmbeddedKms, true);
  assert.equal(resolveSettings({ location: local, embedded, search: '?kms=ws://127.0.0.1:8888/kurento' }).usesEmbeddedKms, true, 'named explicitly');
  assert.equal(resolveSettings({ location: local, embedded, search: '?kms=ws://127.0.0.1:8899/kurento' }).usesEmbeddedKms, false, 'npm run kms beside it');
  assert.equal(resolveSettings({ location: local, embedded, stored: { kmsUrl: 'ws://10.0.0.9:8888/kurento' } }).usesEmbeddedKms, false);
  assert.equal(resolveSettings({ location: local }).usesEmbeddedKms, false, 'a site without an embedded KMS (KMS_URL, static hosting)');
  // Recordings go to the embedded KMS's media folder only when the labs use it; elsewhere to /tmp/kurento-labs.
  assert.equal(recordingsUri({ directory: '/srv/labs/var/media' }), 'file:///srv/labs/var/media/recordings');
  assert.equal(recordingsUri(undefined), 'file:///tmp/kurento-labs');
});

test('a token in the KMS URL does not make the embedded KMS another server', () => {
  const embedded = { port: 3000, path: 'kurento', secure: true };
  const lan = { protocol: 'https:', hostname: '192.0.2.2' };
  assert.equal(resolveSettings({ location: lan, embedded, search: '?kms=wss://192.0.2.2:3000/kurento?token=abc' }).usesEmbeddedKms, true);
  assert.equal(resolveSettings({ location: lan, embedded, search: '?kms=wss://192.0.2.2:3001/kurento' }).usesEmbeddedKms, false);
});
