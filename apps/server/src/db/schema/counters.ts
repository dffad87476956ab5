import { integer, pgTable, text } from 'drizzle-orm/pg-core';

/** Per-prefix, per-year counters for human ticket numbers (INC-2026-000123). */
export const counters = pgTable('counters', {
  key: text('key').primaryKey(),
  value: integer('value').notNull(),
});
