import { asc, desc, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { auditCheckpoints, events } from '../../db/schema/index';

/** A signed head of the event log: the server key's signature of `seq`, `hash` and `at`. */
export interface Checkpoint {
  seq: number;
  hash: string;
  /** ISO-8601 instant the checkpoint was made. */
  at: string;
  keyId: string;
  /** base64 Ed25519 signature (see `checkpointMessage`). */
  signature: string;
}

/** The newest event's seq and hash, or null on an empty log. */
export async function readHead(db: Db): Promise<{ seq: number; hash: string } | null> {
  const [row] = await db
    .select({ seq: events.seq, hash: events.hash })
    .from(events)
    .orderBy(desc(events.seq))
    .limit(1);
  return row ?? null;
}

/** The hash stored at one seq, or null when there is no such row. */
export async function readHashAt(db: Db, seq: number): Promise<string | null> {
  const [row] = await db.select({ hash: events.hash }).from(events).where(eq(events.seq, seq));
  return row?.hash ?? null;
}

/** Stores a checkpoint; a second one at the same seq (another node's) is dropped. */
export async function insertCheckpoint(db: Db, c: Checkpoint): Promise<void> {
  await db
    .insert(auditCheckpoints)
    .values({
      seq: c.seq,
      hash: c.hash,
      at: new Date(c.at),
      keyId: c.keyId,
      signature: c.signature,
    })
    .onConflictDoNothing();
}

/** The newest stored checkpoint, or null. */
export async function readLatestCheckpoint(db: Db): Promise<Checkpoint | null> {
  const [row] = await db
    .select()
    .from(auditCheckpoints)
    .orderBy(desc(auditCheckpoints.seq))
    .limit(1);
  return row ? toCheckpoint(row) : null;
}

/** Every stored checkpoint in seq order (one per few minutes: about 100 000 a year). */
export async function listCheckpoints(db: Db): Promise<Checkpoint[]> {
  const rows = await db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.seq));
  return rows.map(toCheckpoint);
}

/** Hashes stored at the given seqs (missing seqs are absent from the map). */
export async function readHashesAt(db: Db, seqs: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let i = 0; i < seqs.length; i += 5000) {
    const part = seqs.slice(i, i + 5000);
    const rows = await queryRows<{ seq: string | number; hash: string }>(
      db,
      sql`select seq, hash from events where seq = any(${`{${part.join(',')}}`}::bigint[])`,
    );
    for (const r of rows) out.set(Number(r.seq), r.hash);
  }
  return out;
}

function toCheckpoint(r: typeof auditCheckpoints.$inferSelect): Checkpoint {
  return {
    seq: r.seq,
    hash: r.hash,
    at: r.at.toISOString(),
    keyId: r.keyId,
    signature: r.signature,
  };
}
