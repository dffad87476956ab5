import { jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Each device metric's health state (the intake feature's `health.ts` machine; migration 0018). */
export const deviceMetricStates = pgTable(
  'device_metric_states',
  {
    deviceId: text('device_id').notNull(),
    metric: text('metric').notNull(),
    state: jsonb('state').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'device_metric_states_pk', columns: [t.deviceId, t.metric] })],
);
