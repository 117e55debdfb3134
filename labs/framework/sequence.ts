/**
 * Expected-versus-observed events. Expectations form a partial order (`after`): an event counts for an expectation
 * only once all its prerequisites were seen. Repeats and interleaving are allowed, as KMS emits them (IceCandidateFound
 * keeps arriving while the state moves on); an event that matches an expectation whose prerequisites are still
 * missing is remembered as out of order, and a later matching event can still satisfy it.
 */
import type { ExpectedEvent, LabEvent } from './types';

export type ExpectationStatus = 'waiting' | 'seen' | 'overdue';

export interface ExpectationState {
  expectation: ExpectedEvent;
  status: ExpectationStatus;
  /** When it was seen (ms since run start). */
  seenAt?: number;
  /** When all its prerequisites were first satisfied (ms since run start); the `within` clock starts there. */
  readyAt?: number;
  /** Matching events that came before their prerequisites. */
  outOfOrder: number;
}

export function matches(expectation: ExpectedEvent, event: LabEvent): boolean {
  if (expectation.lane !== event.lane || expectation.type !== event.type) return false;
  if (expectation.source !== undefined && expectation.source !== event.source) return false;
  if (expectation.where) {
    for (const [key, value] of Object.entries(expectation.where)) {
      if (event.data[key] !== value) return false;
    }
  }
  return true;
}

export class SequenceMatcher {
  private readonly states: ExpectationState[];
  private readonly byId = new Map<string, ExpectationState>();

  constructor(expected: readonly ExpectedEvent[]) {
    const ids = new Set<string>();
    for (const expectation of expected) {
      if (ids.has(expectation.id)) throw new Error(`duplicate expectation id '${expectation.id}'`);
      ids.add(expectation.id);
    }
    for (const expectation of expected) {
      for (const prerequisite of expectation.after ?? []) {
        if (!ids.has(prerequisite)) throw new Error(`expectation '${expectation.id}' comes after unknown '${prerequisite}'`);
      }
    }
    this.states = expected.map((expectation) => ({ expectation, status: 'waiting', outOfOrder: 0 }));
    for (const state of this.states) this.byId.set(state.expectation.id, state);
    this.refreshReadiness(0);
  }

  get all(): readonly ExpectationState[] {
    return this.states;
  }

  get(id: string): ExpectationState | undefined {
    return this.byId.get(id);
  }

  private prerequisitesMet(expectation: ExpectedEvent): boolean {
    return (expectation.after ?? []).every((id) => this.byId.get(id)?.status === 'seen');
  }

  private refreshReadiness(now: number): void {
    for (const state of this.states) {
      if (state.readyAt === undefined && this.prerequisitesMet(state.expectation)) state.readyAt = now;
    }
  }

  /**
   * Feeds one observed event, in arrival order; returns the expectations it satisfied. An event counts for an
   * expectation only if the expectation's prerequisites were all seen before it arrived.
   */
  observe(event: LabEvent): ExpectationState[] {
    const satisfied: ExpectationState[] = [];
    for (const state of this.states) {
      if (state.status === 'seen' || !matches(state.expectation, event)) continue;
      if (!this.prerequisitesMet(state.expectation)) {
        state.outOfOrder += 1;
        continue;
      }
      satisfied.push(state);
    }
    // Mark after the scan, so that one event cannot satisfy both an expectation and one that comes after it.
    for (const state of satisfied) {
      state.status = 'seen';
      state.seenAt = event.t;
    }
    if (satisfied.length > 0) this.refreshReadiness(event.t);
    return satisfied;
  }

  /** Marks expectations whose `within` has passed as overdue (their hint is then shown; a late event still counts). */
  tick(now: number): ExpectationState[] {
    const newlyOverdue: ExpectationState[] = [];
    for (const state of this.states) {
      const { within } = state.expectation;
      if (state.status !== 'waiting' || within === undefined || state.readyAt === undefined) continue;
      if (now - state.readyAt > within) {
        state.status = 'overdue';
        newlyOverdue.push(state);
      }
    }
    return newlyOverdue;
  }

  /** Every required expectation seen. */
  get complete(): boolean {
    return this.states.every((state) => state.expectation.optional === true || state.status === 'seen');
  }

}
