/**
 * Generates core/embedded-kms.generated.json: which classes of the KMD (kurento-client-core, -elements and -filters
 * 7.3) the embedded KMS implements, per module, and which it answers with error 40108 — read from the server's own
 * factory table (server/kms/objects/registry.ts, the one getInfo lists), never written by hand. The chapters show it
 * with <EmbeddedKmsClasses/> (src/components/EmbeddedKmsClasses); tests/unit/embedded-kms-facts.test.ts fails when
 * the committed file is stale.
 *
 *   npx tsx scripts/generate-kms-facts.ts           write the file
 *   npx tsx scripts/generate-kms-facts.ts --check   exit 1 if the committed file is not up to date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KMD_MODULES } from '../server/kms/objects/kmd';
import { KMD_CLASS_MODULE } from '../server/kms/objects/kmd-types.generated';
import { implementedFactories } from '../server/kms/objects/registry';
import type { EmbeddedKmsFacts } from '../core/embedded-kms';

export const KMS_FACTS_FILE = path.resolve(__dirname, '..', 'core', 'embedded-kms.generated.json');

/** The facts as the server has them now. */
export function kmsFacts(): EmbeddedKmsFacts {
  const implemented = implementedFactories();
  const creatable = Object.entries(KMD_CLASS_MODULE);
  return {
    generatedBy: 'scripts/generate-kms-facts.ts',
    kurentoClient: JSON.parse(readFileSync(require.resolve('kurento-client/package.json'), 'utf8')).version as string,
    modules: KMD_MODULES.map((name) => ({
      name,
      implemented: [...implemented[name]],
      missing: creatable
        .filter(([className, module]) => module === name && !implemented[name].includes(className))
        .map(([className]) => className)
        .sort(),
    })),
  };
}

export function kmsFactsText(): string {
  return `${JSON.stringify(kmsFacts(), null, 2)}\n`;
}

function main(): void {
  const text = kmsFactsText();
  if (process.argv.includes('--check')) {
    if (readFileSync(KMS_FACTS_FILE, 'utf8') !== text) {
      console.error(`${path.relative(process.cwd(), KMS_FACTS_FILE)} is stale: run npx tsx scripts/generate-kms-facts.ts`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(KMS_FACTS_FILE, text);
  console.log(`wrote ${path.relative(process.cwd(), KMS_FACTS_FILE)}`);
}

if (require.main === module) main();
