/**
 * The V8 flags of the process that runs the embedded KMS: a young generation of up to 32 MiB semi-spaces (V8's default
 * is 16). Every forwarded RTP packet leaves a few short-lived objects behind. On `npm run bench -- kms --sessions 30`,
 * 15 s windows: without it the KMS used 97.8, 99.4, 101.4 and 101.7 % of a core; with it, on the KMS alone, 92.3 and
 * 96.2 %, and on the KMS and the bench's peers, 92.3 and 91.1 %.
 *
 * Used by the e2e web server (playwright.config.ts) and the benches. package.json cannot import it: `npm start`,
 * `npm run dev`, `npm run kms` and `npm run bench` (which gives the bench's peers the same flag) spell it out, and a
 * unit test checks that they do.
 */
export const KMS_NODE_FLAGS = ['--max-semi-space-size=32'];
