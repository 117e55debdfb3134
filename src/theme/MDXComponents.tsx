import MDXComponents from '@theme-original/MDXComponents';
import KmsCode from '@site/src/components/KmsCode';
import Lab from '@site/src/components/Lab';
import Exercise from '@site/src/components/Exercise';

/** Makes `<Lab id="…"/>`, `<Exercise id="…"/>` and `<KmsCode>` available in every MDX chapter without an import. */
export default {
  ...MDXComponents,
  Lab,
  Exercise,
  KmsCode,
};
