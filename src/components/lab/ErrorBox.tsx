import type { ReactNode } from 'react';
import Translate from '@docusaurus/Translate';
import type { Explanation } from '@site/labs/framework/explain';
import type { Locale } from '@site/labs/framework/types';
import styles from './lab.module.css';

/** A failure in plain words: what went wrong, how to fix it, and the technical detail folded away. */
export default function ErrorBox({ explanation, locale, testId = 'lab-error' }: { explanation: Explanation; locale: Locale; testId?: string }): ReactNode {
  return (
    <div className={styles.errorBox} role="alert" data-testid={testId} data-code={explanation.code}>
      <p className={styles.errorTitle}>{explanation.title[locale]}</p>
      <p>{explanation.fix[locale]}</p>
      {explanation.technical && (
        <details>
          <summary>
            <Translate id="lab.error.technical">Technical details</Translate>
          </summary>
          <pre>{explanation.technical}</pre>
        </details>
      )}
    </div>
  );
}
