import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The outgoing e-mail outbox (migration 0015, decision 38): one row per mail, keyed by its
 * dedupe key, so the same mail is enqueued once however often its cause is processed. `status`:
 * `queued` (waiting or retrying), `sent`, `failed` (refused for good or too old to send).
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    dedupeKey: text('dedupe_key').primaryKey(),
    toAddress: text('to_address').notNull(),
    template: text('template').notNull(),
    locale: text('locale').notNull(),
    params: jsonb('params').notNull(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastError: text('last_error'),
    messageId: text('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt)],
);
