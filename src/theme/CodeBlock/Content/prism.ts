/**
 * The syntax highlighter: prism-react-renderer's Highlight with the languages docusaurus.config.ts adds
 * (themeConfig.prism.additionalLanguages). The server bundle imports it directly (./highlighter.server.ts); in the
 * browser it is a chunk of its own, loaded only when a code block is rendered there (./highlighter.ts).
 */
import { Highlight, Prism } from 'prism-react-renderer';
import prismIncludeLanguages from '@theme/prism-include-languages';

prismIncludeLanguages(Prism);

export { Highlight };
