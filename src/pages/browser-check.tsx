import type { ReactNode } from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import Translate, { translate } from '@docusaurus/Translate';
import Layout from '@theme/Layout';
import Heading from '@theme/Heading';

export default function BrowserCheckPage(): ReactNode {
  return (
    <Layout
      title={translate({ id: 'browserCheck.page.title', message: 'Browser check' })}
      description={translate({ id: 'browserCheck.page.description', message: 'Check that this browser can run the Kurento Labs.' })}
    >
      <main className="container margin-vert--lg">
        <Heading as="h1">
          <Translate id="browserCheck.page.heading">Can this browser run the labs?</Translate>
        </Heading>
        <p>
          <Translate id="browserCheck.page.intro">
            The labs need a secure context, WebRTC, a camera and a microphone, and the kurento-client and kurento-utils
            libraries. This check tries each in turn and stops at the first problem, with what to do about it. It does
            not contact any media server.
          </Translate>
        </p>
        <BrowserOnly fallback={<p><Translate id="browserCheck.page.loading">Loading the check…</Translate></p>}>
          {() => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const BrowserCheck = (require('@site/src/components/BrowserCheck') as { default: () => ReactNode }).default;
            return <BrowserCheck />;
          }}
        </BrowserOnly>
      </main>
    </Layout>
  );
}
