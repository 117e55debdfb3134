import { useMemo, useState, type ReactNode } from 'react';
import CodeBlock from '@theme/CodeBlock';
import Translate, { translate } from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { translateComments } from '@site/labs/framework/comments';
import exerciseCommentsZh from '@site/labs/exercises.zh-Hans.json';
import type { AnyLab, Exercise, Locale } from '@site/labs/framework/types';
import { editScope, replaceEdit } from '@site/src/kurento/edits';
import { useProgress } from '@site/src/kurento/progress';
import LabPanel from './LabPanel';
import styles from './lab.module.css';

/**
 * An exercise: the task, hints revealed one at a time, the solution on request, and the lab's panel with the step to
 * change open in the editor. Run checks the answer: the exercise's judge reads what the run showed.
 */
export default function ExercisePanel({ exercise: source, lab }: { exercise: Exercise; lab: AnyLab }): ReactNode {
  const { i18n } = useDocusaurusContext();
  const locale = (i18n.currentLocale === 'zh-Hans' ? 'zh-Hans' : 'en') as Locale;
  // The starting code and the solution carry the comments of the page's language, as the lab's program does.
  const exercise = useMemo(
    () =>
      locale === 'en'
        ? source
        : {
            ...source,
            solution: translateComments(source.solution, exerciseCommentsZh),
            ...(source.start === undefined ? {} : { start: translateComments(source.start, exerciseCommentsZh) }),
          },
    [source, locale],
  );
  const [hints, setHints] = useState(0);
  const [solution, setSolution] = useState(false);
  const progress = useProgress()[`exercise:${exercise.id}`];
  const step = lab.steps.find((candidate) => candidate.id === exercise.step);
  const until = exercise.until === undefined ? undefined : lab.steps.find((candidate) => candidate.id === exercise.until);
  const scope = `${lab.id}@${exercise.id}`;
  return (
    <section className={styles.exercise} data-testid={`exercise-${exercise.id}`} aria-labelledby={`exercise-title-${exercise.id}`}>
      <h3 id={`exercise-title-${exercise.id}`} className={styles.title}>
        <span className={styles.labBadge}>
          <Translate id="exercise.badge">Exercise</Translate>
        </span>{' '}
        {exercise.title[locale]}
        {progress?.status === 'complete' && (
          <span className={styles.doneMark} title={translate({ id: 'exercise.done', message: 'You solved this exercise' })} data-testid="exercise-progress-mark">
            ✓
          </span>
        )}
      </h3>
      <p data-testid="exercise-task">{exercise.task[locale]}</p>
      <p className={styles.muted}>
        <Translate id="exercise.how" values={{ step: <strong>{step?.title[locale] ?? exercise.step}</strong> }}>
          {'Change the step {step} in the editor below, then press Run: the check reads what the run shows (events, the pipeline, the pictures), not your code.'}
        </Translate>
      </p>
      {until && (
        <p className={styles.muted} data-testid="exercise-until">
          <Translate id="exercise.until" values={{ step: <strong>{until.title[locale]}</strong> }}>
            {'The run stops after the step {step}: the steps after it would change what the check looks at.'}
          </Translate>
        </p>
      )}
      <ol className={styles.hints} data-testid="exercise-hints">
        {exercise.hints.slice(0, hints).map((hint, index) => (
          <li key={index}>{hint[locale]}</li>
        ))}
      </ol>
      <div className={styles.stepButtons}>
        <button type="button" className="button button--sm button--secondary" onClick={() => setHints((count) => Math.min(exercise.hints.length, count + 1))} disabled={hints >= exercise.hints.length} data-testid="exercise-hint">
          {translate({ id: 'exercise.hint', message: 'Show a hint ({shown} of {total})' }, { shown: Math.min(hints + 1, exercise.hints.length), total: exercise.hints.length })}
        </button>
        <button type="button" className="button button--sm button--outline button--secondary" onClick={() => setSolution((shown) => !shown)} aria-expanded={solution} data-testid="exercise-solution">
          {solution ? <Translate id="exercise.hideSolution">Hide the solution</Translate> : <Translate id="exercise.showSolution">Show the solution</Translate>}
        </button>
      </div>
      {solution && (
        <div data-testid="exercise-solution-code">
          <CodeBlock language="js">{exercise.solution}</CodeBlock>
          <button
            type="button"
            className="button button--sm button--secondary"
            onClick={() => replaceEdit(editScope(scope, locale), exercise.step, exercise.solution, '')}
            data-testid="exercise-use-solution"
          >
            <Translate id="exercise.useSolution">Put the solution in the editor</Translate>
          </button>
        </div>
      )}
      <LabPanel lab={lab} exercise={exercise} />
    </section>
  );
}
