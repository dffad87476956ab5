import { pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Integration tokens of the intake doors (migration 0018, decision 41): only the token's
 * SHA-256 is stored; a token opens `/api/intake/*` and nothing else. `revoked_at` set: refused.
 */
export const integrations = pgTable(
  'integrations',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('integrations_token_hash_idx').on(t.tokenHash)],
);
