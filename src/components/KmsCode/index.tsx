import type { ReactNode } from 'react';
import useIsBrowser from '@docusaurus/useIsBrowser';
import CodeBlock from '@theme/CodeBlock';
import { useLabSettings } from '@site/src/kurento/settings-store';

/** The KMS URL as written in the chapters' code; replaced by the learner's own URL in the browser. */
export const DEFAULT_KMS_URL = 'ws://127.0.0.1:8888/kurento';

interface KmsCodeProps {
  children: string;
  language?: string;
  title?: string;
  showLineNumbers?: boolean;
}

/**
 * A copyable code block that shows the learner's KMS URL (from the labs' settings) wherever the code says
 * ws://127.0.0.1:8888/kurento. Server rendering and hydration show the default URL; then only the tokens holding the
 * URL change (the block is the same element throughout, so it is not built a second time).
 */
export default function KmsCode({ children, ...props }: KmsCodeProps): ReactNode {
  const text = typeof children === 'string' ? children.replace(/^\n/, '').replace(/\n$/, '') : String(children);
  const { resolved } = useLabSettings();
  const kmsUrl = useIsBrowser() ? resolved.kmsUrl : DEFAULT_KMS_URL;
  return <CodeBlock {...props}>{text.split(DEFAULT_KMS_URL).join(kmsUrl)}</CodeBlock>;
}
