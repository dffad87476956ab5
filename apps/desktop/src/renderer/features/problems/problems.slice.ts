import type { StateCreator } from 'zustand';
import type { ChangeRequest, DomainEvent, Problem } from '../../realtime/contract';
import type { AppState } from '../../store/appStore';

/**
 * Problem records and change requests (decision 58) as the seat last heard them: every
 * `problem.*` / `change.*` event carries the whole record, so the problems screen updates live
 * without reading again; REST answers are put in with `upsertProblem` / `upsertChange`. A
 * record never goes back to an older version.
 */
export interface ProblemsSlice {
  problems: Record<string, Problem>;
  changes: Record<string, ChangeRequest>;
  upsertProblem(problem: Problem): void;
  upsertChange(change: ChangeRequest): void;
}

type Records = Pick<ProblemsSlice, 'problems' | 'changes'>;

function newer<T extends { id: string; version: number }>(
  map: Record<string, T>,
  record: T,
): Record<string, T> {
  const current = map[record.id];
  if (current && current.version >= record.version) return map;
  return { ...map, [record.id]: record };
}

/** Folds one `problem.*` / `change.*` event into the records. */
export function applyProblemEvent(records: Records, event: DomainEvent): Records {
  const data = event.data as { problem?: Problem; change?: ChangeRequest };
  if (data.problem) return { ...records, problems: newer(records.problems, data.problem) };
  if (data.change) return { ...records, changes: newer(records.changes, data.change) };
  return records;
}

export const createProblemsSlice: StateCreator<AppState, [], [], ProblemsSlice> = (set) => ({
  problems: {},
  changes: {},
  upsertProblem: (problem) =>
    set((state) => {
      const problems = newer(state.problems, problem);
      return problems === state.problems ? {} : { problems };
    }),
  upsertChange: (change) =>
    set((state) => {
      const changes = newer(state.changes, change);
      return changes === state.changes ? {} : { changes };
    }),
});
