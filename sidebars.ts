import type { SidebarsConfig } from '@docusaurus/plugin-content-docs';

/**
 * The guide, in reading order. A chapter appears here only once its page exists with real content.
 */
const sidebars: SidebarsConfig = {
  guide: [
    {
      type: 'category',
      label: 'Getting started',
      collapsed: false,
      items: ['intro', 'before-you-start'],
    },
  ],
};

export default sidebars;
