import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Idempotency: the first result of every command, by its client-generated `commandId`. */
export const commandResults = pgTable('command_results', {
  commandId: text('command_id').primaryKey(),
  actorId: text('actor_id').notNull(),
  result: jsonb('result').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
