import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Major incidents: the parent ticket, linked children, the announcement timeline, the root-cause task. */
export const majorIncidents = pgTable('major_incidents', {
  ticketId: text('ticket_id').primaryKey(),
  status: text('status').notNull(),
  declaredAt: timestamp('declared_at', { withTimezone: true }).notNull(),
  declaredBy: text('declared_by').notNull(),
  childTicketIds: jsonb('child_ticket_ids').notNull(),
  timeline: jsonb('timeline').notNull(),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  rootCauseDueAt: timestamp('root_cause_due_at', { withTimezone: true }),
  rootCauseDoneAt: timestamp('root_cause_done_at', { withTimezone: true }),
  rootCauseSummary: text('root_cause_summary'),
  rootCauseAlertedAt: timestamp('root_cause_alerted_at', { withTimezone: true }),
});
