/**
 * A ticket's SLA timers (`sla_timers` rows): the instants each running target's thresholds
 * fall due, whether a change moved them, rewriting the rows, and waking this node's scheduler
 * when a new one is due. Settings live in settings.ts, targets in targets.ts, request bodies in
 * sla.schemas.ts.
 */
import { checkBreachThreshold, OPEN_STATUSES, type Ticket } from '@dutydesk/shared';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import { replaceTimers, replaceTimersMany, type PlannedTimer } from './sla.repo';
import { slaStatesAt, type SlaStatesOf } from './targets';

// scheduler.ts reads these two from here; they live in settings.ts and targets.ts.
export { syncSlaSettings } from './settings';
export { toSlaSubject } from './targets';

/** Whether a ticket status keeps SLA clocks and timers alive. */
export function checkOpenStatus(status: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

/**
 * The timers a ticket should have at `now`: every threshold instant of each target whose
 * clock runs (not met, not paused), keyed `<target>@<clock start>:<threshold>` so a re-plan
 * that only moves an instant (a pause, a policy edit) keeps the row, and a restarted clock
 * (P1 `update` after a public update) gets fresh rows. Instants at or after the ticket entered
 * Dutydesk are kept even when already due (the scheduler fires them, in order, once);
 * warnings before that (a call logged after the fact) only colour the ticket. A target already
 * overdue when the ticket entered (or when a policy change re-plans it) keeps its first breach
 * threshold even though it lies before: the scheduler fires the breach once and the ladder
 * climbs from there, as for any breach.
 */
export function planTimers(
  ctx: AppContext,
  t: Ticket,
  now: Date,
  statesOf: SlaStatesOf = slaStatesAt(ctx, now),
): PlannedTimer[] {
  if (!checkOpenStatus(t.status)) return [];
  const states = statesOf(t);
  const entered = Date.parse(t.createdAt);
  const out: PlannedTimer[] = [];
  for (const s of states) {
    if (s.metAt !== null || s.state === 'paused') continue;
    const breaches = s.thresholds.filter((th) => checkBreachThreshold(th.percent));
    const firstBreach = breaches[0];
    // Overdue before it entered: no breach threshold falls in the ticket's time in Dutydesk.
    const overdueOnEntry =
      firstBreach !== undefined && breaches.every((th) => Date.parse(th.at) < entered);
    for (const th of s.thresholds) {
      const at = Date.parse(th.at);
      if (at < entered && !(overdueOnEntry && th === firstBreach)) continue;
      out.push({
        target: s.name,
        threshold: th.percent,
        afterMinutes: th.afterMinutes,
        key: `${s.name}@${s.startedAt}:${th.key}`,
        dueAt: new Date(at),
      });
    }
  }
  return out.sort(
    (a, b) =>
      a.dueAt.getTime() - b.dueAt.getTime() ||
      a.threshold - b.threshold ||
      a.afterMinutes - b.afterMinutes,
  );
}

type Waker = (dueAt: Date) => void;

/** Lets the scheduler of this node hear of newly planned timers (to wake up early). */
export function registerSlaWaker(ctx: AppContext, waker: Waker | null): void {
  ctx.slaRuntime.waker = waker;
}

/**
 * Tells whether a change moves the ticket's timers: {@link planTimers} of the ticket before and
 * after differ (a key, an instant or a threshold). Most commands (a comment, a log entry) move
 * none, and then the rows need no rewrite. A policy or calendar change is not seen here: its
 * background re-plan rewrites every open ticket's rows, and the scheduler re-checks each row
 * against a fresh plan before it fires.
 */
export function checkTimersMoved(
  ctx: AppContext,
  before: Ticket | null,
  after: Ticket,
  now: Date,
): boolean {
  return planTimersIfMoved(ctx, before, after, now) !== null;
}

/**
 * The timers of `after` when they differ from those of `before` (see {@link checkTimersMoved}),
 * else null: the plan computed for the comparison is handed on to {@link replanTimers}, so a
 * command plans the ticket's timers once.
 */
export function planTimersIfMoved(
  ctx: AppContext,
  before: Ticket | null,
  after: Ticket,
  now: Date,
  statesOf?: SlaStatesOf,
): PlannedTimer[] | null {
  const a = before ? planTimers(ctx, before, now, statesOf) : [];
  const b = planTimers(ctx, after, now, statesOf);
  if (a.length !== b.length) return b;
  const moved = a.some((x, i) => {
    const y = b[i];
    return (
      !y ||
      x.key !== y.key ||
      x.dueAt.getTime() !== y.dueAt.getTime() ||
      x.threshold !== y.threshold ||
      x.afterMinutes !== y.afterMinutes ||
      x.target !== y.target
    );
  });
  return moved ? b : null;
}

/** Rewrites the ticket's `sla_timers` rows to {@link planTimers}' plan. */
export async function replanTimers(
  ctx: AppContext,
  tx: Tx,
  t: Ticket,
  now: Date,
  plan: PlannedTimer[] = planTimers(ctx, t, now),
): Promise<void> {
  await replaceTimers(tx, t.id, plan);
  wakeSchedulerFor(ctx, t, now, plan);
}

/** {@link replanTimers} for many tickets in two statements (the scheduler's batches). */
export async function replanTimersMany(
  ctx: AppContext,
  tx: Tx,
  list: Array<{ ticket: Ticket; plan: PlannedTimer[] }>,
  now: Date,
): Promise<void> {
  await replaceTimersMany(
    tx,
    list.map((x) => ({ ticketId: x.ticket.id, plan: x.plan })),
  );
  for (const x of list) wakeSchedulerFor(ctx, x.ticket, now, x.plan);
}

/**
 * Wakes this node's scheduler for a ticket's new plan: a breach due before the ticket entered
 * (overdue on entry) fires at once, not at the scheduler's next poll; otherwise the first
 * future instant. For a caller that wrote the rows itself (the group commit, decision 56).
 */
export function wakeSchedulerFor(
  ctx: AppContext,
  t: Ticket,
  now: Date,
  plan: readonly PlannedTimer[],
): void {
  const entered = Date.parse(t.createdAt);
  const first =
    plan.find((p) => p.dueAt.getTime() < entered) ??
    plan.find((p) => p.dueAt.getTime() > now.getTime());
  if (first) ctx.slaRuntime.waker?.(first.dueAt);
}
