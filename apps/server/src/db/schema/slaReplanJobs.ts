import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Background re-plans of every open ticket after an SLA policy or calendar change, kept in the
 * database so that a job outlives the node that started it: `cursor` is the last ticket id
 * re-planned (tickets go in id order), `owner` the node running it (null: free to resume) and
 * `heartbeat_at` its last progress; a running job whose heartbeat is stale is taken over by
 * any node's scheduler and continues after `cursor`.
 */
export const slaReplanJobs = pgTable(
  'sla_replan_jobs',
  {
    id: text('id').primaryKey(),
    reason: text('reason').notNull(),
    /** Settings version the job was started for. */
    version: integer('version').notNull(),
    /** `running`, `done`, `failed` or `superseded` (a newer job re-plans everything again). */
    status: text('status').notNull(),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    changed: integer('changed').notNull().default(0),
    /** Times a node took the job over after its runner stopped or died. */
    resumed: integer('resumed').notNull().default(0),
    cursor: text('cursor'),
    owner: text('owner'),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    error: text('error'),
  },
  (t) => [index('sla_replan_jobs_status_idx').on(t.status, t.heartbeatAt)],
);
