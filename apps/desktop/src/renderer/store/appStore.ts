import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { createAlertsSlice } from './slices/alerts';
import type { AlertsSlice } from './slices/alerts';
import { createConnectionSlice } from './slices/connection';
import type { ConnectionSlice } from './slices/connection';
import { createDirectorySlice } from './slices/directory';
import { createHandoffsSlice } from './slices/handoffs';
import type { HandoffsSlice } from './slices/handoffs';
import type { DirectorySlice } from './slices/directory';
import { createOutboxSlice } from './slices/outbox';
import type { OutboxSlice } from './slices/outbox';
import { createPresenceSlice } from './slices/presence';
import type { PresenceSlice } from './slices/presence';
import { createQueuesSlice } from './slices/queues';
import type { QueuesSlice } from './slices/queues';
import { createSessionSlice } from './slices/session';
import type { Session, SessionSlice } from './slices/session';
import { createTicketsSlice } from './slices/tickets';
import type { TicketsSlice } from './slices/tickets';

/** One store, one slice per concern. It holds server facts; nothing ticking. */
export type AppState = SessionSlice &
  TicketsSlice &
  QueuesSlice &
  AlertsSlice &
  PresenceSlice &
  DirectorySlice &
  HandoffsSlice &
  OutboxSlice &
  ConnectionSlice;

export type AppStore = StoreApi<AppState>;

export function createAppStore(initial: { session?: Session | null } = {}): AppStore {
  return createStore<AppState>()((...args) => ({
    ...createSessionSlice(initial.session ?? null)(...args),
    ...createTicketsSlice(...args),
    ...createQueuesSlice(...args),
    ...createAlertsSlice(...args),
    ...createPresenceSlice(...args),
    ...createDirectorySlice(...args),
    ...createHandoffsSlice(...args),
    ...createOutboxSlice(...args),
    ...createConnectionSlice(...args),
  }));
}

/** Local time corrected to the server's clock. */
export function toServerTime(localNow: number, state: Pick<AppState, 'connection'>): number {
  return localNow + state.connection.serverOffsetMs;
}
