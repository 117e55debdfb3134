import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SidebarsConfig } from '@docusaurus/plugin-content-docs';

/** The guide in reading order. A chapter is listed once its page exists (a test checks that every page is listed). */
const GUIDE: ReadonlyArray<{ label: string; items: readonly string[] }> = [
  { label: 'Getting started', items: ['intro', 'before-you-start'] },
  { label: 'Installing and configuring', items: ['installing-kms', 'configuring-kms', 'coturn', 'workshop'] },
  { label: 'Writing applications', items: ['first-app-javascript', 'three-tier', 'endpoint-events'] },
  { label: 'What KMS is for', items: ['broadcasting', 'group-call', 'routing', 'recording', 'playback', 'transcoding', 'mixing', 'filters', 'rtp-http'] },
  { label: 'Reference', items: ['troubleshooting', 'glossary'] },
];

const exists = (id: string): boolean => existsSync(path.join(__dirname, 'docs', `${id}.mdx`));

const sidebars: SidebarsConfig = {
  guide: GUIDE.map(({ label, items }) => ({ type: 'category' as const, label, collapsed: false, items: items.filter(exists) })).filter(
    (category) => category.items.length > 0,
  ),
};

export default sidebars;
