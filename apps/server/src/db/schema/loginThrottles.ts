import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Login attempts per key (`user:<name>`, `device:<id>`, `ip:<address>`): the count in the
 * current run of failures, the last attempt and when the next one is allowed. An attempt is
 * reserved here in one statement before its password is verified, so concurrent guesses
 * cannot all pass the check (decision 18).
 */
export const loginThrottles = pgTable(
  'login_throttles',
  {
    key: text('key').primaryKey(),
    attempts: integer('attempts').notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
    blockedUntil: timestamp('blocked_until', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_throttles_last_at_idx').on(t.lastAt)],
);
