import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Outbound webhook subscriptions (decision 34). `cursor_seq` is the last event delivered or
 * skipped as not matching; `lease_owner` / `lease_until` (the database's clock) name the node
 * delivering it now; `replay_gen` counts replays (it is part of the message ids after one) and
 * `revision` every admin change, so a node that delivers with stale settings stops. `secret`
 * (and `previous_secret` until `previous_secret_until`, after a rotation) signs deliveries and
 * is never logged or read back over the API.
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: text('id').primaryKey(),
    url: text('url').notNull(),
    events: jsonb('events').notNull(),
    groupIds: jsonb('group_ids').notNull(),
    organisations: jsonb('organisations').notNull(),
    description: text('description').notNull(),
    status: text('status').notNull(),
    pausedReason: text('paused_reason'),
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true }),
    cursorSeq: bigint('cursor_seq', { mode: 'number' }).notNull(),
    replayGen: integer('replay_gen').notNull().default(0),
    revision: integer('revision').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    failingSince: timestamp('failing_since', { withTimezone: true }),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lastError: text('last_error'),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('webhook_subscriptions_status_idx').on(t.status, t.leaseUntil)],
);
