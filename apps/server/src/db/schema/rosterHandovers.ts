import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** One handover report per shift start, made once by whichever node sees the change first. */
export const rosterHandovers = pgTable('roster_handovers', {
  shiftId: text('shift_id').primaryKey(),
  generatedAt: timestamp('generated_at', { withTimezone: true }).notNull(),
  report: jsonb('report').notNull(),
});
