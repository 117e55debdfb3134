import type { ReactNode } from 'react';
import { getExercise } from '@site/labs/exercises';
import { getLab } from '@site/labs';
import ExercisePanel from './ExercisePanel';
import LabPanel from './LabPanel';

/** The lab chunk's entry: the registry of labs and exercises, and their panels. */
export default function LabLoader({ id, exercise }: { id?: string; exercise?: string }): ReactNode {
  if (exercise) {
    const found = getExercise(exercise);
    if (!found) throw new Error(`<Exercise id="${exercise}"/>: there is no exercise with this id (see labs/exercises.ts)`);
    return <ExercisePanel exercise={found} />;
  }
  const lab = id ? getLab(id) : undefined;
  if (!lab) throw new Error(`<Lab id="${id ?? ''}"/>: there is no lab with this id (see labs/index.ts)`);
  return <LabPanel lab={lab} />;
}
