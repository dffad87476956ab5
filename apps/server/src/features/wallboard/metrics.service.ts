import {
  computeSla,
  DEFAULT_TIME_ZONE,
  DUTY_ROLES,
  type Attainment,
  type DeskMetrics,
  type DutyRole,
  type MajorIncidentSummary as MajorIncident,
  type MetricsAlert as OpenAlert,
  type OnDutyPerson,
  type Ticket,
  type UrgentCountdown,
} from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { readCallStats } from '../intake';
import { readSurveyFigures } from '../surveys';
import { toSlaSubject } from '../sla';
import { readMetricsInput, type MetricsInput } from './metrics.repo';
import { computeMonthStart, computeWindows } from './windows';

/** The `wallboard.metrics` payload, defined in the shared protocol (docs/metrics.md). */
export type { DeskMetrics, OnDutyPerson };

/** The desk's time zone: "today" and "this week" are its calendar day and ISO week. */
export const DESK_TIME_ZONE = DEFAULT_TIME_ZONE;
/** A running target at or past this share of its budget is "at risk". */
export const AT_RISK_PERCENT = 75;
/** An overall rating at or above this counts as satisfied. */
export const SATISFIED_SCORE = 4;
/** Bounds of every list in the payload: the wallboard must never grow. */
export const METRIC_LIMITS = { urgent: 5, alerts: 5, majorIncidents: 5, people: 40 } as const;

/** A target as the metrics read it: live for open tickets, as stored for the others. */
export interface MetricTarget {
  name: string;
  state: 'running' | 'paused' | 'met' | 'breached';
  dueAt: string | null;
  metAt: string | null;
  /** Elapsed share of the budget (business time), when known. */
  percent: number | null;
}

/** Evaluates the targets of an open ticket at `now` (the SLA engine on the server). */
export type EvaluateTargets = (ticket: Ticket, now: Date) => MetricTarget[];

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function within(at: string | null | undefined, from: number, to: number): boolean {
  if (!at) return false;
  const ms = Date.parse(at);
  return ms >= from && ms <= to;
}

/** A running target past its due instant is breached now, whatever the stored state says. */
function settleState(t: MetricTarget, nowMs: number): MetricTarget['state'] {
  if (t.state === 'running' && t.dueAt !== null && Date.parse(t.dueAt) <= nowMs) return 'breached';
  return t.state;
}

/** The stored targets of a ticket, in the metrics' shape. */
export function readStoredTargets(ticket: Ticket): MetricTarget[] {
  return ticket.sla.targets.map((t) => ({
    name: t.name,
    state: t.state,
    dueAt: t.dueAt,
    metAt: t.metAt ?? null,
    percent: null,
  }));
}

/** The SLA engine at `now` for open tickets, with the policy and calendars in force. */
export function createTargetEvaluator(ctx: AppContext): EvaluateTargets {
  return (ticket, now) =>
    computeSla(toSlaSubject(ticket), ctx.sla.policyFor(ticket), ctx.sla.calendars(), now).map(
      (s) => ({
        name: s.name,
        state: s.state,
        dueAt: s.dueAt,
        metAt: s.metAt,
        percent: s.percent,
      }),
    );
}

/**
 * Targets named `name` met (at `metAt`) or breached (due) in `[from, now]`, and the share met
 * (docs/metrics.md, "attainment"); the wallboard's day and week and an organisation's month.
 */
export function computeAttainment(
  tickets: ReadonlyArray<{ targets: MetricTarget[] }>,
  name: string,
  from: number,
  nowMs: number,
): Attainment {
  let met = 0;
  let breached = 0;
  for (const t of tickets) {
    for (const target of t.targets) {
      if (target.name !== name) continue;
      const state = settleState(target, nowMs);
      if (state === 'met' && within(target.metAt, from, nowMs)) met += 1;
      else if (state === 'breached' && within(target.dueAt, from, nowMs)) breached += 1;
    }
  }
  return { met, breached, rate: ratio(met, met + breached) };
}

const RESOLVED_STATUSES = ['resolved', 'follow_up', 'closed'];

/**
 * The desk metrics from one snapshot of the database: pure, so the reports and the tests can
 * call it on any input. Every definition is in docs/metrics.md.
 */
export function computeDeskMetrics(
  input: MetricsInput,
  now: Date,
  evaluate: EvaluateTargets,
  presence: OnDutyPerson[],
  timeZone: string = DESK_TIME_ZONE,
): DeskMetrics {
  const nowMs = now.getTime();
  const { todayStart, weekStart } = computeWindows(now, timeZone);
  const today = todayStart.getTime();
  const week = weekStart.getTime();
  const tickets = input.tickets.map((t) => {
    const open = t.status !== 'closed';
    return { ticket: t, open, targets: open ? evaluate(t, now) : readStoredTargets(t) };
  });
  const open = tickets.filter((t) => t.open);

  const byPriority = { P1: 0, P2: 0, P3: 0 };
  const groupRows = new Map<string | null, DeskMetrics['open']['byGroup'][number]>();
  for (const g of input.groups) {
    groupRows.set(g.id, {
      groupId: g.id,
      name: g.name,
      nameZh: g.nameZh,
      total: 0,
      P1: 0,
      P2: 0,
      P3: 0,
    });
  }
  for (const { ticket } of open) {
    const p = ticket.priority;
    byPriority[p] += 1;
    let row = groupRows.get(ticket.groupId);
    if (!row) {
      row = {
        groupId: ticket.groupId,
        name: ticket.groupId ?? '',
        nameZh: ticket.groupId ?? '',
        total: 0,
        P1: 0,
        P2: 0,
        P3: 0,
      };
      groupRows.set(ticket.groupId, row);
    }
    row.total += 1;
    row[p] += 1;
  }

  let atRisk = 0;
  let breachedNow = 0;
  const urgent: UrgentCountdown[] = [];
  const majors: MajorIncident[] = [];
  for (const { ticket, targets } of open) {
    let risky = false;
    let breached = false;
    let next: { target: string; dueAt: string } | null = null;
    for (const target of targets) {
      const state = settleState(target, nowMs);
      if (target.metAt !== null || target.dueAt === null) continue;
      if (state === 'breached') breached = true;
      if (state === 'running' && (target.percent ?? 0) >= AT_RISK_PERCENT) risky = true;
      if (state === 'running' || state === 'breached') {
        urgent.push({
          ticketId: ticket.id,
          number: ticket.number,
          title: ticket.title,
          priority: ticket.priority,
          target: target.name,
          dueAt: target.dueAt,
          state,
        });
        if (!next || Date.parse(target.dueAt) < Date.parse(next.dueAt)) {
          next = { target: target.name, dueAt: target.dueAt };
        }
      }
    }
    if (breached) breachedNow += 1;
    else if (risky) atRisk += 1;
    if (ticket.majorIncident) {
      majors.push({
        ticketId: ticket.id,
        number: ticket.number,
        title: ticket.title,
        status: ticket.status,
        nextDeadline: next,
      });
    }
  }
  const byDue = (a: string | null | undefined, b: string | null | undefined): number =>
    (a ? Date.parse(a) : Number.POSITIVE_INFINITY) - (b ? Date.parse(b) : Number.POSITIVE_INFINITY);
  urgent.sort((a, b) => byDue(a.dueAt, b.dueAt) || a.number.localeCompare(b.number));
  majors.sort(
    (a, b) =>
      byDue(a.nextDeadline?.dueAt, b.nextDeadline?.dueAt) || a.number.localeCompare(b.number),
  );

  let responses = 0;
  let responseMs = 0;
  for (const { ticket } of tickets) {
    if (!within(ticket.firstResponseAt, today, nowMs) || !ticket.firstResponseAt) continue;
    responses += 1;
    responseMs += Date.parse(ticket.firstResponseAt) - Date.parse(ticket.receivedAt);
  }

  const tierOf = new Map(input.groups.map((g) => [g.id, g.tier]));
  const routingOf = new Map<string, MetricsInput['routing']>();
  for (const r of input.routing) {
    const list = routingOf.get(r.ticketId) ?? [];
    list.push(r);
    routingOf.set(r.ticketId, list);
  }
  let resolved = 0;
  let firstContact = 0;
  let assigned = 0;
  let redispatched = 0;
  for (const { ticket } of tickets) {
    const routing = routingOf.get(ticket.id) ?? [];
    if (RESOLVED_STATUSES.includes(ticket.status) && within(ticket.resolvedAt, today, nowMs)) {
      resolved += 1;
      const escalated = routing.some(
        (r) =>
          (r.type === 'ticket.created' || r.type === 'ticket.assigned') &&
          r.groupId !== null &&
          (tierOf.get(r.groupId) ?? 1) > 1,
      );
      const reopened = routing.some(
        (r) =>
          r.type === 'ticket.reopened' ||
          (r.type === 'ticket.followedUp' && r.outcome === 'not_resolved'),
      );
      if (!escalated && !reopened) firstContact += 1;
    }
    const assignments = routing.filter(
      (r) =>
        r.type === 'ticket.assigned' ||
        (r.type === 'ticket.created' && (r.groupId !== null || r.assigneeId !== null)),
    );
    const first = assignments[0];
    if (first && within(first.at, today, nowMs)) {
      assigned += 1;
      if (assignments.length >= 2) redispatched += 1;
    }
  }

  let ratings = 0;
  let satisfied = 0;
  let scoreSum = 0;
  for (const { ticket } of tickets) {
    const corrected = new Set(
      ticket.supervisionLog.map((e) => e.correctsEntryId).filter((id) => id !== null),
    );
    for (const e of ticket.supervisionLog) {
      const overall = e.ratings.overall;
      if (corrected.has(e.id) || overall === undefined || !within(e.at, today, nowMs)) continue;
      ratings += 1;
      scoreSum += overall;
      if (overall >= SATISFIED_SCORE) satisfied += 1;
    }
  }

  const openAlerts: OpenAlert[] = input.alerts
    .map((a) => ({
      alertId: a.id,
      severity: a.severity,
      message: a.message.slice(0, 200),
      raisedAt: a.createdAt,
      ticketId: a.ticketId,
    }))
    .sort((a, b) => byDue(a.raisedAt, b.raisedAt));

  const byRole: Record<DutyRole, number> = { agent: 0, engineer: 0, duty_manager: 0 };
  const busy = new Set(
    open
      .filter(({ ticket }) => ticket.status === 'in_progress' && ticket.assigneeId !== null)
      .map(({ ticket }) => ticket.assigneeId as string),
  );
  // The stored roster when one is planned (who holds a duty now, by their duty), else who is
  // signed in: a desk without a roster still sees its staffing.
  const fromRoster = input.roster?.configured === true;
  const source: OnDutyPerson[] = fromRoster
    ? mergeRosterPeople(input.roster?.onDuty ?? [])
    : presence;
  const people = [...new Map(source.map((p) => [p.userId, p])).values()]
    .filter((p) => p.roles.some((r) => (DUTY_ROLES as readonly string[]).includes(r)))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
  let available = 0;
  for (const p of people) {
    for (const r of DUTY_ROLES) if (p.roles.includes(r)) byRole[r] += 1;
    const worker = p.roles.includes('agent') || p.roles.includes('engineer');
    if (worker && !busy.has(p.userId)) available += 1;
  }

  return {
    version: 1,
    generatedAt: now.toISOString(),
    seq: input.seq,
    timeZone,
    windows: { todayStart: todayStart.toISOString(), weekStart: weekStart.toISOString() },
    open: {
      total: open.length,
      byPriority,
      byGroup: [...groupRows.values()],
    },
    sla: {
      today: {
        response: computeAttainment(tickets, 'response', today, nowMs),
        resolve: computeAttainment(tickets, 'resolve', today, nowMs),
      },
      week: {
        response: computeAttainment(tickets, 'response', week, nowMs),
        resolve: computeAttainment(tickets, 'resolve', week, nowMs),
      },
    },
    risk: { atRisk, breached: breachedNow, urgent: urgent.slice(0, METRIC_LIMITS.urgent) },
    firstResponse: { count: responses, averageMs: responses ? responseMs / responses : null },
    firstContactResolution: { resolved, firstContact, rate: ratio(firstContact, resolved) },
    redispatch: { assigned, redispatched, rate: ratio(redispatched, assigned) },
    csat: {
      responses: ratings,
      satisfied,
      averageScore: ratings ? scoreSum / ratings : null,
      rate: ratio(satisfied, ratings),
    },
    alerts: { open: openAlerts.length, oldest: openAlerts.slice(0, METRIC_LIMITS.alerts) },
    majorIncidents: { count: majors.length, items: majors.slice(0, METRIC_LIMITS.majorIncidents) },
    duty: {
      rosterConfigured: fromRoster,
      source: fromRoster ? 'roster' : 'presence',
      byRole,
      available,
      people: people.slice(0, METRIC_LIMITS.people),
    },
  };
}

/** The wallboard role of each roster duty (a service director is not desk staffing). */
const ROLE_OF_DUTY: Record<string, DutyRole> = {
  desk_agent: 'agent',
  engineer_l2: 'engineer',
  engineer_l3: 'engineer',
  duty_manager: 'duty_manager',
};

/** One person per user, with the roles of the duties they hold now. */
function mergeRosterPeople(
  list: ReadonlyArray<{ userId: string; displayName: string; duty: string }>,
): OnDutyPerson[] {
  const out = new Map<string, OnDutyPerson>();
  for (const d of list) {
    const role = ROLE_OF_DUTY[d.duty];
    if (!role) continue;
    const person = out.get(d.userId) ?? { userId: d.userId, displayName: d.displayName, roles: [] };
    if (!person.roles.includes(role)) person.roles.push(role);
    out.set(d.userId, person);
  }
  return [...out.values()];
}

/** Reads one snapshot and computes the metrics at the context's `now`. */
export async function loadDeskMetrics(
  ctx: AppContext,
  presence: () => Promise<OnDutyPerson[]>,
): Promise<DeskMetrics> {
  const now = ctx.clock.now();
  const { weekStart, todayStart } = computeWindows(now, DESK_TIME_ZONE);
  // Answers at `now` count: the windows end just after it.
  const end = new Date(now.getTime() + 1);
  const [input, people, calls, surveysToday, surveysMonth] = await Promise.all([
    readMetricsInput(ctx.database.db, weekStart, now),
    presence(),
    readCallStats(ctx, todayStart),
    readSurveyFigures(ctx.database.db, todayStart, end),
    readSurveyFigures(ctx.database.db, computeMonthStart(now, DESK_TIME_ZONE), end),
  ]);
  return {
    ...computeDeskMetrics(input, now, createTargetEvaluator(ctx), people),
    hotline: {
      waiting: calls.waiting,
      answered: calls.answered,
      answeredWithin: calls.answeredWithin,
      withinSeconds: calls.withinSeconds,
      share: calls.shareWithin,
    },
    surveys: { today: surveysToday, month: surveysMonth },
  };
}
