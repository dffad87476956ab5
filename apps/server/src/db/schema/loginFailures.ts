import { bigserial, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Failed logins, keyed `user:<name>` and `ip:<address>`, for rate limiting across every node. */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_failures_key_at_idx').on(t.key, t.at)],
);
