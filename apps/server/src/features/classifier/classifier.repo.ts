import { desc, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { classifierFeedback, classifierJobs, classifierModels } from '../../db/schema/index';
import { ticketText, type Example, type StoredMeta } from './model';

export interface StoredModel {
  version: number;
  trainedAt: Date;
  examples: number;
  meta: StoredMeta;
  blob: Buffer;
}

/** Stores a model as the next version (two nodes racing: one retries with the next number). */
export async function insertModel(
  db: Db,
  m: { trainedAt: Date; examples: number; meta: StoredMeta; blob: Buffer },
): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const rows = await queryRows<{ version: number }>(
        db,
        sql`insert into classifier_models (version, trained_at, examples, meta, model)
            select coalesce(max(version), 0) + 1, ${m.trainedAt.toISOString()}::timestamptz,
              ${m.examples}, ${JSON.stringify(m.meta)}::jsonb, ${m.blob.toString('base64')}
            from classifier_models
            returning version`,
      );
      return Number(rows[0]?.version);
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

export async function readLatestVersion(db: Db): Promise<number | null> {
  const rows = await queryRows<{ v: number | null }>(
    db,
    sql`select max(version) as v from classifier_models`,
  );
  const v = rows[0]?.v;
  return v === null || v === undefined ? null : Number(v);
}

export async function readModel(db: Db, version: number): Promise<StoredModel | null> {
  const [row] = await db
    .select()
    .from(classifierModels)
    .where(eq(classifierModels.version, version));
  if (!row) return null;
  return {
    version: row.version,
    trainedAt: row.trainedAt,
    examples: row.examples,
    meta: row.meta as StoredMeta,
    blob: Buffer.from(row.model, 'base64'),
  };
}

export interface TrainingJob {
  id: string;
  reason: string;
  status: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  version: number | null;
  error: string | null;
}

/** Claims a training run under its key; false when another run (a node's nightly) has it. */
export async function claimJob(
  db: Db,
  job: { id: string; key: string; reason: string; startedAt: Date },
): Promise<boolean> {
  const rows = await db
    .insert(classifierJobs)
    .values({ ...job, status: 'running' })
    .onConflictDoNothing()
    .returning({ id: classifierJobs.id });
  return rows.length > 0;
}

export async function finishJob(
  db: Db,
  id: string,
  r: { status: 'done' | 'failed'; finishedAt: Date; version?: number | null; error?: string },
): Promise<void> {
  await db
    .update(classifierJobs)
    .set({
      status: r.status,
      finishedAt: r.finishedAt,
      version: r.version ?? null,
      error: r.error ?? null,
    })
    .where(eq(classifierJobs.id, id));
}

export async function readJob(db: Db, id: string): Promise<TrainingJob | null> {
  const [row] = await db.select().from(classifierJobs).where(eq(classifierJobs.id, id));
  return row ? toJob(row) : null;
}

export async function readLastJob(db: Db): Promise<TrainingJob | null> {
  const [row] = await db
    .select()
    .from(classifierJobs)
    .orderBy(desc(classifierJobs.startedAt))
    .limit(1);
  return row ? toJob(row) : null;
}

function toJob(r: typeof classifierJobs.$inferSelect): TrainingJob {
  return {
    id: r.id,
    reason: r.reason,
    status: r.status as TrainingJob['status'],
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    version: r.version,
    error: r.error,
  };
}

/** The labelled history: resolved, followed-up and closed tickets with a category. */
export async function readExamples(db: Db): Promise<Example[]> {
  const rows = await queryRows<{
    title: string | null;
    description: string | null;
    category: string | null;
    module: string | null;
    group_id: string | null;
    priority: string | null;
  }>(
    db,
    sql`select state->>'title' as title, state->>'description' as description,
          state->>'category' as category, state->>'module' as module, group_id, priority
        from tickets
        where status in ('resolved', 'follow_up', 'closed') and state->>'category' is not null
        order by id`,
  );
  return rows.map((r) => ({
    text: ticketText(r.title, r.description ?? ''),
    labels: { category: r.category, module: r.module, groupId: r.group_id, priority: r.priority },
  }));
}

/** How many labelled tickets the history has (the nightly run trains only when it grew). */
export async function countExamples(db: Db): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from tickets
        where status in ('resolved', 'follow_up', 'closed') and state->>'category' is not null`,
  );
  return Number(rows[0]?.n ?? 0);
}

export interface FeedbackRow {
  id: string;
  ticketId: string | null;
  field: string;
  suggested: string | null;
  confidence: number | null;
  kept: string | null;
  modelVersion: number | null;
  actorId: string;
  at: Date;
}

export async function insertFeedback(db: Db, rows: FeedbackRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(classifierFeedback).values(rows);
}

/** Per field: suggestions recorded and how many the agent kept as suggested. */
export async function readFeedbackStats(
  db: Db,
): Promise<Record<string, { suggested: number; kept: number }>> {
  const rows = await queryRows<{ field: string; n: number; kept: number }>(
    db,
    sql`select field, count(*)::int as n,
          count(*) filter (where kept is not distinct from suggested)::int as kept
        from classifier_feedback where suggested is not null group by field`,
  );
  return Object.fromEntries(rows.map((r) => [r.field, { suggested: r.n, kept: r.kept }]));
}
