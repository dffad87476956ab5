import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { organisations } from './organisations';

/**
 * Customer contacts (migration 0011). `phone_digits` is the phone with only its digits
 * (shared `normalisePhone`), indexed for prefix matches and, reversed, for suffix matches;
 * `name_key` the normalised name, indexed for prefix matches.
 */
export const contacts = pgTable(
  'contacts',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id').references(() => organisations.id, {
      onDelete: 'restrict',
    }),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    phone: text('phone'),
    phoneDigits: text('phone_digits'),
    email: text('email'),
    role: text('role'),
    preferredLanguage: text('preferred_language'),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('contacts_organisation_idx').on(t.organisationId),
    index('contacts_phone_digits_idx').using('btree', sql`${t.phoneDigits} text_pattern_ops`),
    index('contacts_phone_digits_reverse_idx').using(
      'btree',
      sql`(reverse(${t.phoneDigits})) text_pattern_ops`,
    ),
    index('contacts_name_key_idx').using('btree', sql`${t.nameKey} text_pattern_ops`),
  ],
);

export type ContactRow = typeof contacts.$inferSelect;
