/**
 * What the embedded KMS implements, as scripts/generate-kms-facts.ts reads it from the server's factory table into
 * embedded-kms.generated.json. The site shows it (src/components/EmbeddedKmsClasses); nothing here is written by hand.
 */
import facts from './embedded-kms.generated.json';

export interface EmbeddedKmsModule {
  /** The KMD module: core, elements or filters. */
  name: string;
  /** Classes the embedded KMS creates (getInfo lists them as the module's factories). */
  implemented: string[];
  /** Classes of the module's KMD that can be created on a KMS 7.3 but answer 40108 on the embedded one. */
  missing: string[];
}

export interface EmbeddedKmsFacts {
  generatedBy: string;
  /** The kurento-client whose KMD files name the classes. */
  kurentoClient: string;
  modules: EmbeddedKmsModule[];
}

export const EMBEDDED_KMS: EmbeddedKmsFacts = facts;

/** Every class the embedded KMS implements, all modules, sorted. */
export function implementedClasses(): string[] {
  return EMBEDDED_KMS.modules.flatMap((module) => module.implemented).sort();
}

/** Every creatable KMD class that answers 40108 on the embedded KMS, sorted. */
export function missingClasses(): string[] {
  return EMBEDDED_KMS.modules.flatMap((module) => module.missing).sort();
}
