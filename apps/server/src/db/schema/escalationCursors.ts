import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** How far the escalation engine has read the event log (one row, locked while a node works). */
export const escalationCursors = pgTable('escalation_cursors', {
  id: text('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
