import type { DomainEvent } from '@dutydesk/shared';
import { asc, gt, sql } from 'drizzle-orm';
import { escapeLiteral } from 'pg';
import { queryRows, type Db, type Tx } from '../../db/client';
import { events } from '../../db/schema/index';
import { canonicalAroundSeq, GENESIS_HASH, hashEvent } from './canonical';

/** An event as stored and as sent to seats. */
export interface StoredEvent {
  seq: number;
  id: string;
  type: string;
  ticketId: string | null;
  actorId: string | null;
  at: string;
  data: unknown;
}

/**
 * Stored events as the wire carries them. Every stored event was made from the shared
 * contract (`decide`, or a feature's event with the shared data schemas) and the row types its
 * data as `unknown`: this is the one place that says so to the type checker.
 */
export function asWireEvents(events: readonly StoredEvent[]): DomainEvent[] {
  return events as unknown as DomainEvent[];
}

export interface NewEvent {
  id: string;
  type: string;
  ticketId: string | null;
  actorId: string | null;
  at: string;
  data: unknown;
}

/** The newest committed seq (0 on an empty log). */
export async function readCurrentSeq(db: Db): Promise<number> {
  const rows = await queryRows<{ seq: string | number | null }>(
    db,
    sql`select max(seq) as seq from events`,
  );
  const v = rows[0]?.seq;
  return v == null ? 0 : Number(v);
}

/** What an append also settles in the same statement (see {@link appendEvents}). */
export interface AppendRiders {
  /**
   * The ticket row the caller saved before the append with a placeholder lastSeq: it gets
   * `last_seq` / `state.lastSeq` = the seq of the event at 1-based `offset` in the list
   * (the last one applied to it; 0: none, the row is left as saved).
   */
  ticket?: { id: string; offset: number };
  /**
   * The command's result, stored under the append's commandId for idempotency, with each
   * `events[i].seq` and (when `ticket.offset` > 0) `ticket.lastSeq` set to the assigned seqs.
   */
  result?: { actorId: string; at: Date; value: unknown };
}

export interface AppendOptions {
  /**
   * PostgreSQL only: COMMIT the caller's transaction in the same round trip as the append, so
   * the append lock is released as soon as PostgreSQL has run both, not one client round trip
   * later (under load that round trip waits for a busy event loop, and it serialised every
   * append of the desk). For callers whose append is their transaction's last statement: the
   * transaction is committed and a new, empty one begun, which the caller's own COMMIT ends.
   */
  commitNow?: boolean;
}

/** A SQL literal for the multi-statement round trip of `commitNow` (which takes no parameters). */
function literal(value: string | number | null, type: string): string {
  if (value === null) return `null::${type}`;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`not an integer: ${value}`);
    return `${value}::${type}`;
  }
  return `${escapeLiteral(value)}::${type}`;
}

/**
 * The events as `dutydesk_append`'s `p_events` takes them: each with the canonical JSON around
 * its seq (`pre`, `post`), so the function computes the hash chain exactly as `hashEvent` does.
 */
export function toAppendRows(list: readonly NewEvent[], commandId: string | null) {
  return list.map((e) => ({
    id: e.id,
    type: e.type,
    ticketId: e.ticketId,
    actorId: e.actorId,
    at: e.at,
    data: e.data,
    ...canonicalAroundSeq({ ...e, commandId }),
  }));
}

/**
 * Appends events inside the caller's transaction, in one round trip (the `dutydesk_append`
 * SQL function, drizzle/0005_append_function.sql): a transaction-level advisory lock is taken
 * first and held until COMMIT, so seq is assigned in commit order: a seat resuming from seq N
 * can never miss an event that commits later with a smaller seq. The head is read, seqs and
 * the hash chain assigned and the rows inserted by the function, so the lock is held for that
 * one statement and the COMMIT after it, not for a round trip per step. Do everything that
 * does not depend on seq before calling this; what does (the ticket's lastSeq, the stored
 * command result) goes in `riders`.
 */
export async function appendEvents(
  tx: Tx,
  list: NewEvent[],
  commandId: string | null,
  riders: AppendRiders = {},
  opts: AppendOptions = {},
): Promise<StoredEvent[]> {
  if (list.length === 0) return [];
  const rows = toAppendRows(list, commandId);
  const { ticket, result } = riders;
  const args: Array<[string | number | null, string]> = [
    [JSON.stringify(rows), 'jsonb'],
    [commandId, 'text'],
    [ticket?.id ?? null, 'text'],
    [ticket?.offset ?? 0, 'integer'],
    [result ? JSON.stringify(result.value) : null, 'jsonb'],
    [result?.actorId ?? null, 'text'],
    [result ? result.at.toISOString() : null, 'timestamptz'],
  ];
  let first: number;
  if (opts.commitNow) {
    // One simple-protocol message, run back to back by PostgreSQL: append, COMMIT, BEGIN.
    const text = `select dutydesk_append(${args.map(([v, t]) => literal(v, t)).join(', ')}) as first; commit; begin`;
    const res = (await tx.execute(sql.raw(text))) as unknown as Array<{
      rows: Array<{ first: string | number }>;
    }>;
    first = Number(res[0]?.rows[0]?.first);
  } else {
    const params = sql.join(
      args.map(([v, t]) => sql`${v}::${sql.raw(t)}`),
      sql`, `,
    );
    const out = await queryRows<{ first: string | number }>(
      tx,
      sql`select dutydesk_append(${params}) as first`,
    );
    first = Number(out[0]?.first);
  }
  if (!Number.isInteger(first) || first < 1) throw new Error('dutydesk_append returned no seq');
  return list.map((e, i) => ({ seq: first + i, ...e }));
}

/** An `events` row as a `StoredEvent` (`at` as an ISO string). */
export function toStored(r: typeof events.$inferSelect): StoredEvent {
  return {
    seq: r.seq,
    id: r.id,
    type: r.type,
    ticketId: r.ticketId,
    actorId: r.actorId,
    at: r.at.toISOString(),
    data: r.data,
  };
}

/** Events with seq > after, in seq order. */
export async function readEventsAfter(
  db: Db,
  after: number,
  limit: number,
): Promise<StoredEvent[]> {
  const rows = await db
    .select()
    .from(events)
    .where(gt(events.seq, after))
    .orderBy(asc(events.seq))
    .limit(limit);
  return rows.map(toStored);
}

export interface AuditResult {
  ok: boolean;
  checked: number;
  brokenSeq?: number;
  reason?: string;
}

/**
 * Walks the hash chain from genesis in pages and names the first row whose hash, link or seq
 * is wrong. `onRow` sees each row's seq and stored hash as it is checked (the checkpoint
 * comparison in audit.ts collects the hashes it needs this way). A chain that verifies can
 * still have been cut at its tail or recomputed after an edit: only the signed checkpoints
 * (checkpoints.ts) tell those apart.
 */
export async function verifyAuditChain(
  db: Db,
  pageSize = 2000,
  onRow?: (seq: number, hash: string) => void,
): Promise<AuditResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(events)
      .where(gt(events.seq, expectedSeq - 1))
      .orderBy(asc(events.seq))
      .limit(pageSize);
    if (rows.length === 0) return { ok: true, checked };
    for (const r of rows) {
      onRow?.(r.seq, r.hash);
      if (r.seq !== expectedSeq)
        return {
          ok: false,
          checked,
          brokenSeq: expectedSeq,
          reason: `seq ${expectedSeq} is missing (next is ${r.seq})`,
        };
      if (r.prevHash !== prevHash)
        return {
          ok: false,
          checked,
          brokenSeq: r.seq,
          reason: 'prev_hash does not link to the row before',
        };
      const hash = hashEvent(prevHash, {
        seq: r.seq,
        id: r.id,
        type: r.type,
        ticketId: r.ticketId,
        actorId: r.actorId,
        at: r.at.toISOString(),
        data: r.data,
        commandId: r.commandId,
      });
      if (hash !== r.hash)
        return {
          ok: false,
          checked,
          brokenSeq: r.seq,
          reason: 'content does not match its hash (the row was changed)',
        };
      prevHash = r.hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
}
