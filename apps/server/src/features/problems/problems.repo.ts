import type { ChangeRequest, ChangeStatus, Problem, ProblemStatus } from '@dutydesk/shared';
import { and, desc, eq, inArray, isNull, lte, ne, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client';
import { changeRequests, problems } from '../../db/schema/index';

/** The tables a problem or change request may name ids of (checked before a save). */
export type LinkTable =
  'tickets' | 'users' | 'organisations' | 'contacts' | 'kb_articles' | 'qa_items';

/** The ids of `ids` with no row in `table`. */
export async function findMissingIds(
  db: Db | Tx,
  table: LinkTable,
  ids: readonly string[],
): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from ${sql.raw(table)} where id in (${sql.join(
      unique.map((v) => sql`${v}`),
      sql`, `,
    )})`,
  );
  const found = new Set(rows.map((r) => r.id));
  return unique.filter((id) => !found.has(id));
}

function problemRow(p: Problem, escalation?: { reportEscalatedAt?: Date | null }) {
  return {
    id: p.id,
    number: p.number,
    version: p.version,
    status: p.status,
    organisationId: p.organisationId,
    rootCauseDueAt: new Date(p.rootCauseDueAt),
    rootCauseAt: p.rootCauseAt ? new Date(p.rootCauseAt) : null,
    escalatedAt: p.escalatedAt ? new Date(p.escalatedAt) : null,
    ...(escalation?.reportEscalatedAt !== undefined
      ? { reportEscalatedAt: escalation.reportEscalatedAt }
      : {}),
    record: p,
    createdAt: new Date(p.createdAt),
    updatedAt: new Date(p.updatedAt),
  };
}

/** Inserts or overwrites a problem record. */
export async function saveProblem(
  tx: Tx,
  p: Problem,
  escalation?: { reportEscalatedAt?: Date | null },
): Promise<void> {
  const row = problemRow(p, escalation);
  await tx.insert(problems).values(row).onConflictDoUpdate({ target: problems.id, set: row });
}

/** A problem, locked for this transaction. */
export async function lockProblem(tx: Tx, id: string): Promise<Problem | null> {
  const [row] = await tx
    .select({ record: problems.record })
    .from(problems)
    .where(eq(problems.id, id))
    .for('update');
  return row ? (row.record as Problem) : null;
}

export async function readProblem(db: Db | Tx, id: string): Promise<Problem | null> {
  const [row] = await db
    .select({ record: problems.record })
    .from(problems)
    .where(eq(problems.id, id));
  return row ? (row.record as Problem) : null;
}

/** Problems, most recently changed first. */
export async function listProblems(
  db: Db,
  q: {
    statuses?: readonly ProblemStatus[];
    organisationId?: string;
    contactId?: string;
    limit: number;
  },
): Promise<Problem[]> {
  const where: SQL[] = [];
  if (q.contactId) where.push(sql`${problems.record} ->> 'contactId' = ${q.contactId}`);
  if (q.statuses && q.statuses.length > 0) where.push(inArray(problems.status, [...q.statuses]));
  if (q.organisationId) where.push(eq(problems.organisationId, q.organisationId));
  const rows = await db
    .select({ record: problems.record })
    .from(problems)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(problems.updatedAt), desc(problems.id))
    .limit(q.limit);
  return rows.map((r) => r.record as Problem);
}

/**
 * Problems whose root cause is overdue at `now` and not yet escalated, locked (`SKIP LOCKED`:
 * another node's run takes the others) for the caller to mark and escalate once.
 */
export async function lockOverdueRootCauses(tx: Tx, now: Date, limit = 100): Promise<Problem[]> {
  const rows = await tx
    .select({ record: problems.record })
    .from(problems)
    .where(
      and(
        ne(problems.status, 'closed'),
        isNull(problems.rootCauseAt),
        isNull(problems.escalatedAt),
        lte(problems.rootCauseDueAt, now),
      ),
    )
    .orderBy(problems.rootCauseDueAt)
    .limit(limit)
    .for('update', { skipLocked: true });
  return rows.map((r) => r.record as Problem);
}

/** Open problems with no fault report whose report was not yet escalated (the job checks their P1s). */
export async function lockReportCandidates(tx: Tx, limit = 200): Promise<Problem[]> {
  const rows = await tx
    .select({ record: problems.record })
    .from(problems)
    .where(
      and(
        ne(problems.status, 'closed'),
        isNull(problems.reportEscalatedAt),
        sql`${problems.record} -> 'faultReport' = 'null'::jsonb`,
        sql`jsonb_array_length(${problems.record} -> 'ticketIds') > 0`,
      ),
    )
    .limit(limit)
    .for('update', { skipLocked: true });
  return rows.map((r) => r.record as Problem);
}

function changeRow(c: ChangeRequest) {
  return {
    id: c.id,
    number: c.number,
    version: c.version,
    status: c.status,
    problemId: c.problemId,
    record: c,
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
  };
}

export async function saveChange(tx: Tx, c: ChangeRequest): Promise<void> {
  const row = changeRow(c);
  await tx
    .insert(changeRequests)
    .values(row)
    .onConflictDoUpdate({ target: changeRequests.id, set: row });
}

export async function lockChange(tx: Tx, id: string): Promise<ChangeRequest | null> {
  const [row] = await tx
    .select({ record: changeRequests.record })
    .from(changeRequests)
    .where(eq(changeRequests.id, id))
    .for('update');
  return row ? (row.record as ChangeRequest) : null;
}

export async function readChange(db: Db, id: string): Promise<ChangeRequest | null> {
  const [row] = await db
    .select({ record: changeRequests.record })
    .from(changeRequests)
    .where(eq(changeRequests.id, id));
  return row ? (row.record as ChangeRequest) : null;
}

/** Change requests, most recently changed first; of one problem, or naming one ticket. */
export async function listChanges(
  db: Db,
  q: { statuses?: readonly ChangeStatus[]; problemId?: string; ticketId?: string; limit: number },
): Promise<ChangeRequest[]> {
  const where: SQL[] = [];
  if (q.statuses && q.statuses.length > 0)
    where.push(inArray(changeRequests.status, [...q.statuses]));
  if (q.problemId) where.push(eq(changeRequests.problemId, q.problemId));
  if (q.ticketId)
    where.push(
      sql`${changeRequests.record} -> 'ticketIds' @> ${JSON.stringify([q.ticketId])}::jsonb`,
    );
  const rows = await db
    .select({ record: changeRequests.record })
    .from(changeRequests)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(changeRequests.updatedAt), desc(changeRequests.id))
    .limit(q.limit);
  return rows.map((r) => r.record as ChangeRequest);
}

/** A contact's address, name and language (the fault report's addressee). */
export async function readContactAddress(
  db: Db | Tx,
  contactId: string,
): Promise<{ id: string; name: string; email: string | null; language: string | null } | null> {
  const rows = await queryRows<{
    id: string;
    name: string;
    email: string | null;
    preferred_language: string | null;
  }>(db, sql`select id, name, email, preferred_language from contacts where id = ${contactId}`);
  const r = rows[0];
  return r ? { id: r.id, name: r.name, email: r.email, language: r.preferred_language } : null;
}
