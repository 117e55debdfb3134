import { use, type ReactNode } from 'react';
import { getExercise } from '@site/labs/exercises';
import { loadLab } from '@site/labs/loaders';
import ExercisePanel from './ExercisePanel';
import LabPanel from './LabPanel';

/**
 * The lab chunk's entry: the registry of exercises and the panels. A lab's definition is a chunk of its own
 * (labs/loaders.ts); until it arrives the component suspends, and the page keeps showing the lab's placeholder.
 */
export default function LabLoader({ id, exercise }: { id?: string; exercise?: string }): ReactNode {
  if (exercise) {
    const found = getExercise(exercise);
    if (!found) throw new Error(`<Exercise id="${exercise}"/>: there is no exercise with this id (see labs/exercises.ts)`);
    const lab = use(loadLab(found.lab));
    if (!lab) throw new Error(`exercise ${found.id}: no lab ${found.lab}`);
    return <ExercisePanel exercise={found} lab={lab} />;
  }
  const lab = use(loadLab(id ?? ''));
  if (!lab) throw new Error(`<Lab id="${id ?? ''}"/>: there is no lab with this id (see labs/index.ts)`);
  return <LabPanel lab={lab} />;
}
