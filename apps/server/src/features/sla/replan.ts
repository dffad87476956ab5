import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import type { ReplanRegistry } from './runtime';
import type { StoredEvent } from '../events';
import { appendAndApply } from '../tickets';
import {
  claimIdleReplanJob,
  insertReplanJob,
  readReplanJobRow,
  saveReplanProgress,
  type ReplanJobRow,
} from './replan.repo';
import { countOpenTickets, listOpenTicketIds, lockOpenTicket } from './sla.repo';
import { replanTimers } from './sla.service';

/** Life-cycle of a background re-plan. */
export const ReplanStatus = {
  running: 'running',
  done: 'done',
  failed: 'failed',
  /** A newer job was started: it re-plans every open ticket again, so this one stopped. */
  superseded: 'superseded',
} as const;
export type ReplanStatus = (typeof ReplanStatus)[keyof typeof ReplanStatus];

/** A background re-plan of every open ticket after a policy or calendar change. */
export interface ReplanJob {
  id: string;
  reason: string;
  /** Settings version the job was started for. */
  version: number;
  status: ReplanStatus;
  /** Open tickets when the job started. */
  total: number;
  /** Tickets re-planned so far. */
  done: number;
  /** Tickets whose targets moved (an `sla.planned` event). */
  changed: number;
  /** Times a node took the job over after its runner stopped or died. */
  resumed: number;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

/** What this node runs, per server context. */
/** Progress is logged every this many tickets, and at the end. */
export const REPLAN_LOG_EVERY = 500;
/** Tickets re-planned between two saves of the job's cursor (a crash redoes at most these). */
export const REPLAN_PAGE = 200;
/** A running job whose runner has not saved progress for this long is taken over. */
export const REPLAN_STALE_MS = 30_000;
/** A runner saves its progress (and heartbeat) at least this often, however slow its page. */
export const REPLAN_SAVE_MS = 5_000;

function newRunToken(registry: ReplanRegistry): string {
  return `${registry.node}:${randomUUID()}`;
}

function toJob(row: ReplanJobRow): ReplanJob {
  return {
    id: row.id,
    reason: row.reason,
    version: row.version,
    status: row.status as ReplanStatus,
    total: row.total,
    done: row.done,
    changed: row.changed,
    resumed: row.resumed,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    error: row.error,
  };
}

/**
 * Starts re-planning every open ticket in the background with the settings now in force and
 * returns the job at once. Each ticket is locked, its targets recomputed (`sla.planned` when
 * they moved) and its timers rewritten through the command path's `appendAndApply`, then the
 * events are published. The job is a row of `sla_replan_jobs`: its cursor is saved every
 * {@link REPLAN_PAGE} tickets, so a restart or another node continues it
 * ({@link resumeReplanJobs}); an older job still running is superseded (this one re-plans
 * every ticket again). Progress goes to the log and to {@link readReplanJob}.
 */
export async function startReplanJob(ctx: AppContext, reason: string): Promise<ReplanJob> {
  const registry = ctx.slaRuntime.replan;
  const now = ctx.clock.now();
  const db = ctx.database.db;
  const row: ReplanJobRow = {
    id: randomUUID(),
    reason,
    version: ctx.sla.version,
    status: ReplanStatus.running,
    total: await countOpenTickets(db),
    done: 0,
    changed: 0,
    resumed: 0,
    cursor: null,
    owner: newRunToken(registry),
    heartbeatAt: now,
    startedAt: now,
    finishedAt: null,
    error: null,
  };
  await insertReplanJob(db, row);
  run(ctx, registry, row);
  return toJob(row);
}

/**
 * Takes over a running job that nobody runs: its runner stopped (shutdown) or has saved no
 * progress for {@link REPLAN_STALE_MS} (it died), and continues it after its cursor. Called by
 * the SLA scheduler on every run; a no-op while this node is stopping or the job's settings
 * are newer than this node's (the next run, after the scheduler reloads them, takes it).
 * Returns the job taken over, if any.
 */
export async function resumeReplanJobs(ctx: AppContext): Promise<ReplanJob | null> {
  const registry = ctx.slaRuntime.replan;
  if (registry.stopping) return null;
  const claimed = await claimIdleReplanJob(
    ctx.database.db,
    newRunToken(registry),
    registry.node,
    ctx.sla.version,
    REPLAN_STALE_MS,
  );
  if (!claimed) return null;
  if (registry.stopping) {
    // Shutdown began while claiming: leave it free for the next start or another node.
    await saveReplanProgress(ctx.database.db, claimed.owner ?? '', claimed, { owner: null });
    return null;
  }
  ctx.log.info(
    { replanJob: claimed.id, done: claimed.done, total: claimed.total },
    'SLA re-plan resumed',
  );
  run(ctx, registry, claimed);
  return toJob(claimed);
}

/** A job as the database holds it (any node's), or null. */
export async function readReplanJob(ctx: AppContext, id: string): Promise<ReplanJob | null> {
  const row = await readReplanJobRow(ctx.database.db, id);
  return row ? toJob(row) : null;
}

/** Resolves when every running job of this node has finished (tests, orderly shutdown). */
export async function waitForReplanJobs(ctx: AppContext): Promise<void> {
  await Promise.all([...ctx.slaRuntime.replan.running.values()]);
}

/**
 * Calls `listener` each time a job of this node saves progress (every page, and at the end).
 * Returns the unsubscribe function.
 */
export function watchReplanProgress(
  ctx: AppContext,
  listener: (job: ReplanJob) => void,
): () => void {
  const { progress } = ctx.slaRuntime.replan;
  progress.add(listener);
  return () => progress.delete(listener);
}

/**
 * Stops this node's jobs between two tickets, saves where each got to and leaves it free for
 * the next start or another node to resume (server shutdown).
 */
export async function stopReplanJobs(ctx: AppContext): Promise<void> {
  const registry = ctx.slaRuntime.replan;
  registry.stopping = true;
  // Loop: a take-over that was claiming when the stop began may add a run (it pauses at once).
  while (registry.running.size > 0) await Promise.all([...registry.running.values()]);
}

function run(ctx: AppContext, registry: ReplanRegistry, row: ReplanJobRow): void {
  const token = row.owner ?? newRunToken(registry);
  const done = runReplan(ctx, registry, row, token).finally(() => registry.running.delete(token));
  registry.running.set(token, done);
}

async function runReplan(
  ctx: AppContext,
  registry: ReplanRegistry,
  row: ReplanJobRow,
  token: string,
): Promise<void> {
  const db = ctx.database.db;
  // Saves progress while this run still holds the job; false once superseded or taken over.
  const saveProgress = (fields: Partial<ReplanJobRow>): Promise<boolean> =>
    saveReplanProgress(db, token, row, fields);
  let savedAt = performance.now();
  const log = ctx.log.child({ replanJob: row.id });
  const report = (): void => {
    for (const listener of registry.progress) listener(toJob(row));
  };
  try {
    log.info(
      { total: row.total, done: row.done, reason: row.reason, version: row.version },
      'SLA re-plan running',
    );
    for (;;) {
      const ids = await listOpenTicketIds(db, row.cursor, REPLAN_PAGE);
      if (ids.length === 0) break;
      for (const id of ids) {
        if (registry.stopping) {
          await saveProgress({ owner: null });
          log.warn({ done: row.done, total: row.total }, 'SLA re-plan paused by shutdown');
          return;
        }
        const events = await replanTicket(ctx, id);
        if (events.length > 0) {
          row.changed += 1;
          ctx.publish(events);
        }
        row.done += 1;
        row.cursor = id;
        if (performance.now() - savedAt >= REPLAN_SAVE_MS) {
          savedAt = performance.now();
          if (!(await saveProgress({}))) {
            log.info({ done: row.done }, 'SLA re-plan superseded or taken over; this run stops');
            return;
          }
        }
        if (row.done % REPLAN_LOG_EVERY === 0) {
          log.info(
            { done: row.done, total: row.total, changed: row.changed },
            'SLA re-plan progress',
          );
        }
      }
      savedAt = performance.now();
      if (!(await saveProgress({}))) {
        log.info({ done: row.done }, 'SLA re-plan superseded or taken over; this run stops');
        return;
      }
      report();
    }
    row.status = ReplanStatus.done;
    row.finishedAt = ctx.clock.now();
    await saveProgress({ status: row.status, finishedAt: row.finishedAt, owner: null });
    report();
    log.info({ done: row.done, total: row.total, changed: row.changed }, 'SLA re-plan finished');
  } catch (err) {
    row.status = ReplanStatus.failed;
    row.error = err instanceof Error ? err.message : String(err);
    row.finishedAt = ctx.clock.now();
    log.error({ err, done: row.done, total: row.total }, 'SLA re-plan failed');
    await saveProgress({
      status: row.status,
      error: row.error,
      finishedAt: row.finishedAt,
      owner: null,
    }).catch((saveErr: unknown) => log.error({ err: saveErr }, 'SLA re-plan: failure not saved'));
    report();
  }
}

async function replanTicket(ctx: AppContext, id: string): Promise<StoredEvent[]> {
  return ctx.database.db.transaction(async (tx) => {
    const ticket = await lockOpenTicket(tx, id);
    if (!ticket) return [];
    const now = ctx.clock.now();
    // The settings moved under the ticket: its rows are the old plan, whatever the command path
    // would conclude from comparing the ticket before and after (both under the new settings).
    await replanTimers(ctx, tx, ticket, now);
    const result = await appendAndApply(tx, ticket, [], null, now, ctx);
    return result.events;
  });
}
