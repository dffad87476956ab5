import { computeRetainUntil, isRetentionOver, type PendingEvent } from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { createBackgroundLoop, type BackgroundLoop } from '../../jobs/loop';
import type { StoredEvent } from '../events';
import { appendAndApply, lockTicket } from '../tickets';
import {
  findRetentionCandidates,
  findStaleStaged,
  findUnneededBlobs,
  lockAttachment,
  markBlobDeleted,
  markPurged,
} from './attachments.repo';
import type { BlobStore } from './blobStore';
import { dropBlobIfUnneeded } from './staging';

/** What one retention run did. */
export interface RetentionReport {
  /** Attachments whose retention ran out (each with an `attachment.purged` event). */
  purged: number;
  /** Uploads staged but never attached (older than a day), dropped without an event. */
  staleUploads: number;
  /** Blobs deleted from the store (no row needs them any more). */
  blobsDeleted: number;
}

/** A staged upload whose command has not run after this long is dropped. */
export const STALE_UPLOAD_MS = 24 * 3_600_000;
const BATCH = 200;

/**
 * One run of the retention job at `now` (the server's clock; tests pass a fake one):
 * 1. every attachment of a ticket closed longer ago than the retention period is purged: its
 *    row marked and an `attachment.purged` event appended to the ticket (in one transaction
 *    with the ticket locked, so a reopen in between wins), so the audit chain records the
 *    deletion and every seat shows it;
 * 2. uploads staged more than a day ago and never attached are marked purged (they never were
 *    in the log);
 * 3. every blob no unpurged row needs is deleted from the store, under its digest's lock.
 * Each step is idempotent: any number of nodes may run it.
 */
export async function runRetention(
  ctx: AppContext,
  store: BlobStore,
  now: Date,
): Promise<RetentionReport> {
  const years = ctx.config.attachments.retentionYears;
  const report: RetentionReport = { purged: 0, staleUploads: 0, blobsDeleted: 0 };
  // A superset of what the policy expires: a calendar year is never shorter than 365 days.
  const closedBefore = new Date(now.getTime() - years * 365 * 86_400_000);
  for (;;) {
    const candidates = await findRetentionCandidates(ctx.database.db, closedBefore, BATCH);
    let progressed = false;
    for (const c of candidates) {
      const events = await ctx.database.db.transaction(async (tx): Promise<StoredEvent[]> => {
        const ticket = await lockTicket(tx, c.ticketId);
        if (!ticket || !isRetentionOver(ticket, now, years)) return [];
        const row = await lockAttachment(tx, c.id);
        if (!row || row.purgedAt) return [];
        await markPurged(tx, row.id, now);
        const retainUntil = computeRetainUntil(ticket.closedAt, years) ?? now;
        const event = {
          type: 'attachment.purged',
          ticketId: ticket.id,
          at: now.toISOString(),
          actorId: null,
          data: {
            attachmentId: row.id,
            sha256: row.sha256,
            reason: 'retention',
            retainUntil: retainUntil.toISOString(),
          },
        } as PendingEvent;
        const stored = await appendAndApply(tx, ticket, [event], null, now, ctx);
        return stored.events;
      });
      if (events.length > 0) {
        progressed = true;
        report.purged += 1;
        ctx.publish(events);
      }
    }
    if (candidates.length < BATCH || !progressed) break;
  }
  for (;;) {
    const stale = await findStaleStaged(
      ctx.database.db,
      new Date(now.getTime() - STALE_UPLOAD_MS),
      BATCH,
    );
    for (const s of stale) {
      await ctx.database.db.transaction(async (tx) => {
        const row = await lockAttachment(tx, s.id);
        if (row && row.attachedSeq === null && !row.purgedAt) await markPurged(tx, row.id, now);
      });
      report.staleUploads += 1;
    }
    if (stale.length < BATCH) break;
  }
  for (;;) {
    const unneeded = await findUnneededBlobs(ctx.database.db, BATCH);
    let deleted = 0;
    for (const sha256 of unneeded) {
      const done = await dropBlobIfUnneeded(ctx, store, sha256, (tx) =>
        markBlobDeleted(tx, sha256),
      );
      if (done) deleted += 1;
    }
    report.blobsDeleted += deleted;
    if (unneeded.length < BATCH || deleted === 0) break;
  }
  if (report.purged + report.staleUploads + report.blobsDeleted > 0)
    ctx.log.info({ ...report, retentionYears: years }, 'attachment retention: files deleted');
  return report;
}

/** The retention job on the background-loop helper (`DUTYDESK_ATTACHMENT_RETENTION_MINUTES`). */
export function createRetentionLoop(
  ctx: AppContext,
  store: BlobStore,
): BackgroundLoop<RetentionReport> {
  return createBackgroundLoop({
    name: 'attachment retention',
    intervalMs: ctx.config.attachments.retentionIntervalMs,
    log: ctx.log,
    run: () => runRetention(ctx, store, ctx.clock.now()),
  });
}
