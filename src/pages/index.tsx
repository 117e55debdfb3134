import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import Translate, { translate } from '@docusaurus/Translate';
import Layout from '@theme/Layout';
import Heading from '@theme/Heading';
import styles from './index.module.css';

interface PathStep {
  readonly to: string;
  readonly label: ReactNode;
  readonly detail: ReactNode;
}

const newcomerPath: readonly PathStep[] = [
  {
    to: '/docs/intro',
    label: <Translate id="home.newcomer.step1">Read what Kurento is</Translate>,
    detail: (
      <Translate id="home.newcomer.step1.detail">
        Media pipelines, endpoints, filters and hubs, and where KMS sits between your browser and your application.
      </Translate>
    ),
  },
  {
    to: '/browser-check',
    label: <Translate id="home.newcomer.step2">Check your browser</Translate>,
    detail: (
      <Translate id="home.newcomer.step2.detail">
        Camera, microphone and WebRTC: one click tells you whether the labs can run here.
      </Translate>
    ),
  },
  {
    to: '/docs/before-you-start',
    label: <Translate id="home.newcomer.step3">Follow the learning path</Translate>,
    detail: (
      <Translate id="home.newcomer.step3.detail">
        Install and configure KMS, write your first app, then watch every event it emits in the live labs.
      </Translate>
    ),
  },
];

const trainerPath: readonly PathStep[] = [
  {
    to: '/docs/before-you-start',
    label: <Translate id="home.trainer.step1">Plan the workshop</Translate>,
    detail: (
      <Translate id="home.trainer.step1.detail">
        The chapters in reading order, and what each lab shows your attendees.
      </Translate>
    ),
  },
  {
    to: '/browser-check',
    label: <Translate id="home.trainer.step2">Check the classroom browsers</Translate>,
    detail: (
      <Translate id="home.trainer.step2.detail">
        Attendees open one page to confirm camera access and WebRTC support before the session starts.
      </Translate>
    ),
  },
];

function PathCard({ title, steps, id }: { title: ReactNode; steps: readonly PathStep[]; id: string }): ReactNode {
  return (
    <section className={styles.card} aria-labelledby={id}>
      <Heading as="h2" id={id}>
        {title}
      </Heading>
      <ol className={styles.steps}>
        {steps.map((step) => (
          <li key={step.to + String(steps.indexOf(step))}>
            <Link to={step.to}>{step.label}</Link>
            <p>{step.detail}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

export default function Home(): ReactNode {
  return (
    <Layout
      title={translate({ id: 'home.title', message: 'Learn Kurento with live labs' })}
      description={translate({
        id: 'home.description',
        message: 'An interactive guide to Kurento Media Server: chapters in English and Chinese, and live labs that run real media pipelines.',
      })}
    >
      <header className={styles.hero}>
        <div className="container">
          <Heading as="h1" className={styles.heroTitle}>
            <Translate id="home.hero.title">Kurento Labs</Translate>
          </Heading>
          <p className={styles.heroLead}>
            <Translate id="home.hero.lead">
              Learn Kurento Media Server by running it. Every lab builds a real media pipeline, sends your camera
              through it, and shows each event KMS emits, each JSON-RPC frame on the wire, the pipeline graph and the
              media statistics as they happen.
            </Translate>
          </p>
          <p className={styles.heroNote}>
            <Translate id="home.hero.note">
              No KMS to install to get started: npm start runs an embedded KMS-compatible server. Point the labs at
              your own Kurento Media Server 7.x whenever you like.
            </Translate>
          </p>
          <div className={styles.actions}>
            <Link className="button button--primary button--lg" to="/docs/intro">
              <Translate id="home.cta.start">Start learning</Translate>
            </Link>
            <Link className="button button--secondary button--lg" to="/browser-check">
              <Translate id="home.cta.check">Check your browser</Translate>
            </Link>
          </div>
        </div>
      </header>
      <main className="container margin-vert--lg">
        <div className={styles.paths}>
          <PathCard
            id="newcomer-path"
            title={<Translate id="home.newcomer.title">New to Kurento</Translate>}
            steps={newcomerPath}
          />
          <PathCard
            id="trainer-path"
            title={<Translate id="home.trainer.title">Running a workshop</Translate>}
            steps={trainerPath}
          />
        </div>
      </main>
    </Layout>
  );
}
