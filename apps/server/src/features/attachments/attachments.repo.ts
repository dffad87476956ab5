import { and, eq, isNull, sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client';
import { attachments } from '../../db/schema/index';

/** An attachment row as the feature reads it. */
export interface AttachmentRow {
  id: string;
  ticketId: string | null;
  logEntryId: string | null;
  sha256: string;
  size: number;
  name: string;
  contentType: string;
  uploadedBy: string;
  createdAt: Date;
  attachedSeq: number | null;
  purgedAt: Date | null;
}

function toRow(r: typeof attachments.$inferSelect): AttachmentRow {
  return {
    id: r.id,
    ticketId: r.ticketId,
    logEntryId: r.logEntryId,
    sha256: r.sha256,
    size: r.size,
    name: r.name,
    contentType: r.contentType,
    uploadedBy: r.uploadedBy,
    createdAt: r.createdAt,
    attachedSeq: r.attachedSeq,
    purgedAt: r.purgedAt,
  };
}

/**
 * Serialises everything that decides whether a blob is needed (a staged row for it, the
 * retention job deleting it) on one digest, until the transaction ends. Two-key advisory locks
 * are a key space of their own, apart from the event log's append lock.
 */
export async function lockBlob(tx: Tx, sha256: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(33, hashtext(${sha256}))`);
}

/** A staged row: the upload is in the store, the command that attaches it has not run yet. */
export async function insertStaged(
  tx: Tx,
  row: Omit<AttachmentRow, 'attachedSeq' | 'purgedAt'>,
): Promise<void> {
  await tx.insert(attachments).values({ ...row, ownerKind: 'ticket' });
}

/** The row, locked for the command that attaches it. */
export async function lockAttachment(tx: Tx, id: string): Promise<AttachmentRow | null> {
  const rows = await tx.select().from(attachments).where(eq(attachments.id, id)).for('update');
  return rows[0] ? toRow(rows[0]) : null;
}

export async function markAttached(tx: Tx, id: string, seq: number): Promise<void> {
  await tx.update(attachments).set({ attachedSeq: seq }).where(eq(attachments.id, id));
}

/** Removes a staged row whose command was refused (it never reached the log). */
export async function deleteStaged(db: Db, id: string): Promise<void> {
  await db.delete(attachments).where(and(eq(attachments.id, id), isNull(attachments.attachedSeq)));
}

export async function readAttachment(db: Db, id: string): Promise<AttachmentRow | null> {
  const rows = await db.select().from(attachments).where(eq(attachments.id, id));
  return rows[0] ? toRow(rows[0]) : null;
}

/** Attached, unpurged attachments of tickets closed before `closedBefore` (candidates). */
export async function findRetentionCandidates(
  db: Db,
  closedBefore: Date,
  limit: number,
): Promise<Array<{ id: string; ticketId: string; sha256: string }>> {
  const rows = await queryRows<{ id: string; ticket_id: string; sha256: string }>(
    db,
    sql`select a.id, a.ticket_id, a.sha256 from attachments a
        join tickets t on t.id = a.ticket_id
        where a.attached_seq is not null and a.purged_at is null and t.status = 'closed'
          and (t.state->>'closedAt')::timestamptz < ${closedBefore.toISOString()}::timestamptz
        order by a.created_at limit ${limit}`,
  );
  return rows.map((r) => ({ id: r.id, ticketId: r.ticket_id, sha256: r.sha256 }));
}

/** Staged rows older than `before`: uploads whose command never ran (a crash, a refusal). */
export async function findStaleStaged(
  db: Db,
  before: Date,
  limit: number,
): Promise<Array<{ id: string; sha256: string }>> {
  const rows = await queryRows<{ id: string; sha256: string }>(
    db,
    sql`select id, sha256 from attachments
        where attached_seq is null and purged_at is null
          and created_at < ${before.toISOString()}::timestamptz
        order by created_at limit ${limit}`,
  );
  return rows;
}

export async function markPurged(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.update(attachments).set({ purgedAt: at }).where(eq(attachments.id, id));
}

/** Digests whose rows are all purged while the blob may still be stored. */
export async function findUnneededBlobs(db: Db, limit: number): Promise<string[]> {
  const rows = await queryRows<{ sha256: string }>(
    db,
    sql`select distinct a.sha256 from attachments a
        where a.purged_at is not null and not a.blob_deleted
          and not exists (select 1 from attachments b
                          where b.sha256 = a.sha256 and b.purged_at is null)
        limit ${limit}`,
  );
  return rows.map((r) => r.sha256);
}

/** Whether any row not purged (staged or attached) still needs this blob. */
export async function isBlobNeeded(tx: Tx, sha256: string): Promise<boolean> {
  const rows = await queryRows<{ n: string | number }>(
    tx,
    sql`select count(*) as n from attachments where sha256 = ${sha256} and purged_at is null`,
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

export async function markBlobDeleted(tx: Tx, sha256: string): Promise<void> {
  await tx
    .update(attachments)
    .set({ blobDeleted: true })
    .where(and(eq(attachments.sha256, sha256), sql`${attachments.purgedAt} is not null`));
}
