import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The intake rules an admin sets (migration 0018): one row, `default`. */
export const intakeSettings = pgTable('intake_settings', {
  id: text('id').primaryKey(),
  data: jsonb('data').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
