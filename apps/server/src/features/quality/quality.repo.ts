/** QA samples' rows (migration 0025): the month's closed tickets, samples and their items. */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/client';
import { qaItems, qaSamples, userGroups } from '../../db/schema';
import type { QaItemView, QaSampleView, QaVerdict } from '@dutydesk/shared';
import type { QaDraw, QaFinding, QaPeriod, QaStratum, QaTicket } from './sampling';
import { countAssignments, type DispatchHistory } from './scorecards';

interface PopulationRow {
  id: string;
  number: string;
  priority: string;
  assignee_id: string | null;
  head: Omit<QaTicket, 'executionEntries' | 'supervisionEntries'> & {
    sla?: { targets?: QaTicket['targets'] };
  };
  execution_entries: number | string;
  supervision_entries: number | string;
}

/**
 * The tickets closed in [from, to) (by the state's `closedAt`: ISO strings of one length
 * compare as instants), without their comments' and logs' bodies.
 */
export async function listClosedTickets(db: Db | Tx, period: QaPeriod): Promise<QaTicket[]> {
  const rows = await queryRows<PopulationRow>(
    db,
    sql`select id, number, priority, assignee_id,
          jsonb_build_object(
            'receivedAt', state->'receivedAt', 'resolvedAt', state->'resolvedAt',
            'closedAt', state->'closedAt', 'category', state->'category', 'module', state->'module',
            'customer', state->'customer', 'contactId', state->'contactId',
            'resolution', state->'resolution', 'milestones', state->'milestones',
            'sla', state->'sla') as head,
          jsonb_array_length(coalesce(state->'executionLog', '[]'::jsonb)) as execution_entries,
          jsonb_array_length(coalesce(state->'supervisionLog', '[]'::jsonb)) as supervision_entries
        from tickets
        where status = 'closed'
          and state->>'closedAt' >= ${period.from.toISOString()}
          and state->>'closedAt' < ${period.to.toISOString()}
        order by id`,
  );
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    priority: r.priority,
    assigneeId: r.assignee_id,
    receivedAt: r.head.receivedAt,
    resolvedAt: r.head.resolvedAt ?? null,
    closedAt: r.head.closedAt,
    category: r.head.category ?? null,
    module: r.head.module ?? null,
    customer: r.head.customer ?? { contact: null, phone: null, email: null },
    contactId: r.head.contactId ?? null,
    resolution: r.head.resolution ?? null,
    executionEntries: Number(r.execution_entries),
    supervisionEntries: Number(r.supervision_entries),
    milestones: r.head.milestones ?? [],
    targets: r.head.sla?.targets ?? [],
  }));
}

export type { QaItemView, QaSampleView, QaVerdict } from '@dutydesk/shared';

/** Stores a drawn sample (the job's: once per period); false when another node stored it first. */
export async function insertSample(
  tx: Tx,
  sample: { id: string; period: QaPeriod; draw: QaDraw; now: Date; drawnBy: string | null },
  itemId: () => string,
): Promise<boolean> {
  const { id, period, draw, now, drawnBy } = sample;
  const rows = await tx
    .insert(qaSamples)
    .values({
      id,
      period: period.period,
      seed: draw.seed,
      periodFrom: period.from,
      periodTo: period.to,
      population: draw.population,
      size: draw.size,
      strata: draw.strata,
      drawnAt: now,
      drawnBy,
    })
    .onConflictDoNothing()
    .returning({ id: qaSamples.id });
  if (rows.length === 0) return false;
  if (draw.items.length > 0)
    await tx.insert(qaItems).values(
      draw.items.map((it, position) => ({
        id: itemId(),
        sampleId: id,
        ticketId: it.ticket.id,
        ticketNumber: it.ticket.number,
        agentId: it.ticket.assigneeId,
        priority: it.ticket.priority,
        stratum: it.stratum,
        position,
        closedAt: new Date(it.ticket.closedAt),
        findings: it.findings,
      })),
    );
  return true;
}

/** Whether the monthly job's sample of `period` is stored. */
export async function hasSample(db: Db, period: string): Promise<boolean> {
  const [row] = await db
    .select({ id: qaSamples.id })
    .from(qaSamples)
    .where(and(eq(qaSamples.period, period), isNull(qaSamples.drawnBy)));
  return row !== undefined;
}

const counts = {
  reviewed: sql<number>`(select count(*)::int from qa_items i where i.sample_id = qa_samples.id and i.verdict is not null)`,
  flagged: sql<number>`(select count(*)::int from qa_items i where i.sample_id = qa_samples.id and jsonb_array_length(i.findings) > 0)`,
};

function toSample(
  r: typeof qaSamples.$inferSelect & { reviewed: number; flagged: number },
): QaSampleView {
  return {
    id: r.id,
    period: r.period,
    seed: r.seed,
    from: r.periodFrom.toISOString(),
    to: r.periodTo.toISOString(),
    population: r.population,
    size: r.size,
    strata: r.strata as QaStratum[],
    drawnAt: r.drawnAt.toISOString(),
    drawnBy: r.drawnBy,
    reviewed: Number(r.reviewed),
    flagged: Number(r.flagged),
  };
}

export async function listSamples(db: Db, limit: number): Promise<QaSampleView[]> {
  const rows = await db
    .select({ s: qaSamples, ...counts })
    .from(qaSamples)
    .orderBy(desc(qaSamples.period), desc(qaSamples.drawnAt))
    .limit(limit);
  return rows.map((r) => toSample({ ...r.s, reviewed: r.reviewed, flagged: r.flagged }));
}

export async function readSample(db: Db, id: string): Promise<QaSampleView | null> {
  const [r] = await db
    .select({ s: qaSamples, ...counts })
    .from(qaSamples)
    .where(eq(qaSamples.id, id));
  return r ? toSample({ ...r.s, reviewed: r.reviewed, flagged: r.flagged }) : null;
}

function toItem(r: typeof qaItems.$inferSelect): QaItemView {
  return {
    id: r.id,
    sampleId: r.sampleId,
    ticketId: r.ticketId,
    ticketNumber: r.ticketNumber,
    agentId: r.agentId,
    priority: r.priority,
    stratum: r.stratum,
    position: r.position,
    closedAt: r.closedAt.toISOString(),
    findings: r.findings as QaFinding[],
    verdict: (r.verdict as QaVerdict | null) ?? null,
    reviewedBy: r.reviewedBy,
    reviewedAt: r.reviewedAt ? r.reviewedAt.toISOString() : null,
  };
}

export async function listItems(db: Db, sampleId: string): Promise<QaItemView[]> {
  const rows = await db
    .select()
    .from(qaItems)
    .where(eq(qaItems.sampleId, sampleId))
    .orderBy(asc(qaItems.position));
  return rows.map(toItem);
}

export async function readItem(db: Db, id: string): Promise<QaItemView | null> {
  const [r] = await db.select().from(qaItems).where(eq(qaItems.id, id));
  return r ? toItem(r) : null;
}

/** Items reviewed with a verdict, for an agent's scorecard: closed in [from, to). */
export async function listVerdicts(
  db: Db,
  from: Date,
  to: Date,
): Promise<Array<Pick<QaItemView, 'agentId' | 'ticketId' | 'findings' | 'verdict'>>> {
  const rows = await db
    .select()
    .from(qaItems)
    .where(
      and(
        sql`${qaItems.closedAt} >= ${from.toISOString()}`,
        sql`${qaItems.closedAt} < ${to.toISOString()}`,
      ),
    );
  return rows.map(toItem);
}

/** Locks a sampled item for a verdict, with its sample's month; null when there is none. */
export async function lockItem(
  tx: Tx,
  id: string,
): Promise<(QaItemView & { period: string }) | null> {
  const [r] = await tx
    .select({ item: qaItems, period: qaSamples.period })
    .from(qaItems)
    .innerJoin(qaSamples, eq(qaSamples.id, qaItems.sampleId))
    .where(eq(qaItems.id, id))
    .for('update', { of: qaItems });
  return r ? { ...toItem(r.item), period: r.period } : null;
}

export async function saveVerdict(
  db: Db | Tx,
  id: string,
  verdict: QaVerdict,
  by: string,
  at: Date,
): Promise<QaItemView | null> {
  const [r] = await db
    .update(qaItems)
    .set({ verdict, reviewedBy: by, reviewedAt: at })
    .where(eq(qaItems.id, id))
    .returning();
  return r ? toItem(r) : null;
}

interface ScoreRow {
  id: string;
  kind: string;
  assignee_id: string | null;
  group_id: string | null;
  contact_id: string | null;
  received_at: string;
  head: {
    resolvedAt: string | null;
    targets: Array<{
      name: string;
      dueAt: string | null;
      state: string;
      metAt?: string | null;
    }> | null;
    assignments: DispatchHistory['assignments'];
    statusHistory: Array<{ status: string }> | null;
    followUp: { outcome: string } | null;
    supervisionLog: Array<{
      id: string;
      at: string;
      ratings: { overall?: number };
      correctsEntryId: string | null;
    }> | null;
  };
}

/**
 * What the scorecards of [from, to) read (issue 22): tickets resolved in the period (their
 * resolve target, assignments, reopening), the CSAT answers written in it (supervision-log
 * entries with an overall rating, not corrected later, as docs/metrics.md counts `csat`; the
 * surveys feature's answers join here when it lands), complaints received in it (attributed to
 * the assignee of the complaining contact's latest other ticket resolved before it) and the
 * QA verdicts of tickets closed in it.
 */
export async function readScoreInput(db: Db, from: Date, to: Date) {
  const f = from.toISOString();
  const t = to.toISOString();
  const rows = await queryRows<ScoreRow>(
    db,
    sql`select id, kind, assignee_id, group_id, contact_id, state->>'receivedAt' as received_at,
          jsonb_build_object('resolvedAt', state->'resolvedAt', 'targets', state->'sla'->'targets',
            'assignments', state->'assignments', 'statusHistory', state->'statusHistory',
            'followUp', state->'followUp', 'supervisionLog', state->'supervisionLog') as head
        from tickets
        where (state->>'resolvedAt' >= ${f} and state->>'resolvedAt' < ${t})
           or updated_at >= ${f}
           or (kind = 'complaint' and state->>'receivedAt' >= ${f} and state->>'receivedAt' < ${t})`,
  );
  const inside = (at: string | null | undefined) => at != null && at >= f && at < t;
  const tickets = rows
    .filter((r) => inside(r.head.resolvedAt))
    .map((r) => ({
      id: r.id,
      assigneeId: r.assignee_id,
      resolvedAt: r.head.resolvedAt,
      resolve: (r.head.targets ?? []).find((x) => x.name === 'resolve') ?? null,
      assignments: countAssignments({
        groupId: r.group_id,
        assigneeId: r.assignee_id,
        assignments: r.head.assignments,
      }),
      reopened:
        (r.head.statusHistory ?? []).some((s) => s.status === 'reopened') ||
        r.head.followUp?.outcome === 'not_resolved',
    }));
  const csat: Array<{ agentId: string | null; score: number }> = [];
  for (const r of rows) {
    const log = r.head.supervisionLog ?? [];
    const corrected = new Set(log.map((e) => e.correctsEntryId).filter(Boolean));
    for (const e of log)
      if (!corrected.has(e.id) && e.ratings.overall !== undefined && inside(e.at))
        csat.push({ agentId: r.assignee_id, score: e.ratings.overall });
  }
  const complaints: Array<{ agentId: string | null; at: string }> = [];
  for (const r of rows) {
    if (r.kind !== 'complaint' || !inside(r.received_at)) continue;
    let agentId: string | null = null;
    if (r.contact_id) {
      const [prior] = await queryRows<{ assignee_id: string | null }>(
        db,
        sql`select assignee_id from tickets
            where contact_id = ${r.contact_id} and kind <> 'complaint' and id <> ${r.id}
              and state->>'resolvedAt' < ${r.received_at}
            order by state->>'resolvedAt' desc limit 1`,
      );
      agentId = prior?.assignee_id ?? null;
    }
    complaints.push({ agentId, at: r.received_at });
  }
  const verdicts = (await listVerdicts(db, from, to)).map((v) => ({
    agentId: v.agentId,
    score: v.verdict?.score ?? null,
  }));
  return { tickets, csat, complaints, verdicts };
}

/** Every agent's groups (the team scorecards' membership). */
export async function listMemberships(db: Db): Promise<Map<string, string[]>> {
  const rows = await db.select().from(userGroups);
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r.groupId]);
  return out;
}
