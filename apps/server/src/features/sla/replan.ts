import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import type { StoredEvent } from '../events/events.repo';
import { appendAndApply } from '../tickets/tickets.commands';
import { countOpenTickets, listOpenTicketIds, lockOpenTicket } from './sla.repo';
import { replanTimers } from './sla.service';

/** Life-cycle of a background re-plan. */
export const ReplanStatus = {
  running: 'running',
  done: 'done',
  failed: 'failed',
  stopped: 'stopped',
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
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

interface JobRegistry {
  jobs: Map<string, ReplanJob>;
  running: Set<Promise<void>>;
  stopping: boolean;
}

/** Progress is logged every this many tickets, and at the end. */
export const REPLAN_LOG_EVERY = 500;
const PAGE = 200;
const KEEP_JOBS = 50;

const registries = new WeakMap<AppContext, JobRegistry>();

function registryOf(ctx: AppContext): JobRegistry {
  let r = registries.get(ctx);
  if (!r) {
    r = { jobs: new Map(), running: new Set(), stopping: false };
    registries.set(ctx, r);
  }
  return r;
}

/**
 * Starts re-planning every open ticket in the background with the settings now in force and
 * returns the job at once. Each ticket is locked, its targets recomputed (`sla.planned` when
 * they moved) and its timers rewritten through the command path's `appendAndApply`, then the
 * events are published. Progress goes to the log and to {@link readReplanJob}.
 */
export function startReplanJob(ctx: AppContext, reason: string): ReplanJob {
  const registry = registryOf(ctx);
  const job: ReplanJob = {
    id: randomUUID(),
    reason,
    version: ctx.sla.version,
    status: ReplanStatus.running,
    total: 0,
    done: 0,
    changed: 0,
    startedAt: ctx.clock.now().toISOString(),
    finishedAt: null,
    error: null,
  };
  registry.jobs.set(job.id, job);
  for (const old of [...registry.jobs.keys()].slice(
    0,
    Math.max(0, registry.jobs.size - KEEP_JOBS),
  )) {
    registry.jobs.delete(old);
  }
  const run = runReplan(ctx, registry, job).finally(() => registry.running.delete(run));
  registry.running.add(run);
  return { ...job };
}

/** A copy of a job of this node, or null. */
export function readReplanJob(ctx: AppContext, id: string): ReplanJob | null {
  const job = registryOf(ctx).jobs.get(id);
  return job ? { ...job } : null;
}

/** Resolves when every running job of this node has finished (tests, orderly shutdown). */
export async function waitForReplanJobs(ctx: AppContext): Promise<void> {
  await Promise.all([...registryOf(ctx).running]);
}

/** Stops the running jobs between two tickets and waits for them (server shutdown). */
export async function stopReplanJobs(ctx: AppContext): Promise<void> {
  const registry = registryOf(ctx);
  registry.stopping = true;
  await Promise.all([...registry.running]);
}

async function runReplan(ctx: AppContext, registry: JobRegistry, job: ReplanJob): Promise<void> {
  const db = ctx.database.db;
  const log = ctx.log.child({ replanJob: job.id });
  try {
    job.total = await countOpenTickets(db);
    log.info({ total: job.total, reason: job.reason, version: job.version }, 'SLA re-plan started');
    let afterId: string | null = null;
    for (;;) {
      const ids = await listOpenTicketIds(db, afterId, PAGE);
      if (ids.length === 0) break;
      for (const id of ids) {
        if (registry.stopping) {
          job.status = ReplanStatus.stopped;
          log.warn({ done: job.done, total: job.total }, 'SLA re-plan stopped by shutdown');
          return;
        }
        const events = await replanTicket(ctx, id);
        if (events.length > 0) {
          job.changed += 1;
          ctx.publish(events);
        }
        job.done += 1;
        if (job.done % REPLAN_LOG_EVERY === 0) {
          log.info(
            { done: job.done, total: job.total, changed: job.changed },
            'SLA re-plan progress',
          );
        }
      }
      afterId = ids[ids.length - 1] ?? null;
    }
    job.status = ReplanStatus.done;
    log.info({ done: job.done, total: job.total, changed: job.changed }, 'SLA re-plan finished');
  } catch (err) {
    job.status = ReplanStatus.failed;
    job.error = err instanceof Error ? err.message : String(err);
    log.error({ err, done: job.done, total: job.total }, 'SLA re-plan failed');
  } finally {
    job.finishedAt = ctx.clock.now().toISOString();
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
