import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { createAlertsSlice } from '../features/alerts/alerts.slice';
import type { AlertsSlice } from '../features/alerts/alerts.slice';
import { createConnectionSlice } from '../features/connection/connection.slice';
import type { ConnectionSlice } from '../features/connection/connection.slice';
import { createCustomersSlice } from '../features/customers/customers.slice';
import type { CustomersSlice } from '../features/customers/customers.slice';
import { createDirectorySlice } from '../features/directory/directory.slice';
import { createHandoffsSlice } from '../features/handoff/handoffs.slice';
import type { HandoffsSlice } from '../features/handoff/handoffs.slice';
import type { DirectorySlice } from '../features/directory/directory.slice';
import { createOutboxSlice } from '../features/connection/outbox.slice';
import type { OutboxSlice } from '../features/connection/outbox.slice';
import { createPresenceSlice } from '../features/ticket/presence.slice';
import type { PresenceSlice } from '../features/ticket/presence.slice';
import { createQueuesSlice } from '../features/queue/queue.slice';
import type { QueuesSlice } from '../features/queue/queue.slice';
import { createSessionSlice } from '../features/login/session.slice';
import type { Session, SessionSlice } from '../features/login/session.slice';
import { createKbSlice } from '../features/kb/kb.slice';
import { createProblemsSlice } from '../features/problems/problems.slice';
import type { ProblemsSlice } from '../features/problems/problems.slice';
import type { KbSlice } from '../features/kb/kb.slice';
import { createQualitySlice } from '../features/quality/quality.slice';
import type { QualitySlice } from '../features/quality/quality.slice';
import { createTicketsSlice } from '../features/ticket/tickets.slice';
import type { TicketsSlice } from '../features/ticket/tickets.slice';
import { createWallboardSlice } from '../features/wallboard/wallboard.slice';
import type { WallboardSlice } from '../features/wallboard/wallboard.slice';

/**
 * One store, composed of the features' slices (each lives
 * with its feature as `features/<feature>/<name>.slice.ts`). It holds server facts; nothing
 * ticking.
 */
export type AppState = SessionSlice &
  TicketsSlice &
  QueuesSlice &
  AlertsSlice &
  PresenceSlice &
  DirectorySlice &
  HandoffsSlice &
  OutboxSlice &
  ConnectionSlice &
  WallboardSlice &
  CustomersSlice &
  KbSlice &
  ProblemsSlice &
  QualitySlice;

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
    ...createWallboardSlice(...args),
    ...createCustomersSlice(...args),
    ...createKbSlice(...args),
    ...createProblemsSlice(...args),
    ...createQualitySlice(...args),
  }));
}

/** Local time corrected to the server's clock. */
export function toServerTime(localNow: number, state: Pick<AppState, 'connection'>): number {
  return localNow + state.connection.serverOffsetMs;
}
