import type { StateCreator } from 'zustand';
import type { Presence } from '../../realtime/contract';
import type { AppState } from '../../store/appStore';

export interface PresenceSlice {
  /** Who views (and types in) each ticket. Ephemeral: never persisted. */
  presence: Record<string, Presence['viewers']>;
  setPresence(presence: Presence): void;
}

export const createPresenceSlice: StateCreator<AppState, [], [], PresenceSlice> = (set) => ({
  presence: {},
  setPresence: ({ ticketId, viewers }) =>
    set((state) => {
      const next = { ...state.presence };
      if (viewers.length === 0) delete next[ticketId];
      else next[ticketId] = viewers;
      const names = Object.fromEntries(viewers.map((v) => [v.userId, v.displayName]));
      const fresh = viewers.some((v) => state.knownNames[v.userId] !== v.displayName);
      return fresh
        ? { presence: next, knownNames: { ...state.knownNames, ...names } }
        : { presence: next };
    }),
});
