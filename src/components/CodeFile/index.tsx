import type { ReactNode } from 'react';
import CodeBlock from '@theme/CodeBlock';
import { extractRegion } from './region';

interface CodeFileProps {
  /** The file's text: `import source from '@site/server/apps/group-call.ts?raw'`. */
  source: string;
  /** The region to show: the lines between `// #region <name>` and `// #endregion <name>` (see ./region.ts). */
  region: string;
  language?: string;
  title?: string;
  showLineNumbers?: boolean;
}

/**
 * An excerpt of a real file in a chapter: `<CodeFile source={groupCall} region="three-tier" language="ts" />`. The
 * chapter imports the file raw, so the excerpt is always the code that runs; a missing region fails the build.
 */
export default function CodeFile({ source, region, ...props }: CodeFileProps): ReactNode {
  return <CodeBlock {...props}>{extractRegion(source, region)}</CodeBlock>;
}
