import {
  readSlaTarget,
  type PendingEvent,
  type SlaCrossedThreshold,
  type Ticket,
} from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { createBackgroundLoop, createTurnBudget, type TurnBudget } from '../../jobs/loop';
import type { StoredEvent } from '../events';
import { createTicketBatch } from '../tickets';
import { resumeReplanJobs, stopReplanJobs } from './replan';
import {
  claimDueTimersMany,
  listTicketsWithDueTimers,
  lockTicketsUnlessBusy,
  markTimersFired,
  type DueTimer,
} from './sla.repo';
import { checkOpenStatus, registerSlaWaker, syncSlaSettings } from './sla.service';
import { createSlaStatesMemo, slaStatesAt, type SlaStatesOf } from './targets';

/** A threshold the scheduler fired: the stored event and the ticket after it. */
export interface FiredSlaThreshold {
  event: StoredEvent;
  ticket: Ticket;
  target: string;
  /** Percent of the target's budget; 100 and more is the breach. */
  threshold: number;
  afterMinutes: number;
  dueAt: Date;
  /** The threshold is the breach (`sla.breached`), not a warning. */
  breach: boolean;
}

/** Called after a fired threshold committed (the escalation ladder hooks in here). */
export type SlaThresholdListener = (fired: FiredSlaThreshold) => void | Promise<void>;

/**
 * Subscribes to the thresholds this node's scheduler fires (each threshold fires on exactly
 * one node, once). Returns the unsubscribe function.
 * @example onSlaThreshold(ctx, ({ ticket, target, threshold }) => raiseAlert(ticket, target, threshold))
 */
export function onSlaThreshold(ctx: AppContext, listener: SlaThresholdListener): () => void {
  const set = ctx.slaRuntime.thresholdListeners;
  set.add(listener);
  return () => set.delete(listener);
}

/** The SLA scheduler of one node. */
export interface SlaScheduler {
  /** Starts the background loop; its first run is immediate (catch-up after a restart). */
  start(): void;
  /**
   * Fires everything due at `clock.now()` and resolves when done (after a run already in
   * progress on this node). Also reloads the settings when their stored version moved.
   */
  tick(): Promise<FiredSlaThreshold[]>;
  /** Stops the loop and background re-plans, waiting for a run in progress. */
  stop(): Promise<void>;
  /** Committed events on this node: a ticket due on entry is fired once its events are stored. */
  onCommitted(): void;
}

export interface SlaSchedulerOptions {
  /** Poll interval of the background loop (ms). */
  intervalMs?: number;
  /** Tickets fired per transaction (their timers: one statement to claim, one to mark). */
  batchSize?: number;
  /** The run's event-loop slice before it yields to commands (ms). */
  sliceMs?: number;
}

/** Tickets per batch on PostgreSQL: 1 000 breaches in five transactions; decision 57. */
const DEFAULT_BATCH = 200;
/**
 * On PGlite: its one connection is held for a whole transaction and its statements run on
 * this thread, so a command waits for a batch's whole transaction: smaller ones.
 */
const PGLITE_BATCH = 50;
/** Commands wait for at most about this much of the scheduler's own work (ms). */
const DEFAULT_SLICE_MS = 8;

/**
 * The scheduler's decision for one timer row: the threshold as {@link readSlaTarget} reads it
 * on the ticket's fresh plan at `now` (the very function a seat's countdown uses), or null when
 * that threshold is not crossed (the plan moved: paused, met, re-planned).
 */
export function findCrossedThreshold(
  ctx: AppContext,
  ticket: Ticket,
  timerKey: string,
  now: Date,
  statesOf: SlaStatesOf = slaStatesAt(ctx, now),
): SlaCrossedThreshold | null {
  if (!checkOpenStatus(ticket.status)) return null;
  const states = statesOf(ticket);
  for (const state of states) {
    const hit = readSlaTarget(state, now.getTime()).crossed.find((c) => c.timerKey === timerKey);
    if (hit) return hit;
  }
  return null;
}

/**
 * Creates the scheduler: every node runs one. A run lists tickets with due, unfired timers and
 * fires them in batches of up to `batchSize` tickets, one transaction each (decision 57): one
 * statement locks the batch's ticket rows (`FOR UPDATE SKIP LOCKED`: a ticket a command or
 * another node holds is left for the next run), one claims their due timers (`FOR UPDATE SKIP
 * LOCKED`); each timer is checked against a fresh plan (the ticket may have been paused, met
 * or re-planned) and its `sla.warning` / `sla.breached` folded into the ticket as the command
 * path folds events; then a fixed handful of statements writes the batch (timers marked fired,
 * re-planned rows, ticket rows, one append of every event, the rows' lastSeq) and commits;
 * then it publishes and calls the {@link onSlaThreshold} listeners. The ticket locks come
 * first, as for commands, so the scheduler and commands never deadlock, and two nodes never
 * fire one row. Commands first: the run yields the event loop every `sliceMs` of its own work
 * and between batches, so a command waits for one slice, not for a storm.
 */
export function createSlaScheduler(
  ctx: AppContext,
  options: SlaSchedulerOptions = {},
): SlaScheduler {
  const intervalMs = options.intervalMs ?? 1000;
  const batchSize =
    options.batchSize ?? (ctx.database.kind === 'pglite' ? PGLITE_BATCH : DEFAULT_BATCH);
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  let wakeOnCommit = false;
  const loop = createBackgroundLoop({
    name: 'SLA scheduler',
    intervalMs,
    run: () => runOnce(),
    log: ctx.log,
  });

  function onCommitted(): void {
    if (!wakeOnCommit) return;
    wakeOnCommit = false;
    loop.wake(0);
  }

  async function runOnce(): Promise<FiredSlaThreshold[]> {
    await syncSlaSettings(ctx);
    // A re-plan whose runner shut down or died continues here (after the settings reload, so
    // it re-plans with the settings it was started for).
    await resumeReplanJobs(ctx).catch((err: unknown) =>
      ctx.log.error({ err }, 'SLA re-plan take-over failed'),
    );
    const now = ctx.clock.now();
    const fired: FiredSlaThreshold[] = [];
    const busy = new Set<string>();
    const budget = createTurnBudget(sliceMs);
    for (;;) {
      const ids = await listTicketsWithDueTimers(ctx.database.db, now, batchSize + busy.size);
      const todo = ids.filter((id) => !busy.has(id)).slice(0, batchSize);
      if (todo.length === 0) break;
      const result = await fireBatch(todo, now, budget);
      for (const id of result.busy) busy.add(id);
      fired.push(...result.fired);
      if (ids.length < batchSize + busy.size) break;
      await budget.yieldNow();
    }
    return fired;
  }

  /** Fires the due thresholds of a batch of tickets (each in due order) in one transaction. */
  async function fireBatch(
    ticketIds: string[],
    now: Date,
    budget: TurnBudget,
  ): Promise<{ fired: FiredSlaThreshold[]; busy: string[] }> {
    const steps: Array<{
      row: DueTimer;
      ticket: Ticket;
      eventId: string;
      breach: boolean;
      dueAt: Date;
    }> = [];
    let busy: string[] = [];
    const committed = await ctx.database.db.transaction(async (tx) => {
      const t0 = performance.now();
      const locked = await lockTicketsUnlessBusy(tx, ticketIds);
      const held = new Set<string>(locked.map((t) => t.id));
      busy = ticketIds.filter((id) => !held.has(id));
      if (locked.length === 0) return null;
      const rows = await claimDueTimersMany(
        tx,
        locked.map((t) => t.id),
        now,
      );
      const t1 = performance.now();
      const current = new Map<string, Ticket>(locked.map((t) => [t.id, t]));
      const statesOf = createSlaStatesMemo(ctx, now);
      const batch = createTicketBatch(ctx, now, statesOf);
      const firedIds: number[] = [];
      for (const row of rows) {
        const ticket = current.get(row.ticketId);
        if (!ticket) continue;
        const crossed = findCrossedThreshold(ctx, ticket, row.key, now, statesOf);
        if (!crossed) {
          // The plan moved since the row was written: rewrite the rows, fire nothing.
          batch.replan(ticket);
          continue;
        }
        const dueAt = new Date(crossed.at);
        const step = batch.apply(ticket, [
          toThresholdEvent(ticket, { ...row, dueAt }, crossed.breach, now),
        ]);
        firedIds.push(row.id);
        const first = step.events[0];
        if (!step.ticket) continue;
        current.set(ticket.id, step.ticket);
        if (first)
          steps.push({
            row,
            ticket: step.ticket,
            eventId: first.id,
            breach: crossed.breach,
            dueAt,
          });
        await budget.yieldIfDue();
      }
      const t2 = performance.now();
      await markTimersFired(tx, firedIds, now);
      const out = batch.size > 0 ? await batch.commit(tx) : null;
      ctx.log.debug(
        {
          tickets: locked.length,
          timers: rows.length,
          lockMs: Math.round(t1 - t0),
          foldMs: Math.round(t2 - t1),
          writeMs: Math.round(performance.now() - t2),
        },
        'SLA batch',
      );
      return out;
    });
    if (!committed) return { fired: [], busy };
    if (committed.events.length > 0) ctx.publish(committed.events);
    const byId = new Map(committed.events.map((e) => [e.id, e]));
    const fired: FiredSlaThreshold[] = [];
    for (const s of steps) {
      const event = byId.get(s.eventId);
      if (!event) continue;
      fired.push({
        event,
        ticket: { ...s.ticket, lastSeq: committed.seqOf(s.ticket) },
        target: s.row.target,
        threshold: s.row.threshold,
        afterMinutes: s.row.afterMinutes,
        dueAt: s.dueAt,
        breach: s.breach,
      });
    }
    const committedAt = ctx.clock.now().getTime();
    for (const f of fired) {
      const kind = f.breach ? 'breach' : 'warning';
      ctx.metrics.slaTimersFired.inc({ kind });
      ctx.metrics.slaFireLagSeconds.observe(
        { kind },
        Math.max(0, committedAt - f.dueAt.getTime()) / 1000,
      );
      ctx.log.info(
        { ticketId: f.ticket.id, target: f.target, threshold: f.threshold, seq: f.event.seq },
        f.breach ? 'SLA breached' : 'SLA warning',
      );
      for (const listener of ctx.slaRuntime.thresholdListeners) {
        try {
          await listener(f);
        } catch (err) {
          ctx.log.error({ err, ticketId: f.ticket.id }, 'SLA threshold listener failed');
        }
      }
    }
    return { fired, busy };
  }

  return {
    start() {
      if (loop.running) return;
      registerSlaWaker(ctx, (dueAt) => {
        const delay = dueAt.getTime() - ctx.clock.now().getTime();
        // Due already (a ticket overdue on entry): the row is not committed yet, so run once
        // its command's events are.
        if (delay <= 0) wakeOnCommit = true;
        else if (delay < intervalMs) loop.wake(delay + 5);
      });
      loop.start();
    },
    tick: () => loop.tick(),
    onCommitted,
    async stop() {
      registerSlaWaker(ctx, null);
      // The timer stops at once; a run in progress ends after the re-plans are told to stop.
      const stopping = loop.stop();
      await stopReplanJobs(ctx);
      await stopping;
    },
  };
}

function toThresholdEvent(ticket: Ticket, row: DueTimer, breach: boolean, now: Date): PendingEvent {
  const data = {
    target: row.target,
    threshold: row.threshold,
    afterMinutes: row.afterMinutes,
    dueAt: row.dueAt.toISOString(),
  };
  return {
    type: breach ? 'sla.breached' : 'sla.warning',
    ticketId: ticket.id,
    actorId: null,
    at: now.toISOString(),
    data,
  } as PendingEvent;
}
