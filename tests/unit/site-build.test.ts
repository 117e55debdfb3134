import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILD_STAMP, buildState, siteBuildEnv } from '../../server/site/build';
import { esbuildTargets, toEsbuildTargets } from '../../src/plugins/esbuild-targets';

/** A project with one input file, and a build whose stamp holds `stamp`, written after the input. */
function project(stamp: string | undefined): { root: string; buildDir: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'labs-build-'));
  mkdirSync(path.join(root, 'docs'));
  writeFileSync(path.join(root, 'docs', 'intro.mdx'), '# Intro\n');
  const past = new Date(Date.now() - 60_000);
  utimesSync(path.join(root, 'docs', 'intro.mdx'), past, past);
  utimesSync(path.join(root, 'docs'), past, past);
  const buildDir = path.join(root, 'build');
  mkdirSync(buildDir);
  if (stamp !== undefined) writeFileSync(path.join(buildDir, BUILD_STAMP), stamp);
  return { root, buildDir };
}

test('an unminified build (what the tests once built) is rebuilt; a minified one, or a bare-date stamp, is served', async () => {
  const unminified = project(JSON.stringify({ builtAt: new Date().toISOString(), minified: false }));
  try {
    const state = await buildState(unminified.root, unminified.buildDir);
    assert.equal(state.fresh, false);
    assert.match(state.reason, /unminified/);
  } finally {
    rmSync(unminified.root, { recursive: true, force: true });
  }
  for (const stamp of [JSON.stringify({ builtAt: new Date().toISOString(), minified: true }), new Date().toISOString()]) {
    const { root, buildDir } = project(stamp);
    try {
      assert.deepEqual(await buildState(root, buildDir), { fresh: true, reason: 'up to date' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
});

test('no stamp, or an input newer than the stamp, means a rebuild', async () => {
  const none = project(undefined);
  const stale = project(JSON.stringify({ builtAt: new Date().toISOString(), minified: true }));
  try {
    assert.deepEqual(await buildState(none.root, none.buildDir), { fresh: false, reason: 'no production build yet' });
    writeFileSync(path.join(stale.root, 'docs', 'intro.mdx'), '# Intro, edited\n');
    const future = new Date(Date.now() + 60_000);
    utimesSync(path.join(stale.root, 'docs', 'intro.mdx'), future, future);
    assert.deepEqual(await buildState(stale.root, stale.buildDir), { fresh: false, reason: 'docs changed since the last build' });
  } finally {
    rmSync(none.root, { recursive: true, force: true });
    rmSync(stale.root, { recursive: true, force: true });
  }
});

test('esbuild targets the browsers of the browserslist, and refuses a query it cannot translate exactly', () => {
  assert.deepEqual(toEsbuildTargets(['chrome >= 111', 'Safari>=16.4', 'firefox >= 115']), ['chrome111', 'safari16.4', 'firefox115']);
  for (const query of ['> 0.5%', 'last 2 versions', 'chrome > 111', 'ie >= 11', 'not dead']) {
    assert.throws(() => toEsbuildTargets([query]), new RegExp(`"${query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
  }
  // The site's own list translates, browser for browser.
  const root = path.resolve(__dirname, '..', '..');
  const { browserslist } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { browserslist: string[] };
  assert.equal(esbuildTargets(root).length, browserslist.length);
});

test("the build npm start makes bakes in no KMS_URL or ICE_SERVERS of whoever started it; other variables pass", () => {
  const env = siteBuildEnv({ KMS_URL: 'ws://127.0.0.1:35475/kurento', ICE_SERVERS: '[]', PATH: '/usr/bin', NODE_ENV: 'test' });
  assert.equal(env.KMS_URL, undefined);
  assert.equal(env.ICE_SERVERS, undefined);
  assert.equal(env.PATH, '/usr/bin');
  assert.equal(env.NODE_ENV, 'production');
});
