/**
 * The list of what the embedded KMS implements, as the chapters show it (core/embedded-kms.generated.json), is what
 * the server's factory table says today: regenerate it with npx tsx scripts/generate-kms-facts.ts when a class is added.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KMS_FACTS_FILE, kmsFactsText } from '../../scripts/generate-kms-facts';
import { implementedClasses, missingClasses } from '../../core/embedded-kms';
import { FACTORIES } from '../../server/kms/objects/registry';
import { KMD_CLASS_MODULE } from '../../server/kms/objects/kmd-types.generated';

test('the committed facts are the factory table of today (npx tsx scripts/generate-kms-facts.ts)', () => {
  assert.equal(readFileSync(KMS_FACTS_FILE, 'utf8'), kmsFactsText());
});

test('implemented and 40108 together are every creatable class of the KMD, once', () => {
  assert.deepEqual(implementedClasses(), Object.keys(FACTORIES).sort());
  assert.deepEqual([...implementedClasses(), ...missingClasses()].sort(), Object.keys(KMD_CLASS_MODULE).sort());
});
