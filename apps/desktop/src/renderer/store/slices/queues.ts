import type { StateCreator } from 'zustand';
import type { AppState } from '../appStore';

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

export interface QueuesSlice {
  queue: { filters: QueueFilters; sort: QueueSort; selectedId: string | null };
  setFilter(patch: Partial<QueueFilters>): void;
  resetFilters(): void;
  setSort(sort: QueueSort): void;
  selectTicket(id: string | null): void;
}

export const createQueuesSlice: StateCreator<AppState, [], [], QueuesSlice> = (set) => ({
  queue: { filters: DEFAULT_FILTERS, sort: QueueSort.timeLeft, selectedId: null },
  setFilter: (patch) =>
    set((state) => ({ queue: { ...state.queue, filters: { ...state.queue.filters, ...patch } } })),
  resetFilters: () => set((state) => ({ queue: { ...state.queue, filters: DEFAULT_FILTERS } })),
  setSort: (sort) => set((state) => ({ queue: { ...state.queue, sort } })),
  selectTicket: (selectedId) => set((state) => ({ queue: { ...state.queue, selectedId } })),
});
