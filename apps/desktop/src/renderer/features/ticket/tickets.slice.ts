import type { StateCreator } from 'zustand';
import {
  applyEvent,
  isAlertEvent,
  isCustomerEvent,
  isKbEvent,
  isProblemEvent,
  isQaEvent,
} from '../../realtime/contract';
import type { DomainEvent, Snapshot, Ticket } from '../../realtime/contract';
import type { AppState } from '../../store/appStore';
import { applyAlertEvent } from '../alerts/alerts.slice';
import { applyCustomerEvent } from '../customers/customers.slice';
import { applyProblemEvent } from '../problems/problems.slice';

export interface TicketsSlice {
  tickets: Record<string, Ticket>;
  /** Seq of the last event applied (or of the snapshot loaded). */
  lastSeq: number;
  /**
   * Applies events that the sequencer already put in order (each seq is
   * `lastSeq + 1`) with the shared reducer; the store does not re-check, the
   * bridge does.
   */
  applyEvents(events: readonly DomainEvent[]): void;
  /** Replaces every ticket with a snapshot taken at `snapshot.seq`. */
  loadSnapshot(snapshot: Snapshot): void;
  /**
   * Puts a ticket read over REST or returned with a conflict into the store,
   * unless the store already holds it at the same or a later seq. A copy
   * ahead of the stream is safe: the reducer drops events at or below its seq.
   */
  upsertTicket(ticket: Ticket): void;
  /** Server restarted from an empty database: start over from a snapshot. */
  resetSeq(): void;
}

export const createTicketsSlice: StateCreator<AppState, [], [], TicketsSlice> = (set) => ({
  tickets: {},
  lastSeq: 0,
  applyEvents: (events) =>
    set((state) => {
      const last = events.at(-1);
      if (!last) return {};
      let tickets = state.tickets;
      let alerts = state.alerts;
      let customers = { organisations: state.organisations, contacts: state.contacts };
      let kbSeq = state.kbSeq;
      let problemRecords = { problems: state.problems, changes: state.changes };
      let qaSeq = state.qaSeq;
      for (const event of events) {
        if (isProblemEvent(event)) {
          problemRecords = applyProblemEvent(problemRecords, event);
          continue;
        }
        if (isKbEvent(event)) {
          kbSeq = event.seq;
          continue;
        }
        if (isQaEvent(event)) {
          qaSeq = event.seq;
          continue;
        }
        if (isAlertEvent(event)) {
          alerts = applyAlertEvent(alerts, event);
          continue;
        }
        if (isCustomerEvent(event)) {
          customers = applyCustomerEvent(customers, event);
          continue;
        }
        if (!event.ticketId) continue;
        const before = tickets[event.ticketId] ?? null;
        const after = applyEvent(before, event);
        if (after === before || !after) continue;
        if (tickets === state.tickets) tickets = { ...tickets };
        tickets[event.ticketId] = after;
      }
      return {
        tickets,
        alerts,
        ...customers,
        ...problemRecords,
        kbSeq,
        qaSeq,
        lastSeq: last.seq,
      };
    }),
  loadSnapshot: (snapshot) =>
    set({
      tickets: Object.fromEntries(snapshot.tickets.map((t) => [t.id, t])),
      lastSeq: snapshot.seq,
    }),
  upsertTicket: (ticket) =>
    set((state) => {
      const current = state.tickets[ticket.id];
      // A whole copy replaces a cut one (`omitted`: a snapshot's latest entries) at the same seq.
      const completes = current?.omitted !== undefined && ticket.omitted === undefined;
      if (
        current &&
        (current.lastSeq > ticket.lastSeq || (current.lastSeq === ticket.lastSeq && !completes))
      )
        return {};
      return { tickets: { ...state.tickets, [ticket.id]: ticket } };
    }),
  resetSeq: () => set({ lastSeq: 0 }),
});
