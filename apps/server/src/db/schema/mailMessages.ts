import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The e-mail intake's processed mails (migration 0019, decision 42): `key` the Message-ID
 * (lower case, no angle brackets) or `sha256:<hex>` of a mail without one; `state`
 * `processing` (claimed by `claimed_by` at `claimed_at`), `done` or `ignored`; `outcome` what
 * it did (`ticket`, `reply`, `auto_reply`, …); `ticket_id` the ticket it opened or joined.
 */
export const mailMessages = pgTable(
  'mail_messages',
  {
    key: text('key').primaryKey(),
    state: text('state').notNull(),
    outcome: text('outcome'),
    source: text('source').notNull(),
    ticketId: text('ticket_id'),
    claimedBy: text('claimed_by').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [index('mail_messages_ticket_idx').on(t.ticketId)],
);

export type MailMessageRow = typeof mailMessages.$inferSelect;
