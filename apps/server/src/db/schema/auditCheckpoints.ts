import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Signed heads of the event log (features/events/checkpoints.ts): `signature` is the server
 * key's Ed25519 signature of `seq`, `hash` and `at`. Append-only like `events` (triggers in
 * drizzle/0008_audit_append_only.sql); also written to the log output and exportable, so
 * `audit verify` can tell a truncated or re-chained log from an intact one.
 */
export const auditCheckpoints = pgTable('audit_checkpoints', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  hash: text('hash').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  keyId: text('key_id').notNull(),
  signature: text('signature').notNull(),
});
