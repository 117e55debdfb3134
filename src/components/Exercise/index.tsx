import { lazy, Suspense, type ReactNode } from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import Translate from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { usePluginData } from '@docusaurus/useGlobalData';
import type { Catalog } from '@site/src/plugins/lab-chapters';
import { WhenVisible } from '../Lab';
import styles from '../Lab/styles.module.css';

// The same lab chunk as <Lab>, loaded when the exercise comes into view.
const LabLoader = lazy(() => import(/* webpackChunkName: "lab" */ '@site/src/components/LabKit/LabLoader'));

/** `<Exercise id="loopback-audio" />` in MDX: a task on a lab's program, checked from what the run shows. */
export default function Exercise({ id }: { id: string }): ReactNode {
  const { i18n } = useDocusaurusContext();
  const locale = i18n.currentLocale === 'zh-Hans' ? 'zh-Hans' : 'en';
  const { exercises } = usePluginData('kurento-labs-catalog') as Catalog;
  const entry = exercises.find((exercise) => exercise.id === id);
  if (!entry) throw new Error(`<Exercise id="${id}"/>: there is no exercise with this id (see labs/exercises.ts)`);
  const placeholder = (load?: () => void): ReactNode => (
    <div className={styles.placeholder} role="status" data-testid={`exercise-placeholder-${id}`}>
      <p className={styles.title}>
        <Translate id="exercise.loading" values={{ title: entry.title[locale] }}>
          {'Loading the exercise “{title}”…'}
        </Translate>
      </p>
      {load && (
        <button type="button" className="button button--secondary button--sm" onClick={load}>
          <Translate id="exercise.placeholder.load">Load the exercise</Translate>
        </button>
      )}
    </div>
  );
  return (
    <div data-testid={`exercise-slot-${id}`}>
    <BrowserOnly fallback={placeholder()}>
      {() => (
        <WhenVisible placeholder={(load) => placeholder(load)}>
          {() => (
            <Suspense fallback={placeholder()}>
              <LabLoader exercise={id} />
            </Suspense>
          )}
        </WhenVisible>
      )}
    </BrowserOnly>
    </div>
  );
}
