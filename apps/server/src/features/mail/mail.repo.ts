import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/client';
import { mailAttempts, mailCursor, mailOutbox } from '../../db/schema/index';

/** A mail as the outbox holds it. */
export interface OutboxMail {
  dedupeKey: string;
  to: string;
  template: string;
  locale: string;
  params: Record<string, string>;
  attempts: number;
  createdAt: Date;
}

export interface NewMail {
  dedupeKey: string;
  to: string;
  template: string;
  locale: string;
  params: Record<string, string>;
}

/**
 * Adds a mail to the outbox unless one with its dedupe key is there (sent or not): true when
 * this call added it. Safe inside a caller's transaction (the mail is then queued only if that
 * commits).
 */
export async function insertMail(db: Db | Tx, mail: NewMail, now: Date): Promise<boolean> {
  const rows = await db
    .insert(mailOutbox)
    .values({
      dedupeKey: mail.dedupeKey,
      toAddress: mail.to,
      template: mail.template,
      locale: mail.locale,
      params: mail.params,
      status: 'queued',
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflictDoNothing({ target: mailOutbox.dedupeKey })
    .returning({ key: mailOutbox.dedupeKey });
  return rows.length > 0;
}

const leaseFor = (ms: number) => sql`clock_timestamp() + make_interval(secs => ${ms / 1000})`;

/**
 * Claims for `owner` up to `limit` queued mails due by `now` and not leased (no lease, or one
 * expired by the database's clock). One statement: the inner select locks what it picks and
 * skips rows another node is claiming at the same moment, so two nodes never hold one mail.
 */
export async function claimDueMails(
  db: Db,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<OutboxMail[]> {
  const o = mailOutbox;
  const free = db
    .select({ key: o.dedupeKey })
    .from(o)
    .where(
      and(
        eq(o.status, 'queued'),
        lte(o.nextAttemptAt, now),
        or(isNull(o.leaseOwner), lt(o.leaseUntil, sql`clock_timestamp()`)),
      ),
    )
    .orderBy(asc(o.nextAttemptAt), asc(o.dedupeKey))
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(o)
    .set({ leaseOwner: owner, leaseUntil: leaseFor(leaseMs) })
    .where(inArray(o.dedupeKey, free))
    .returning();
  return rows.map((r) => ({
    dedupeKey: r.dedupeKey,
    to: r.toAddress,
    template: r.template,
    locale: r.locale,
    params: r.params as Record<string, string>,
    attempts: r.attempts,
    createdAt: r.createdAt,
  }));
}

/** One attempt's outcome, saved with the row's new state (only while `owner` holds the lease). */
export interface AttemptResult {
  outcome: 'sent' | 'failed';
  messageId: string | null;
  error: string | null;
  /** For a failure: when to try again, or null to give the mail up. */
  retryAt: Date | null;
  at: Date;
}

/** Saves an attempt: the log row and the outbox row's state; false when the lease was lost. */
export async function saveAttempt(
  db: Db,
  owner: string,
  mail: OutboxMail,
  result: AttemptResult,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const attempt = mail.attempts + 1;
    const status =
      result.outcome === 'sent' ? 'sent' : result.retryAt === null ? 'failed' : 'queued';
    const updated = await tx
      .update(mailOutbox)
      .set({
        status,
        attempts: attempt,
        leaseOwner: null,
        leaseUntil: null,
        lastError: result.error,
        messageId: result.messageId,
        ...(result.retryAt ? { nextAttemptAt: result.retryAt } : {}),
        ...(result.outcome === 'sent' ? { sentAt: result.at } : {}),
      })
      .where(and(eq(mailOutbox.dedupeKey, mail.dedupeKey), eq(mailOutbox.leaseOwner, owner)))
      .returning({ key: mailOutbox.dedupeKey });
    // The log records every attempt made, even one whose lease ran out meanwhile.
    await tx.insert(mailAttempts).values({
      dedupeKey: mail.dedupeKey,
      attempt,
      outcome: result.outcome,
      toAddress: mail.to,
      template: mail.template,
      messageId: result.messageId,
      error: result.error,
      at: result.at,
    });
    return updated.length > 0;
  });
}

/** Gives up the leases `owner` still holds (mails claimed and not attempted). */
export async function releaseMails(db: Db, owner: string): Promise<void> {
  await db
    .update(mailOutbox)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(eq(mailOutbox.leaseOwner, owner));
}

/** Gives up queued mails created before `before` (too old to be worth sending): how many. */
export async function expireMails(db: Db, before: Date): Promise<number> {
  const rows = await db
    .update(mailOutbox)
    .set({ status: 'failed', lastError: 'expired: not sent in time', leaseOwner: null })
    .where(
      and(
        eq(mailOutbox.status, 'queued'),
        lt(mailOutbox.createdAt, before),
        or(isNull(mailOutbox.leaseOwner), lt(mailOutbox.leaseUntil, sql`clock_timestamp()`)),
      ),
    )
    .returning({ key: mailOutbox.dedupeKey });
  return rows.length;
}

/** Deletes log rows and finished mails older than `before`. */
export async function pruneMail(db: Db, before: Date): Promise<void> {
  await db.delete(mailAttempts).where(lt(mailAttempts.at, before));
  await db
    .delete(mailOutbox)
    .where(and(inArray(mailOutbox.status, ['sent', 'failed']), lt(mailOutbox.createdAt, before)));
}

/** What the status read says of the outbox. */
export interface OutboxStats {
  queued: number;
  failed: number;
  sent: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastSentAt: Date | null;
}

export async function readOutboxStats(db: Db): Promise<OutboxStats> {
  const [counts] = await queryRows<{
    queued: string | number;
    failed: string | number;
    sent: string | number;
  }>(
    db,
    sql`select count(*) filter (where status = 'queued') as queued,
               count(*) filter (where status = 'failed') as failed,
               count(*) filter (where status = 'sent') as sent
        from mail_outbox`,
  );
  const [lastError] = await queryRows<{ error: string | null; at: string | Date }>(
    db,
    sql`select error, at from mail_attempts where outcome = 'failed' order by n desc limit 1`,
  );
  const [lastSent] = await queryRows<{ at: string | Date }>(
    db,
    sql`select at from mail_attempts where outcome = 'sent' order by n desc limit 1`,
  );
  return {
    queued: Number(counts?.queued ?? 0),
    failed: Number(counts?.failed ?? 0),
    sent: Number(counts?.sent ?? 0),
    lastError: lastError?.error ?? null,
    lastErrorAt: lastError ? new Date(lastError.at) : null,
    lastSentAt: lastSent ? new Date(lastSent.at) : null,
  };
}

/** Mails waiting to be sent (the outbox depth metric). */
export async function countQueued(db: Db): Promise<number> {
  const rows = await queryRows<{ n: string | number }>(
    db,
    sql`select count(*) as n from mail_outbox where status = 'queued'`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** One mail's row (tests and the status read). */
export async function readMail(
  db: Db,
  dedupeKey: string,
): Promise<{ status: string; attempts: number; messageId: string | null } | null> {
  const [row] = await db
    .select({
      status: mailOutbox.status,
      attempts: mailOutbox.attempts,
      messageId: mailOutbox.messageId,
    })
    .from(mailOutbox)
    .where(eq(mailOutbox.dedupeKey, dedupeKey));
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// The event log → mails (the cursor and what the rules read).

export async function readCursor(db: Db): Promise<number> {
  const [row] = await db.select().from(mailCursor).where(eq(mailCursor.id, 1));
  return row?.seq ?? 0;
}

/** Moves the cursor forward to `seq` (never back: another node may be further). */
export async function advanceCursor(db: Db, seq: number): Promise<void> {
  await db
    .insert(mailCursor)
    .values({ id: 1, seq })
    .onConflictDoUpdate({
      target: mailCursor.id,
      set: { seq: sql`greatest(${mailCursor.seq}, excluded.seq)` },
    });
}

/** A logged event as the mail rules read it. */
export interface LoggedEvent {
  seq: number;
  type: string;
  ticketId: string | null;
  actorId: string | null;
  at: Date;
  data: Record<string, unknown>;
}

/**
 * Events of `types` after `after` (at most `limit`) and how far the log was read: to the head
 * when fewer matched (seqs are gap-free in commit order, decision 3), else the last returned.
 */
export async function readEventsAfter(
  db: Db,
  types: readonly string[],
  after: number,
  limit: number,
): Promise<{ events: LoggedEvent[]; readTo: number }> {
  const list = sql.join(
    types.map((t) => sql`${t}`),
    sql`, `,
  );
  const rows = await queryRows<{
    head: string | number | null;
    seq: string | number | null;
    type: string | null;
    ticket_id: string | null;
    actor_id: string | null;
    at: string | Date | null;
    data: unknown;
  }>(
    db,
    sql`select h.head, p.seq, p.type, p.ticket_id, p.actor_id, p.at, p.data
        from (select coalesce(max(seq), 0) as head from events) h
        left join lateral (
          select e.seq, e.type, e.ticket_id, e.actor_id, e.at, e.data from events e
          where e.seq > ${after} and e.seq <= h.head and e.type in (${list})
          order by e.seq limit ${limit}
        ) p on true
        order by p.seq`,
  );
  const head = Number(rows[0]?.head ?? 0);
  const events: LoggedEvent[] = [];
  for (const r of rows) {
    if (r.seq === null || r.type === null || r.at === null) continue;
    const data = typeof r.data === 'string' ? (JSON.parse(r.data) as unknown) : r.data;
    events.push({
      seq: Number(r.seq),
      type: r.type,
      ticketId: r.ticket_id,
      actorId: r.actor_id,
      at: new Date(r.at),
      data: (data ?? {}) as Record<string, unknown>,
    });
  }
  const last = events[events.length - 1];
  return { events, readTo: events.length < limit || !last ? Math.max(after, head) : last.seq };
}

/** A ticket's customer contact as a mail needs it. */
export interface TicketContact {
  ticketId: string;
  number: string;
  title: string;
  contactId: string;
  name: string;
  email: string | null;
  language: string | null;
}

/** The ticket's number, title and its linked contact (now), or null without one. */
export async function readTicketContact(
  db: Db,
  ticketId: string,
  contactId?: string | null,
): Promise<TicketContact | null> {
  const rows = await queryRows<{
    id: string;
    number: string;
    title: string | null;
    contact_id: string;
    name: string;
    email: string | null;
    preferred_language: string | null;
  }>(
    db,
    sql`select t.id, t.number, t.state ->> 'title' as title, c.id as contact_id, c.name,
               c.email, c.preferred_language
        from tickets t join contacts c on c.id = coalesce(${contactId ?? null}::text, t.contact_id)
        where t.id = ${ticketId}`,
  );
  const r = rows[0];
  if (!r) return null;
  return {
    ticketId: r.id,
    number: r.number,
    title: r.title ?? '',
    contactId: r.contact_id,
    name: r.name,
    email: r.email,
    language: r.preferred_language,
  };
}

/** A ticket's number (for staff mails), or null. */
export async function readTicketNumber(db: Db, ticketId: string): Promise<string | null> {
  const rows = await queryRows<{ number: string }>(
    db,
    sql`select number from tickets where id = ${ticketId}`,
  );
  return rows[0]?.number ?? null;
}

/** Staff with an e-mail address among `ids`: their name, address and console language. */
export async function readStaffAddresses(
  db: Db,
  ids: readonly string[],
): Promise<Array<{ id: string; name: string; email: string; locale: string }>> {
  if (ids.length === 0) return [];
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  return queryRows<{ id: string; name: string; email: string; locale: string }>(
    db,
    sql`select id, display_name as name, email, locale from users
        where id in (${list}) and email is not null and email <> '' and not disabled`,
  );
}

/** Sets a staff member's e-mail address (null clears it). */
export async function setUserEmail(
  db: Db | Tx,
  userId: string,
  email: string | null,
): Promise<void> {
  await db.execute(sql`update users set email = ${email} where id = ${userId}`);
}
