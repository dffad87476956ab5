import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Escalation ladders an admin edits over REST; absent rows mean the shipped defaults. */
export const escalationPolicies = pgTable('escalation_policies', {
  id: text('id').primaryKey(),
  body: jsonb('body').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: text('updated_by'),
});
