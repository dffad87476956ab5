import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Support groups: the L1 desk, L2 and L3 engineering teams, and any others an admin adds. */
export const groups = pgTable('groups', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  nameZh: text('name_zh').notNull(),
  tier: integer('tier').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
