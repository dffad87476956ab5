import { boolean, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The customer portal (migration 0024, decision 52). A signed link opens one ticket for one
 * contact until it expires or is revoked; only the token's SHA-256 is stored.
 */
export const portalLinks = pgTable(
  'portal_links',
  {
    id: text('id').primaryKey(),
    ticketId: text('ticket_id').notNull(),
    contactId: text('contact_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('portal_links_token_hash_idx').on(t.tokenHash),
    index('portal_links_ticket_idx').on(t.ticketId),
  ],
);

/** A contact's login to the portal (argon2id like staff passwords); one per contact. */
export const portalAccounts = pgTable(
  'portal_accounts',
  {
    id: text('id').primaryKey(),
    contactId: text('contact_id').notNull(),
    login: text('login').notNull(),
    passwordHash: text('password_hash').notNull(),
    organisationWide: boolean('organisation_wide').notNull().default(false),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('portal_accounts_login_idx').on(t.login),
    uniqueIndex('portal_accounts_contact_idx').on(t.contactId),
  ],
);

/** A customer account's portal session (the token's SHA-256). */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    accountId: text('account_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('portal_sessions_account_idx').on(t.accountId)],
);
