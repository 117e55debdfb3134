/** The two npm packages every lab and example is written against: kurento-client 7.3 and kurento-utils 7.3. */
import type kurentoClientModule from 'kurento-client';
import type * as kurentoUtilsModule from 'kurento-utils';

export type KurentoClientFactory = typeof kurentoClientModule;
export type KurentoUtils = typeof kurentoUtilsModule;

export interface KurentoModules {
  kurentoClient: KurentoClientFactory;
  kurentoUtils: KurentoUtils;
}
