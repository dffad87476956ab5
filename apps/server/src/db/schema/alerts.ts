import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Escalation alerts: one row per (ticket, ladder step) while open, climbing levels until
 * acknowledged. Digest rows (`kind = 'digest'`, no ticket) fold a burst for one target; their
 * members point at them with `parent_id`.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    ticketId: text('ticket_id'),
    kind: text('kind').notNull(),
    stepKey: text('step_key').notNull(),
    level: integer('level').notNull(),
    severity: text('severity').notNull(),
    message: text('message').notNull(),
    /** `{ recipientIds, roles }` of the current level. */
    targets: jsonb('targets').notNull(),
    /** `open`, `acknowledged` or `closed`. */
    status: text('status').notNull(),
    /** `acknowledged`, `resolved` (the ticket was resolved first), `folded` … */
    outcome: text('outcome'),
    count: integer('count').notNull().default(1),
    parentId: text('parent_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastRaisedAt: timestamp('last_raised_at', { withTimezone: true }).notNull(),
    climbAt: timestamp('climb_at', { withTimezone: true }),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    data: jsonb('data').notNull(),
  },
  (t) => [
    uniqueIndex('alerts_open_ticket_step_idx')
      .on(t.ticketId, t.stepKey)
      .where(sql`status = 'open' and ticket_id is not null`),
    index('alerts_climb_idx').on(t.status, t.climbAt),
    index('alerts_parent_idx').on(t.parentId),
  ],
);
