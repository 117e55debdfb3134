import { lazy, Suspense, type ReactNode } from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import Translate from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { getLab } from '@site/labs';
import styles from './styles.module.css';

// The lab machinery (and, on Run, kurento-client and kurento-utils) loads only on pages that embed a lab.
const LabPanel = lazy(() => import('@site/src/components/lab/LabPanel'));

function Placeholder({ children }: { children: ReactNode }): ReactNode {
  return (
    <div className={styles.placeholder} role="status">
      {children}
    </div>
  );
}

/** `<Lab id="hello-world" />` in MDX: a live lab, rendered in the browser only. */
export default function Lab({ id }: { id: string }): ReactNode {
  const { i18n } = useDocusaurusContext();
  const lab = getLab(id);
  if (!lab) {
    // LEGACY-CONVERSION: temporary while the labs move to programs; must throw again before commit.
    return <Placeholder>{`lab ${id} not converted yet`}</Placeholder>;
  }
  const loading = (
    <Placeholder>
      <Translate id="lab.loading" values={{ title: lab.title[i18n.currentLocale === 'zh-Hans' ? 'zh-Hans' : 'en'] }}>
        {'Loading the lab “{title}”…'}
      </Translate>
    </Placeholder>
  );
  return (
    <BrowserOnly fallback={loading}>
      {() => (
        <Suspense fallback={loading}>
          <LabPanel lab={lab} />
        </Suspense>
      )}
    </BrowserOnly>
  );
}
