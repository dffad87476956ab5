import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * QA samples (issue 22, decision 48): the monthly job's one per month, drawn once by whichever
 * node gets there first (unique on `period` where `drawn_by` is null), and extra ones drawn by hand.
 */
export const qaSamples = pgTable(
  'qa_samples',
  {
    id: text('id').primaryKey(),
    /** The month sampled, `YYYY-MM` in the desk's time zone. */
    period: text('period').notNull(),
    seed: text('seed').notNull(),
    periodFrom: timestamp('period_from', { withTimezone: true }).notNull(),
    periodTo: timestamp('period_to', { withTimezone: true }).notNull(),
    population: integer('population').notNull(),
    size: integer('size').notNull(),
    /** The strata (agent × priority) with their populations and quotas. */
    strata: jsonb('strata').notNull(),
    drawnAt: timestamp('drawn_at', { withTimezone: true }).notNull(),
    /** Who drew it by hand; null: the monthly job. */
    drawnBy: text('drawn_by'),
  },
  (t) => [
    uniqueIndex('qa_samples_monthly_idx')
      .on(t.period)
      .where(sql`${t.drawnBy} is null`),
    index('qa_samples_period_idx').on(t.period, t.drawnAt),
  ],
);

/** A sampled ticket: its automatic findings and the reviewer's checklist verdict. */
export const qaItems = pgTable(
  'qa_items',
  {
    id: text('id').primaryKey(),
    sampleId: text('sample_id')
      .notNull()
      .references(() => qaSamples.id, { onDelete: 'cascade' }),
    ticketId: text('ticket_id').notNull(),
    ticketNumber: text('ticket_number').notNull(),
    agentId: text('agent_id'),
    priority: text('priority').notNull(),
    stratum: text('stratum').notNull(),
    position: integer('position').notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }).notNull(),
    findings: jsonb('findings').notNull(),
    verdict: jsonb('verdict'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  },
  (t) => [
    index('qa_items_sample_idx').on(t.sampleId, t.position),
    index('qa_items_agent_idx').on(t.agentId, t.closedAt),
  ],
);
