import { lazy, Suspense, type ReactNode } from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import Translate from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { getExercise } from '@site/labs/exercises';
import styles from '../Lab/styles.module.css';

// The exercise machinery, like the labs', loads only on pages that embed one.
const ExercisePanel = lazy(() => import('@site/src/components/lab/ExercisePanel'));

/** `<Exercise id="loopback-audio" />` in MDX: a task on a lab's program, checked from what the run shows. */
export default function Exercise({ id }: { id: string }): ReactNode {
  const { i18n } = useDocusaurusContext();
  const exercise = getExercise(id);
  if (!exercise) throw new Error(`<Exercise id="${id}"/>: there is no exercise with this id (see labs/exercises.ts)`);
  const loading = (
    <div className={styles.placeholder} role="status">
      <Translate id="exercise.loading" values={{ title: exercise.title[i18n.currentLocale === 'zh-Hans' ? 'zh-Hans' : 'en'] }}>
        {'Loading the exercise “{title}”…'}
      </Translate>
    </div>
  );
  return (
    <BrowserOnly fallback={loading}>
      {() => (
        <Suspense fallback={loading}>
          <ExercisePanel exercise={exercise} />
        </Suspense>
      )}
    </BrowserOnly>
  );
}
