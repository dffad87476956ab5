import {
  makeError,
  OPEN_STATUSES,
  rooms,
  type Actor,
  type Ticket,
  type TicketStatus,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import type { DutyServer } from '../../realtime/io';
import { appendEvents, type NewEvent, type StoredEvent } from '../events/events.repo';
import { queryOnDuty } from '../roster/roster.repo';
import { commandIdTaken, type CommandAck } from '../tickets/tickets.commands';
import { findCommandResult, lockCommandId, saveCommandResult } from '../tickets/tickets.repo';
import {
  acknowledgeMembers,
  claimClimbingAlerts,
  countOpenForTarget,
  closeTicketAlerts,
  foldIntoDigest,
  lockAlert,
  lockCursor,
  lockOpenAlert,
  lockOpenDigest,
  readEscalationEvents,
  readStoredPolicies,
  readTicketsByIds,
  saveAlert,
  saveCursor,
  type AlertRecord,
  type AlertTargets,
} from './escalation.repo';
import {
  defaultEscalationPolicies,
  escalationPolicyListSchema,
  findStep,
  findTriggeredSteps,
  type EscalationLevel,
  type EscalationPolicy,
} from './policy';

/**
 * More new alerts than this for one target group and step in one engine run are folded into
 * one digest alert for that group (the members stay stored, one per ticket and step).
 */
export const DIGEST_AFTER = 3;
/** A digest is pushed at most once per this many (wall-clock) ms; its count is exact in REST. */
const DIGEST_PUSH_MS = 1_000;
/** How long a wake-up waits to gather more committed SLA events into one run. */
const WAKE_GATHER_MS = 50;
/** Ticket ids listed in a digest's data (the count is exact; the list is capped). */
const DIGEST_LIST_MAX = 50;
/** Log events read per engine transaction. */
const PAGE = 2_000;

/** What the server asks the ladder to raise outside SLA thresholds (major incidents, handovers). */
export interface RaiseRequest {
  ticket: Ticket | null;
  stepKey: string;
  kind: string;
  severity: AlertRecord['severity'];
  message: string;
  levels: EscalationLevel[];
  /** Fixed recipients instead of the first level's duty (the incoming duty manager of a handover). */
  recipientIds?: string[];
  data?: Record<string, unknown>;
}

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
}

/** An alert as pushed in `alert` messages and listed on connect. */
export function toAlertView(a: AlertRecord): Record<string, unknown> {
  return { ...a, recipientIds: a.targets.recipientIds, roles: a.targets.roles };
}

/** Whether a user may see (and acknowledge) an alert: a target, a duty manager or an admin. */
export function checkAlertVisible(
  user: { id: string; roles: readonly string[] },
  a: Pick<AlertRecord, 'targets'>,
): boolean {
  if (user.roles.includes('duty_manager') || user.roles.includes('admin')) return true;
  return (
    a.targets.recipientIds.includes(user.id) || a.targets.roles.some((r) => user.roles.includes(r))
  );
}

function addMinutes(now: Date, minutes: number | null): string | null {
  return minutes === null ? null : new Date(now.getTime() + minutes * 60_000).toISOString();
}

function isOpen(status: TicketStatus): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

/**
 * Whether a ticket's target has breached on its current clock: it reads overdue, or its
 * recorded breach is later than the clock's start (a P1 `update` clock restarts on each
 * public update and keeps the earlier clock's `breachedAt`).
 */
function checkTargetBreached(ticket: Ticket, target: string): boolean {
  const t = ticket.sla.targets.find((x) => x.name === target);
  if (!t) return false;
  if (t.state === 'breached') return true;
  if (!t.breachedAt) return false;
  // A breach is due after its clock started (budgets are positive): one at or before the
  // start belongs to an earlier clock.
  return !t.startedAt || Date.parse(t.breachedAt) > Date.parse(t.startedAt);
}

function toRaisedEvent(a: AlertRecord, now: Date): NewEvent {
  return {
    id: randomUUID(),
    type: 'alert.raised',
    ticketId: a.ticketId,
    actorId: null,
    at: now.toISOString(),
    data: {
      ...a.data,
      alertId: a.id,
      kind: a.kind,
      severity: a.severity,
      message: a.message,
      recipientIds: a.targets.recipientIds,
      roles: a.targets.roles,
      level: a.level,
      count: a.count,
      stepKey: a.stepKey,
      climbAt: a.climbAt,
    },
  };
}

/**
 * Creates the engine: registers the `alert.ack` handler and a committed-events listener that
 * wakes it when SLA thresholds fire or tickets resolve. The engine reads the event log from a
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
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  let wakePending = false;
  /** Wall-clock time of each digest's last push, and digests whose newer count waits for one. */
  const digestPushedAt = new Map<string, number>();
  const digestsDue = new Set<string>();

  /** Whether to push a digest now: at most one push per digest per second; later counts wait. */
  function throttleDigest(id: string): boolean {
    const wall = performance.now();
    const last = digestPushedAt.get(id);
    if (last !== undefined && wall - last < DIGEST_PUSH_MS) {
      digestsDue.add(id);
      return false;
    }
    digestPushedAt.set(id, wall);
    digestsDue.delete(id);
    if (digestPushedAt.size > 1000) digestPushedAt.clear();
    return true;
  }

  /** Pushes digests whose count moved since their last (throttled) push. */
  async function flushDigests(now: Date): Promise<void> {
    const due = [...digestsDue].filter(
      (id) => performance.now() - (digestPushedAt.get(id) ?? 0) >= DIGEST_PUSH_MS,
    );
    if (due.length === 0) return;
    const list: AlertRecord[] = [];
    const events = await ctx.database.db.transaction(async (tx) => {
      for (const id of due) {
        const a = await lockAlert(tx, id);
        if (a?.status === 'open' && throttleDigest(id)) list.push(a);
        digestsDue.delete(id);
      }
      return commitRaises(tx, list, [], now);
    });
    push(list, events);
  }

  async function readPolicies(): Promise<EscalationPolicy[]> {
    const stored = await readStoredPolicies(ctx.database.db);
    if (!stored) return defaultEscalationPolicies;
    const parsed = escalationPolicyListSchema.safeParse(stored);
    return parsed.success ? parsed.data : defaultEscalationPolicies;
  }

  function makeResolver(tx: Tx, now: Date) {
    const cache = new Map<string, AlertTargets>();
    return async (level: EscalationLevel, ticket: Ticket | null): Promise<AlertTargets> => {
      let notify: string = level.notify;
      if (notify === 'assignee') {
        if (ticket?.assigneeId) return { recipientIds: [ticket.assigneeId], roles: [] };
        notify = 'duty_manager';
      }
      const hit = cache.get(notify);
      if (hit) return hit;
      const on = await queryOnDuty(tx, now, notify);
      // Nobody on the roster for the duty: every holder of the nearest role gets it.
      const targets: AlertTargets =
        on.length > 0
          ? { recipientIds: on.map((u) => u.userId), roles: [] }
          : { recipientIds: [], roles: [notify === 'service_director' ? 'admin' : 'duty_manager'] };
      cache.set(notify, targets);
      return targets;
    };
  }

  async function applyRaises(tx: Tx, requests: RaiseRequest[], now: Date): Promise<AlertRecord[]> {
    const resolve = makeResolver(tx, now);
    const batch = new Map<string, AlertRecord>();
    const fresh: AlertRecord[] = [];
    const emit = new Map<string, AlertRecord>();
    for (const r of requests) {
      const ticketId = r.ticket?.id ?? null;
      const key = `${ticketId ?? ''}|${r.stepKey}`;
      const existing = ticketId
        ? (batch.get(key) ?? (await lockOpenAlert(tx, ticketId, r.stepKey)))
        : null;
      if (existing) {
        existing.count += 1;
        existing.lastRaisedAt = now.toISOString();
        const hit = new Set([
          ...((existing.data.targetsHit as string[] | undefined) ?? []),
          ...((r.data?.targetsHit as string[] | undefined) ?? []),
        ]);
        existing.data = { ...existing.data, ...r.data, targetsHit: [...hit] };
        batch.set(key, existing);
        await saveAlert(tx, existing);
        if (!existing.parentId && !fresh.includes(existing)) emit.set(existing.id, existing);
        continue;
      }
      const first = r.levels[0];
      const targets = r.recipientIds
        ? { recipientIds: r.recipientIds, roles: [] }
        : first
          ? await resolve(first, r.ticket)
          : { recipientIds: [], roles: ['duty_manager'] };
      const alert: AlertRecord = {
        id: randomUUID(),
        ticketId,
        kind: r.kind,
        stepKey: r.stepKey,
        level: 1,
        severity: r.severity,
        message: r.message,
        targets,
        status: 'open',
        outcome: null,
        count: 1,
        parentId: null,
        createdAt: now.toISOString(),
        lastRaisedAt: now.toISOString(),
        climbAt: addMinutes(now, first?.ackMinutes ?? null),
        acknowledgedBy: null,
        acknowledgedAt: null,
        data: {
          ...r.data,
          ticketId,
          ticketNumber: r.ticket?.number ?? null,
          priority: r.ticket?.priority ?? null,
          targetKey: [...targets.recipientIds, ...targets.roles.map((x) => `role:${x}`)]
            .sort()
            .join(','),
        },
      };
      await saveAlert(tx, alert);
      if (ticketId) batch.set(key, alert);
      fresh.push(alert);
    }
    const groups = new Map<string, AlertRecord[]>();
    for (const a of fresh) {
      const g = `${String(a.data.targetKey)}|${a.stepKey}`;
      groups.set(g, [...(groups.get(g) ?? []), a]);
    }
    for (const group of groups.values()) {
      const head = group[0];
      if (!head) continue;
      if (!head.ticketId) {
        for (const a of group) emit.set(a.id, a);
        continue;
      }
      const targetKey = String(head.data.targetKey);
      const open = await lockOpenDigest(tx, targetKey, head.stepKey);
      // Individual prompts while the target holds at most DIGEST_AFTER open ones for the step;
      // everything beyond folds into one digest per target group and step.
      const already = open ? 0 : await countOpenForTarget(tx, targetKey, head.stepKey);
      const room = open ? 0 : Math.max(0, DIGEST_AFTER - (already - group.length));
      if (!open && group.length <= room) {
        for (const a of group) emit.set(a.id, a);
        continue;
      }
      for (const a of group.slice(0, room)) emit.set(a.id, a);
      group.splice(0, room);
      const digest: AlertRecord = open ?? {
        ...head,
        id: randomUUID(),
        ticketId: null,
        kind: 'digest',
        count: 0,
        data: { targetKey, memberKind: head.kind, ticketIds: [] },
      };
      digest.count += group.length;
      digest.lastRaisedAt = now.toISOString();
      const listed = (digest.data.ticketIds as string[] | undefined) ?? [];
      digest.data = {
        ...digest.data,
        ticketIds: [...listed, ...group.map((a) => a.ticketId as string)].slice(0, DIGEST_LIST_MAX),
      };
      digest.message = `${digest.count} tickets: ${head.message.replace(/^\S+ /, '')}`;
      await saveAlert(tx, digest);
      await foldIntoDigest(
        tx,
        group.map((a) => a.id),
        digest.id,
      );
      for (const a of group) a.parentId = digest.id;
      if (throttleDigest(digest.id)) emit.set(digest.id, digest);
    }
    return [...emit.values()];
  }

  function push(list: AlertRecord[], events: StoredEvent[]): void {
    if (events.length > 0) ctx.publish(events);
    const server = io();
    if (!server) return;
    for (const a of list) {
      const to = [
        ...a.targets.recipientIds.map((id) => rooms.user(id)),
        ...a.targets.roles.map((r) => rooms.role(r)),
      ];
      server.to(to).emit('alert', toAlertView(a));
    }
  }

  async function commitRaises(
    tx: Tx,
    list: AlertRecord[],
    extra: NewEvent[],
    now: Date,
  ): Promise<StoredEvent[]> {
    return appendEvents(tx, [...list.map((a) => toRaisedEvent(a, now)), ...extra], null);
  }

  async function raise(requests: RaiseRequest[]): Promise<AlertRecord[]> {
    const now = ctx.clock.now();
    let list: AlertRecord[] = [];
    const events = await ctx.database.db.transaction(async (tx) => {
      list = await applyRaises(tx, requests, now);
      return commitRaises(tx, list, [], now);
    });
    push(list, events);
    return list;
  }

  async function processLog(now: Date, out: EscalationRun): Promise<void> {
    const policies = await readPolicies();
    for (;;) {
      let list: AlertRecord[] = [];
      const result = await ctx.database.db.transaction(async (tx) => {
        const cursor = await lockCursor(tx, now);
        if (cursor === null) return null;
        const { events, last } = await readEscalationEvents(tx, cursor, PAGE);
        if (last === cursor) return { more: false, stored: [] as StoredEvent[] };
        const ids = [...new Set(events.map((e) => e.ticketId).filter((x): x is string => !!x))];
        const tickets = await readTicketsByIds(tx, ids);
        const requests: RaiseRequest[] = [];
        const closing: string[] = [];
        for (const e of events) {
          const t = e.ticketId ? tickets.get(e.ticketId) : undefined;
          if (!t) continue;
          if (e.type === 'ticket.resolved' || e.type === 'ticket.closed') {
            closing.push(t.id);
            continue;
          }
          if (!isOpen(t.status)) continue;
          const d = e.data as { target: string; threshold: number; dueAt?: string };
          const breach = e.type === 'sla.breached';
          // A warning read after its target breached (a catch-up, a re-plan that made the
          // ticket overdue) is old news: only the breach is raised.
          if (!breach && checkTargetBreached(t, d.target)) continue;
          for (const m of findTriggeredSteps(policies, t, d.target, d.threshold)) {
            requests.push({
              ticket: t,
              stepKey: m.key,
              kind: breach ? 'sla.breached' : 'sla.warning',
              severity: m.step.severity,
              message: `${t.number} ${breach ? 'breached' : `at ${d.threshold} % of`} its ${d.target} target`,
              levels: m.step.levels,
              data: {
                target: d.target,
                targetsHit: [d.target],
                threshold: d.threshold,
                dueAt: d.dueAt ?? null,
                seq: e.seq,
              },
            });
          }
        }
        list = await applyRaises(tx, requests, now);
        const extra: NewEvent[] = [];
        for (const id of new Set(closing)) {
          for (const a of await closeTicketAlerts(tx, id, 'resolved')) {
            extra.push({
              id: randomUUID(),
              type: 'alert.acknowledged',
              ticketId: a.ticketId,
              actorId: null,
              at: now.toISOString(),
              data: {
                alertId: a.id,
                outcome: 'resolved',
                recipientIds: a.targets.recipientIds,
                roles: a.targets.roles,
              },
            });
            out.closed += 1;
          }
        }
        const stored = await commitRaises(tx, list, extra, now);
        await saveCursor(tx, last, now);
        return { more: last - cursor >= PAGE, stored };
      });
      if (!result) return;
      out.raised.push(...list);
      push(list, result.stored);
      if (!result.more) return;
    }
  }

  async function climb(now: Date, out: EscalationRun): Promise<void> {
    const policies = await readPolicies();
    for (;;) {
      const list: AlertRecord[] = [];
      const events = await ctx.database.db.transaction(async (tx) => {
        const due = await claimClimbingAlerts(tx, now, 500);
        if (due.length === 0) return null;
        const resolve = makeResolver(tx, now);
        const tickets = await readTicketsByIds(
          tx,
          due.map((a) => a.ticketId).filter((x): x is string => !!x),
        );
        for (const a of due) {
          const next = findStep(policies, a.stepKey)?.levels[a.level];
          if (!next) {
            a.climbAt = null;
            await saveAlert(tx, a);
            continue;
          }
          a.level += 1;
          a.targets = await resolve(next, a.ticketId ? (tickets.get(a.ticketId) ?? null) : null);
          a.climbAt = addMinutes(now, next.ackMinutes);
          a.lastRaisedAt = now.toISOString();
          a.data = { ...a.data, escalatedAt: now.toISOString(), notify: next.notify };
          await saveAlert(tx, a);
          list.push(a);
        }
        return commitRaises(tx, list, [], now);
      });
      if (!events) return;
      out.climbed.push(...list);
      push(list, events);
    }
  }

  async function runOnce(): Promise<EscalationRun> {
    const now = ctx.clock.now();
    const out: EscalationRun = { raised: [], climbed: [], closed: 0 };
    await processLog(now, out);
    await climb(now, out);
    await flushDigests(now);
    for (const job of jobs) {
      try {
        await job(now);
      } catch (err) {
        ctx.log.error({ err }, 'escalation job failed');
      }
    }
    return out;
  }

  function tick(): Promise<EscalationRun> {
    const run = chain.then(() => runOnce());
    chain = run.catch(() => undefined);
    return run;
  }

  function wake(): void {
    if (stopped || wakePending) return;
    wakePending = true;
    // A short gather window: a burst of thresholds lands in a few runs, not one per ticket.
    setTimeout(() => {
      wakePending = false;
      if (stopped) return;
      void tick().catch((err: unknown) => ctx.log.error({ err }, 'escalation run failed'));
    }, WAKE_GATHER_MS).unref();
  }

  function loop(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void tick()
        .catch((err: unknown) => ctx.log.error({ err }, 'escalation run failed'))
        .finally(loop);
    }, intervalMs);
    timer.unref();
  }

  ctx.committedListeners.push((events) => {
    if (
      events.some(
        (e) =>
          e.type === 'sla.warning' ||
          e.type === 'sla.breached' ||
          e.type === 'ticket.resolved' ||
          e.type === 'ticket.closed',
      )
    ) {
      wake();
    }
  });
  ctx.commandHandlers.set('alert.ack', (actor, command) =>
    acknowledgeAlert(ctx, actor, command, push),
  );

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      wake();
      loop();
    },
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await chain;
    },
    readPolicies,
    raise,
    addJob(job) {
      jobs.push(job);
    },
  };
}

async function acknowledgeAlert(
  ctx: AppContext,
  actor: Actor,
  command: { commandId: string } & Record<string, unknown>,
  push: (list: AlertRecord[], events: StoredEvent[]) => void,
): Promise<CommandAck> {
  const alertId = String(command.alertId);
  let fresh: StoredEvent[] = [];
  const ack = await ctx.database.db.transaction(async (tx): Promise<CommandAck> => {
    await lockCommandId(tx, command.commandId);
    const previous = await findCommandResult(tx, command.commandId);
    // Idempotency is per actor: another user's stored result is never replayed (it could carry
    // a ticket this actor may not see, and it would answer ok while the alert stays open).
    if (previous && previous.actorId !== actor.id) return commandIdTaken();
    if (previous) return previous.result as CommandAck;
    const alert = await lockAlert(tx, alertId);
    if (!alert) return { ok: false, error: makeError('not_found', `No alert ${alertId}`) };
    if (!checkAlertVisible(actor, alert)) {
      return {
        ok: false,
        error: makeError(
          'forbidden',
          'Only a target of the alert, a duty manager or an admin may acknowledge it',
        ),
      };
    }
    const now = ctx.clock.now();
    let result: CommandAck = { ok: true, events: [] };
    if (alert.status === 'open') {
      alert.status = 'acknowledged';
      alert.outcome = 'acknowledged';
      alert.acknowledgedBy = actor.id;
      alert.acknowledgedAt = now.toISOString();
      alert.climbAt = null;
      await saveAlert(tx, alert);
      if (alert.kind === 'digest') await acknowledgeMembers(tx, alert.id, actor.id, now);
      fresh = await appendEvents(
        tx,
        [
          {
            id: randomUUID(),
            type: 'alert.acknowledged',
            ticketId: alert.ticketId,
            actorId: actor.id,
            at: now.toISOString(),
            // The targets ride along so every read path can tell who may see it (realtime/visibility).
            data: {
              alertId: alert.id,
              level: alert.level,
              count: alert.count,
              recipientIds: alert.targets.recipientIds,
              roles: alert.targets.roles,
            },
          },
        ],
        command.commandId,
      );
      result = { ok: true, events: fresh };
    }
    await saveCommandResult(tx, command.commandId, actor.id, result, now);
    return result;
  });
  if (fresh.length > 0) push([], fresh);
  return ack;
}
