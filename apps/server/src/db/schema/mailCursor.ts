import { bigint, integer, pgTable } from 'drizzle-orm/pg-core';

/** How far the mail feature has turned the event log into mails (one row, id 1; starts at the head). */
export const mailCursor = pgTable('mail_cursor', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
});
