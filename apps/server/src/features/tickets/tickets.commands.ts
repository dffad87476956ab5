import {
  applyEvent,
  asTicketId,
  CommandType,
  decide,
  formatTicketNumber,
  makeError,
  parseCommand,
  type Actor,
  type CommandAck,
  type Command,
  type DomainEvent,
  type PendingEvent,
  type Ticket,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import { isDataException, sqlStateOf } from '../../db/errors';
import { appendEvents, asWireEvents, type NewEvent, type StoredEvent } from '../events/events.repo';
import { checkReceivedAt } from '../sla/backdate';
import { planTimersIfMoved, replanTimers } from '../sla/sla.service';
import { planSlaEvents } from '../sla/targets';
import {
  checkReferences,
  claimCommand,
  lockTicket,
  nextCounter,
  saveCommandResult,
  saveTicket,
} from './tickets.repo';
import { checkTicketBounds, trimTimeline } from './timeline';

/** What every command answers, on the socket and over REST (the shared protocol's ack). */
export type { CommandAck };

/** Per-actor token bucket: a seat gone wild gets `rate_limited`, the desk keeps serving. */
class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}
  take(key: string, nowMs: number): boolean {
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: nowMs };
    b.tokens = Math.min(this.burst, b.tokens + ((nowMs - b.at) / 1000) * this.perSecond);
    b.at = nowMs;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.buckets.clear();
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

const limiters = new WeakMap<AppContext, RateLimiter>();
function limiterOf(ctx: AppContext): RateLimiter {
  let l = limiters.get(ctx);
  if (!l) {
    l = new RateLimiter(ctx.config.commandRate, ctx.config.commandRate * 4);
    limiters.set(ctx, l);
  }
  return l;
}

/**
 * The one command bus (socket and REST): parse → authorise and decide (pure, shared) →
 * in one transaction: idempotency check, ticket row lock, expectedVersion check, events
 * appended in commit order with the hash chain, ticket row and SLA timers updated → ack;
 * then the events are published to every seat.
 */
export async function executeCommand(
  ctx: AppContext,
  actor: Actor,
  input: unknown,
): Promise<CommandAck> {
  const started = performance.now();
  try {
    return await handleCommand(ctx, actor, input, started);
  } catch (err) {
    // A throw (a database error before the transaction, a handler's) is counted, then left to
    // the caller (the socket answers `internal`, REST a 500).
    const type = (input as { type?: unknown } | null)?.type;
    const label = (CommandType as readonly unknown[]).includes(type) ? String(type) : 'unknown';
    ctx.metrics.commands.inc({ type: label, outcome: 'crashed' });
    ctx.metrics.commandSeconds.observe({ type: label }, (performance.now() - started) / 1000);
    throw err;
  }
}

async function handleCommand(
  ctx: AppContext,
  actor: Actor,
  input: unknown,
  started: number,
): Promise<CommandAck> {
  const parsed = parseCommand(input);
  if (!parsed.ok) {
    ctx.metrics.commands.inc({ type: 'unknown', outcome: 'invalid' });
    ctx.metrics.commandSeconds.observe({ type: 'unknown' }, (performance.now() - started) / 1000);
    return { ok: false, error: parsed.error };
  }
  const command = parsed.command;
  if (actor.roles.includes('wallboard') && actor.roles.length === 1) {
    return finish(ctx, command, started, {
      ok: false,
      error: makeError('forbidden', 'Wallboards are read-only'),
    });
  }
  if (!limiterOf(ctx).take(actor.id, Date.now())) {
    return finish(ctx, command, started, {
      ok: false,
      error: makeError('rate_limited', 'Too many commands; slow down'),
    });
  }
  if (command.type === 'alert.ack') {
    const ack = ctx.commandHandlers.get('alert.ack');
    if (!ack)
      return finish(ctx, command, started, {
        ok: false,
        error: makeError('not_found', 'No such alert'),
      });
    return finish(ctx, command, started, await ack(actor, command));
  }
  if (command.type === 'ticket.create') {
    // Before any IO: the back-dating window (issue 14: an old receivedAt cost the SLA engine
    // seconds to minutes per command before it stepped over weeks).
    const error = checkReceivedAt(
      actor,
      command.receivedAt,
      ctx.clock.now(),
      ctx.config.maxBackdateDays,
    );
    if (error) return finish(ctx, command, started, { ok: false, error });
  }
  if (command.type === 'ticket.create' || command.type === 'ticket.assign') {
    const fields = await checkReferences(ctx.database.db, {
      groupId: command.groupId,
      assigneeId: command.assigneeId,
    });
    if (fields.length > 0) {
      return finish(ctx, command, started, {
        ok: false,
        error: makeError('invalid', 'Unknown group or assignee', fields),
      });
    }
  }
  let published: StoredEvent[] = [];
  let ack: CommandAck;
  try {
    // On PostgreSQL a fresh command commits with its append (appendAndApply's commitNow): it is
    // answered then, not a round trip later when the (by then empty) transaction is closed.
    let committed: (ack: CommandAck) => void = () => {};
    let answeredEarly = false;
    const early = new Promise<CommandAck>((resolve) => (committed = resolve));
    const done = ctx.database.db.transaction(async (tx) => {
      const r = await runInTransaction(ctx, tx, actor, command);
      published = r.fresh ? r.events : [];
      if (r.committed) {
        answeredEarly = true;
        committed(r.ack);
      }
      return r.ack;
    });
    // Only a failure after the early answer is news here; any other is logged once below.
    done.catch((err: unknown) => {
      if (answeredEarly) ctx.log.warn({ err }, 'closing a command transaction failed');
    });
    ack = await Promise.race([done, early]);
  } catch (err) {
    // The error is logged through the logger's err serializer: SQLSTATE and the statement's
    // first words, never its parameters (the ticket's whole state) nor the command's payload.
    if (isDataException(err)) {
      ctx.log.warn({ err, type: command.type }, 'command refused by the database as data');
      return finish(ctx, command, started, {
        ok: false,
        error: makeError(
          'invalid',
          `The database cannot store a value of this command (SQLSTATE ${sqlStateOf(err) ?? '22000'}); it was not stored, and sending it again will fail the same way`,
        ),
      });
    }
    ctx.log.error({ err, type: command.type }, 'command failed');
    return finish(ctx, command, started, {
      ok: false,
      error: makeError(
        'unavailable',
        'The command could not be stored; retry with the same commandId',
      ),
    });
  }
  if (published.length > 0) ctx.publish(published);
  return finish(ctx, command, started, ack);
}

/**
 * The answer to a commandId another actor already used: a 409 conflict, never their stored
 * result (idempotency is scoped by actor; the alert ack uses it too).
 */
export function commandIdTaken(): CommandAck {
  return {
    ok: false,
    error: makeError('conflict', 'This commandId was used by another user; generate a new one', [
      { path: 'commandId', message: 'already used' },
    ]),
  };
}

function finish(ctx: AppContext, command: Command, started: number, ack: CommandAck): CommandAck {
  ctx.metrics.commands.inc({ type: command.type, outcome: ack.ok ? 'ok' : ack.error.code });
  ctx.metrics.commandSeconds.observe({ type: command.type }, (performance.now() - started) / 1000);
  return ack;
}

async function runInTransaction(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  command: Exclude<Command, { type: 'alert.ack' }>,
): Promise<{ ack: CommandAck; events: StoredEvent[]; fresh: boolean; committed?: boolean }> {
  // Retries of one commandId wait for each other here, then find the first result.
  const previous = await claimCommand(tx, command.commandId);
  if (previous) {
    if (previous.actorId !== actor.id) return { ack: commandIdTaken(), events: [], fresh: false };
    return { ack: previous.result as CommandAck, events: [], fresh: false };
  }
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
    if (command.expectedVersion !== undefined && command.expectedVersion !== ticket.version) {
      return {
        ack: {
          ok: false,
          error: {
            ...makeError(
              'conflict',
              `Ticket ${ticket.number} changed (version ${ticket.version}, you had ${command.expectedVersion}); review and retry`,
            ),
            ticket: trimTimeline(ticket, ctx.config.timelineCarried),
          },
        },
        events: [],
        fresh: false,
      };
    }
  }
  const decided = decide(ticket, command, {
    actor,
    now,
    newTicketId,
    newTicketNumber,
    newId: () => randomUUID(),
  });
  if (!decided.ok) {
    const error =
      decided.error.code === 'conflict' && ticket
        ? { ...decided.error, ticket: trimTimeline(ticket, ctx.config.timelineCarried) }
        : decided.error;
    return { ack: { ok: false, error }, events: [], fresh: false };
  }
  const full = checkTicketBounds(ticket, decided.events, {
    maxEntries: ctx.config.ticketMaxEntries,
    maxBytes: ctx.config.ticketMaxBytes,
  });
  if (full) return { ack: { ok: false, error: full }, events: [], fresh: false };
  // The result is stored for idempotency by the append itself (its seqs are only known there).
  // The append is this transaction's last statement: on PostgreSQL it commits in the same round
  // trip, so the log's append lock is released without waiting for this process's event loop.
  const stored = await appendAndApply(tx, ticket, decided.events, command.commandId, now, ctx, {
    record: { actorId: actor.id },
    commitNow: ctx.database.kind === 'postgres',
  });
  return {
    ack: toAck(stored, ctx.config.timelineCarried),
    events: stored.events,
    fresh: true,
    committed: stored.committed,
  };
}

/** The ack of a stored command: its events and the ticket cut to its latest entries (`keep`). */
function toAck(stored: { ticket: Ticket | null; events: StoredEvent[] }, keep: number): CommandAck {
  return {
    ok: true,
    ticket: stored.ticket ? trimTimeline(stored.ticket, keep) : undefined,
    events: asWireEvents(stored.events),
  };
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
  if (provisional && timers) await replanTimers(ctx, tx, provisional, now, timers);
  const list: NewEvent[] = [...decided, ...sla.map((e) => ({ id: randomUUID(), ...e }))];
  // The reducer's output on provisional seqs differs from the real one only in lastSeq:
  // `offset` is the 1-based position of the last event applied to the ticket (0: none).
  let next = fold(ticket, list);
  const offset = next && next.lastSeq > base ? next.lastSeq - base : 0;
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
