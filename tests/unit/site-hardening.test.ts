/**
 * The site server's own rules: files of a served folder (the build, /kms-media/) are confined by their real paths, so a
 * symbolic link cannot serve a file from elsewhere; /labs-runtime.json is computed for each request (live TURN state,
 * fresh credentials) and answers only to the names the site is opened by (no DNS rebinding); what browsers may keep.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { createStaticHandler } from '../../server/site/static-files';
import { SiteService } from '../../server/site/site-service';
import { BUILD_STAMP } from '../../server/site/build';

let base: string;
before(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'kurento-labs-site-'));
});
after(() => {
  rmSync(base, { recursive: true, force: true });
});

/** GET `pathname` with an explicit Host header (fetch does not let a test set it). */
function get(port: number, pathname: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a served folder: links out (file or folder) are not followed; links inside are', async () => {
  const media = path.join(base, 'media');
  const outside = path.join(base, 'outside');
  mkdirSync(path.join(media, 'recordings'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.txt'), 'outside');
  writeFileSync(path.join(media, 'recordings', 'a.webm'), 'inside');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(media, 'leak.txt'));
  symlinkSync(outside, path.join(media, 'out'));
  symlinkSync(path.join(media, 'recordings', 'a.webm'), path.join(media, 'alias.webm'));
  const serve = createStaticHandler(media, { notFoundPage: false });
  const server: Server = createServer((req, res) => void serve(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  try {
    assert.deepEqual(await get(port, '/recordings/a.webm'), { status: 200, body: 'inside' });
    assert.deepEqual(await get(port, '/alias.webm'), { status: 200, body: 'inside' });
    assert.equal((await get(port, '/leak.txt')).status, 404);
    assert.equal((await get(port, '/out/secret.txt')).status, 404);
    assert.equal((await get(port, '/../outside/secret.txt')).status, 404);
    assert.equal((await get(port, '/%2e%2e/outside/secret.txt')).status, 404);
  } finally {
    server.close();
  }
});

test('the sample media may be read by any page (an exported app draws them on a canvas); nothing else may', async () => {
  const root = path.join(base, 'public');
  mkdirSync(path.join(root, 'media'), { recursive: true });
  writeFileSync(path.join(root, 'media', 'hat.png'), 'png');
  writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  const serve = createStaticHandler(root, { publicPrefixes: ['/media/'] });
  const server: Server = createServer((req, res) => void serve(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  try {
    const media = await fetch(`http://127.0.0.1:${port}/media/hat.png`);
    assert.equal(media.headers.get('access-control-allow-origin'), '*');
    const page = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('access-control-allow-origin'), null);
  } finally {
    server.close();
  }
});

test('caching: hashed /assets/ and versioned /vendor/ bundles asked for with v are immutable; the rest is revalidated', async () => {
  const root = path.join(base, 'cached');
  mkdirSync(path.join(root, 'assets', 'js'), { recursive: true });
  mkdirSync(path.join(root, 'vendor'), { recursive: true });
  mkdirSync(path.join(root, 'docs'), { recursive: true });
  writeFileSync(path.join(root, 'assets', 'js', 'main.0123abcd.js'), 'main');
  writeFileSync(path.join(root, 'vendor', 'kurento-client-7.3.0.min.js'), 'client');
  writeFileSync(path.join(root, 'docs', 'intro.html'), '<!doctype html>');
  const serve = createStaticHandler(root, { versionedPrefixes: ['/vendor/'] });
  const server: Server = createServer((req, res) => void serve(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const cacheControl = async (pathname: string): Promise<string | null> => {
    const response = await fetch(`http://127.0.0.1:${port}${pathname}`);
    assert.equal(response.status, 200, pathname);
    return response.headers.get('cache-control');
  };
  const IMMUTABLE = 'public, max-age=31536000, immutable';
  try {
    assert.equal(await cacheControl('/assets/js/main.0123abcd.js'), IMMUTABLE);
    assert.equal(await cacheControl('/vendor/kurento-client-7.3.0.min.js?v=0123456789ab'), IMMUTABLE);
    // The stable URL learners type (the first-app chapter, exported apps) is revalidated: its contents can change.
    assert.equal(await cacheControl('/vendor/kurento-client-7.3.0.min.js'), 'no-cache');
    // A `v` outside a versioned prefix changes nothing.
    assert.equal(await cacheControl('/docs/intro?v=1'), 'no-cache');
  } finally {
    server.close();
  }
});

test('/labs-runtime.json: computed per request, and only for the names the site is opened by', async () => {
  const root = path.join(base, 'site');
  const buildDir = path.join(root, 'build');
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(path.join(buildDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(buildDir, BUILD_STAMP), JSON.stringify({ builtAt: new Date().toISOString(), minified: true }));
  const site = new SiteService({ root, buildDir, host: '127.0.0.1', port: 0, log: () => undefined, allowedHosts: ['trainer.local'] });
  let calls = 0;
  site.setRuntimeConfig(() => ({ call: ++calls, turnStatus: { available: calls % 2 === 1 } }));
  await site.start();
  const port = site.port;
  try {
    const first = await get(port, '/labs-runtime.json');
    const second = await get(port, '/labs-runtime.json', `localhost:${port}`);
    assert.deepEqual(JSON.parse(first.body), { call: 1, turnStatus: { available: true } });
    assert.deepEqual(JSON.parse(second.body), { call: 2, turnStatus: { available: false } }, 'the live state, not a copy');
    assert.equal((await get(port, '/labs-runtime.json', `[::1]:${port}`)).status, 200);
    assert.equal((await get(port, '/labs-runtime.json', `trainer.local:${port}`)).status, 200, '--allow-host names');
    const rebound = await get(port, '/labs-runtime.json', `attacker.example:${port}`);
    assert.equal(rebound.status, 403, 'a rebinding page names its own host');
    assert.equal(calls, 4, "the refused request computed nothing");
  } finally {
    await site.stop();
  }
});
