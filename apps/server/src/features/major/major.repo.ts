import { and, eq, isNull, lte } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { majorIncidents } from '../../db/schema/index';

/** One entry of a major incident's timeline. */
export interface TimelineEntry {
  at: string;
  by: string | null;
  kind:
    | 'declared'
    | 'announcement'
    | 'update'
    | 'restored'
    | 'linked'
    | 'unlinked'
    | 'closed'
    | 'root_cause';
  text: string;
}

/** A major incident. */
export interface MajorIncident {
  ticketId: string;
  status: 'open' | 'closed';
  declaredAt: string;
  declaredBy: string;
  childTicketIds: string[];
  timeline: TimelineEntry[];
  closedAt: string | null;
  rootCause: { dueAt: string; doneAt: string | null; summary: string | null } | null;
}

type Row = typeof majorIncidents.$inferSelect;

function toRecord(r: Row): MajorIncident {
  return {
    ticketId: r.ticketId,
    status: r.status as MajorIncident['status'],
    declaredAt: r.declaredAt.toISOString(),
    declaredBy: r.declaredBy,
    childTicketIds: r.childTicketIds as string[],
    timeline: r.timeline as TimelineEntry[],
    closedAt: r.closedAt?.toISOString() ?? null,
    rootCause: r.rootCauseDueAt
      ? {
          dueAt: r.rootCauseDueAt.toISOString(),
          doneAt: r.rootCauseDoneAt?.toISOString() ?? null,
          summary: r.rootCauseSummary,
        }
      : null,
  };
}

/** A major incident, locked for this transaction. */
export async function lockMajor(tx: Tx, ticketId: string): Promise<MajorIncident | null> {
  const [row] = await tx
    .select()
    .from(majorIncidents)
    .where(eq(majorIncidents.ticketId, ticketId))
    .for('update');
  return row ? toRecord(row) : null;
}

/** A major incident. */
export async function readMajor(db: Db, ticketId: string): Promise<MajorIncident | null> {
  const [row] = await db.select().from(majorIncidents).where(eq(majorIncidents.ticketId, ticketId));
  return row ? toRecord(row) : null;
}

/** Every major incident, or those of one status. */
export async function listMajors(db: Db, status?: string): Promise<MajorIncident[]> {
  const rows = await db
    .select()
    .from(majorIncidents)
    .where(status ? eq(majorIncidents.status, status) : undefined);
  return rows.map(toRecord);
}

/** Inserts or overwrites a major incident. */
export async function saveMajor(tx: Tx, m: MajorIncident): Promise<void> {
  const row = {
    ticketId: m.ticketId,
    status: m.status,
    declaredAt: new Date(m.declaredAt),
    declaredBy: m.declaredBy,
    childTicketIds: m.childTicketIds,
    timeline: m.timeline,
    closedAt: m.closedAt ? new Date(m.closedAt) : null,
    rootCauseDueAt: m.rootCause ? new Date(m.rootCause.dueAt) : null,
    rootCauseDoneAt: m.rootCause?.doneAt ? new Date(m.rootCause.doneAt) : null,
    rootCauseSummary: m.rootCause?.summary ?? null,
  };
  await tx
    .insert(majorIncidents)
    .values(row)
    .onConflictDoUpdate({ target: majorIncidents.ticketId, set: row });
}

/** Claims closed incidents whose root cause is overdue and not yet alerted (once each). */
export async function claimOverdueRootCauses(tx: Tx, now: Date): Promise<string[]> {
  const rows = await tx
    .update(majorIncidents)
    .set({ rootCauseAlertedAt: now })
    .where(
      and(
        eq(majorIncidents.status, 'closed'),
        isNull(majorIncidents.rootCauseDoneAt),
        isNull(majorIncidents.rootCauseAlertedAt),
        lte(majorIncidents.rootCauseDueAt, now),
      ),
    )
    .returning({ ticketId: majorIncidents.ticketId });
  return rows.map((r) => r.ticketId);
}
