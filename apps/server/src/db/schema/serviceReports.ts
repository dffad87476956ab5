import { sql } from 'drizzle-orm';
import {
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * Kept service reports (issue 22, decision 60): the monthly job's one per month and scope (the
 * desk, or one organisation: unique where `kind = 'monthly'`) and those made on demand; the
 * content as computed then (the reports' tables) and its PDF.
 */
export const serviceReports = pgTable(
  'service_reports',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    /** `YYYY-MM` (desk time) of a monthly report. */
    month: text('month'),
    /** First and last desk day of the period (`YYYY-MM-DD`, both included). */
    periodFrom: text('period_from').notNull(),
    periodTo: text('period_to').notNull(),
    /** `desk` or the organisation's id. */
    scope: text('scope').notNull(),
    organisationId: text('organisation_id'),
    organisationName: text('organisation_name'),
    locale: text('locale').notNull(),
    content: jsonb('content').notNull(),
    pdf: bytea('pdf').notNull(),
    pdfSha256: text('pdf_sha256').notNull(),
    pdfBytes: integer('pdf_bytes').notNull(),
    generatedAt: timestamp('generated_at', { withTimezone: true }).notNull(),
    /** Who made it on demand; null: the monthly job. */
    generatedBy: text('generated_by'),
  },
  (t) => [
    uniqueIndex('service_reports_monthly_uq')
      .on(t.month, t.scope)
      .where(sql`${t.kind} = 'monthly'`),
    index('service_reports_generated_idx').on(t.generatedAt),
  ],
);

/** The monthly job's run of a month: claimed under a lease, done once every scope is kept. */
export const serviceReportRuns = pgTable('service_report_runs', {
  month: text('month').primaryKey(),
  leaseOwner: text('lease_owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
  reports: integer('reports'),
  doneAt: timestamp('done_at', { withTimezone: true }),
});
