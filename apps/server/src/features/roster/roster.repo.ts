import { and, asc, eq, gt, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client';
import {
  rosterAssignments,
  rosterHandovers,
  rosterShifts,
  rosterTemplates,
  users,
} from '../../db/schema/index';

/** A shift template. */
export interface ShiftTemplate {
  id: string;
  name: string;
  kind: string;
  startTime: string;
  durationMinutes: number;
  timeZone: string;
}

/** A shift in the calendar. */
export interface Shift {
  id: string;
  templateId: string | null;
  name: string;
  kind: string;
  startsAt: string;
  endsAt: string;
}

/** A duty held on a shift (or a cover of one). */
export interface Assignment {
  id: string;
  shiftId: string;
  userId: string;
  duty: string;
  coverFor: string | null;
  from: string | null;
  to: string | null;
  removedAt: string | null;
}

/** Someone on duty at an instant. */
export interface OnDuty {
  userId: string;
  displayName: string;
  duty: string;
  shiftId: string;
  assignmentId: string;
  coverFor: string | null;
}

/** Saves a template (insert or replace). */
export async function saveTemplate(db: Db, t: ShiftTemplate, now: Date): Promise<void> {
  const row = { ...t, createdAt: now };
  await db
    .insert(rosterTemplates)
    .values(row)
    .onConflictDoUpdate({
      target: rosterTemplates.id,
      set: {
        name: t.name,
        kind: t.kind,
        startTime: t.startTime,
        durationMinutes: t.durationMinutes,
        timeZone: t.timeZone,
      },
    });
}

/** Every template. */
export async function listTemplates(db: Db): Promise<ShiftTemplate[]> {
  const rows = await db.select().from(rosterTemplates).orderBy(asc(rosterTemplates.id));
  return rows.map(({ createdAt: _c, ...t }) => t);
}

/** A template by id. */
export async function readTemplate(db: Db, id: string): Promise<ShiftTemplate | null> {
  const [row] = await db.select().from(rosterTemplates).where(eq(rosterTemplates.id, id));
  if (!row) return null;
  const { createdAt: _c, ...t } = row;
  return t;
}

function toShift(r: typeof rosterShifts.$inferSelect): Shift {
  return {
    id: r.id,
    templateId: r.templateId,
    name: r.name,
    kind: r.kind,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
  };
}

/** Inserts shifts (an existing id is left as it is). */
export async function insertShifts(db: Db, list: Shift[], now: Date): Promise<void> {
  if (list.length === 0) return;
  await db
    .insert(rosterShifts)
    .values(
      list.map((s) => ({
        ...s,
        startsAt: new Date(s.startsAt),
        endsAt: new Date(s.endsAt),
        createdAt: now,
      })),
    )
    .onConflictDoNothing();
}

/** Shifts overlapping `[from, to)`, by start. */
export async function listShifts(db: Db | Tx, from: Date, to: Date): Promise<Shift[]> {
  const rows = await db
    .select()
    .from(rosterShifts)
    .where(and(lt(rosterShifts.startsAt, to), gt(rosterShifts.endsAt, from)))
    .orderBy(asc(rosterShifts.startsAt));
  return rows.map(toShift);
}

/** A shift by id. */
export async function readShift(db: Db | Tx, id: string): Promise<Shift | null> {
  const [row] = await db.select().from(rosterShifts).where(eq(rosterShifts.id, id));
  return row ? toShift(row) : null;
}

function toAssignment(r: typeof rosterAssignments.$inferSelect): Assignment {
  return {
    id: r.id,
    shiftId: r.shiftId,
    userId: r.userId,
    duty: r.duty,
    coverFor: r.coverFor,
    from: r.fromAt?.toISOString() ?? null,
    to: r.toAt?.toISOString() ?? null,
    removedAt: r.removedAt?.toISOString() ?? null,
  };
}

/** Adds an assignment. */
export async function insertAssignment(
  db: Db,
  a: Omit<Assignment, 'removedAt'>,
  by: string,
  now: Date,
): Promise<void> {
  await db.insert(rosterAssignments).values({
    id: a.id,
    shiftId: a.shiftId,
    userId: a.userId,
    duty: a.duty,
    coverFor: a.coverFor,
    fromAt: a.from ? new Date(a.from) : null,
    toAt: a.to ? new Date(a.to) : null,
    createdAt: now,
    createdBy: by,
  });
}

/** Live assignments of shifts. */
export async function listAssignments(db: Db | Tx, shiftIds: string[]): Promise<Assignment[]> {
  if (shiftIds.length === 0) return [];
  const rows = await db
    .select()
    .from(rosterAssignments)
    .where(and(inArray(rosterAssignments.shiftId, shiftIds), isNull(rosterAssignments.removedAt)))
    .orderBy(asc(rosterAssignments.createdAt));
  return rows.map(toAssignment);
}

/** Marks an assignment removed; false when there was no live one. */
export async function removeAssignment(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(rosterAssignments)
    .set({ removedAt: now })
    .where(and(eq(rosterAssignments.id, id), isNull(rosterAssignments.removedAt)))
    .returning({ id: rosterAssignments.id });
  return rows.length > 0;
}

/** Swaps the users of two live assignments in one transaction; false when either is gone. */
export async function swapAssignments(db: Db, a: string, b: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(rosterAssignments)
      .where(and(inArray(rosterAssignments.id, [a, b]), isNull(rosterAssignments.removedAt)))
      .for('update');
    const first = rows.find((r) => r.id === a);
    const second = rows.find((r) => r.id === b);
    if (!first || !second) return false;
    await tx
      .update(rosterAssignments)
      .set({ userId: second.userId })
      .where(eq(rosterAssignments.id, a));
    await tx
      .update(rosterAssignments)
      .set({ userId: first.userId })
      .where(eq(rosterAssignments.id, b));
    return true;
  });
}

/**
 * Who is on duty at `at`: live assignments whose window (the shift, or the assignment's own
 * `from`/`to`) holds `at`, minus anyone covered for that duty by another assignment then.
 */
export async function queryOnDuty(db: Db | Tx, at: Date, duty?: string): Promise<OnDuty[]> {
  const iso = at.toISOString();
  const rows = await queryRows<{
    id: string;
    user_id: string;
    display_name: string | null;
    duty: string;
    shift_id: string;
    cover_for: string | null;
  }>(
    db,
    sql`select a.id, a.user_id, u.display_name, a.duty, a.shift_id, a.cover_for
        from roster_assignments a
        join roster_shifts s on s.id = a.shift_id
        left join users u on u.id = a.user_id
        where a.removed_at is null
          and coalesce(a.from_at, s.starts_at) <= ${iso}
          and ${iso} < coalesce(a.to_at, s.ends_at)
          ${duty ? sql`and a.duty = ${duty}` : sql``}
        order by a.created_at`,
  );
  const covered = new Set(rows.filter((r) => r.cover_for).map((r) => `${r.cover_for}|${r.duty}`));
  const seen = new Set<string>();
  const out: OnDuty[] = [];
  for (const r of rows) {
    const key = `${r.user_id}|${r.duty}`;
    if (!r.cover_for && covered.has(key)) continue;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      userId: r.user_id,
      displayName: r.display_name ?? r.user_id,
      duty: r.duty,
      shiftId: r.shift_id,
      assignmentId: r.id,
      coverFor: r.cover_for,
    });
  }
  return out;
}

/** Shifts that started in `(after, upTo]` and hold a live assignment of `duty`. */
export async function listStartedShifts(
  db: Db | Tx,
  after: Date,
  upTo: Date,
  duty: string,
): Promise<Shift[]> {
  const rows = await db
    .selectDistinct({ s: rosterShifts })
    .from(rosterShifts)
    .innerJoin(rosterAssignments, eq(rosterAssignments.shiftId, rosterShifts.id))
    .where(
      and(
        gt(rosterShifts.startsAt, after),
        lte(rosterShifts.startsAt, upTo),
        eq(rosterAssignments.duty, duty),
        isNull(rosterAssignments.removedAt),
      ),
    )
    .orderBy(asc(rosterShifts.startsAt));
  return rows.map((r) => toShift(r.s));
}

/** The latest shift with `duty` that started before `before`. */
export async function findPreviousShift(
  db: Db | Tx,
  before: Date,
  duty: string,
): Promise<Shift | null> {
  const [row] = await db
    .select({ s: rosterShifts })
    .from(rosterShifts)
    .innerJoin(rosterAssignments, eq(rosterAssignments.shiftId, rosterShifts.id))
    .where(and(lt(rosterShifts.startsAt, before), eq(rosterAssignments.duty, duty)))
    .orderBy(sql`${rosterShifts.startsAt} desc`)
    .limit(1);
  return row ? toShift(row.s) : null;
}

/** Stores a handover report once per shift; false when another node stored it first. */
export async function insertHandover(
  tx: Tx,
  shiftId: string,
  report: unknown,
  now: Date,
): Promise<boolean> {
  const rows = await tx
    .insert(rosterHandovers)
    .values({ shiftId, report, generatedAt: now })
    .onConflictDoNothing()
    .returning({ shiftId: rosterHandovers.shiftId });
  return rows.length > 0;
}

/** The stored handover report of a shift, or null. */
export async function readHandover(
  db: Db,
  shiftId: string,
): Promise<Record<string, unknown> | null> {
  const [row] = await db.select().from(rosterHandovers).where(eq(rosterHandovers.shiftId, shiftId));
  return row ? (row.report as Record<string, unknown>) : null;
}

/**
 * Changes a stored handover report under a row lock (`change` gets the report and returns the
 * new one, or null to leave it); the stored report, or null when the shift has none.
 */
export async function updateHandover(
  db: Db,
  shiftId: string,
  change: (report: Record<string, unknown>) => Record<string, unknown> | null,
): Promise<Record<string, unknown> | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(rosterHandovers)
      .where(eq(rosterHandovers.shiftId, shiftId))
      .for('update');
    if (!row) return null;
    const next = change(row.report as Record<string, unknown>);
    if (!next) return row.report as Record<string, unknown>;
    await tx
      .update(rosterHandovers)
      .set({ report: next })
      .where(eq(rosterHandovers.shiftId, shiftId));
    return next;
  });
}

/** Handover reports, newest first. */
export async function listHandovers(db: Db, limit: number): Promise<unknown[]> {
  const rows = await db
    .select()
    .from(rosterHandovers)
    .orderBy(sql`${rosterHandovers.generatedAt} desc`)
    .limit(limit);
  return rows.map((r) => r.report);
}

/** Breach events with `at` in `[from, to)`. */
export async function listBreaches(
  db: Db | Tx,
  from: Date,
  to: Date,
): Promise<Array<{ seq: number; ticketId: string | null; at: string; target: string }>> {
  const rows = await queryRows<{
    seq: string | number;
    ticket_id: string | null;
    at: string | Date;
    target: string;
  }>(
    db,
    sql`select seq, ticket_id, at, data->>'target' as target from events
        where type = 'sla.breached' and at >= ${from.toISOString()} and at < ${to.toISOString()}
        order by seq limit 1000`,
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    ticketId: r.ticket_id,
    at: new Date(r.at).toISOString(),
    target: r.target,
  }));
}

/** Whether user ids exist (for field errors). */
export async function listExistingUsers(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: users.id }).from(users).where(inArray(users.id, ids));
  return new Set(rows.map((r) => r.id));
}

/** Open tickets for a handover (newest priority first), at most `limit`. */
export async function listOpenTicketsBrief(
  db: Db | Tx,
  limit: number,
): Promise<{
  total: number;
  byPriority: Record<string, number>;
  tickets: Array<{
    id: string;
    number: string;
    priority: string;
    status: string;
    assigneeId: string | null;
  }>;
}> {
  const counts = await queryRows<{ priority: string; n: string | number }>(
    db,
    sql`select priority, count(*) as n from tickets where open group by priority`,
  );
  const rows = await queryRows<{
    id: string;
    number: string;
    priority: string;
    status: string;
    assignee_id: string | null;
  }>(
    db,
    sql`select id, number, priority, status, assignee_id from tickets where open order by priority, received_at limit ${limit}`,
  );
  const byPriority: Record<string, number> = {};
  let total = 0;
  for (const c of counts) {
    byPriority[c.priority] = Number(c.n);
    total += Number(c.n);
  }
  return {
    total,
    byPriority,
    tickets: rows.map((r) => ({
      id: r.id,
      number: r.number,
      priority: r.priority,
      status: r.status,
      assigneeId: r.assignee_id,
    })),
  };
}
