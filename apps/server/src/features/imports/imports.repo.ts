import type { Ticket } from '@dutydesk/shared';
import { eq, sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client';
import { groups, importJobs } from '../../db/schema/index';
import { ticketColumns } from '../tickets';
import type { RowError } from './parse';

export interface ImportJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  failed: number;
  errors: RowError[];
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
}

function toJob(r: typeof importJobs.$inferSelect): ImportJob {
  return {
    id: r.id,
    status: r.status as ImportJob['status'],
    total: r.total,
    done: r.done,
    failed: r.failed,
    errors: r.errors as RowError[],
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

export async function insertImportJob(
  db: Db,
  job: { id: string; createdBy: string; createdAt: Date },
): Promise<void> {
  await db.insert(importJobs).values({ ...job, status: 'running', total: 0 });
}

export async function readImportJob(db: Db, id: string): Promise<ImportJob | null> {
  const [row] = await db.select().from(importJobs).where(eq(importJobs.id, id));
  return row ? toJob(row) : null;
}

/** Progress after a batch (or the end): counts, the first errors, and the status. */
export async function updateImportJob(
  db: Db | Tx,
  id: string,
  p: {
    total?: number;
    done: number;
    failed: number;
    errors: RowError[];
    status?: ImportJob['status'];
    finishedAt?: Date;
  },
): Promise<void> {
  await db
    .update(importJobs)
    .set({
      ...(p.total !== undefined ? { total: p.total } : {}),
      done: p.done,
      failed: p.failed,
      errors: p.errors,
      ...(p.status ? { status: p.status } : {}),
      ...(p.finishedAt ? { finishedAt: p.finishedAt } : {}),
    })
    .where(eq(importJobs.id, id));
}

/** Every group id (rows naming another are refused). */
export async function readGroupIds(db: Db): Promise<Set<string>> {
  const rows = await db.select({ id: groups.id }).from(groups);
  return new Set(rows.map((r) => r.id));
}

/** `n` consecutive numbers of a counter in one statement: the first of them. */
export async function reserveCounter(tx: Tx, key: string, n: number): Promise<number> {
  const rows = await queryRows<{ value: number }>(
    tx,
    sql`insert into counters (key, value) values (${key}, ${n})
        on conflict (key) do update set value = counters.value + ${n}
        returning value`,
  );
  return Number(rows[0]?.value) - n + 1;
}

/**
 * The reducer's output of a batch of new tickets in one statement with one parameter (the rows
 * as JSON, unpacked by PostgreSQL): thousands of rows without a bound value per column.
 */
export async function insertTickets(tx: Tx, list: Ticket[]): Promise<void> {
  if (list.length === 0) return;
  const rows = list.map((t) => {
    const c = ticketColumns(t);
    return {
      ...c,
      id: t.id,
      receivedAt: c.receivedAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
      state: t,
    };
  });
  await tx.execute(sql`
    insert into tickets (id, number, kind, status, priority, group_id, assignee_id,
      organisation_id, contact_id, major_incident, open, version, last_seq, received_at,
      updated_at, state)
    select r.id, r.number, r.kind, r.status, r.priority, r."groupId", r."assigneeId",
      r."organisationId", r."contactId", r."majorIncident", r.open, r.version, r."lastSeq",
      r."receivedAt", r."updatedAt", r.state
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id text, number text,
      kind text, status text, priority text, "groupId" text, "assigneeId" text,
      "organisationId" text, "contactId" text, "majorIncident" boolean, open boolean,
      version integer, "lastSeq" bigint, "receivedAt" timestamptz, "updatedAt" timestamptz,
      state jsonb)`);
}
