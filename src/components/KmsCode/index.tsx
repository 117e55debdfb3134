import type { ReactNode } from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
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

function Personalized({ children, ...props }: KmsCodeProps): ReactNode {
  const { resolved } = useLabSettings();
  return <CodeBlock {...props}>{children.split(DEFAULT_KMS_URL).join(resolved.kmsUrl)}</CodeBlock>;
}

/**
 * A copyable code block that shows the learner's KMS URL (from the labs' settings) wherever the code says
 * ws://127.0.0.1:8888/kurento. Server rendering shows the default URL.
 */
export default function KmsCode({ children, ...props }: KmsCodeProps): ReactNode {
  const text = typeof children === 'string' ? children.replace(/^\n/, '').replace(/\n$/, '') : String(children);
  return (
    <BrowserOnly fallback={<CodeBlock {...props}>{text}</CodeBlock>}>
      {() => <Personalized {...props}>{text}</Personalized>}
    </BrowserOnly>
  );
}
