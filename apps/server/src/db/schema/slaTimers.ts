import {
  bigserial,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * One row per upcoming SLA threshold of an open ticket. A scheduler on any node claims due rows
 * with `FOR UPDATE SKIP LOCKED` and fires each once (`fired_at`).
 */
export const slaTimers = pgTable(
  'sla_timers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: text('ticket_id').notNull(),
    target: text('target').notNull(),
    threshold: integer('threshold').notNull(),
    afterMinutes: integer('after_minutes').notNull().default(0),
    /** Stable key of (target, threshold, afterMinutes, dueAt) so a re-plan keeps a fired row fired. */
    key: text('key').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    firedAt: timestamp('fired_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('sla_timers_ticket_key_idx').on(t.ticketId, t.key),
    index('sla_timers_due_idx').on(t.firedAt, t.dueAt),
  ],
);
