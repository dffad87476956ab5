import {
  computeSla,
  readSlaTarget,
  type PendingEvent,
  type SlaCrossedThreshold,
  type Ticket,
} from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { createBackgroundLoop } from '../../jobs/loop';
import type { StoredEvent } from '../events';
import { appendAndApply } from '../tickets';
import { resumeReplanJobs, stopReplanJobs } from './replan';
import {
  claimDueTimers,
  listTicketsWithDueTimers,
  lockTicketUnlessBusy,
  markTimerFired,
  type DueTimer,
} from './sla.repo';
import {
  checkOpenStatus,
  registerSlaWaker,
  replanTimers,
  syncSlaSettings,
  toSlaSubject,
} from './sla.service';

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
  /** Tickets handled per query page. */
  batchSize?: number;
}

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
): SlaCrossedThreshold | null {
  if (!checkOpenStatus(ticket.status)) return null;
  const states = computeSla(
    toSlaSubject(ticket),
    ctx.sla.policyFor(ticket),
    ctx.sla.calendars(),
    now,
  );
  for (const state of states) {
    const hit = readSlaTarget(state, now.getTime()).crossed.find((c) => c.timerKey === timerKey);
    if (hit) return hit;
  }
  return null;
}

/**
 * Creates the scheduler: every node runs one. A run lists tickets with due, unfired timers and
 * for each, in its own transaction: locks the ticket row (`FOR UPDATE SKIP LOCKED`: a ticket a
 * command or another node holds is left for the next run), claims its due timers
 * (`FOR UPDATE SKIP LOCKED`), checks each against a fresh plan (the ticket may have been
 * paused, met or re-planned), appends `sla.warning` / `sla.breached` through the command
 * path's `appendAndApply`, marks the row fired and commits; then publishes and calls the
 * {@link onSlaThreshold} listeners. The ticket lock comes first, as for commands, so the
 * scheduler and commands never deadlock, and two nodes never fire one row.
 */
export function createSlaScheduler(
  ctx: AppContext,
  options: SlaSchedulerOptions = {},
): SlaScheduler {
  const intervalMs = options.intervalMs ?? 1000;
  const batchSize = options.batchSize ?? 100;
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
    for (;;) {
      const ids = await listTicketsWithDueTimers(ctx.database.db, now, batchSize + busy.size);
      const todo = ids.filter((id) => !busy.has(id));
      if (todo.length === 0) break;
      for (const id of todo) {
        const result = await fireTicket(id, now);
        if (result === null) busy.add(id);
        else fired.push(...result);
      }
      if (ids.length < batchSize + busy.size) break;
    }
    return fired;
  }

  /** Fires one ticket's due thresholds in due order; null when the ticket was busy. */
  async function fireTicket(ticketId: string, now: Date): Promise<FiredSlaThreshold[] | null> {
    const events: StoredEvent[] = [];
    const fired: FiredSlaThreshold[] = [];
    const done = await ctx.database.db.transaction(async (tx) => {
      let ticket = await lockTicketUnlessBusy(tx, ticketId);
      if (!ticket) return false;
      const rows = await claimDueTimers(tx, ticketId, now);
      for (const row of rows) {
        const crossed = findCrossedThreshold(ctx, ticket, row.key, now);
        if (!crossed) {
          // The plan moved since the row was written: rewrite the rows, fire nothing.
          await replanTimers(ctx, tx, ticket, now);
          continue;
        }
        const dueAt = new Date(crossed.at);
        const result = await appendAndApply(
          tx,
          ticket,
          [toThresholdEvent(ticket, { ...row, dueAt }, crossed.breach, now)],
          null,
          now,
          ctx,
        );
        await markTimerFired(tx, row.id, now);
        if (!result.ticket) continue;
        ticket = result.ticket;
        events.push(...result.events);
        const event = result.events[0];
        if (event) {
          fired.push({
            event,
            ticket,
            target: row.target,
            threshold: row.threshold,
            afterMinutes: row.afterMinutes,
            dueAt,
            breach: crossed.breach,
          });
        }
      }
      return true;
    });
    if (!done) return null;
    if (events.length > 0) ctx.publish(events);
    const committedAt = ctx.clock.now().getTime();
    for (const f of fired) {
      const kind = f.breach ? 'breach' : 'warning';
      ctx.metrics.slaTimersFired.inc({ kind });
      ctx.metrics.slaFireLagSeconds.observe(
        { kind },
        Math.max(0, committedAt - f.dueAt.getTime()) / 1000,
      );
      ctx.log.info(
        { ticketId, target: f.target, threshold: f.threshold, seq: f.event.seq },
        f.breach ? 'SLA breached' : 'SLA warning',
      );
      for (const listener of ctx.slaRuntime.thresholdListeners) {
        try {
          await listener(f);
        } catch (err) {
          ctx.log.error({ err, ticketId }, 'SLA threshold listener failed');
        }
      }
    }
    return fired;
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
