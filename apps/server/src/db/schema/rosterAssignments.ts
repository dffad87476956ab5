import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Who holds which duty on a shift. A cover row (`cover_for` set) takes the covered user's duty
 * for its window (`from_at`/`to_at`, default the whole shift); a removed row keeps its history.
 */
export const rosterAssignments = pgTable(
  'roster_assignments',
  {
    id: text('id').primaryKey(),
    shiftId: text('shift_id').notNull(),
    userId: text('user_id').notNull(),
    duty: text('duty').notNull(),
    coverFor: text('cover_for'),
    fromAt: timestamp('from_at', { withTimezone: true }),
    toAt: timestamp('to_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: text('created_by'),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [index('roster_assignments_shift_idx').on(t.shiftId)],
);
