import { index, integer, jsonb, pgTable, real, text, timestamp } from 'drizzle-orm/pg-core';

/** Historical imports (migration 0023, decision 50): progress of one `POST /api/import/tickets`. */
export const importJobs = pgTable('import_jobs', {
  id: text('id').primaryKey(),
  status: text('status').notNull(),
  total: integer('total').notNull(),
  done: integer('done').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  errors: jsonb('errors').notNull().default([]),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/** Trained classifier models (migration 0023): the newest version is in force on every node. */
export const classifierModels = pgTable('classifier_models', {
  version: integer('version').primaryKey(),
  trainedAt: timestamp('trained_at', { withTimezone: true }).notNull(),
  examples: integer('examples').notNull(),
  meta: jsonb('meta').notNull(),
  model: text('model').notNull(),
});

/** Training runs; `key` is unique so one node claims the nightly run. */
export const classifierJobs = pgTable('classifier_jobs', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  reason: text('reason').notNull(),
  status: text('status').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  version: integer('version'),
  error: text('error'),
});

/** What the create dialog suggested and what the agent kept (production accuracy). */
export const classifierFeedback = pgTable(
  'classifier_feedback',
  {
    id: text('id').primaryKey(),
    ticketId: text('ticket_id'),
    field: text('field').notNull(),
    suggested: text('suggested'),
    confidence: real('confidence'),
    kept: text('kept'),
    modelVersion: integer('model_version'),
    actorId: text('actor_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('classifier_feedback_at_idx').on(t.at)],
);
