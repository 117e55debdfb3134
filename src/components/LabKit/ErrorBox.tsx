import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import Translate from '@docusaurus/Translate';
import type { Explanation } from '@site/labs/framework/explain';
import type { Locale } from '@site/labs/framework/types';
import styles from './lab.module.css';

/**
 * A failure in plain words: what went wrong (and, for the learner's code, the line), how to fix it, a page that
 * explains more, and the technical detail folded away.
 */
export default function ErrorBox({ explanation, locale, testId = 'lab-error' }: { explanation: Explanation; locale: Locale; testId?: string }): ReactNode {
  return (
    <div className={styles.errorBox} role="alert" data-testid={testId} data-code={explanation.code} data-line={explanation.line} data-section={explanation.section}>
      <p className={styles.errorTitle}>{explanation.title[locale]}</p>
      <p>{explanation.fix[locale]}</p>
      {explanation.link && (
        <p>
          <Link to={explanation.link} data-testid="lab-error-link">
            <Translate id="lab.error.link">What this error means (troubleshooting)</Translate>
          </Link>
        </p>
      )}
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
