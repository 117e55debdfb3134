/**
 * The ZIP writer of "Download as app" (core/zip.ts): CRC-32 test vectors, and an archive that Python's zipfile (an
 * independent reader) lists and extracts byte for byte, UTF-8 names included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, zip } from '../../core/zip';

test('CRC-32 (IEEE 802.3) of the standard check strings', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array()), 0);
  assert.equal(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog')), 0x414fa339);
});

test('an archive another reader lists, tests and extracts exactly', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kurento-labs-zip-'));
  try {
    const binary = new Uint8Array(70000).map((_, index) => (index * 31) % 256);
    const archive = zip([
      { name: 'app/index.html', data: '<!doctype html><title>t</title>\n' },
      { name: 'app/steps/01-camera.js', data: 'webRtcPeer = 1;\n' },
      { name: 'app/说明.md', data: '中文\n' },
      { name: 'app/blob.bin', data: binary },
    ]);
    const file = path.join(dir, 'app.zip');
    writeFileSync(file, archive);
    const script = [
      'import sys, zipfile, json',
      'z = zipfile.ZipFile(sys.argv[1])',
      'bad = z.testzip()',
      'z.extractall(sys.argv[2])',
      'print(json.dumps({"bad": bad, "names": z.namelist()}))',
    ].join('\n');
    const out = JSON.parse(execFileSync('python3', ['-c', script, file, path.join(dir, 'out')], { encoding: 'utf8' })) as { bad: string | null; names: string[] };
    assert.equal(out.bad, null, 'every CRC matches');
    assert.deepEqual(out.names, ['app/index.html', 'app/steps/01-camera.js', 'app/说明.md', 'app/blob.bin']);
    assert.equal(readFileSync(path.join(dir, 'out', 'app', 'steps', '01-camera.js'), 'utf8'), 'webRtcPeer = 1;\n');
    assert.equal(readFileSync(path.join(dir, 'out', 'app', '说明.md'), 'utf8'), '中文\n');
    assert.deepEqual(new Uint8Array(readFileSync(path.join(dir, 'out', 'app', 'blob.bin'))), binary);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
