import type { Ticket } from '@dutydesk/shared';
import { and, asc, eq, gt, gte, inArray, isNull, lt, lte, notInArray, sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client';
import { slaSettings, slaTimers, tickets } from '../../db/schema/index';

/** One upcoming (or due, not yet fired) threshold of a ticket: one `sla_timers` row. */
export interface PlannedTimer {
  target: string;
  threshold: number;
  afterMinutes: number;
  /** `<target>@<clock start>:<threshold key>`: stable while the plan only moves in time. */
  key: string;
  dueAt: Date;
}

/** A `sla_timers` row claimed by the scheduler. */
export interface DueTimer extends PlannedTimer {
  id: number;
  ticketId: string;
}

/**
 * Replaces the unfired timers of a ticket with a new plan: rows whose key left the plan are
 * deleted, the others get their new due time, new keys are inserted. Fired rows are never
 * touched, so a threshold that fired stays fired under the same key.
 */
export async function replaceTimers(tx: Tx, ticketId: string, plan: PlannedTimer[]): Promise<void> {
  const keys = plan.map((p) => p.key);
  await tx
    .delete(slaTimers)
    .where(
      and(
        eq(slaTimers.ticketId, ticketId),
        isNull(slaTimers.firedAt),
        keys.length > 0 ? notInArray(slaTimers.key, keys) : undefined,
      ),
    );
  if (plan.length === 0) return;
  await tx
    .insert(slaTimers)
    .values(plan.map((p) => ({ ticketId, ...p })))
    .onConflictDoUpdate({
      target: [slaTimers.ticketId, slaTimers.key],
      set: {
        dueAt: sql`excluded.due_at`,
        threshold: sql`excluded.threshold`,
        afterMinutes: sql`excluded.after_minutes`,
        target: sql`excluded.target`,
      },
      setWhere: isNull(slaTimers.firedAt),
    });
}

/**
 * {@link replaceTimers} for many tickets in two statements (the scheduler's batches): one
 * delete of every unfired row whose key left its ticket's plan, one upsert of every plan row.
 */
export async function replaceTimersMany(
  tx: Tx,
  list: Array<{ ticketId: string; plan: PlannedTimer[] }>,
): Promise<void> {
  if (list.length === 0) return;
  const keep = list.flatMap((x) => x.plan.map((p) => ({ t: x.ticketId, k: p.key })));
  const ids = list.map((x) => x.ticketId);
  await tx.execute(sql`delete from sla_timers s
      where s.fired_at is null
        and s.ticket_id in (select value from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
        and not exists (
          select 1 from jsonb_to_recordset(${JSON.stringify(keep)}::jsonb) as p(t text, k text)
          where p.t = s.ticket_id and p.k = s.key)`);
  const rows = list.flatMap((x) => x.plan.map((p) => ({ ticketId: x.ticketId, ...p })));
  if (rows.length === 0) return;
  await tx
    .insert(slaTimers)
    .values(rows)
    .onConflictDoUpdate({
      target: [slaTimers.ticketId, slaTimers.key],
      set: {
        dueAt: sql`excluded.due_at`,
        threshold: sql`excluded.threshold`,
        afterMinutes: sql`excluded.after_minutes`,
        target: sql`excluded.target`,
      },
      setWhere: isNull(slaTimers.firedAt),
    });
}

/**
 * Locks the given ticket rows this transaction can take now (`FOR UPDATE SKIP LOCKED`: rows a
 * command or another node holds are left out, for the next run), in one statement.
 */
export async function lockTicketsUnlessBusy(tx: Tx, ids: string[]): Promise<Ticket[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .select({ state: tickets.state })
    .from(tickets)
    .where(inArray(tickets.id, ids))
    .orderBy(asc(tickets.id))
    .for('update', { skipLocked: true });
  return rows.map((r) => r.state as Ticket);
}

/**
 * The unfired timers due at `now` of tickets this transaction locked, per ticket in due order
 * (`FOR UPDATE SKIP LOCKED`), in one statement.
 */
export async function claimDueTimersMany(
  tx: Tx,
  ticketIds: string[],
  now: Date,
): Promise<DueTimer[]> {
  if (ticketIds.length === 0) return [];
  const rows = await tx
    .select()
    .from(slaTimers)
    .where(
      and(
        inArray(slaTimers.ticketId, ticketIds),
        isNull(slaTimers.firedAt),
        lte(slaTimers.dueAt, now),
      ),
    )
    .orderBy(
      asc(slaTimers.ticketId),
      asc(slaTimers.dueAt),
      asc(slaTimers.threshold),
      asc(slaTimers.afterMinutes),
      asc(slaTimers.id),
    )
    .for('update', { skipLocked: true });
  return rows.map((r) => ({
    id: r.id,
    ticketId: r.ticketId,
    target: r.target,
    threshold: r.threshold,
    afterMinutes: r.afterMinutes,
    key: r.key,
    dueAt: r.dueAt,
  }));
}

/** Marks timers fired, in one statement. */
export async function markTimersFired(tx: Tx, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(slaTimers)
    .set({ firedAt: at })
    .where(and(inArray(slaTimers.id, ids), isNull(slaTimers.firedAt)));
}

/** Tickets with unfired timers due at `now`, the most overdue first (no locks taken). */
export async function listTicketsWithDueTimers(
  db: Db,
  now: Date,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .select({ ticketId: slaTimers.ticketId, first: sql<Date>`min(${slaTimers.dueAt})` })
    .from(slaTimers)
    .where(and(isNull(slaTimers.firedAt), lte(slaTimers.dueAt, now)))
    .groupBy(slaTimers.ticketId)
    .orderBy(sql`min(${slaTimers.dueAt})`, slaTimers.ticketId)
    .limit(limit);
  return rows.map((r) => r.ticketId);
}

/**
 * Timers due at `now` and not fired yet, and the earliest one's due instant (the scheduler's
 * backlog; read by `/metrics`, one index range on `(fired_at, due_at)`).
 */
export async function readDueTimerBacklog(
  db: Db,
  now: Date,
): Promise<{ count: number; oldestDueAt: Date | null }> {
  const [row] = await db
    .select({
      n: sql<string | number>`count(*)`,
      oldest: sql<Date | string | null>`min(${slaTimers.dueAt})`,
    })
    .from(slaTimers)
    .where(and(isNull(slaTimers.firedAt), lte(slaTimers.dueAt, now)));
  const oldest = row?.oldest ?? null;
  return { count: Number(row?.n ?? 0), oldestDueAt: oldest === null ? null : new Date(oldest) };
}

/** The earliest unfired due time (for the scheduler's next wake-up), or null. */
export async function readNextDueAt(db: Db): Promise<Date | null> {
  const [row] = await db
    .select({ dueAt: slaTimers.dueAt })
    .from(slaTimers)
    .where(isNull(slaTimers.firedAt))
    .orderBy(asc(slaTimers.dueAt))
    .limit(1);
  return row?.dueAt ?? null;
}

/** The unfired timers of one ticket, in due order (tests and diagnostics). */
export async function listPendingTimers(db: Db, ticketId: string): Promise<PlannedTimer[]> {
  const rows = await db
    .select()
    .from(slaTimers)
    .where(and(eq(slaTimers.ticketId, ticketId), isNull(slaTimers.firedAt)))
    .orderBy(asc(slaTimers.dueAt), asc(slaTimers.threshold));
  return rows.map((r) => ({
    target: r.target,
    threshold: r.threshold,
    afterMinutes: r.afterMinutes,
    key: r.key,
    dueAt: r.dueAt,
  }));
}

/** Kinds of stored SLA settings. */
export const SlaSettingKind = { policy: 'policy', calendar: 'calendar' } as const;
export type SlaSettingKind = (typeof SlaSettingKind)[keyof typeof SlaSettingKind];

/** One stored policy or calendar, as JSON. */
export interface StoredSlaSetting {
  kind: SlaSettingKind;
  id: string;
  body: unknown;
  version: number;
}

/** Every stored policy and calendar, and the version of the set (0 when nothing is stored). */
export async function readSlaSettings(
  db: Db,
): Promise<{ version: number; rows: StoredSlaSetting[] }> {
  const rows = await db.select().from(slaSettings).orderBy(slaSettings.kind, slaSettings.id);
  return {
    version: rows.reduce((v, r) => Math.max(v, r.version), 0),
    rows: rows.map((r) => ({
      kind: r.kind as SlaSettingKind,
      id: r.id,
      body: r.body,
      version: r.version,
    })),
  };
}

/** The version of the stored settings: one cheap query each node polls. */
export async function readSlaSettingsVersion(db: Db): Promise<number> {
  const rows = await queryRows<{ v: string | number | null }>(
    db,
    sql`select max(version) as v from sla_settings`,
  );
  return Number(rows[0]?.v ?? 0);
}

const SETTINGS_LOCK = 727_274_004;

/**
 * Writes settings in one transaction under an advisory lock, so versions grow strictly.
 * `replaceKind` first deletes every stored row of that kind (a PUT of the whole policy list).
 * Returns the new version.
 */
export async function writeSlaSettings(
  db: Db,
  rows: Array<{ kind: SlaSettingKind; id: string; body: unknown }>,
  opts: { replaceKind?: SlaSettingKind; by: string | null; at: Date },
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SETTINGS_LOCK})`);
    const current = await queryRows<{ v: string | number | null }>(
      tx,
      sql`select max(version) as v from sla_settings`,
    );
    const version = Number(current[0]?.v ?? 0) + 1;
    if (opts.replaceKind) {
      await tx.delete(slaSettings).where(eq(slaSettings.kind, opts.replaceKind));
    }
    for (const r of rows) {
      const values = { ...r, version, updatedAt: opts.at, updatedBy: opts.by };
      await tx
        .insert(slaSettings)
        .values(values)
        .onConflictDoUpdate({
          target: [slaSettings.kind, slaSettings.id],
          set: { body: r.body, version, updatedAt: opts.at, updatedBy: opts.by },
        });
    }
    return version;
  });
}

/** Ids of the open tickets, oldest receipt first, in pages after `afterId`. */
export async function listOpenTicketIds(
  db: Db,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.open, true), afterId === null ? undefined : gt(tickets.id, afterId)))
    .orderBy(asc(tickets.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Counts the open tickets. */
export async function countOpenTickets(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<string | number>`count(*)` })
    .from(tickets)
    .where(eq(tickets.open, true));
  return Number(row?.n ?? 0);
}

/** Locks a ticket row for this transaction, waiting for a command that holds it. */
export async function lockOpenTicket(tx: Tx, id: string): Promise<Ticket | null> {
  const [row] = await tx
    .select({ state: tickets.state })
    .from(tickets)
    .where(and(eq(tickets.id, id), eq(tickets.open, true)))
    .for('update');
  return row ? (row.state as Ticket) : null;
}

/** Tickets received in `[from, to)`, oldest first (the compensation report's period). */
export async function listTicketsReceivedBetween(db: Db, from: Date, to: Date): Promise<Ticket[]> {
  const rows = await db
    .select({ state: tickets.state })
    .from(tickets)
    .where(and(gte(tickets.receivedAt, from), lt(tickets.receivedAt, to)))
    .orderBy(asc(tickets.receivedAt));
  return rows.map((r) => r.state as Ticket);
}

/** A page of open tickets (id order, after `afterId`), read without locks (dry runs). */
export async function listOpenTicketsPage(
  db: Db,
  afterId: string | null,
  limit: number,
): Promise<Ticket[]> {
  const rows = await db
    .select({ id: tickets.id, state: tickets.state })
    .from(tickets)
    .where(and(eq(tickets.open, true), afterId === null ? undefined : gt(tickets.id, afterId)))
    .orderBy(asc(tickets.id))
    .limit(limit);
  return rows.map((r) => r.state as Ticket);
}
