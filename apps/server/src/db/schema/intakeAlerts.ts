import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Alertmanager alerts by fingerprint (migration 0018): the ticket the fingerprint opened, its
 * last status and `startsAt`, and `last_key` (status, startsAt, endsAt) to know a resent
 * notification from a new one.
 */
export const intakeAlerts = pgTable('intake_alerts', {
  fingerprint: text('fingerprint').primaryKey(),
  ticketId: text('ticket_id').notNull(),
  status: text('status').notNull(),
  startsAt: text('starts_at').notNull(),
  lastKey: text('last_key').notNull(),
  count: integer('count').notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
});
