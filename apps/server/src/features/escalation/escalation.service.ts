/**
 * The escalation engine of one node: its loop (every second, and woken when SLA events or
 * resolutions commit), one run at a time, the policies in force, `raise` for other features,
 * and the periodic jobs they add. What a run does lives beside it: intake.ts (the log),
 * raise.ts (alerts and digests), climb.ts (levels), digests.ts (push pace), emit.ts (events
 * and pushes), acknowledge.ts (`alert.ack`).
 */
import type { AppContext } from '../../context';
import { createBackgroundLoop } from '../../jobs/loop';
import type { DutyServer } from '../../realtime/io';
import { climb } from './climb';
import { createDigestThrottle } from './digests';
import { commitRaises, pushAlerts, type PushAlerts } from './emit';
import { readStoredPolicies, type AlertRecord } from './escalation.repo';
import { processLog } from './intake';
import {
  defaultEscalationPolicies,
  escalationPolicyListSchema,
  type EscalationPolicy,
} from './policy';
import { applyRaises, type RaiseRequest } from './raise';

/** How long a wake-up waits to gather more committed SLA events into one run. */
const WAKE_GATHER_MS = 50;

/** What one engine run did. */
export interface EscalationRun {
  raised: AlertRecord[];
  climbed: AlertRecord[];
  closed: number;
}

/** The escalation engine of one node. */
export interface EscalationEngine {
  /** Starts the background loop (every second, and at once after SLA events commit). */
  start(): void;
  /** Reads new SLA events, raises and folds alerts, climbs overdue ones, runs the periodic jobs. */
  tick(): Promise<EscalationRun>;
  /** Stops the loop, waiting for a run in progress. */
  stop(): Promise<void>;
  /** The policies in force (stored, or the defaults). */
  readPolicies(): Promise<EscalationPolicy[]>;
  /** Raises alerts now, in their own transaction, and pushes them. */
  raise(requests: RaiseRequest[]): Promise<AlertRecord[]>;
  /** Adds a job run at the end of every tick (handover reports, root-cause deadlines). */
  addJob(job: (now: Date) => Promise<void>): void;
  /** Committed events: wakes the engine when SLA thresholds fire or tickets resolve. */
  onCommitted(events: ReadonlyArray<{ type: string }>): void;
}

/**
 * Creates the engine (its `alert.ack` command is `createAlertCommands`, acknowledge.ts). The engine reads the event log from a
 * stored cursor (locked `SKIP LOCKED`, so one node works at a time and nothing is lost across
 * restarts), raises one alert per ticket and step (repeats fold with a count), folds bursts
 * into per-target digests, and climbs unacknowledged alerts up their step's levels.
 */
export function createEscalationEngine(
  ctx: AppContext,
  io: () => DutyServer | undefined,
  options: { intervalMs?: number } = {},
): EscalationEngine {
  const intervalMs = options.intervalMs ?? 1000;
  const jobs: Array<(now: Date) => Promise<void>> = [];
  const push: PushAlerts = (list, events) => pushAlerts(ctx, io, list, events);
  const digests = createDigestThrottle(ctx, push);
  const throttle = (id: string): boolean => digests.throttle(id);

  async function readPolicies(): Promise<EscalationPolicy[]> {
    const stored = await readStoredPolicies(ctx.database.db);
    if (!stored) return defaultEscalationPolicies;
    const parsed = escalationPolicyListSchema.safeParse(stored);
    return parsed.success ? parsed.data : defaultEscalationPolicies;
  }

  async function raise(requests: RaiseRequest[]): Promise<AlertRecord[]> {
    const now = ctx.clock.now();
    let list: AlertRecord[] = [];
    const events = await ctx.database.db.transaction(async (tx) => {
      list = await applyRaises(tx, requests, now, throttle);
      return commitRaises(tx, list, [], now);
    });
    push(list, events);
    return list;
  }

  async function runOnce(): Promise<EscalationRun> {
    const now = ctx.clock.now();
    const out: EscalationRun = { raised: [], climbed: [], closed: 0 };
    await processLog(ctx, await readPolicies(), throttle, push, now, out);
    await climb(ctx, await readPolicies(), push, now, out);
    await digests.flush(now);
    for (const job of jobs) {
      try {
        await job(now);
      } catch (err) {
        ctx.log.error({ err }, 'escalation job failed');
      }
    }
    return out;
  }

  const loop = createBackgroundLoop({
    name: 'escalation',
    intervalMs,
    run: () => runOnce(),
    log: ctx.log,
  });
  // A short gather window: a burst of thresholds lands in a few runs, not one per ticket.
  const wake = (): void => loop.wake(WAKE_GATHER_MS);

  return {
    onCommitted(events) {
      // A refused dispatch is one person's act: its alert goes out at once, no gather window.
      if (events.some((e) => e.type === 'ticket.refused')) {
        loop.wake(0);
        return;
      }
      // SLA thresholds raise alerts; resolutions close them.
      if (
        events.some(
          (e) =>
            e.type === 'sla.warning' ||
            e.type === 'sla.breached' ||
            e.type === 'ticket.resolved' ||
            e.type === 'ticket.closed',
        )
      )
        wake();
    },
    start: () => loop.start(),
    tick: () => loop.tick(),
    stop: () => loop.stop(),
    readPolicies,
    raise,
    addJob(job) {
      jobs.push(job);
    },
  };
}
