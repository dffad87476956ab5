import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Shifts in the calendar: concrete instants, made from a template or by hand. */
export const rosterShifts = pgTable(
  'roster_shifts',
  {
    id: text('id').primaryKey(),
    templateId: text('template_id'),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('roster_shifts_time_idx').on(t.startsAt, t.endsAt)],
);
