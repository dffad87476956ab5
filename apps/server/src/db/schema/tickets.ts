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
import { contacts } from './contacts';
import { organisations } from './organisations';

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
    // The linked customer records (migration 0011), written from the state by saveTicket.
    organisationId: text('organisation_id').references(() => organisations.id, {
      onDelete: 'restrict',
    }),
    contactId: text('contact_id').references(() => contacts.id, { onDelete: 'restrict' }),
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
    index('tickets_organisation_idx').on(t.organisationId, t.open),
    index('tickets_contact_idx').on(t.contactId),
    // Earlier numbers of renumbered tickets (migration 0010).
    index('tickets_number_aliases_idx').using(
      'gin',
      sql`(${t.state} -> 'numberAliases') jsonb_path_ops`,
    ),
  ],
);
