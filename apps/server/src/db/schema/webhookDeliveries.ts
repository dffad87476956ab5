import {
  bigint,
  bigserial,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { webhookSubscriptions } from './webhookSubscriptions';

/** Every delivery attempt of a subscription (its delivery log), pruned after a week. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
    n: bigserial('n', { mode: 'number' }).notNull(),
    /** The `webhook-id` header sent. */
    messageId: text('message_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    eventType: text('event_type').notNull(),
    attempt: integer('attempt').notNull(),
    outcome: text('outcome').notNull(),
    httpStatus: integer('http_status'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.subscriptionId, t.n] }),
    index('webhook_deliveries_at_idx').on(t.at),
  ],
);
