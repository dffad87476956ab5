import {
  applyEvent,
  asTicketId,
  CommandType,
  CUSTOMER_COMMAND_TYPES,
  KB_COMMAND_TYPES,
  PROBLEM_COMMAND_TYPES,
  QA_COMMAND_TYPES,
  decide,
  formatTicketNumber,
  makeError,
  type Actor,
  type CommandAck,
  type Command,
  type CustomerCommandType,
  type KbCommandType,
  type ProblemCommandType,
  type QaCommandType,
  type CustomerLink,
  type DomainEvent,
  type PendingEvent,
  type Ticket,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import type { CommandResult, CommandSpec } from '../../commands/bus';
import { saveCommandResult } from '../../commands/results.repo';
import { appendEvents, asWireEvents, type NewEvent, type StoredEvent } from '../events';
import { resolveCustomerLink } from '../customers';
import { checkReceivedAt } from '../sla';
import { planTimersIfMoved, replanTimers, type PlannedTimer } from '../sla';
import { planSlaEvents } from '../sla';
import { checkReferences, lockTicket, nextCounter, saveTicket } from './tickets.repo';
import { checkTicketBounds, trimTimeline } from './timeline';
import type { TicketCommitter } from './groupCommit';

/** What every command answers, on the socket and over REST (the shared protocol's ack). */
export type { CommandAck };

/** The commands of this spec: `ticket.attachment.add` is the attachments feature's (it wraps {@link runTicketCommand}). */
type TicketBusCommand = Exclude<
  Command,
  {
    type:
      | 'alert.ack'
      | 'ticket.attachment.add'
      | 'survey.answer'
      | CustomerCommandType
      | KbCommandType
      | ProblemCommandType
      | QaCommandType;
  }
>;
const TICKET_COMMAND_TYPES = CommandType.filter(
  (t): t is TicketBusCommand['type'] =>
    t !== 'alert.ack' &&
    t !== 'ticket.attachment.add' &&
    t !== 'survey.answer' &&
    !(CUSTOMER_COMMAND_TYPES as readonly string[]).includes(t) &&
    !(KB_COMMAND_TYPES as readonly string[]).includes(t) &&
    !(PROBLEM_COMMAND_TYPES as readonly string[]).includes(t) &&
    !(QA_COMMAND_TYPES as readonly string[]).includes(t),
);

/**
 * The ticket commands on the bus: `ticket.create` and every command on a ticket. Before the
 * transaction, the back-dating window of `ticket.create` (issue 14: an old receivedAt cost the
 * SLA engine seconds to minutes per command before it stepped over weeks) and the group and
 * assignee a command names; in it: ticket row lock, expectedVersion check, `decide` (the shared
 * rules), events appended in commit order with the hash chain, ticket row and SLA timers.
 */
export function createTicketCommands(
  ctx: AppContext,
  committer?: TicketCommitter,
): CommandSpec<TicketBusCommand['type']> {
  return {
    types: TICKET_COMMAND_TYPES,
    direct: committer ? (actor, command) => committer.submit(actor, command) : undefined,
    async precheck(actor, command) {
      if (command.type === 'ticket.create') {
        const error = checkReceivedAt(
          actor,
          command.receivedAt,
          ctx.clock.now(),
          ctx.config.maxBackdateDays,
        );
        if (error) return error;
      }
      if (command.type === 'ticket.create' || command.type === 'ticket.assign') {
        const fields = await checkReferences(ctx.database.db, {
          groupId: command.groupId,
          assigneeId: command.assigneeId,
        });
        if (fields.length > 0) return makeError('invalid', 'Unknown group or assignee', fields);
      }
      return null;
    },
    handle: (tx, actor, command) => runTicketCommand(ctx, tx, actor, command),
  };
}

/**
 * Runs one ticket command in the bus's transaction: lock, version check, `decide`, append and
 * save. `commitNow: false` keeps the transaction open after the append (PostgreSQL otherwise
 * commits in the append's round trip), for a caller that writes more in it.
 */
export async function runTicketCommand(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  command: TicketCommand,
  opts: { commitNow?: boolean } = {},
): Promise<CommandResult> {
  const now = ctx.clock.now();
  let ticket: Ticket | null = null;
  let newTicketId = asTicketId(randomUUID());
  let newTicketNumber = '';
  if (command.type === 'ticket.create') {
    const kind = command.kind ?? 'incident';
    const year = now.getUTCFullYear();
    const n = await nextCounter(tx, `${kind}:${year}`);
    newTicketNumber = formatTicketNumber(kind, year, n);
  } else {
    ticket = await lockTicket(tx, command.ticketId);
    if (!ticket)
      return {
        ack: { ok: false, error: makeError('not_found', `No ticket ${command.ticketId}`) },
        events: [],
        fresh: false,
      };
    newTicketId = ticket.id;
    if (command.type === 'ticket.classify' && command.kind && command.kind !== ticket.kind) {
      // A new kind takes a number of its own (CMP- for a complaint); the old one stays an alias.
      const year = now.getUTCFullYear();
      const n = await nextCounter(tx, `${command.kind}:${year}`);
      newTicketNumber = formatTicketNumber(command.kind, year, n);
    }
    const stale = checkExpectedVersion(ctx, ticket, command);
    if (stale) return { ack: stale, events: [], fresh: false };
  }
  let customerLink: CustomerLink | undefined;
  if (
    command.type === 'ticket.customer.link' ||
    (command.type === 'ticket.create' && (command.organisationId || command.contactId))
  ) {
    // The records are read (and locked for share) in this transaction, so what the event
    // says of them holds when it commits; a missing one is `invalid` before decide's rules.
    const resolved = await resolveCustomerLink(tx, command);
    if (!resolved.ok)
      return { ack: { ok: false, error: resolved.error }, events: [], fresh: false };
    customerLink = resolved.link ?? undefined;
  }
  const decided = decideTicketCommand(ctx, ticket, command, actor, now, {
    newTicketId,
    newTicketNumber,
    customerLink,
  });
  if (!decided.ok) return { ack: decided.ack, events: [], fresh: false };
  // The result is stored for idempotency by the append itself (its seqs are only known there).
  // The append is this transaction's last statement: on PostgreSQL it commits in the same round
  // trip, so the log's append lock is released without waiting for this process's event loop.
  const stored = await appendAndApply(tx, ticket, decided.pending, command.commandId, now, ctx, {
    record: { actorId: actor.id },
    commitNow: (opts.commitNow ?? true) && ctx.database.kind === 'postgres',
  });
  return {
    ack: toAck(stored, ctx.config.timelineCarried),
    events: stored.events,
    fresh: true,
    committed: stored.committed,
  };
}

/** The command's type as the ticket commands take it (`runTicketCommand`'s). */
export type TicketCommand = Exclude<
  Command,
  {
    type:
      | 'alert.ack'
      | 'survey.answer'
      | CustomerCommandType
      | KbCommandType
      | ProblemCommandType
      | QaCommandType;
  }
>;

/** A `conflict` (with the ticket) when the command names a version the ticket no longer has. */
export function checkExpectedVersion(
  ctx: AppContext,
  ticket: Ticket,
  command: TicketCommand,
): CommandAck | null {
  if (
    command.type === 'ticket.create' ||
    command.expectedVersion === undefined ||
    command.expectedVersion === ticket.version
  )
    return null;
  return {
    ok: false,
    error: {
      ...makeError(
        'conflict',
        `Ticket ${ticket.number} changed (version ${ticket.version}, you had ${command.expectedVersion}); review and retry`,
      ),
      ticket: trimTimeline(ticket, ctx.config.timelineCarried),
    },
  };
}

/**
 * A ticket command on the ticket as read (null: none, or `ticket.create`), with no IO: the
 * missing ticket, the expectedVersion check, the shared `decide` and the size bounds. Its
 * pending events, or the refusal to answer.
 */
export function decideTicketCommand(
  ctx: AppContext,
  ticket: Ticket | null,
  command: TicketCommand,
  actor: Actor,
  now: Date,
  extra: { newTicketId: string; newTicketNumber: string; customerLink?: CustomerLink | undefined },
): { ok: true; pending: PendingEvent[] } | { ok: false; ack: CommandAck } {
  if (command.type !== 'ticket.create') {
    if (!ticket)
      return {
        ok: false,
        ack: { ok: false, error: makeError('not_found', `No ticket ${command.ticketId}`) },
      };
    const stale = checkExpectedVersion(ctx, ticket, command);
    if (stale) return { ok: false, ack: stale };
  }
  const decided = decide(ticket, command, {
    actor,
    now,
    newTicketId: asTicketId(extra.newTicketId),
    newTicketNumber: extra.newTicketNumber,
    newId: () => randomUUID(),
    customerLink: extra.customerLink,
  });
  if (!decided.ok) {
    const error =
      decided.error.code === 'conflict' && ticket
        ? { ...decided.error, ticket: trimTimeline(ticket, ctx.config.timelineCarried) }
        : decided.error;
    return { ok: false, ack: { ok: false, error } };
  }
  const full = checkTicketBounds(ticket, decided.events, {
    maxEntries: ctx.config.ticketMaxEntries,
    maxBytes: ctx.config.ticketMaxBytes,
  });
  if (full) return { ok: false, ack: { ok: false, error: full } };
  return { ok: true, pending: decided.events };
}

/** The ack of a stored command: its events and the ticket cut to its latest entries (`keep`). */
export function toAck(
  stored: { ticket: Ticket | null; events: StoredEvent[] },
  keep: number,
): CommandAck {
  return {
    ok: true,
    ticket: stored.ticket ? trimTimeline(stored.ticket, keep) : undefined,
    events: asWireEvents(stored.events),
  };
}

/** What a command writes, computed before any of it is written (see {@link appendAndApply}). */
export interface PreparedApply {
  /** The events to append: the decided ones, then the SLA engine's `sla.planned`. */
  list: NewEvent[];
  /** The ticket after the decided events alone (what the timers are planned on). */
  provisional: Ticket | null;
  /** The ticket after every event, on provisional seqs above `base` (only lastSeq differs). */
  next: Ticket | null;
  /** The new timer plan when it moved, else null (the rows stay as they are). */
  timers: PlannedTimer[] | null;
  /** The ticket's lastSeq before (0: a new ticket). */
  base: number;
  /** The 1-based position in `list` of the last event applied to the ticket (0: none). */
  offset: number;
}

/**
 * Folds decided events into the ticket with the shared reducer on provisional seqs, adds the
 * SLA engine's `sla.planned` when the targets moved, and plans the timers: no IO.
 */
export function prepareApply(
  ctx: AppContext,
  ticket: Ticket | null,
  pending: PendingEvent[],
  now: Date,
): PreparedApply {
  const decided = pending.map((e) => ({
    id: randomUUID(),
    type: e.type,
    ticketId: e.ticketId ?? null,
    actorId: e.actorId ?? null,
    at: e.at,
    data: e.data,
  }));
  const base = ticket?.lastSeq ?? 0;
  const fold = (from: Ticket | null, list: NewEvent[]): Ticket | null =>
    list.reduce<Ticket | null>(
      (t, e, i) => applyEvent(t, { ...e, seq: base + i + 1 } as unknown as DomainEvent),
      from,
    );
  const provisional = fold(ticket, decided);
  const sla = provisional ? planSlaEvents(ctx, provisional, now) : [];
  // Two statements saved per command when the timers did not move (most commands).
  const timers = provisional ? planTimersIfMoved(ctx, ticket, provisional, now) : null;
  const list: NewEvent[] = [...decided, ...sla.map((e) => ({ id: randomUUID(), ...e }))];
  // The reducer's output on provisional seqs differs from the real one only in lastSeq:
  // `offset` is the 1-based position of the last event applied to the ticket (0: none).
  const next = fold(ticket, list);
  const offset = next && next.lastSeq > base ? next.lastSeq - base : 0;
  return { list, provisional, next, timers, base, offset };
}

/**
 * Appends decided events, folds them into the ticket with the shared reducer, lets the SLA
 * engine add `sla.planned` when the targets moved, and saves the ticket and its timers; with
 * `record`, also stores the command's result (its ack) for idempotency. `commitNow`: the
 * append commits the transaction (see `appendEvents`); nothing may follow it in the caller's
 * transaction.
 *
 * Everything is computed and written before the log's append lock, on provisional seqs above
 * the ticket's: the lock is held until COMMIT, so the less done under it the more commands per
 * second the desk sustains. Seq enters neither the SLA plan nor the reducer's output except as
 * `lastSeq`, which the append sets in the same statement (see `appendEvents`' riders); the
 * append is then one round trip and the COMMIT the only other one under the lock.
 */
export async function appendAndApply(
  tx: Tx,
  ticket: Ticket | null,
  pending: PendingEvent[],
  commandId: string | null,
  now: Date,
  ctx: AppContext,
  opts: { record?: { actorId: string }; commitNow?: boolean } = {},
): Promise<{ ticket: Ticket | null; events: StoredEvent[]; committed: boolean }> {
  const { record } = opts;
  const prepared = prepareApply(ctx, ticket, pending, now);
  const { list, provisional, timers, base, offset } = prepared;
  let { next } = prepared;
  if (provisional && timers) await replanTimers(ctx, tx, provisional, now, timers);
  if (next) await saveTicket(tx, next);
  if (list.length === 0) {
    // Nothing to append: the result is stored directly and the caller's COMMIT ends the work.
    if (record && commandId)
      await saveCommandResult(
        tx,
        commandId,
        record.actorId,
        toAck({ ticket: next, events: [] }, ctx.config.timelineCarried),
        now,
      );
    return { ticket: next, events: [], committed: false };
  }
  const placeholder = list.map((e, i) => ({ seq: base + i + 1, ...e }));
  const events = await appendEvents(
    tx,
    list,
    commandId,
    {
      ticket: next ? { id: next.id, offset } : undefined,
      result:
        record && commandId
          ? {
              actorId: record.actorId,
              at: now,
              value: toAck({ ticket: next, events: placeholder }, ctx.config.timelineCarried),
            }
          : undefined,
    },
    { commitNow: opts.commitNow },
  );
  if (next && offset > 0) next = { ...next, lastSeq: (events[offset - 1] as StoredEvent).seq };
  return { ticket: next, events, committed: opts.commitNow === true };
}
