import { bigint, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * How far the search projector has read the event log (`seq`) and with which version of the
 * terms (`version`; a newer version rebuilds the index from seq 0). One row, `search`.
 */
export const searchCursor = pgTable('search_cursor', {
  name: text('name').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  version: integer('version').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
