/*
 * The globals of the browser examples: the prebuilt bundles the site serves at /vendor/kurento-client-7.3.0.min.js and
 * /vendor/kurento-utils-7.3.0.min.js (src/plugins/kurento-vendor.ts) define `kurentoClient` and `kurentoUtils`, as the
 * Bower-era bundles did. Typed here with the project's own typings of the two packages (src/kurento/types), so that
 * `npm run typecheck` checks the examples' scripts as it checks the rest of the project.
 */
import type KurentoClientModule from 'kurento-client';
import type KurentoUtilsModule from 'kurento-utils';

declare global {
  const kurentoClient: typeof KurentoClientModule;
  const kurentoUtils: typeof KurentoUtilsModule;
}
