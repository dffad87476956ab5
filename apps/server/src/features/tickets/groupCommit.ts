/**
 * The ticket commands' group commit (issue 24, decision 56): a command on an existing ticket is
 * decided in TypeScript (the shared `decide`, the reducer, the SLA plan: `decideTicketCommand`,
 * `prepareApply`) on the ticket as this node last saw it, and committed by one statement,
 * `dutydesk_commit_commands` (migration 0028), which claims its commandId, locks the row,
 * checks that the row is still the one decided on (version and lastSeq), writes row, timers,
 * events and stored result and commits. The commands waiting when a statement is sent go in it
 * together, in arrival order, at most one per ticket and per commandId (a second one waits for
 * the next statement, so it is decided on the first one's outcome). Each keeps its own outcome:
 * its ack, its refusal (confirmed on the current row), its stored result when its commandId was
 * used before; a command decided on a row that changed meanwhile (another node, the SLA
 * scheduler, a transaction-path command) is decided again on the row the statement returns.
 * Seq is commit order as on every path: the append lock is held to the statement's COMMIT.
 *
 * `ticket.create`, a `ticket.classify` naming a kind (a new number) and `ticket.customer.link`
 * (customer records locked for share) keep the bus's transaction.
 */
import type { Actor, CommandAck, Ticket } from '@dutydesk/shared';
import type { AppContext } from '../../context';
import type { CommandResult, DirectResult } from '../../commands/bus';
import { sqlStateOf } from '../../db/errors';
import { toAppendRows, type StoredEvent } from '../events';
import { wakeSchedulerFor } from '../sla';
import {
  decideTicketCommand,
  prepareApply,
  toAck,
  type PreparedApply,
  type TicketCommand,
} from './tickets.commands';
import {
  commitTicketBatch,
  readTickets,
  ticketColumns,
  type CommitElement,
  type CommitOutcome,
} from './tickets.repo';

/** The ticket commands' way around the bus transaction (`CommandSpec.direct`). */
export interface TicketCommitter {
  /** Queues the command for the next statement; null: it takes the bus's transaction. */
  submit(actor: Actor, command: TicketCommand): Promise<DirectResult> | null;
}

export interface GroupCommitOptions {
  /** Commands per statement at most. */
  maxBatch?: number;
  /** Statements in flight at once (their tickets never overlap). */
  inFlight?: number;
  /** Tickets whose last state this node keeps (validated by every statement). */
  cacheSize?: number;
}

type OnTicket = Exclude<TicketCommand, { type: 'ticket.create' }>;

interface Job {
  actor: Actor;
  command: OnTicket;
  resolve(r: DirectResult): void;
  reject(err: unknown): void;
  /** Statements that found the ticket changed since it was decided. */
  stale: number;
}

interface Planned {
  job: Job;
  element: CommitElement;
  /** The refusal decided, answered once the statement confirms it ('same'). */
  refusal: CommandAck | null;
  prepared: PreparedApply | null;
  now: Date;
}

/** A command decided on a row that keeps changing under it is refused after this many tries. */
const MAX_STALE = 10;

/** Whether a command can be committed by the statement (no counter, no customer records). */
function isDirect(command: TicketCommand): command is OnTicket {
  if (command.type === 'ticket.create' || command.type === 'ticket.customer.link') return false;
  if (command.type === 'ticket.classify' && command.kind) return false;
  return true;
}

export function createGroupCommit(
  ctx: AppContext,
  options: GroupCommitOptions = {},
): TicketCommitter {
  const maxBatch = options.maxBatch ?? 64;
  const inFlight = options.inFlight ?? (ctx.database.kind === 'postgres' ? 2 : 1);
  // Tickets may reach DUTYDESK_TICKET_MAX_BYTES (2 MB) each: the cache holds the busy few.
  const cacheSize = options.cacheSize ?? 256;
  let queue: Job[] = [];
  let running = 0;
  /** Tickets in a statement now: a later command on one waits for its outcome. */
  const busy = new Set<string>();
  const cache = new Map<string, Ticket>();
  const remember = (t: Ticket): void => {
    cache.delete(t.id);
    cache.set(t.id, t);
    if (cache.size > cacheSize) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
  };

  /** The next statement's commands: in arrival order, one per ticket and per commandId. */
  function take(): Job[] {
    const batch: Job[] = [];
    const rest: Job[] = [];
    const tickets = new Set<string>(busy);
    const ids = new Set<string>();
    for (const job of queue) {
      const { ticketId, commandId } = job.command;
      const fits = batch.length < maxBatch && !tickets.has(ticketId) && !ids.has(commandId);
      if (fits) batch.push(job);
      else rest.push(job);
      // Taken or not, later commands on this ticket or id wait behind this one.
      tickets.add(ticketId);
      ids.add(commandId);
    }
    queue = rest;
    return batch;
  }

  function pump(): void {
    while (running < inFlight && queue.length > 0) {
      const batch = take();
      if (batch.length === 0) return;
      running += 1;
      for (const job of batch) busy.add(job.command.ticketId);
      void commit(batch).finally(() => {
        running -= 1;
        for (const job of batch) busy.delete(job.command.ticketId);
        pump();
      });
    }
  }

  function plan(job: Job, ticket: Ticket | null, now: Date): Planned {
    const { actor, command } = job;
    const base = ticket ? { version: ticket.version, lastSeq: ticket.lastSeq } : null;
    const element: CommitElement = {
      commandId: command.commandId,
      actorId: actor.id,
      ticketId: command.ticketId,
      base,
      write: null,
    };
    const decided = decideTicketCommand(ctx, ticket, command, actor, now, {
      newTicketId: command.ticketId,
      newTicketNumber: '',
    });
    if (!decided.ok) return { job, element, refusal: decided.ack, prepared: null, now };
    const prepared = prepareApply(ctx, ticket, decided.pending, now);
    const next = prepared.next;
    if (!next) throw new Error(`${command.type} left no ticket`);
    const placeholder = prepared.list.map((e, i) => ({ seq: prepared.base + i + 1, ...e }));
    element.write = {
      row: { ...ticketColumns(next), state: next },
      timers: prepared.timers
        ? prepared.timers.map((t) => ({ ...t, dueAt: t.dueAt.toISOString() }))
        : null,
      events: toAppendRows(prepared.list, command.commandId),
      offset: prepared.offset,
      result: toAck({ ticket: next, events: placeholder }, ctx.config.timelineCarried),
      at: now.toISOString(),
    };
    return { job, element, refusal: null, prepared, now };
  }

  /** The result of a committed command, with the seqs the append gave. */
  function committed(p: Planned, first: number | null): CommandResult {
    const prepared = p.prepared as PreparedApply;
    const events: StoredEvent[] =
      first === null ? [] : prepared.list.map((e, i) => ({ seq: first + i, ...e }));
    let ticket = prepared.next as Ticket;
    if (prepared.offset > 0 && first !== null)
      ticket = { ...ticket, lastSeq: first + prepared.offset - 1 };
    remember(ticket);
    if (prepared.timers && prepared.provisional)
      wakeSchedulerFor(ctx, prepared.provisional, p.now, prepared.timers);
    return { ack: toAck({ ticket, events }, ctx.config.timelineCarried), events, fresh: true };
  }

  async function commit(batch: Job[]): Promise<void> {
    const now = ctx.clock.now();
    const misses = batch.map((j) => j.command.ticketId).filter((id) => !cache.has(id));
    let read: Map<string, Ticket>;
    try {
      read = await readTickets(ctx.database.db, misses);
    } catch (err) {
      for (const job of batch) job.reject(err);
      return;
    }
    for (const t of read.values()) remember(t);
    const planned: Planned[] = [];
    for (const job of batch) {
      try {
        planned.push(plan(job, cache.get(job.command.ticketId) ?? null, now));
      } catch (err) {
        job.reject(err);
      }
    }
    if (planned.length === 0) return;
    let out: CommitOutcome[];
    try {
      out = await commitTicketBatch(
        ctx.database.db,
        planned.map((p) => p.element),
      );
    } catch (err) {
      // Nothing of the statement committed (or, its answer lost, the claim finds what did):
      // each command runs again in a bus transaction of its own, so one command the database
      // refuses fails alone, answered and logged by the bus with the step that failed.
      ctx.log.debug(
        { sqlState: sqlStateOf(err), commands: planned.length },
        'group commit failed; one transaction each',
      );
      for (const p of planned) {
        cache.delete(p.job.command.ticketId);
        p.job.resolve({ transaction: true });
      }
      return;
    }
    const again: Job[] = [];
    planned.forEach((p, i) => {
      const o = out[i] as CommitOutcome;
      try {
        if (o.s === 'dup') p.job.resolve({ previous: { actorId: o.actorId, result: o.result } });
        else if (o.s === 'same')
          p.job.resolve({ ack: p.refusal as CommandAck, events: [], fresh: false });
        else if (o.s === 'stale') {
          if (o.state) remember(o.state);
          else cache.delete(p.job.command.ticketId);
          if (p.job.stale + 1 >= MAX_STALE)
            p.job.reject(new Error('the ticket kept changing while its command was decided'));
          else again.push({ ...p.job, stale: p.job.stale + 1 });
        } else p.job.resolve(committed(p, o.first));
      } catch (err) {
        p.job.reject(err);
      }
    });
    if (again.length > 0) queue = [...again, ...queue];
  }

  return {
    submit(actor, command) {
      if (!isDirect(command)) return null;
      return new Promise<DirectResult>((resolve, reject) => {
        queue.push({ actor, command, resolve, reject, stale: 0 });
        pump();
      });
    },
  };
}
