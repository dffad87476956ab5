import type { Ticket } from '@dutydesk/shared';
import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client';
import { alerts, escalationCursors, escalationPolicies, tickets } from '../../db/schema/index';
import type { StoredEvent } from '../events';

/** Whom an alert is for at its current level. */
export interface AlertTargets {
  recipientIds: string[];
  roles: string[];
}

/** A stored alert, as REST and the `alerts` socket message show it. */
export interface AlertRecord {
  id: string;
  ticketId: string | null;
  kind: string;
  stepKey: string;
  level: number;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  targets: AlertTargets;
  status: 'open' | 'acknowledged' | 'closed';
  outcome: string | null;
  count: number;
  parentId: string | null;
  createdAt: string;
  lastRaisedAt: string;
  climbAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  data: Record<string, unknown>;
}

type AlertRow = typeof alerts.$inferSelect;

function toRecord(r: AlertRow): AlertRecord {
  return {
    id: r.id,
    ticketId: r.ticketId,
    kind: r.kind,
    stepKey: r.stepKey,
    level: r.level,
    severity: r.severity as AlertRecord['severity'],
    message: r.message,
    targets: r.targets as AlertTargets,
    status: r.status as AlertRecord['status'],
    outcome: r.outcome,
    count: r.count,
    parentId: r.parentId,
    createdAt: r.createdAt.toISOString(),
    lastRaisedAt: r.lastRaisedAt.toISOString(),
    climbAt: r.climbAt?.toISOString() ?? null,
    acknowledgedBy: r.acknowledgedBy,
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
    data: r.data as Record<string, unknown>,
  };
}

function toRow(a: AlertRecord): typeof alerts.$inferInsert {
  return {
    ...a,
    createdAt: new Date(a.createdAt),
    lastRaisedAt: new Date(a.lastRaisedAt),
    climbAt: a.climbAt ? new Date(a.climbAt) : null,
    acknowledgedAt: a.acknowledgedAt ? new Date(a.acknowledgedAt) : null,
  };
}

/** The stored policies, or null when an admin never stored any (the defaults apply). */
export async function readStoredPolicies(db: Db | Tx): Promise<unknown[] | null> {
  const rows = await db.select().from(escalationPolicies).orderBy(asc(escalationPolicies.id));
  return rows.length === 0 ? null : rows.map((r) => r.body);
}

/** Replaces every stored policy. */
export async function replaceStoredPolicies(
  db: Db,
  list: Array<{ id: string; body: unknown }>,
  by: string,
  at: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(escalationPolicies);
    await tx
      .insert(escalationPolicies)
      .values(list.map((p) => ({ id: p.id, body: p.body, updatedAt: at, updatedBy: by })));
  });
}

const CURSOR_ID = 'sla';

/**
 * Locks the engine's read cursor for this transaction, or returns null when another node holds
 * it (that node is doing the work). Creates it at the head of the log on first use.
 */
export async function lockCursor(tx: Tx, now: Date): Promise<number | null> {
  await tx.execute(
    sql`insert into escalation_cursors (id, seq, updated_at)
        values (${CURSOR_ID}, (select coalesce(max(seq), 0) from events), ${now.toISOString()})
        on conflict (id) do nothing`,
  );
  const rows = await queryRows<{ seq: string | number }>(
    tx,
    sql`select seq from escalation_cursors where id = ${CURSOR_ID} for update skip locked`,
  );
  const row = rows[0];
  return row ? Number(row.seq) : null;
}

/** Moves the cursor. */
export async function saveCursor(tx: Tx, seq: number, now: Date): Promise<void> {
  await tx
    .update(escalationCursors)
    .set({ seq, updatedAt: now })
    .where(eq(escalationCursors.id, CURSOR_ID));
}

/** Events after `seq` the engine reacts to (thresholds, resolution, closure), in seq order. */
export async function readEscalationEvents(
  tx: Tx,
  after: number,
  limit: number,
): Promise<{ events: StoredEvent[]; last: number }> {
  const rows = await queryRows<{
    seq: string | number;
    id: string;
    type: string;
    ticket_id: string | null;
    actor_id: string | null;
    at: string | Date;
    data: unknown;
  }>(
    tx,
    sql`select seq, id, type, ticket_id, actor_id, at, data from events
        where seq > ${after} order by seq limit ${limit}`,
  );
  const wanted = new Set([
    'sla.warning',
    'sla.breached',
    'ticket.resolved',
    'ticket.closed',
    'ticket.refused',
  ]);
  const events = rows
    .filter((r) => wanted.has(r.type))
    .map((r) => ({
      seq: Number(r.seq),
      id: r.id,
      type: r.type,
      ticketId: r.ticket_id,
      actorId: r.actor_id,
      at: new Date(r.at).toISOString(),
      data: r.data,
    }));
  const lastRow = rows[rows.length - 1];
  return { events, last: lastRow ? Number(lastRow.seq) : after };
}

/** Tickets by id. */
export async function readTicketsByIds(db: Db | Tx, ids: string[]): Promise<Map<string, Ticket>> {
  const out = new Map<string, Ticket>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ id: tickets.id, state: tickets.state })
    .from(tickets)
    .where(inArray(tickets.id, ids));
  for (const r of rows) out.set(r.id, r.state as Ticket);
  return out;
}

/**
 * The open alerts of many (ticket, step) pairs, locked, in one statement (the engine's pages:
 * a storm's thousand breaches are one query, not a thousand). Keyed `<ticketId>|<stepKey>`.
 */
export async function lockOpenAlerts(
  tx: Tx,
  pairs: Array<{ ticketId: string; stepKey: string }>,
): Promise<Map<string, AlertRecord>> {
  const out = new Map<string, AlertRecord>();
  if (pairs.length === 0) return out;
  const wanted = JSON.stringify(pairs.map((p) => ({ t: p.ticketId, k: p.stepKey })));
  const rows = await tx
    .select()
    .from(alerts)
    .where(
      and(
        eq(alerts.status, 'open'),
        sql`(${alerts.ticketId}, ${alerts.stepKey}) in
          (select p.t, p.k from jsonb_to_recordset(${wanted}::jsonb) as p(t text, k text))`,
      ),
    )
    .orderBy(asc(alerts.id))
    .for('update');
  for (const r of rows) out.set(`${r.ticketId ?? ''}|${r.stepKey}`, toRecord(r));
  return out;
}

/** The open digest of a target group and step, locked. */
export async function lockOpenDigest(
  tx: Tx,
  targetKey: string,
  stepKey: string,
): Promise<AlertRecord | null> {
  const [row] = await tx
    .select()
    .from(alerts)
    .where(
      and(
        eq(alerts.kind, 'digest'),
        eq(alerts.stepKey, stepKey),
        eq(alerts.status, 'open'),
        sql`${alerts.data}->>'targetKey' = ${targetKey}`,
      ),
    )
    .for('update');
  return row ? toRecord(row) : null;
}

/** An alert by id, locked. */
export async function lockAlert(tx: Tx, id: string): Promise<AlertRecord | null> {
  const [row] = await tx.select().from(alerts).where(eq(alerts.id, id)).for('update');
  return row ? toRecord(row) : null;
}

/** Inserts or overwrites an alert. */
export async function saveAlert(tx: Tx, a: AlertRecord): Promise<void> {
  const row = toRow(a);
  await tx.insert(alerts).values(row).onConflictDoUpdate({ target: alerts.id, set: row });
}

/** Rows per statement of {@link saveAlerts} (17 parameters each, well under the protocol's 65 535). */
const SAVE_CHUNK = 500;

/** Inserts or overwrites many alerts, up to {@link SAVE_CHUNK} per statement (each id once). */
export async function saveAlerts(tx: Tx, list: AlertRecord[]): Promise<void> {
  const rows = [...new Map(list.map((a) => [a.id, toRow(a)])).values()];
  const first = rows[0];
  if (!first) return;
  const set = Object.fromEntries(
    Object.keys(first)
      .filter((k) => k !== 'id')
      .map((k) => [k, sql.raw(`excluded.${alerts[k as keyof typeof first].name}`)]),
  );
  for (let i = 0; i < rows.length; i += SAVE_CHUNK) {
    await tx
      .insert(alerts)
      .values(rows.slice(i, i + SAVE_CHUNK))
      .onConflictDoUpdate({ target: alerts.id, set });
  }
}

/** Open top-level alerts whose acknowledgement time ran out, locked (`SKIP LOCKED`). */
export async function claimClimbingAlerts(
  tx: Tx,
  now: Date,
  limit: number,
): Promise<AlertRecord[]> {
  const rows = await tx
    .select()
    .from(alerts)
    .where(and(eq(alerts.status, 'open'), isNull(alerts.parentId), lte(alerts.climbAt, now)))
    .orderBy(asc(alerts.climbAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return rows.map(toRecord);
}

/**
 * Closes the open alerts of tickets (they were resolved or closed), in one statement; returns
 * the top-level ones.
 */
export async function closeTicketAlerts(
  tx: Tx,
  ticketIds: string[],
  outcome: string,
): Promise<AlertRecord[]> {
  if (ticketIds.length === 0) return [];
  const rows = await tx
    .update(alerts)
    .set({ status: 'closed', outcome, climbAt: null })
    .where(and(inArray(alerts.ticketId, ticketIds), eq(alerts.status, 'open')))
    .returning();
  return rows.filter((r) => r.parentId === null).map(toRecord);
}

/** Acknowledges the members of a digest with it. */
export async function acknowledgeMembers(
  tx: Tx,
  digestId: string,
  by: string,
  at: Date,
): Promise<void> {
  await tx
    .update(alerts)
    .set({
      status: 'acknowledged',
      outcome: 'acknowledged',
      acknowledgedBy: by,
      acknowledgedAt: at,
    })
    .where(and(eq(alerts.parentId, digestId), eq(alerts.status, 'open')));
}

/** Alerts, newest first: open ones only with `open`; top-level ones unless `withMembers`. */
export async function listAlerts(
  db: Db | Tx,
  f: { open?: boolean; ticketId?: string; parentId?: string; limit: number },
): Promise<AlertRecord[]> {
  const where = [];
  if (f.open === true) where.push(eq(alerts.status, 'open'));
  if (f.open === false) where.push(sql`${alerts.status} <> 'open'`);
  if (f.ticketId) where.push(eq(alerts.ticketId, f.ticketId));
  if (f.parentId) where.push(eq(alerts.parentId, f.parentId));
  else where.push(isNull(alerts.parentId));
  const rows = await db
    .select()
    .from(alerts)
    .where(and(...where))
    .orderBy(sql`${alerts.lastRaisedAt} desc`)
    .limit(f.limit);
  return rows.map(toRecord);
}

/** Counts alerts by status (for figures and tests). */
export async function countAlerts(
  db: Db,
): Promise<{ open: number; topLevelOpen: number; all: number }> {
  const rows = await queryRows<{
    open: string | number;
    top: string | number;
    total: string | number;
  }>(
    db,
    sql`select count(*) filter (where status = 'open') as open,
               count(*) filter (where status = 'open' and parent_id is null) as top,
               count(*) as total from alerts`,
  );
  const r = rows[0];
  return {
    open: Number(r?.open ?? 0),
    topLevelOpen: Number(r?.top ?? 0),
    all: Number(r?.total ?? 0),
  };
}

/**
 * Open top-level alerts (a digest counts once, its members not) by level and severity: what
 * `/metrics` reports as `dutydesk_alerts_open`.
 */
export async function countOpenAlertsByLevel(
  db: Db,
): Promise<Array<{ level: number; severity: string; open: number }>> {
  const rows = await queryRows<{ level: number; severity: string; n: string | number }>(
    db,
    sql`select level, severity, count(*) as n from alerts
        where status = 'open' and parent_id is null group by level, severity`,
  );
  return rows.map((r) => ({ level: Number(r.level), severity: r.severity, open: Number(r.n) }));
}

/** An alert by id. */
export async function readAlert(db: Db, id: string): Promise<AlertRecord | null> {
  const [row] = await db.select().from(alerts).where(eq(alerts.id, id));
  return row ? toRecord(row) : null;
}

/** Open top-level alerts (not digests) of one target group and step. */
export async function countOpenForTarget(
  tx: Tx,
  targetKey: string,
  stepKey: string,
): Promise<number> {
  const rows = await queryRows<{ n: string | number }>(
    tx,
    sql`select count(*) as n from alerts
        where status = 'open' and parent_id is null and kind <> 'digest'
          and step_key = ${stepKey} and data->>'targetKey' = ${targetKey}`,
  );
  return Number(rows[0]?.n ?? 0);
}
