import {
  computeSla,
  defaultCalendars,
  defaultSlaPolicy,
  OPEN_STATUSES,
  planThresholds,
  type CalendarSet,
  type SlaPolicy,
  type SlaSubject,
  type SlaTarget,
  type Ticket,
} from '@dutydesk/shared';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import { replaceTimers } from './sla.repo';

/** The SLA policy and calendars in force; an admin's edits replace them (see sla.routes). */
export interface SlaSettings {
  policyFor(ticket: Ticket): SlaPolicy;
  calendars(): CalendarSet;
}

export const defaultSlaSettings: SlaSettings = {
  policyFor: () => defaultSlaPolicy,
  calendars: () => defaultCalendars,
};

/** The parts of a ticket the engine reads. */
export function toSlaSubject(t: Ticket): SlaSubject {
  return {
    receivedAt: t.receivedAt,
    priority: t.priority,
    kind: t.kind,
    majorIncident: t.majorIncident,
    statusHistory: t.statusHistory,
    firstResponseAt: t.firstResponseAt,
    lastPublicUpdateAt: t.lastPublicUpdateAt,
    resolvedAt: t.resolvedAt,
  };
}

/** The targets a ticket should carry now, keeping what `sla.warning`/`sla.breached` recorded. */
export function computeTargets(ctx: AppContext, t: Ticket, now: Date): SlaTarget[] {
  const states = computeSla(toSlaSubject(t), ctx.sla.policyFor(t), ctx.sla.calendars(), now);
  return states.map((s) => {
    const old = t.sla.targets.find((o) => o.name === s.name);
    return {
      name: s.name,
      dueAt: s.dueAt,
      state: s.state,
      startedAt: s.startedAt,
      metAt: s.metAt,
      breachedAt: old?.breachedAt ?? s.breachedAt,
      warnedThresholds: old?.warnedThresholds ?? [],
      budgetMs: s.budgetMs,
      pausedMs: s.pausedMs,
      calendar: s.calendar,
      thresholds: s.thresholds,
    };
  });
}

function sameTargets(a: SlaTarget[], b: SlaTarget[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i];
    return (
      !!y &&
      x.name === y.name &&
      x.dueAt === y.dueAt &&
      x.state === y.state &&
      (x.metAt ?? null) === (y.metAt ?? null)
    );
  });
}

/** An `sla.planned` event when the ticket's targets moved (due time, state, met), else nothing. */
export function planSlaEvents(
  ctx: AppContext,
  t: Ticket,
  now: Date,
): Array<{
  type: 'sla.planned';
  ticketId: string;
  actorId: null;
  at: string;
  data: { targets: SlaTarget[] };
}> {
  const targets = computeTargets(ctx, t, now);
  if (sameTargets(targets, t.sla.targets)) return [];
  return [
    {
      type: 'sla.planned',
      ticketId: t.id,
      actorId: null,
      at: now.toISOString(),
      data: { targets },
    },
  ];
}

/** Rewrites the ticket's `sla_timers` rows: the upcoming thresholds of its running targets. */
export async function replanTimers(ctx: AppContext, tx: Tx, t: Ticket, now: Date): Promise<void> {
  const open = (OPEN_STATUSES as readonly string[]).includes(t.status);
  const plan = open
    ? planThresholds(toSlaSubject(t), ctx.sla.policyFor(t), ctx.sla.calendars(), now)
    : [];
  await replaceTimers(
    tx,
    t.id,
    plan.map((p) => ({
      target: p.target,
      threshold: p.threshold,
      afterMinutes: p.afterMinutes,
      key: p.key,
      dueAt: new Date(p.dueAt),
    })),
  );
}
