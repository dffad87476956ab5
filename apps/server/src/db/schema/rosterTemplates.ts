import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Shift templates (day, night, custom): a local start time and a length in a time zone. */
export const rosterTemplates = pgTable('roster_templates', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  startTime: text('start_time').notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  timeZone: text('time_zone').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
