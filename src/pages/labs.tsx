import type { ReactNode } from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import Link from '@docusaurus/Link';
import Translate, { translate } from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import Heading from '@theme/Heading';
import Layout from '@theme/Layout';
import { usePluginData } from '@docusaurus/useGlobalData';
import type { Catalog } from '@site/src/plugins/lab-chapters';
import type { Locale } from '@site/labs/framework/types';
import TurnStatus from '@site/src/components/TurnStatus';
import { clearProgress, useProgress } from '@site/src/kurento/progress';
import styles from './labs.module.css';

function ProgressCell({ id }: { id: string }): ReactNode {
  const progress = useProgress()[id];
  if (!progress) return <span className={styles.todo}>{translate({ id: 'labs.status.todo', message: 'not run yet' })}</span>;
  const when = new Date(progress.at).toLocaleString();
  return progress.status === 'complete' ? (
    <span className={styles.done} data-testid={`labs-status-${id}`} data-status="complete">
      ✓ {translate({ id: 'labs.status.done', message: 'completed' })} <small>({when})</small>
    </span>
  ) : (
    <span className={styles.failed} data-testid={`labs-status-${id}`} data-status="failed">
      ✗ {translate({ id: 'labs.status.failed', message: 'last run failed' })} <small>({when})</small>
    </span>
  );
}

export default function LabsPage(): ReactNode {
  const { i18n } = useDocusaurusContext();
  const locale: Locale = i18n.currentLocale === 'zh-Hans' ? 'zh-Hans' : 'en';
  const { embeds, labs } = usePluginData('kurento-labs-catalog') as Catalog;
  return (
    <Layout
      title={translate({ id: 'labs.title', message: 'Labs' })}
      description={translate({ id: 'labs.description', message: 'Every live lab of Kurento Labs, with your progress.' })}
    >
      <main className="container margin-vert--lg">
        <Heading as="h1">
          <Translate id="labs.heading">Labs</Translate>
        </Heading>
        <p>
          <Translate id="labs.intro">
            Each lab runs a real media pipeline on the KMS of your settings and checks, step by step, that it worked. Your
            progress is kept in this browser only.
          </Translate>
        </p>
        {/* Rendered on the server too (as "looking for the TURN server…"), so the table below does not move when it loads. */}
        <TurnStatus />
        <table className={styles.table} data-testid="labs-index">
          <thead>
            <tr>
              <th>
                <Translate id="labs.column.lab">Lab</Translate>
              </th>
              <th>
                <Translate id="labs.column.elements">KMS elements</Translate>
              </th>
              <th>
                <Translate id="labs.column.status">Your progress</Translate>
              </th>
            </tr>
          </thead>
          <tbody>
            {labs.map((lab) => {
              const chapter = embeds.labs[lab.id];
              return (
                <tr key={lab.id} data-testid={`labs-row-${lab.id}`}>
                  <td>
                    {chapter ? <Link to={`${chapter}#lab-${lab.id}`}>{lab.title[locale]}</Link> : lab.title[locale]}
                    <div className={styles.summary}>{lab.summary[locale]}</div>
                  </td>
                  <td>
                    {lab.elements.map((element) => (
                      <code key={element} className={styles.element}>
                        {element}
                      </code>
                    ))}
                  </td>
                  <td>
                    <BrowserOnly fallback={<span>…</span>}>{() => <ProgressCell id={lab.id} />}</BrowserOnly>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="button" className="button button--secondary button--sm" onClick={() => clearProgress()}>
          <Translate id="labs.clearProgress">Forget my progress</Translate>
        </button>
      </main>
    </Layout>
  );
}
