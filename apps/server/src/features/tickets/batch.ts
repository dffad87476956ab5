/**
 * Many tickets' system events in one transaction (the SLA scheduler's batches, decision 57):
 * each step folds like one `appendAndApply` call (the reducer, `sla.planned` when the targets
 * moved, the timers' plan when it moved), and the commit writes the lot in a fixed number of
 * statements whatever the batch holds: the timer rows, every ticket row, one append of all
 * events, and each row's lastSeq.
 */
import { applyEvent, type DomainEvent, type PendingEvent, type Ticket } from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import { appendEvents, type NewEvent, type StoredEvent } from '../events';
import {
  planSlaEvents,
  planTimers,
  planTimersIfMoved,
  replanTimersMany,
  type SlaStatesOf,
} from '../sla';
import { saveTickets, setLastSeqs } from './tickets.repo';

type Plan = ReturnType<typeof planTimers>;

interface Entry {
  /** The row as locked: its lastSeq is the base of the provisional seqs. */
  original: Ticket;
  current: Ticket | null;
  events: NewEvent[];
  /** The latest plan of its timers when one moved (or a re-plan was asked for). */
  timers: Plan | null;
}

/** What a batch committed: its events in seq order and each ticket after them. */
export interface CommittedBatch {
  events: StoredEvent[];
  tickets: Map<string, Ticket>;
  /**
   * The committed seq of a ticket's provisional one (a `lastSeq` an `apply` returned), or the
   * ticket's own lastSeq when no event of the batch was applied to it by then.
   */
  seqOf(ticket: Ticket): number;
}

/** System events of many tickets, written in one transaction (see the module comment). */
export interface TicketBatch {
  /**
   * Folds `pending` into `ticket` (the batch's latest state of it: the locked row, or what an
   * earlier `apply` returned) as `appendAndApply` would, without writing; returns the ticket
   * after them and the events with the `sla.planned` they brought.
   */
  apply(ticket: Ticket, pending: PendingEvent[]): { ticket: Ticket | null; events: NewEvent[] };
  /** Rewrites the ticket's timer rows to a fresh plan at commit (its rows are stale). */
  replan(ticket: Ticket): void;
  /** The tickets the batch will write or re-plan. */
  readonly size: number;
  /**
   * Writes everything in `tx`: timer rows (two statements), the ticket rows (one), the append
   * (one, under the log's lock) and the rows' lastSeq (one, under it too).
   */
  commit(tx: Tx): Promise<CommittedBatch>;
}

export function createTicketBatch(ctx: AppContext, now: Date, statesOf?: SlaStatesOf): TicketBatch {
  const entries = new Map<string, Entry>();

  function entryOf(ticket: Ticket): Entry {
    let e = entries.get(ticket.id);
    if (!e) {
      e = { original: ticket, current: ticket, events: [], timers: null };
      entries.set(ticket.id, e);
    }
    return e;
  }

  return {
    apply(ticket, pending) {
      const entry = entryOf(ticket);
      // Provisional seqs continue the ticket's list in this batch, so the reducer's lastSeq
      // names the position of the last event applied to it (see `commit`).
      const base = entry.original.lastSeq + entry.events.length;
      const fold = (from: Ticket | null, list: NewEvent[]): Ticket | null =>
        list.reduce<Ticket | null>(
          (t, e, i) => applyEvent(t, { ...e, seq: base + i + 1 } as unknown as DomainEvent),
          from,
        );
      const decided: NewEvent[] = pending.map((e) => ({
        id: randomUUID(),
        type: e.type,
        ticketId: e.ticketId ?? null,
        actorId: e.actorId ?? null,
        at: e.at,
        data: e.data,
      }));
      const provisional = fold(ticket, decided);
      const sla = provisional ? planSlaEvents(ctx, provisional, now, statesOf) : [];
      const timers = provisional
        ? planTimersIfMoved(ctx, ticket, provisional, now, statesOf)
        : null;
      if (timers) entry.timers = timers;
      const list: NewEvent[] = [...decided, ...sla.map((e) => ({ id: randomUUID(), ...e }))];
      const next = fold(ticket, list);
      entry.events.push(...list);
      entry.current = next;
      return { ticket: next, events: list };
    },
    replan(ticket) {
      entryOf(ticket).timers = planTimers(ctx, ticket, now, statesOf);
    },
    get size() {
      return entries.size;
    },
    async commit(tx) {
      const list = [...entries.values()];
      await replanTimersMany(
        ctx,
        tx,
        list.flatMap((e) => (e.timers && e.current ? [{ ticket: e.current, plan: e.timers }] : [])),
        now,
      );
      const written = list.filter(
        (e): e is Entry & { current: Ticket } => e.events.length > 0 && e.current !== null,
      );
      await saveTickets(
        tx,
        written.map((e) => e.current),
      );
      const stored = await appendEvents(
        tx,
        written.flatMap((e) => e.events),
        null,
      );
      const tickets = new Map<string, Ticket>();
      const seqs: Array<{ id: string; seq: number }> = [];
      const starts = new Map<string, number>();
      let start = 0;
      for (const e of written) {
        starts.set(e.original.id, start);
        const offset =
          e.current.lastSeq > e.original.lastSeq ? e.current.lastSeq - e.original.lastSeq : 0;
        let t = e.current;
        const at = stored[start + offset - 1];
        if (offset > 0 && at) {
          t = { ...t, lastSeq: at.seq };
          seqs.push({ id: t.id, seq: at.seq });
        }
        tickets.set(t.id, t);
        start += e.events.length;
      }
      await setLastSeqs(tx, seqs);
      for (const e of list)
        if (e.current && !tickets.has(e.current.id)) tickets.set(e.current.id, e.current);
      const seqOf = (t: Ticket): number => {
        const e = entries.get(t.id);
        const first = starts.get(t.id);
        if (!e || first === undefined || t.lastSeq <= e.original.lastSeq) return t.lastSeq;
        return stored[first + t.lastSeq - e.original.lastSeq - 1]?.seq ?? t.lastSeq;
      };
      return { events: stored, tickets, seqOf };
    },
  };
}
