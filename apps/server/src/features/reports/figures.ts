/**
 * The reports' figures (issue 22, decision 59), pure: each report's rows from the tickets of
 * its period, with the definitions of docs/metrics.md "Reports". The attainment is the
 * wallboard's (`computeAttainment`), the re-dispatch and first-time-fix rates the scorecards'
 * (`computeScorecards`), so the same ticket counts the same everywhere.
 */
import type { ReportCell } from '@dutydesk/shared';
import { computeScorecards } from '../quality';
import { computeAttainment, convertLocalMidnight, type MetricTarget } from '../wallboard';

type Row = Record<string, ReportCell>;

/** A ticket as the reports read it (the row's state, without its logs). */
export interface ReportTicket {
  id: string;
  kind: string;
  status: string;
  priority: string;
  category: string | null;
  module: string | null;
  organisationId: string | null;
  groupId: string | null;
  assigneeId: string | null;
  majorIncident: boolean;
  receivedAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  /** Live for open tickets (the SLA engine at now), as stored for closed ones. */
  targets: MetricTarget[];
  /** Assignments, the creation's dispatch included, refusals not (the scorecards' `countAssignments`). */
  assignments: number;
  /** Reopened at some time, or followed up `not_resolved`. */
  reopened: boolean;
}

/** A report's period: desk days `fromDay`…`toDay` (both included) as instants, and its weeks. */
export interface ReportPeriod {
  fromDay: string;
  toDay: string;
  timeZone: string;
  /** Local midnight starting `fromDay`. */
  from: number;
  /** Local midnight after `toDay`. */
  to: number;
  /** ISO weeks (Monday first) meeting the period, each cut to it. */
  weeks: Array<{ week: string; from: number; to: number }>;
}

export const PRIORITIES = ['P1', 'P2', 'P3'] as const;
/** The SLA targets the attainment counts: every priority's two promises. */
export const ATTAINMENT_TARGETS = ['response', 'resolve'] as const;

const dayParts = (day: string): [number, number, number] =>
  day.split('-').map(Number) as [number, number, number];
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const midnight = (day: string, timeZone: string): number => {
  const [y, m, d] = dayParts(day);
  return convertLocalMidnight(y, m, d, timeZone);
};
/** The day `n` days after `day` (calendar arithmetic, no zone). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = dayParts(day);
  return dayOf(Date.UTC(y, m - 1, d + n));
}

/** The period of desk days `fromDay`…`toDay` in `timeZone`, with its ISO weeks. */
export function deskPeriod(fromDay: string, toDay: string, timeZone: string): ReportPeriod {
  const from = midnight(fromDay, timeZone);
  const to = midnight(addDays(toDay, 1), timeZone);
  const [y, m, d] = dayParts(fromDay);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  const weeks: ReportPeriod['weeks'] = [];
  for (let monday = addDays(fromDay, -weekday); monday <= toDay; monday = addDays(monday, 7)) {
    weeks.push({
      week: monday,
      from: Math.max(from, midnight(monday, timeZone)),
      to: Math.min(to, midnight(addDays(monday, 7), timeZone)),
    });
  }
  return { fromDay, toDay, timeZone, from, to, weeks };
}

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
const inside = (at: string | null, from: number, to: number): boolean => {
  if (!at) return false;
  const ms = Date.parse(at);
  return ms >= from && ms < to;
};

/**
 * SLA attainment by week and priority: the `response` and `resolve` targets met on time with
 * `metAt` in the week, and breached with `dueAt` in the week (a running target past due at
 * `now` is breached), as the wallboard counts them; rate = met ÷ (met + breached).
 */
export function slaAttainmentRows(
  tickets: readonly ReportTicket[],
  period: ReportPeriod,
  nowMs: number,
): Row[] {
  const byPriority = new Map<string, ReportTicket[]>(PRIORITIES.map((p) => [p, []]));
  for (const t of tickets) byPriority.get(t.priority)?.push(t);
  return period.weeks.map((w) => {
    const row: Row = { week: w.week };
    let met = 0;
    let breached = 0;
    for (const p of PRIORITIES) {
      let pm = 0;
      let pb = 0;
      // The window [from, to): the wallboard's counts are inclusive of their end.
      const end = Math.min(w.to - 1, nowMs);
      for (const name of ATTAINMENT_TARGETS) {
        const a = computeAttainment(byPriority.get(p) ?? [], name, w.from, end);
        pm += a.met;
        pb += a.breached;
      }
      const k = p.toLowerCase();
      row[`${k}_met`] = pm;
      row[`${k}_breached`] = pb;
      row[`${k}_rate`] = rate(pm, pm + pb);
      met += pm;
      breached += pb;
    }
    row.met = met;
    row.breached = breached;
    row.rate = rate(met, met + breached);
    return row;
  });
}

/** The nearest-rank percentile (`p` in 0–100) of sorted values: the ⌈p/100 × n⌉-th smallest. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

function summarise(durations: number[]): [number, number | null, number | null, number | null] {
  const sorted = [...durations].sort((a, b) => a - b);
  const mean =
    sorted.length === 0 ? null : Math.round(sorted.reduce((s, v) => s + v, 0) / sorted.length);
  return [sorted.length, nearestRank(sorted, 50), nearestRank(sorted, 90), mean];
}

/**
 * First-response and resolution times per priority and for all (`priority` `all`): first
 * response = `firstResponseAt − receivedAt` of tickets whose `firstResponseAt` is in the
 * period; resolution = `resolvedAt − receivedAt` of tickets whose `resolvedAt` is in the
 * period (wall-clock, milliseconds); count, nearest-rank p50 and p90, mean.
 */
export function responseTimeRows(tickets: readonly ReportTicket[], period: ReportPeriod): Row[] {
  const groups: Array<[string, ReportTicket[]]> = [
    ...PRIORITIES.map((p): [string, ReportTicket[]] => [
      p,
      tickets.filter((t) => t.priority === p),
    ]),
    ['all', [...tickets]],
  ];
  return groups.map(([priority, list]) => {
    const response = list
      .filter((t) => inside(t.firstResponseAt, period.from, period.to))
      .map((t) => Date.parse(t.firstResponseAt as string) - Date.parse(t.receivedAt));
    const resolution = list
      .filter((t) => inside(t.resolvedAt, period.from, period.to))
      .map((t) => Date.parse(t.resolvedAt as string) - Date.parse(t.receivedAt));
    const [rc, r50, r90, rm] = summarise(response);
    const [sc, s50, s90, sm] = summarise(resolution);
    return {
      priority,
      response_count: rc,
      response_p50: r50,
      response_p90: r90,
      response_mean: rm,
      resolution_count: sc,
      resolution_p50: s50,
      resolution_p90: s90,
      resolution_mean: sm,
    };
  });
}

const received = (tickets: readonly ReportTicket[], period: ReportPeriod) =>
  tickets.filter((t) => inside(t.receivedAt, period.from, period.to));
const byCount = (a: { n: number; key: string }, b: { n: number; key: string }): number =>
  b.n - a.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Volume by category and module: tickets received in the period per (category, module), by
 * current priority; share = tickets ÷ all received. Most tickets first.
 */
export function volumeRows(tickets: readonly ReportTicket[], period: ReportPeriod): Row[] {
  const list = received(tickets, period);
  const groups = new Map<string, { key: string; n: number; rows: ReportTicket[] }>();
  for (const t of list) {
    const key = JSON.stringify([t.category, t.module]);
    const g = groups.get(key) ?? { key, n: 0, rows: [] };
    g.n += 1;
    g.rows.push(t);
    groups.set(key, g);
  }
  return [...groups.values()].sort(byCount).map((g) => {
    const first = g.rows[0] as ReportTicket;
    const count = (p: string) => g.rows.filter((t) => t.priority === p).length;
    return {
      label: `${first.category ?? '—'} / ${first.module ?? '—'}`,
      category: first.category,
      module: first.module,
      tickets: g.n,
      p1: count('P1'),
      p2: count('P2'),
      p3: count('P3'),
      share: rate(g.n, list.length),
    };
  });
}

/**
 * Modules that fail most: incidents (kind `incident`) received in the period per module, most
 * first; with how many are P1 now, major incidents, reopened; share of all those incidents.
 */
export function failingModuleRows(tickets: readonly ReportTicket[], period: ReportPeriod): Row[] {
  const list = received(tickets, period).filter((t) => t.kind === 'incident');
  const groups = new Map<string, { key: string; n: number; rows: ReportTicket[] }>();
  for (const t of list) {
    // Tickets without a module sort after every named one of the same count.
    const key = t.module ?? '\uffff';
    const g = groups.get(key) ?? { key, n: 0, rows: [] };
    g.n += 1;
    g.rows.push(t);
    groups.set(key, g);
  }
  return [...groups.values()].sort(byCount).map((g, i) => ({
    rank: i + 1,
    module: (g.rows[0] as ReportTicket).module,
    incidents: g.n,
    p1: g.rows.filter((t) => t.priority === 'P1').length,
    major: g.rows.filter((t) => t.majorIncident).length,
    reopened: g.rows.filter((t) => t.reopened).length,
    share: rate(g.n, list.length),
  }));
}

/**
 * Re-dispatch and first-time-fix rates with the scorecards' definitions (`computeScorecards`):
 * tickets with `resolvedAt` in the period, for the desk (all of them), each team (the
 * ticket's group now) and each agent (its assignee now).
 */
export function redispatchRows(
  tickets: readonly ReportTicket[],
  period: ReportPeriod,
  names: { users: ReadonlyMap<string, string>; groups: ReadonlyMap<string, string> },
): Row[] {
  const cardsBy = (scope: string, key: (t: ReportTicket) => string | null) =>
    computeScorecards({
      from: new Date(period.from),
      to: new Date(period.to),
      tickets: tickets.map((t) => ({
        id: t.id,
        assigneeId: key(t),
        resolvedAt: t.resolvedAt,
        resolve: null,
        assignments: t.assignments,
        reopened: t.reopened,
      })),
      verdicts: [],
      csat: [],
      complaints: [],
    }).map((c) => ({ scope, c }));
  const all = [
    ...cardsBy('desk', () => 'desk'),
    ...cardsBy('team', (t) => t.groupId),
    ...cardsBy('agent', (t) => t.assigneeId),
  ];
  return all.map(({ scope, c }) => {
    const id = scope === 'desk' ? null : c.agentId;
    const name =
      scope === 'desk'
        ? null
        : ((scope === 'team' ? names.groups : names.users).get(c.agentId) ?? c.agentId);
    return {
      scope,
      id,
      name,
      resolved: c.resolved,
      redispatched: Math.round((c.redispatchRate ?? 0) * c.resolved),
      redispatch_rate: c.redispatchRate,
      first_time_fixed: Math.round((c.firstTimeFixRate ?? 0) * c.resolved),
      first_time_fix_rate: c.firstTimeFixRate,
    };
  });
}
