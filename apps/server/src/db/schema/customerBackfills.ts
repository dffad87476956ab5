import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One-off data moves run by the server at start (migration 0011): `cursor` is the last ticket
 * id done, `done_at` set once finished. Row `free-text-customers`: existing tickets' free-text
 * customers to organisation and contact records (decision 31).
 */
export const customerBackfills = pgTable('customer_backfills', {
  id: text('id').primaryKey(),
  cursor: text('cursor').notNull(),
  doneAt: timestamp('done_at', { withTimezone: true }),
});
