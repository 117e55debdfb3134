import MDXComponents from '@theme-original/MDXComponents';
import KmsCode from '@site/src/components/KmsCode';
import Lab from '@site/src/components/Lab';

/** Makes `<Lab id="…"/>` and `<KmsCode>` available in every MDX chapter without an import. */
export default {
  ...MDXComponents,
  Lab,
  KmsCode,
};
