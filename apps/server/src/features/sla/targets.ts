/**
 * The SLA targets a ticket carries: the engine's subject of a ticket, its targets computed now
 * (keeping recorded warnings and breaches), and the `sla.planned` event when they moved.
 */
import {
  buildSlaSubject,
  computeSla,
  type CalendarSet,
  type SlaPolicy,
  type SlaSubject,
  type SlaTarget,
  type SlaTargetState,
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

/** A ticket's SLA clocks at one instant, on the settings in force ({@link computeSla}). */
export type SlaStatesOf = (t: Ticket) => SlaTargetState[];

/** {@link SlaStatesOf} at `now`, computed on every call. */
export function slaStatesAt(ctx: AppContext, now: Date): SlaStatesOf {
  return (t) => computeSla(toSlaSubject(t), ctx.sla.policyFor(t), ctx.sla.calendars(), now);
}

/**
 * {@link SlaStatesOf} at `now`, remembered by the ticket's SLA subject (its JSON) and the
 * policy and calendars in force: a batch of the scheduler folds several SLA events into a
 * ticket (none moves a clock) and reads its clocks before and after each, so one computation
 * per ticket serves them all (decision 57). Callers must not change the states.
 */
export function createSlaStatesMemo(ctx: AppContext, now: Date): SlaStatesOf {
  const memo = new Map<
    string,
    { policy: SlaPolicy; calendars: CalendarSet; states: SlaTargetState[] }
  >();
  return (t) => {
    const subject = toSlaSubject(t);
    const policy = ctx.sla.policyFor(t);
    const calendars = ctx.sla.calendars();
    const key = JSON.stringify(subject);
    const hit = memo.get(key);
    if (hit && hit.policy === policy && hit.calendars === calendars) return hit.states;
    const states = computeSla(subject, policy, calendars, now);
    memo.set(key, { policy, calendars, states });
    return states;
  };
}

/** The targets a ticket should carry now, keeping what `sla.warning`/`sla.breached` recorded. */
export function computeTargets(
  ctx: AppContext,
  t: Ticket,
  now: Date,
  statesOf: SlaStatesOf = slaStatesAt(ctx, now),
): SlaTarget[] {
  const states = statesOf(t);
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
  statesOf?: SlaStatesOf,
): Array<{
  type: 'sla.planned';
  ticketId: string;
  actorId: null;
  at: string;
  data: { targets: SlaTarget[] };
}> {
  const targets = computeTargets(ctx, t, now, statesOf);
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
