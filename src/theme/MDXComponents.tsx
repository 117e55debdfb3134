import MDXComponents from '@theme-original/MDXComponents';
import CodeFile from '@site/src/components/CodeFile';
import Diagram from '@site/src/components/Diagram';
import KmsCode from '@site/src/components/KmsCode';
import Lab from '@site/src/components/Lab';
import Exercise from '@site/src/components/Exercise';

/** Makes `<Lab id="…"/>`, `<Exercise id="…"/>`, `<KmsCode>`, `<CodeFile>` and `<Diagram>` (what ```mermaid blocks become) available in every MDX chapter without an import. */
export default {
  ...MDXComponents,
  Lab,
  Exercise,
  KmsCode,
  CodeFile,
  Diagram,
};
