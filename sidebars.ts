import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SidebarsConfig } from '@docusaurus/plugin-content-docs';

/** The guide in reading order. A chapter is listed once its page exists (a test checks that every page is listed). */
const GUIDE: ReadonlyArray<{ label: string; items: readonly string[] }> = [
  // The first app runs on the embedded KMS of `npm start`: nothing to install before it.
  { label: 'Getting started', items: ['intro', 'first-app-javascript', 'before-you-start'] },
  {
    label: 'Writing applications',
    items: ['three-tier', 'three-tier-setup', 'three-tier-hello-world', 'three-tier-one2one', 'three-tier-one2many', 'three-tier-group-call', 'endpoint-events', 'bandwidth', 'mobile-clients'],
  },
  { label: 'What KMS is for', items: ['broadcasting', 'group-call', 'routing', 'recording', 'playback', 'transcoding', 'mixing', 'filters', 'rtp-http'] },
  // Read when deploying: a KMS of your own, its configuration, TURN, capacity and Docker, a workshop's server.
  { label: 'The path to a real KMS', items: ['installing-kms', 'configuring-kms', 'coturn', 'scaling', 'workshop'] },
  { label: 'Reference', items: ['troubleshooting', 'glossary'] },
];

const exists = (id: string): boolean => existsSync(path.join(__dirname, 'docs', `${id}.mdx`));

const sidebars: SidebarsConfig = {
  guide: GUIDE.map(({ label, items }) => ({ type: 'category' as const, label, collapsed: false, items: items.filter(exists) })).filter(
    (category) => category.items.length > 0,
  ),
};

export default sidebars;
