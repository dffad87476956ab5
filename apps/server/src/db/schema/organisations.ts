import { integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './users';

/**
 * Customer organisations (migration 0011). `name_key` is the normalised name (shared
 * `normaliseName`): unique, and what the lookup's prefix match reads. `sla_policy_id` names a
 * policy in `sla_settings` (checked by the server when saved, not by a foreign key: policies
 * are replaced as a list).
 */
export const organisations = pgTable(
  'organisations',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    businessType: text('business_type'),
    contract: text('contract'),
    slaPolicyId: text('sla_policy_id'),
    coreNeeds: text('core_needs'),
    specialConcerns: text('special_concerns'),
    serviceManagerId: text('service_manager_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    status: text('status').notNull(),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('organisations_name_key_idx').using('btree', sql`${t.nameKey} text_pattern_ops`),
  ],
);

export type OrganisationRow = typeof organisations.$inferSelect;
