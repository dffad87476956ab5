import type { StateCreator } from 'zustand';
import type { AppState } from '../../store/appStore';

/** `me` and `none` are the two special assignee filters. */
export const AssigneeFilter = { any: 'any', me: 'me', none: 'none' } as const;

export const QueueSort = {
  timeLeft: 'timeLeft',
  priority: 'priority',
  newest: 'newest',
} as const;
export type QueueSort = (typeof QueueSort)[keyof typeof QueueSort];

/** Empty string means "any". `status` = `open` shows every open status. */
export interface QueueFilters {
  text: string;
  groupId: string;
  priority: string;
  status: string;
  assignee: string;
}

export const DEFAULT_FILTERS: QueueFilters = {
  text: '',
  groupId: '',
  priority: '',
  status: 'open',
  assignee: AssigneeFilter.any,
};

/**
 * The filters a user's queue opens on: an engineer's on their groups and their own tickets
 * (the group filter's "my groups and mine"), everyone else's on the whole desk.
 */
export function defaultFiltersFor(
  user: { roles: readonly string[] } | null | undefined,
): QueueFilters {
  const roles = user?.roles ?? [];
  const engineerOnly =
    roles.includes('engineer') &&
    !roles.some((r) => r === 'agent' || r === 'duty_manager' || r === 'admin');
  return engineerOnly ? { ...DEFAULT_FILTERS, groupId: '@mine' } : DEFAULT_FILTERS;
}

export interface QueuesSlice {
  queue: {
    filters: QueueFilters;
    sort: QueueSort;
    selectedId: string | null;
    /** The user the filters were set up for (their defaults apply once per user). */
    filtersFor?: string | null;
  };
  /** Applies the user's default filters unless they were set up for this user already. */
  initFilters(user: { id: string; roles: readonly string[] } | null): void;
  setFilter(patch: Partial<QueueFilters>): void;
  resetFilters(): void;
  setSort(sort: QueueSort): void;
  selectTicket(id: string | null): void;
}

export const createQueuesSlice: StateCreator<AppState, [], [], QueuesSlice> = (set) => ({
  queue: { filters: DEFAULT_FILTERS, sort: QueueSort.timeLeft, selectedId: null },
  setFilter: (patch) =>
    set((state) => ({ queue: { ...state.queue, filters: { ...state.queue.filters, ...patch } } })),
  resetFilters: () =>
    set((state) => ({
      queue: { ...state.queue, filters: defaultFiltersFor(state.session?.user) },
    })),
  initFilters: (user) =>
    set((state) =>
      !user || state.queue.filtersFor === user.id
        ? {}
        : { queue: { ...state.queue, filters: defaultFiltersFor(user), filtersFor: user.id } },
    ),
  setSort: (sort) => set((state) => ({ queue: { ...state.queue, sort } })),
  selectTicket: (selectedId) => set((state) => ({ queue: { ...state.queue, selectedId } })),
});
