import { and, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { mailMessages } from '../../db/schema/index';

export type MailSource = 'smtp' | 'imap';

/** What claiming a mail's key found. */
export type Claim =
  | { kind: 'claimed' }
  /** Done or ignored before (by this node or another): the mail has had its effect. */
  | { kind: 'seen'; state: string; ticketId: string | null }
  /** Another node is at it now (its claim younger than the lease). */
  | { kind: 'busy' };

/**
 * Claims a mail's key for this node: a new row `processing`, or a `processing` row whose claim
 * is older than `leaseMs` (its node died mid-way; the mail's commands have fixed ids, so doing
 * them again repeats nothing already stored).
 */
export async function claimMail(
  db: Db,
  key: string,
  source: MailSource,
  node: string,
  now: Date,
  leaseMs: number,
): Promise<Claim> {
  const inserted = await db
    .insert(mailMessages)
    .values({ key, state: 'processing', source, claimedBy: node, claimedAt: now })
    .onConflictDoNothing({ target: mailMessages.key })
    .returning({ key: mailMessages.key });
  if (inserted.length > 0) return { kind: 'claimed' };
  const stale = new Date(now.getTime() - leaseMs);
  const taken = await db
    .update(mailMessages)
    .set({ claimedBy: node, claimedAt: now })
    .where(
      and(
        eq(mailMessages.key, key),
        eq(mailMessages.state, 'processing'),
        lt(mailMessages.claimedAt, stale),
      ),
    )
    .returning({ key: mailMessages.key });
  if (taken.length > 0) return { kind: 'claimed' };
  const [row] = await db
    .select({ state: mailMessages.state, ticketId: mailMessages.ticketId })
    .from(mailMessages)
    .where(eq(mailMessages.key, key));
  if (!row || row.state === 'processing') return { kind: 'busy' };
  return { kind: 'seen', state: row.state, ticketId: row.ticketId };
}

/** Records an ignored mail (once: a second copy finds the row and counts as a duplicate). */
export async function recordIgnored(
  db: Db,
  key: string,
  source: MailSource,
  node: string,
  reason: string,
  now: Date,
): Promise<boolean> {
  const inserted = await db
    .insert(mailMessages)
    .values({
      key,
      state: 'ignored',
      outcome: reason,
      source,
      claimedBy: node,
      claimedAt: now,
      doneAt: now,
    })
    .onConflictDoNothing({ target: mailMessages.key })
    .returning({ key: mailMessages.key });
  return inserted.length > 0;
}

/** Marks a claimed mail done: what it did and its ticket (replies find the ticket by this key). */
export async function finishMail(
  db: Db,
  key: string,
  outcome: string,
  ticketId: string | null,
  now: Date,
): Promise<void> {
  await db
    .update(mailMessages)
    .set({ state: 'done', outcome, ticketId, doneAt: now })
    .where(eq(mailMessages.key, key));
}

/** Gives a claim up (a temporary failure): the next delivery or poll tries again at once. */
export async function releaseMail(db: Db, key: string, node: string): Promise<void> {
  await db
    .delete(mailMessages)
    .where(
      and(
        eq(mailMessages.key, key),
        eq(mailMessages.state, 'processing'),
        eq(mailMessages.claimedBy, node),
      ),
    );
}

/** The ticket of the first of these Message-IDs the desk took in (In-Reply-To before References). */
export async function findTicketOfMessages(
  db: Db,
  keys: readonly string[],
): Promise<string | null> {
  if (keys.length === 0) return null;
  const rows = await db
    .select({ key: mailMessages.key, ticketId: mailMessages.ticketId })
    .from(mailMessages)
    .where(and(inArray(mailMessages.key, [...keys]), isNotNull(mailMessages.ticketId)));
  for (const k of keys) {
    const hit = rows.find((r) => r.key === k);
    if (hit?.ticketId) return hit.ticketId;
  }
  return null;
}

/** Rows by state (tests and the operations page read it). */
export async function countMailStates(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .select({ state: mailMessages.state, n: sql<number>`count(*)::int` })
    .from(mailMessages)
    .groupBy(mailMessages.state);
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}
