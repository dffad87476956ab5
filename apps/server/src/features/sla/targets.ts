/**
 * The SLA targets a ticket carries: the engine's subject of a ticket, its targets computed now
 * (keeping recorded warnings and breaches), and the `sla.planned` event when they moved.
 */
import {
  buildSlaSubject,
  computeSla,
  type SlaSubject,
  type SlaTarget,
  type Ticket,
} from '@dutydesk/shared';
import type { AppContext } from '../../context';

/**
 * The parts of a ticket the engine reads: the shared `buildSlaSubject`, so milestones confirmed
 * by both sides meet milestone targets on the server exactly as on the console.
 */
export function toSlaSubject(t: Ticket): SlaSubject {
  return buildSlaSubject(t);
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

function checkSameTargets(a: SlaTarget[], b: SlaTarget[]): boolean {
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
  if (checkSameTargets(targets, t.sla.targets)) return [];
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
