import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Problem records (issue 22, decision 58): the whole record in `record` (what every
 * `problem.*` event carries), with the columns the lists and the 48 h job query.
 */
export const problems = pgTable(
  'problems',
  {
    id: text('id').primaryKey(),
    number: text('number').notNull(),
    version: integer('version').notNull(),
    status: text('status').notNull(),
    organisationId: text('organisation_id'),
    rootCauseDueAt: timestamp('root_cause_due_at', { withTimezone: true }).notNull(),
    rootCauseAt: timestamp('root_cause_at', { withTimezone: true }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    /** When the overdue fault-analysis report of a P1 was escalated (once). */
    reportEscalatedAt: timestamp('report_escalated_at', { withTimezone: true }),
    record: jsonb('record').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('problems_status_idx').on(t.status, t.updatedAt),
    index('problems_org_idx').on(t.organisationId),
    index('problems_due_idx').on(t.rootCauseDueAt),
  ],
);

/** Change requests linked to problems and tickets (decision 58). */
export const changeRequests = pgTable(
  'change_requests',
  {
    id: text('id').primaryKey(),
    number: text('number').notNull(),
    version: integer('version').notNull(),
    status: text('status').notNull(),
    problemId: text('problem_id'),
    record: jsonb('record').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('change_requests_status_idx').on(t.status, t.updatedAt),
    index('change_requests_problem_idx').on(t.problemId),
  ],
);
