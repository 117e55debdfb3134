import { lazy, Suspense, type ReactNode } from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import Translate, { translate } from '@docusaurus/Translate';
import Heading from '@theme/Heading';
import Layout from '@theme/Layout';

const TrainerDashboard = lazy(() => import(/* webpackChunkName: "trainer" */ '@site/src/components/Workshop/TrainerDashboard'));

export default function TrainerPage(): ReactNode {
  return (
    <Layout
      title={translate({ id: 'trainer.title', message: 'Trainer dashboard' })}
      description={translate({ id: 'trainer.description', message: 'Every attendee’s labs, live, during a workshop.' })}
      noFooter
    >
      <main className="margin-vert--md" style={{ padding: '0 1rem' }}>
        <Heading as="h1">
          <Translate id="trainer.heading">Trainer dashboard</Translate>
        </Heading>
        <p>
          <Translate id="trainer.intro">
            Each row is an attendee, each column a lab: the state of their latest run, the step it is at, the events still
            missing while it runs and the error when it failed. Attendees see a notice that you see their progress.
          </Translate>
        </p>
        <BrowserOnly fallback={<p>…</p>}>
          {() => (
            <Suspense fallback={<p>…</p>}>
              <TrainerDashboard />
            </Suspense>
          )}
        </BrowserOnly>
      </main>
    </Layout>
  );
}
