import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILD_STAMP, buildState } from '../../server/site/build';

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

test('npm start serves only a minified build; the tests accept their unminified one', async () => {
  const { root, buildDir } = project(JSON.stringify({ builtAt: new Date().toISOString(), minified: false }));
  try {
    const forStart = await buildState(root, buildDir);
    assert.equal(forStart.fresh, false);
    assert.match(forStart.reason, /unminified/);
    assert.deepEqual(await buildState(root, buildDir, { acceptUnminified: true }), { fresh: true, reason: 'up to date' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a minified build serves both; a stamp from before the test build (a bare date) counts as minified', async () => {
  for (const stamp of [JSON.stringify({ builtAt: new Date().toISOString(), minified: true }), new Date().toISOString()]) {
    const { root, buildDir } = project(stamp);
    try {
      assert.equal((await buildState(root, buildDir)).fresh, true);
      assert.equal((await buildState(root, buildDir, { acceptUnminified: true })).fresh, true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
});

test('no stamp, or an input newer than the stamp, means a rebuild whatever the build is', async () => {
  const none = project(undefined);
  const stale = project(JSON.stringify({ builtAt: new Date().toISOString(), minified: true }));
  try {
    assert.deepEqual(await buildState(none.root, none.buildDir, { acceptUnminified: true }), { fresh: false, reason: 'no production build yet' });
    writeFileSync(path.join(stale.root, 'docs', 'intro.mdx'), '# Intro, edited\n');
    const future = new Date(Date.now() + 60_000);
    utimesSync(path.join(stale.root, 'docs', 'intro.mdx'), future, future);
    assert.deepEqual(await buildState(stale.root, stale.buildDir, { acceptUnminified: true }), { fresh: false, reason: 'docs changed since the last build' });
  } finally {
    rmSync(none.root, { recursive: true, force: true });
    rmSync(stale.root, { recursive: true, force: true });
  }
});
