/** The surveys' queries (decision 53): invitations, answers, follow-ups, NPS rounds, figures. */
import { sql } from 'drizzle-orm';
import type { SurveyFollowUp, SurveyKind } from '@dutydesk/shared';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/client';
import { surveyAnswers, surveyInvitations } from '../../db/schema/index';
import type { FigureInput } from './figures';

export interface Invitation {
  id: string;
  kind: SurveyKind;
  ticketId: string | null;
  contactId: string;
  round: string | null;
  locale: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export async function insertInvitation(
  db: Db | Tx,
  inv: Omit<Invitation, 'usedAt'> & { createdAt: Date },
): Promise<void> {
  await db.insert(surveyInvitations).values({ ...inv, usedAt: null });
}

type InvitationRow = {
  id: string;
  kind: SurveyKind;
  ticket_id: string | null;
  contact_id: string;
  round: string | null;
  locale: string;
  expires_at: Date | string;
  used_at: Date | string | null;
};

const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

function toInvitation(r: InvitationRow): Invitation {
  return {
    id: r.id,
    kind: r.kind,
    ticketId: r.ticket_id,
    contactId: r.contact_id,
    round: r.round,
    locale: r.locale,
    expiresAt: toDate(r.expires_at),
    usedAt: r.used_at === null ? null : toDate(r.used_at),
  };
}

/** An invitation (locked for update in a transaction when `lock`). */
export async function readInvitation(
  db: Db | Tx,
  id: string,
  lock = false,
): Promise<Invitation | null> {
  const rows = await queryRows<InvitationRow>(
    db,
    lock
      ? sql`select id, kind, ticket_id, contact_id, round, locale, expires_at, used_at
            from survey_invitations where id = ${id} for update`
      : sql`select id, kind, ticket_id, contact_id, round, locale, expires_at, used_at
            from survey_invitations where id = ${id}`,
  );
  return rows[0] ? toInvitation(rows[0]) : null;
}

/** Whether the survey an invitation asks has been answered (its ticket's CSAT, its contact's round). */
export async function isAnswered(db: Db | Tx, inv: Invitation): Promise<boolean> {
  const rows =
    inv.kind === 'csat'
      ? await queryRows<{ one: number }>(
          db,
          sql`select 1 as one from survey_answers where kind = 'csat' and ticket_id = ${inv.ticketId}`,
        )
      : await queryRows<{ one: number }>(
          db,
          sql`select 1 as one from survey_answers
              where kind = 'nps' and contact_id = ${inv.contactId} and round = ${inv.round}`,
        );
  return rows.length > 0;
}

/** The ticket's number, title and organisation. */
export async function readTicketFacts(
  db: Db | Tx,
  ticketId: string,
): Promise<{ number: string; title: string; organisationId: string | null } | null> {
  const rows = await queryRows<{
    number: string;
    title: string | null;
    organisation_id: string | null;
  }>(
    db,
    sql`select number, state ->> 'title' as title, organisation_id from tickets where id = ${ticketId}`,
  );
  const r = rows[0];
  return r ? { number: r.number, title: r.title ?? '', organisationId: r.organisation_id } : null;
}

/** The ticket's linked contact, or null. */
export async function readTicketContactId(db: Db, ticketId: string): Promise<string | null> {
  const rows = await queryRows<{ contact_id: string | null }>(
    db,
    sql`select contact_id from tickets where id = ${ticketId}`,
  );
  return rows[0]?.contact_id ?? null;
}

export interface ContactFacts {
  id: string;
  name: string;
  email: string | null;
  language: string | null;
  organisationId: string | null;
}

export async function readContact(db: Db | Tx, contactId: string): Promise<ContactFacts | null> {
  const rows = await queryRows<{
    id: string;
    name: string;
    email: string | null;
    preferred_language: string | null;
    organisation_id: string | null;
  }>(
    db,
    sql`select id, name, email, preferred_language, organisation_id from contacts where id = ${contactId}`,
  );
  const r = rows[0];
  return r
    ? {
        id: r.id,
        name: r.name,
        email: r.email,
        language: r.preferred_language,
        organisationId: r.organisation_id,
      }
    : null;
}

/** Contacts with an e-mail address (the NPS population), by id. */
export async function listMailableContacts(db: Db): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from contacts where email is not null and email <> '' order by id`,
  );
  return rows.map((r) => r.id);
}

export interface NewAnswer {
  id: string;
  kind: SurveyKind;
  invitationId: string;
  ticketId: string | null;
  contactId: string;
  organisationId: string | null;
  round: string | null;
  score: number;
  comment: string;
  followUp: boolean;
  answeredAt: Date;
}

/** Stores an answer unless its ticket (CSAT) or contact and round (NPS) has one: true when stored. */
export async function insertAnswer(tx: Tx, a: NewAnswer): Promise<boolean> {
  const rows = await tx
    .insert(surveyAnswers)
    .values({ ...a, alertClaimedAt: null, alertId: null })
    .onConflictDoNothing()
    .returning({ id: surveyAnswers.id });
  return rows.length > 0;
}

export async function markInvitationUsed(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.execute(sql`update survey_invitations set used_at = ${at} where id = ${id}`);
}

export interface FollowUpClaim {
  id: string;
  kind: SurveyKind;
  score: number;
  comment: string;
  ticketId: string | null;
  contactId: string;
  organisationId: string | null;
  contactName: string | null;
  ticketNumber: string | null;
  organisationName: string | null;
}

/**
 * Claims low answers whose alert is not raised: unclaimed, or claimed over `staleMs` ago and
 * still without an alert (the node died between claim and raise). One statement, so two
 * nodes never raise the same one twice at once.
 */
export async function claimFollowUps(
  db: Db,
  now: Date,
  staleMs: number,
  limit: number,
): Promise<FollowUpClaim[]> {
  const stale = new Date(now.getTime() - staleMs);
  return queryRows<FollowUpClaim>(
    db,
    sql`with picked as (
          select id from survey_answers
          where follow_up and alert_id is null
            and (alert_claimed_at is null or alert_claimed_at < ${stale})
          order by answered_at limit ${limit} for update skip locked
        ), claimed as (
          update survey_answers a set alert_claimed_at = ${now}
          from picked where a.id = picked.id
          returning a.id, a.kind, a.score, a.comment, a.ticket_id, a.contact_id, a.organisation_id
        )
        select c.id, c.kind, c.score, c.comment, c.ticket_id as "ticketId",
               c.contact_id as "contactId", c.organisation_id as "organisationId",
               ct.name as "contactName", t.number as "ticketNumber", o.name as "organisationName"
        from claimed c
        left join contacts ct on ct.id = c.contact_id
        left join tickets t on t.id = c.ticket_id
        left join organisations o on o.id = c.organisation_id`,
  );
}

export async function setAnswerAlert(
  db: Db,
  answerId: string,
  alertId: string | null,
): Promise<void> {
  if (alertId === null)
    await db.execute(sql`update survey_answers set alert_claimed_at = null where id = ${answerId}`);
  else
    await db.execute(sql`update survey_answers set alert_id = ${alertId} where id = ${answerId}`);
}

/** An organisation's low answers, newest first, with their alert's state. */
export async function listFollowUps(
  db: Db,
  organisationId: string,
  limit: number,
): Promise<SurveyFollowUp[]> {
  const rows = await queryRows<{
    id: string;
    kind: SurveyKind;
    score: number;
    comment: string;
    ticket_id: string | null;
    number: string | null;
    contact_id: string;
    contact_name: string | null;
    answered_at: Date | string;
    alert_id: string | null;
    acknowledged_at: Date | string | null;
  }>(
    db,
    sql`select a.id, a.kind, a.score, a.comment, a.ticket_id, t.number, a.contact_id,
               c.name as contact_name, a.answered_at, a.alert_id, al.acknowledged_at
        from survey_answers a
        left join tickets t on t.id = a.ticket_id
        left join contacts c on c.id = a.contact_id
        left join alerts al on al.id = a.alert_id
        where a.organisation_id = ${organisationId} and a.follow_up
        order by a.answered_at desc limit ${limit}`,
  );
  return rows.map((r) => ({
    answerId: r.id,
    kind: r.kind,
    score: Number(r.score),
    comment: r.comment,
    ticketId: r.ticket_id,
    ticketNumber: r.number,
    contactId: r.contact_id,
    contactName: r.contact_name,
    answeredAt: toDate(r.answered_at).toISOString(),
    alertId: r.alert_id,
    acknowledged: r.acknowledged_at !== null,
  }));
}

/** What the figures of `[from, to)` are computed from. */
export async function readFigureInput(
  db: Db,
  from: Date,
  to: Date,
  organisationId: string | null = null,
): Promise<FigureInput> {
  // One customer's surveys only (the reports' filter): answers by their organisation, a CSAT
  // invitation by its ticket's, an NPS invitation by its contact's.
  const answerOrg = organisationId === null ? sql`` : sql` and organisation_id = ${organisationId}`;
  const invitationOrg =
    organisationId === null
      ? sql``
      : sql` where (kind = 'csat' and ticket_id in (select id from tickets where organisation_id = ${organisationId}))
          or (kind = 'nps' and contact_id in (select id from contacts where organisation_id = ${organisationId}))`;
  const answers = await queryRows<{ kind: string; score: number }>(
    db,
    sql`select kind, score from survey_answers where answered_at >= ${from} and answered_at < ${to}${answerOrg}`,
  );
  const invited = await queryRows<{
    kind: string;
    invited: string | number;
    answered: string | number;
  }>(
    db,
    sql`with first as (
          select kind, ticket_id, contact_id, round, min(created_at) as at
          from survey_invitations${invitationOrg}
          group by kind, ticket_id, contact_id, round
        ), surveys as (
          select distinct kind, case when kind = 'csat' then ticket_id else contact_id || '|' || round end as survey
          from first where at >= ${from} and at < ${to}
        )
        select s.kind, count(*) as invited,
               count(*) filter (where exists (
                 select 1 from survey_answers a where a.kind = s.kind and
                   case when s.kind = 'csat' then a.ticket_id else a.contact_id || '|' || a.round end = s.survey
               )) as answered
        from surveys s group by s.kind`,
  );
  const of = (kind: string) => invited.find((r) => r.kind === kind);
  return {
    answers: answers.map((a) => ({ kind: a.kind, score: Number(a.score) })),
    invited: {
      csat: Number(of('csat')?.invited ?? 0),
      csatAnswered: Number(of('csat')?.answered ?? 0),
      nps: Number(of('nps')?.invited ?? 0),
      npsAnswered: Number(of('nps')?.answered ?? 0),
    },
  };
}

/**
 * Claims a round for `owner` under a lease: a new round, or one not done whose lease ran out
 * (by the database's clock). True when this caller holds it now.
 */
export async function claimRound(
  db: Db,
  round: string,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await queryRows<{ round: string }>(
    db,
    sql`insert into survey_rounds (round, lease_owner, lease_until)
        values (${round}, ${owner}, clock_timestamp() + make_interval(secs => ${leaseMs / 1000}))
        on conflict (round) do update
          set lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
          where survey_rounds.done_at is null and survey_rounds.lease_until < clock_timestamp()
        returning round`,
  );
  return rows.length > 0;
}

/** Marks a round done (only by the lease's holder). */
export async function finishRound(
  db: Db,
  round: string,
  owner: string,
  sampled: number,
  at: Date,
): Promise<boolean> {
  const rows = await queryRows<{ round: string }>(
    db,
    sql`update survey_rounds set done_at = ${at}, sampled = ${sampled}, lease_until = null
        where round = ${round} and lease_owner = ${owner} and done_at is null returning round`,
  );
  return rows.length > 0;
}

export async function isRoundDone(db: Db, round: string): Promise<boolean> {
  const rows = await queryRows<{ done: boolean }>(
    db,
    sql`select done_at is not null as done from survey_rounds where round = ${round}`,
  );
  return rows[0]?.done === true;
}
