import { bigint, boolean, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * Uploaded files (migration 0013, decision 33): metadata and the sha256 of the bytes in the
 * blob store. Staged by the upload route, attached by `ticket.attachment.add` (`attachedSeq`:
 * its event), purged by the retention job.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: text('id').primaryKey(),
    ownerKind: text('owner_kind').notNull().default('ticket'),
    ticketId: text('ticket_id'),
    logEntryId: text('log_entry_id'),
    sha256: text('sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    attachedSeq: bigint('attached_seq', { mode: 'number' }),
    purgedAt: timestamp('purged_at', { withTimezone: true }),
    blobDeleted: boolean('blob_deleted').notNull().default(false),
  },
  (t) => [
    index('attachments_ticket_idx').on(t.ticketId),
    index('attachments_sha256_idx').on(t.sha256),
    index('attachments_staged_idx')
      .on(t.createdAt)
      .where(sql`${t.attachedSeq} is null and ${t.purgedAt} is null`),
  ],
);
