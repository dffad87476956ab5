import { bigserial, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Every send attempt of the outbox (the log of what was sent, and what failed), pruned after 30 days. */
export const mailAttempts = pgTable(
  'mail_attempts',
  {
    n: bigserial('n', { mode: 'number' }).primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    attempt: integer('attempt').notNull(),
    /** `sent` or `failed`. */
    outcome: text('outcome').notNull(),
    toAddress: text('to_address').notNull(),
    template: text('template').notNull(),
    /** The Message-ID header sent. */
    messageId: text('message_id'),
    error: text('error'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('mail_attempts_at_idx').on(t.at), index('mail_attempts_key_idx').on(t.dedupeKey)],
);
