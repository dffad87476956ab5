import { and, asc, eq, inArray, isNull, lte, notLike, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { slaReplanJobs } from '../../db/schema/index';

/** A stored re-plan job (`sla_replan_jobs`). */
export type ReplanJobRow = typeof slaReplanJobs.$inferSelect;

/**
 * Stores a new running job and marks every other running job superseded (the new one
 * re-plans every open ticket again), in one transaction. Heartbeats are the database's clock,
 * so nodes whose clocks disagree still agree on which job is stale.
 */
export async function insertReplanJob(db: Db, row: ReplanJobRow): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(slaReplanJobs)
      .set({ status: 'superseded', owner: null, finishedAt: row.startedAt })
      .where(eq(slaReplanJobs.status, 'running'));
    await tx.insert(slaReplanJobs).values({ ...row, heartbeatAt: sql`now()` });
  });
}

/**
 * Claims for the run `owner` (`<node>:<run>`) the oldest running job that nobody runs (no
 * owner, or a runner of another node that has saved nothing for `staleMs` by the database's
 * clock) started for settings no newer than `version`; counts the take-over. Never a job of
 * this node's own runs, however slow.
 */
export async function claimIdleReplanJob(
  db: Db,
  owner: string,
  node: string,
  version: number,
  staleMs: number,
): Promise<ReplanJobRow | null> {
  // One statement (the scheduler runs this every second on every node): the inner select
  // locks the job it picks and skips any another node is claiming at the same moment.
  const idle = db
    .select({ id: slaReplanJobs.id })
    .from(slaReplanJobs)
    .where(
      and(
        eq(slaReplanJobs.status, 'running'),
        lte(slaReplanJobs.version, version),
        or(
          isNull(slaReplanJobs.owner),
          and(
            notLike(slaReplanJobs.owner, `${node}:%`),
            lte(slaReplanJobs.heartbeatAt, sql`now() - make_interval(secs => ${staleMs / 1000})`),
          ),
        ),
      ),
    )
    .orderBy(asc(slaReplanJobs.startedAt))
    .limit(1)
    .for('update', { skipLocked: true });
  const [taken] = await db
    .update(slaReplanJobs)
    .set({ owner, heartbeatAt: sql`now()`, resumed: sql`${slaReplanJobs.resumed} + 1` })
    .where(inArray(slaReplanJobs.id, idle))
    .returning();
  return taken ?? null;
}

/** A job by id. */
export async function readReplanJobRow(db: Db, id: string): Promise<ReplanJobRow | null> {
  const [row] = await db.select().from(slaReplanJobs).where(eq(slaReplanJobs.id, id));
  return row ?? null;
}

/**
 * Saves a job's progress (and any `fields`) with a fresh heartbeat while the run `owner` still
 * holds it and it is still running. False when it was superseded or taken over.
 */
export async function saveReplanProgress(
  db: Db,
  owner: string,
  row: ReplanJobRow,
  fields: Partial<ReplanJobRow>,
): Promise<boolean> {
  const saved = await db
    .update(slaReplanJobs)
    .set({
      ...fields,
      done: row.done,
      changed: row.changed,
      cursor: row.cursor,
      heartbeatAt: sql`now()`,
    })
    .where(
      and(
        eq(slaReplanJobs.id, row.id),
        eq(slaReplanJobs.owner, owner),
        eq(slaReplanJobs.status, 'running'),
      ),
    )
    .returning({ id: slaReplanJobs.id });
  return saved.length > 0;
}
