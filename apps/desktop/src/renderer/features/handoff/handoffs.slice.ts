import type { StateCreator } from 'zustand';
import type { HandoffNotification } from '../../realtime/contract';
import type { AppState } from '../../store/appStore';

/** How many handoff notices a seat keeps on screen (the oldest go first). */
export const HANDOFF_LIMIT = 5;

/**
 * Handoff notices: a ticket landed in one of the user's groups or was assigned to them. Kept
 * until dismissed or opened; one per (event seq, kind), so a notice repeated by the server
 * (several rooms, a reconnect) shows once.
 */
export interface HandoffsSlice {
  handoffs: HandoffNotification[];
  addHandoff(notice: HandoffNotification): boolean;
  dismissHandoff(seq: number): void;
}

export const createHandoffsSlice: StateCreator<AppState, [], [], HandoffsSlice> = (set, get) => ({
  handoffs: [],
  addHandoff: (notice) => {
    if (get().handoffs.some((h) => h.seq === notice.seq)) return false;
    set((state) => ({ handoffs: [...state.handoffs, notice].slice(-HANDOFF_LIMIT) }));
    return true;
  },
  dismissHandoff: (seq) =>
    set((state) => ({ handoffs: state.handoffs.filter((h) => h.seq !== seq) })),
});
