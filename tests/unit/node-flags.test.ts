import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KMS_NODE_FLAGS } from '../../server/node-flags';

test('the npm scripts that run the KMS (or the bench peers) give node the same flags as the e2e server and the benches', () => {
  const scripts = (JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const name of ['start', 'dev', 'kms', 'bench']) {
    const words = (scripts[name] ?? '').split(/\s+/);
    for (const flag of KMS_NODE_FLAGS) assert.ok(words.includes(flag), `npm run ${name} passes ${flag}: ${scripts[name]}`);
  }
});
