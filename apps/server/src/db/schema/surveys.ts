import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * Survey links (migration 0026, decision 53): `id` is the SHA-256 (hex) of the link's token,
 * made when the mail is sent; `kind` `csat` (with its ticket) or `nps` (with its `round`);
 * single-use (`used_at`) and expiring (`expires_at`).
 */
export const surveyInvitations = pgTable(
  'survey_invitations',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    ticketId: text('ticket_id'),
    contactId: text('contact_id').notNull(),
    round: text('round'),
    locale: text('locale').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    index('survey_invitations_ticket_idx').on(t.ticketId),
    index('survey_invitations_created_idx').on(t.kind, t.createdAt),
  ],
);

/**
 * Survey answers: one CSAT per ticket, one NPS per contact and round. A low score
 * (`follow_up`) raises the duty manager's alert once (`alert_claimed_at`, then `alert_id`).
 */
export const surveyAnswers = pgTable(
  'survey_answers',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    invitationId: text('invitation_id').notNull(),
    ticketId: text('ticket_id'),
    contactId: text('contact_id').notNull(),
    organisationId: text('organisation_id'),
    round: text('round'),
    score: integer('score').notNull(),
    comment: text('comment').notNull(),
    followUp: boolean('follow_up').notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
    alertClaimedAt: timestamp('alert_claimed_at', { withTimezone: true }),
    alertId: text('alert_id'),
  },
  (t) => [
    uniqueIndex('survey_answers_csat_ticket_uq')
      .on(t.ticketId)
      .where(sql`"kind" = 'csat'`),
    uniqueIndex('survey_answers_nps_round_uq')
      .on(t.contactId, t.round)
      .where(sql`"kind" = 'nps'`),
    index('survey_answers_answered_idx').on(t.kind, t.answeredAt),
    index('survey_answers_org_idx').on(t.organisationId, t.answeredAt),
  ],
);

/** The quarterly NPS rounds: claimed under a lease by one node, `done_at` once sampled. */
export const surveyRounds = pgTable('survey_rounds', {
  round: text('round').primaryKey(),
  leaseOwner: text('lease_owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
  sampled: integer('sampled'),
  doneAt: timestamp('done_at', { withTimezone: true }),
});
