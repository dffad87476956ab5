import type { StateCreator } from 'zustand';
import type { AppState } from '../../store/appStore';

/**
 * A command the seat made that the server has not answered yet because the seat is (or was)
 * offline. It is re-sent with the same `commandId` on every reconnect, so the server applies it
 * once; it leaves the outbox when the answer arrives (accepted or refused).
 */
export interface OutboxEntry {
  commandId: string;
  type: string;
  ticketId: string | null;
  /** Local time the command was made. */
  queuedAt: number;
}

export interface OutboxSlice {
  /** Unanswered commands made or caught while offline, oldest first. */
  outbox: OutboxEntry[];
  queueOutbox(entry: OutboxEntry): void;
  removeOutbox(commandId: string): void;
}

export const createOutboxSlice: StateCreator<AppState, [], [], OutboxSlice> = (set) => ({
  outbox: [],
  queueOutbox: (entry) =>
    set((state) =>
      state.outbox.some((e) => e.commandId === entry.commandId)
        ? state
        : { outbox: [...state.outbox, entry] },
    ),
  removeOutbox: (commandId) =>
    set((state) =>
      state.outbox.some((e) => e.commandId === commandId)
        ? { outbox: state.outbox.filter((e) => e.commandId !== commandId) }
        : state,
    ),
});
