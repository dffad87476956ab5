import { asc, desc, gt, sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client';
import { events } from '../../db/schema/index';
import { GENESIS_HASH, hashEvent } from './canonical';

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

export interface NewEvent {
  id: string;
  type: string;
  ticketId: string | null;
  actorId: string | null;
  at: string;
  data: unknown;
}

/** Serialises appends: seq is taken under this lock and the lock is held until commit. */
const APPEND_LOCK = 727_274_002;

/** The newest committed seq (0 on an empty log). */
export async function readCurrentSeq(db: Db): Promise<number> {
  const rows = await queryRows<{ seq: string | number | null }>(
    db,
    sql`select max(seq) as seq from events`,
  );
  const v = rows[0]?.seq;
  return v == null ? 0 : Number(v);
}

/**
 * Appends events inside the caller's transaction. A transaction-level advisory
 * lock is taken first and held until COMMIT, so seq is assigned in commit order:
 * a seat resuming from seq N can never miss an event that commits later with a
 * smaller seq.
 */
export async function appendEvents(
  tx: Tx,
  list: NewEvent[],
  commandId: string | null,
): Promise<StoredEvent[]> {
  if (list.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(${APPEND_LOCK})`);
  const [last] = await tx
    .select({ seq: events.seq, hash: events.hash })
    .from(events)
    .orderBy(desc(events.seq))
    .limit(1);
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows: Array<typeof events.$inferInsert> = [];
  const stored: StoredEvent[] = [];
  for (const e of list) {
    seq += 1;
    const hash = hashEvent(prevHash, { ...e, seq, commandId });
    rows.push({
      seq,
      id: e.id,
      type: e.type,
      ticketId: e.ticketId,
      actorId: e.actorId,
      at: new Date(e.at),
      data: e.data,
      commandId,
      prevHash,
      hash,
    });
    stored.push({ seq, ...e });
    prevHash = hash;
  }
  await tx.insert(events).values(rows);
  return stored;
}

function toStored(r: typeof events.$inferSelect): StoredEvent {
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

/** Walks the hash chain in pages and names the first row whose hash, link or seq is wrong. */
export async function verifyAuditChain(db: Db, pageSize = 2000): Promise<AuditResult> {
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
