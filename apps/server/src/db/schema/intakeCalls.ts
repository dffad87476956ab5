import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Hotline calls and chats by their source's id (migration 0018): the ticket each opened or
 * joined, when it queued and was answered (the wallboard's calls waiting and answered within
 * 30 s), and `last_key` to take a resent event without a second effect.
 */
export const intakeCalls = pgTable(
  'intake_calls',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    ticketId: text('ticket_id'),
    caller: text('caller'),
    queuedAt: timestamp('queued_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    lastKey: text('last_key').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('intake_calls_queued_idx').on(t.kind, t.queuedAt)],
);
