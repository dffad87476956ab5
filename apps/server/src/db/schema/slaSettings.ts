import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * SLA settings an admin edits over REST: one row per policy (`kind = 'policy'`) and per
 * calendar (`kind = 'calendar'`). `version` grows on every write (the highest is the version
 * of the whole set), so every node can poll one number and reload when it moves.
 */
export const slaSettings = pgTable(
  'sla_settings',
  {
    kind: text('kind').notNull(),
    id: text('id').notNull(),
    body: jsonb('body').notNull(),
    version: integer('version').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: text('updated_by'),
  },
  (t) => [primaryKey({ columns: [t.kind, t.id] })],
);
