import type { KurentoClientFactory, KurentoModules, KurentoUtils } from '@site/core/modules';

export type { KurentoClientFactory, KurentoModules, KurentoUtils };

let loading: Promise<KurentoModules> | undefined;

/**
 * Loads kurento-client and kurento-utils on demand, in their own chunk, so that pages without a lab never download
 * them. Call it in the browser only (labs render client-side).
 */
export function loadKurento(): Promise<KurentoModules> {
  loading ??= Promise.all([
    import(/* webpackChunkName: "kurento-client" */ 'kurento-client'),
    import(/* webpackChunkName: "kurento-utils" */ 'kurento-utils'),
  ]).then(([client, utils]) => ({
    kurentoClient: ((client as { default?: KurentoClientFactory }).default ?? client) as KurentoClientFactory,
    kurentoUtils: ((utils as { default?: KurentoUtils }).default ?? utils) as KurentoUtils,
  }));
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
