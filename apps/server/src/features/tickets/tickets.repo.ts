import { OPEN_STATUSES, type Ticket } from '@dutydesk/shared';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client';
import { counters, groups, tickets, users } from '../../db/schema/index';

/** The ticket row locked for this transaction (`SELECT … FOR UPDATE`), or null. */
export async function lockTicket(tx: Tx, id: string): Promise<Ticket | null> {
  const [row] = await tx
    .select({ state: tickets.state })
    .from(tickets)
    .where(eq(tickets.id, id))
    .for('update');
  return row ? (row.state as Ticket) : null;
}

export async function readTicket(db: Db, id: string): Promise<Ticket | null> {
  const [row] = await db.select({ state: tickets.state }).from(tickets).where(eq(tickets.id, id));
  return row ? (row.state as Ticket) : null;
}

/** The columns queues filter on, as `saveTicket` writes them beside the state. */
export function ticketColumns(t: Ticket) {
  return {
    number: t.number,
    kind: t.kind,
    status: t.status,
    priority: t.priority,
    groupId: t.groupId,
    assigneeId: t.assigneeId,
    organisationId: t.organisationId ?? null,
    contactId: t.contactId ?? null,
    majorIncident: t.majorIncident,
    open: (OPEN_STATUSES as readonly string[]).includes(t.status),
    version: t.version,
    lastSeq: t.lastSeq,
    receivedAt: new Date(t.receivedAt),
    updatedAt: new Date(t.updatedAt),
  };
}

/** Writes the reducer's output with the columns queues filter on. */
export async function saveTicket(tx: Tx, t: Ticket): Promise<void> {
  const cols = { ...ticketColumns(t), state: t };
  await tx
    .insert(tickets)
    .values({ id: t.id, ...cols })
    .onConflictDoUpdate({ target: tickets.id, set: cols });
}

/**
 * Writes many reducer outputs in one statement (the SLA scheduler's batches): the same row as
 * {@link saveTicket} per ticket.
 */
export async function saveTickets(tx: Tx, list: Ticket[]): Promise<void> {
  const first = list[0];
  if (!first) return;
  const set = Object.fromEntries(
    Object.keys({ ...ticketColumns(first), state: null }).map((k) => [
      k,
      sql.raw(`excluded.${tickets[k as keyof typeof tickets.$inferInsert].name}`),
    ]),
  );
  await tx
    .insert(tickets)
    .values(list.map((t) => ({ id: t.id, ...ticketColumns(t), state: t })))
    .onConflictDoUpdate({ target: tickets.id, set });
}

/**
 * Sets `last_seq` and `state.lastSeq` of rows saved before an append with placeholders (the
 * batched form of `dutydesk_append`'s ticket rider), in one statement.
 */
export async function setLastSeqs(tx: Tx, list: Array<{ id: string; seq: number }>): Promise<void> {
  if (list.length === 0) return;
  await tx.execute(sql`update tickets as t
      set last_seq = v.seq, state = jsonb_set(t.state, '{lastSeq}', to_jsonb(v.seq))
      from jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as v(id text, seq bigint)
      where t.id = v.id`);
}

export interface TicketFilter {
  /** A ticket number, current or earlier (an alias), matched exactly (case-insensitive). */
  number?: string;
  status?: string[];
  priority?: string[];
  groupId?: string[];
  assigneeId?: string;
  open?: boolean;
  limit: number;
}

export async function listTickets(db: Db | Tx, f: TicketFilter): Promise<Ticket[]> {
  const where: SQL[] = [];
  if (f.status?.length) where.push(inArray(tickets.status, f.status));
  if (f.priority?.length) where.push(inArray(tickets.priority, f.priority));
  if (f.groupId?.length) where.push(inArray(tickets.groupId, f.groupId));
  if (f.assigneeId) where.push(eq(tickets.assigneeId, f.assigneeId));
  if (f.open !== undefined) where.push(eq(tickets.open, f.open));
  if (f.number !== undefined) where.push(matchNumber(f.number));
  const rows = await db
    .select({ state: tickets.state })
    .from(tickets)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(tickets.priority), desc(tickets.receivedAt))
    .limit(f.limit);
  return rows.map((r) => r.state as Ticket);
}

/** A ticket's number or one of its aliases (`state.numberAliases`, GIN-indexed, migration 0010). */
function matchNumber(number: string): SQL {
  const wanted = number.trim().toUpperCase();
  return sql`(${tickets.number} = ${wanted} or (${tickets.state} -> 'numberAliases') @> jsonb_build_array(${wanted}::text))`;
}

/** The ticket with this number, or the one that had it before a change of kind; null: none. */
export async function findTicketByNumber(db: Db | Tx, number: string): Promise<Ticket | null> {
  const [row] = await db
    .select({ state: tickets.state })
    .from(tickets)
    .where(matchNumber(number))
    .orderBy(sql`${tickets.number} = ${number.trim().toUpperCase()} desc`)
    .limit(1);
  return row ? (row.state as Ticket) : null;
}

/** Roles a ticket may be assigned to: people who work tickets, never a wallboard or a device. */
const ASSIGNABLE_ROLES = ['agent', 'engineer', 'duty_manager', 'admin'];

/** The next number of a per-prefix, per-year counter, inside the caller's transaction. */
export async function nextCounter(tx: Tx, key: string): Promise<number> {
  const rows = await queryRows<{ value: number }>(
    tx,
    sql`insert into counters (key, value) values (${key}, 1)
        on conflict (key) do update set value = ${counters.value} + 1
        returning value`,
  );
  return Number(rows[0]?.value);
}

/**
 * The open tickets and the seq they reflect, read in one REPEATABLE READ snapshot so that
 * replaying events after `seq` on top of them is exact.
 */
export async function readSnapshot(db: Db): Promise<{ seq: number; tickets: Ticket[] }> {
  return db.transaction(
    async (tx) => {
      const rows = await queryRows<{ seq: string | number | null }>(
        tx,
        sql`select max(seq) as seq from events`,
      );
      const list = await listTickets(tx, { open: true, limit: 100_000 });
      return { seq: Number(rows[0]?.seq ?? 0), tickets: list };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * Field errors for a group or user id that does not exist, a disabled user, or one who does
 * not work tickets (a wallboard or other device account).
 */
export async function checkReferences(
  db: Db | Tx,
  refs: { groupId?: string | null; assigneeId?: string | null },
): Promise<Array<{ path: string; message: string }>> {
  const out: Array<{ path: string; message: string }> = [];
  if (refs.groupId) {
    const [g] = await db.select({ id: groups.id }).from(groups).where(eq(groups.id, refs.groupId));
    if (!g) out.push({ path: 'groupId', message: `no group "${refs.groupId}"` });
  }
  if (refs.assigneeId) {
    const [u] = await db
      .select({ id: users.id, disabled: users.disabled, roles: users.roles })
      .from(users)
      .where(eq(users.id, refs.assigneeId));
    if (!u || u.disabled)
      out.push({ path: 'assigneeId', message: `no active user "${refs.assigneeId}"` });
    else if (!u.roles.some((r) => ASSIGNABLE_ROLES.includes(r)))
      out.push({ path: 'assigneeId', message: `"${refs.assigneeId}" does not work tickets` });
  }
  return out;
}

/** Tickets by id, one statement (missing ids are absent from the map). */
export async function readTickets(db: Db, ids: readonly string[]): Promise<Map<string, Ticket>> {
  const out = new Map<string, Ticket>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ id: tickets.id, state: tickets.state })
    .from(tickets)
    .where(inArray(tickets.id, [...ids]));
  for (const r of rows) out.set(r.id, r.state as Ticket);
  return out;
}

/** One command of a group commit, as `dutydesk_commit_commands` takes it (migration 0028). */
export interface CommitElement {
  commandId: string;
  actorId: string;
  ticketId: string;
  /** The ticket's version and lastSeq the command was decided on; null: it had no row. */
  base: { version: number; lastSeq: number } | null;
  /** What to write; null: a refusal, confirmed on the current row and answered as decided. */
  write: {
    /** `ticketColumns` and the state, lastSeq provisional (the append sets it). */
    row: Record<string, unknown>;
    timers: Array<{
      target: string;
      threshold: number;
      afterMinutes: number;
      key: string;
      dueAt: string;
    }> | null;
    /** `toAppendRows` of the events (may be empty: the result is stored alone). */
    events: unknown[];
    offset: number;
    result: unknown;
    at: string;
  } | null;
}

/** What `dutydesk_commit_commands` answered for one command. */
export type CommitOutcome =
  | { s: 'ok'; first: number | null }
  | { s: 'dup'; actorId: string; result: unknown }
  | { s: 'stale'; state: Ticket | null }
  | { s: 'same' };

/**
 * Commits a group of ticket commands in one statement (one transaction): claims, row locks,
 * base checks, rows, timers, appends and stored results (`dutydesk_commit_commands`,
 * drizzle/0028_command_batch.sql). One outcome per element, in order.
 */
export async function commitTicketBatch(
  db: Db,
  batch: readonly CommitElement[],
): Promise<CommitOutcome[]> {
  const rows = await queryRows<{ out: CommitOutcome[] | string }>(
    db,
    sql`select dutydesk_commit_commands(${JSON.stringify(batch)}::jsonb) as out`,
  );
  const out = rows[0]?.out;
  const list = typeof out === 'string' ? (JSON.parse(out) as CommitOutcome[]) : out;
  if (!Array.isArray(list) || list.length !== batch.length)
    throw new Error('dutydesk_commit_commands answered no outcome per command');
  return list.map((o) =>
    o.s === 'ok' ? { s: 'ok', first: o.first === null ? null : Number(o.first) } : o,
  );
}
