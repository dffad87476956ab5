import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** The current state of each ticket (the reducer's output) plus the columns queues filter on. */
export const tickets = pgTable(
  'tickets',
  {
    id: text('id').primaryKey(),
    number: text('number').notNull().unique(),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    priority: text('priority').notNull(),
    groupId: text('group_id'),
    assigneeId: text('assignee_id'),
    majorIncident: boolean('major_incident').notNull().default(false),
    open: boolean('open').notNull(),
    version: integer('version').notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    state: jsonb('state').notNull(),
  },
  (t) => [
    index('tickets_open_idx').on(t.open, t.priority),
    index('tickets_group_idx').on(t.groupId),
    index('tickets_assignee_idx').on(t.assigneeId),
    // Earlier numbers of renumbered tickets (migration 0010).
    index('tickets_number_aliases_idx').using(
      'gin',
      sql`(${t.state} -> 'numberAliases') jsonb_path_ops`,
    ),
  ],
);
