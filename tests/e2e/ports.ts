/**
 * Ports of the `npm start` instances Playwright runs for the end-to-end tests: one site + embedded KMS + coturn per
 * Playwright worker, so that spec files running side by side never share a KMS (a test that releases every pipeline,
 * or counts them, sees only its own). Playwright evaluates the config and the specs in each worker with
 * TEST_PARALLEL_INDEX set (0 … workers-1); in the runner process it is unset, and slot 0 is used.
 */
export const E2E_WORKERS = Math.max(1, Number(process.env.E2E_WORKERS ?? 2));
const SITE_BASE = Number(process.env.E2E_SITE_PORT ?? 3100);
const KMS_BASE = Number(process.env.E2E_KMS_PORT ?? 8899);
/** Ports of one slot: slots are 10 apart, so E2E_SITE_PORT / E2E_KMS_PORT of two checkouts 20+ apart never meet. */
export const sitePort = (slot: number): number => SITE_BASE + slot * 10;
export const kmsPort = (slot: number): number => KMS_BASE + slot * 10;
export const E2E_SLOT = Number(process.env.TEST_PARALLEL_INDEX ?? 0);
export const E2E_SITE_PORT = sitePort(E2E_SLOT);
export const E2E_KMS_PORT = kmsPort(E2E_SLOT);
