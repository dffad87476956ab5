import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { contacts } from './contacts';
import { organisations } from './organisations';

/**
 * Devices the metrics door watches (migration 0018): the customer's organisation, its
 * operations lead (the contact told of a red alert) and a threshold per metric.
 */
export const monitoredDevices = pgTable('monitored_devices', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  organisationId: text('organisation_id').references(() => organisations.id, {
    onDelete: 'restrict',
  }),
  leadContactId: text('lead_contact_id').references(() => contacts.id, { onDelete: 'restrict' }),
  thresholds: jsonb('thresholds').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
