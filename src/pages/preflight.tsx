import { lazy, Suspense, type ReactNode } from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import Translate, { translate } from '@docusaurus/Translate';
import Heading from '@theme/Heading';
import Layout from '@theme/Layout';

const Preflight = lazy(() => import('@site/src/components/LabKit/Preflight'));

export default function PreflightPage(): ReactNode {
  return (
    <Layout
      title={translate({ id: 'preflight.title', message: 'Trainer preflight' })}
      description={translate({ id: 'preflight.description', message: 'Run every lab against the workshop KMS before the session.' })}
    >
      <main className="container margin-vert--lg">
        <Heading as="h1">
          <Translate id="preflight.heading">Trainer preflight</Translate>
        </Heading>
        <p>
          <Translate id="preflight.intro">
            Before a workshop, point the labs at the workshop's KMS and run them all here. Each lab runs to completion or
            stops at its first failing step, with the reason and the fix. The same check runs from a terminal with npm
            run labs:check.
          </Translate>
        </p>
        <BrowserOnly fallback={<p>…</p>}>
          {() => (
            <Suspense fallback={<p>…</p>}>
              <Preflight />
            </Suspense>
          )}
        </BrowserOnly>
      </main>
    </Layout>
  );
}
