/** Ports of the `npm start` instance Playwright runs for the end-to-end tests. */
export const E2E_SITE_PORT = Number(process.env.E2E_SITE_PORT ?? 3100);
export const E2E_KMS_PORT = Number(process.env.E2E_KMS_PORT ?? 8899);
