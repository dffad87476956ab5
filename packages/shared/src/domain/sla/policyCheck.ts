import type { BusinessCalendar, CalendarSet } from './calendar';
import { addBusinessMs, listWorkingIntervals, nextWorkingDayAtMs } from './calendar';
import { dueBudgetMs, type SlaDue, type SlaPolicy, type SlaPriority } from './policy';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time';

/** A priority whose resolution can fall due before its response, with an example receipt. */
export type SlaOrderProblem = {
  priority: SlaPriority;
  /** Where in the policy (`priorities.P3.targets`). */
  path: string;
  message: string;
  /** A receipt instant at which it happens (ISO), when found by trying instants. */
  receivedAt: string | null;
};

/**
 * The due instant of a target for a clock started at `start`, without pauses (what
 * `computeSla` gives an unpaused ticket).
 * @example computeDueMs({ kind: 'duration', calendar: '24x7', minutes: 15 }, defaultCalendars, 0) // 900000
 */
export function computeDueMs(due: SlaDue, calendars: CalendarSet, start: number): number {
  const cal = calendars[due.calendar];
  if (!cal) throw new Error(`unknown calendar ${due.calendar}`);
  if (due.kind === 'duration') return addBusinessMs(cal, start, dueBudgetMs(due));
  const anchor = nextWorkingDayAtMs(cal, start, due.time);
  if (due.kind === 'nextWorkingDayAt') return anchor;
  return Math.min(addBusinessMs(cal, start, due.minutes * MINUTE_MS), anchor);
}

/** Every window edge (and the instant before it) and each half hour of the local day of `t`. */
function listDayInstants(calendars: BusinessCalendar[], dayStart: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < 48; k += 1) out.push(dayStart + k * 30 * MINUTE_MS);
  for (const cal of calendars) {
    if (cal.alwaysOpen) continue;
    for (const w of listWorkingIntervals(cal, new Date(dayStart + 12 * HOUR_MS))) {
      const s = w.start.getTime();
      const e = w.end.getTime();
      out.push(s - 1, s, s + 1, e - 1, e);
    }
  }
  return out;
}

/**
 * Finds priorities whose `resolve` target can fall due before their `response` target:
 * "a resolution due before its response" is a contradiction no saved policy may hold. Two
 * durations in one calendar are compared by their minutes (exact); `earlierOf` a response
 * duration no longer than the resolution's in its calendar is also exact; anything else is
 * tried at every half hour and window edge of three weeks from `from` and of the days around
 * each holiday and extra working day of the calendars involved.
 * @example findSlaOrderProblems(defaultSlaPolicy, defaultCalendars, new Date()) // []
 */
export function findSlaOrderProblems(
  policy: SlaPolicy,
  calendars: CalendarSet,
  from: Date,
): SlaOrderProblem[] {
  const problems: SlaOrderProblem[] = [];
  for (const priority of ['P1', 'P2', 'P3'] as const) {
    const targets = policy.priorities[priority].targets;
    const response = targets.find((t) => t.name === 'response');
    const resolve = targets.find((t) => t.name === 'resolve');
    if (!response || !resolve) continue;
    const a = response.due;
    const b = resolve.due;
    const responseCal = calendars[a.calendar];
    const resolveCal = calendars[b.calendar];
    if (!responseCal || !resolveCal) continue;
    const path = `priorities.${priority}.targets`;
    if (b.kind === 'duration' && a.calendar === b.calendar && a.kind !== 'nextWorkingDayAt') {
      if (dueBudgetMs(a) <= dueBudgetMs(b)) continue;
      if (a.kind === 'duration') {
        problems.push({
          priority,
          path,
          message: `${priority}: the resolution (${b.minutes} min) is due before the response (${a.minutes} min) in calendar ${a.calendar}`,
          receivedAt: null,
        });
        continue;
      }
    }
    const found = findCounterexample(a, b, [responseCal, resolveCal], calendars, from);
    if (found !== null) {
      const received = new Date(found.start).toISOString();
      problems.push({
        priority,
        path,
        message: `${priority}: for a ticket received ${received} the resolution is due ${new Date(found.resolveDue).toISOString()}, before the response (${new Date(found.responseDue).toISOString()})`,
        receivedAt: received,
      });
    }
  }
  return problems;
}

function findCounterexample(
  response: SlaDue,
  resolve: SlaDue,
  involved: BusinessCalendar[],
  calendars: CalendarSet,
  from: Date,
): { start: number; responseDue: number; resolveDue: number } | null {
  const days = new Set<number>();
  const first = Math.floor(from.getTime() / DAY_MS);
  for (let d = -1; d < 21; d += 1) days.add(first + d);
  for (const cal of involved) {
    for (const entry of [...cal.holidays, ...cal.workdays]) {
      const day = Math.floor(Date.parse(`${entry.date}T00:00:00Z`) / DAY_MS);
      for (let d = -3; d <= 1; d += 1) days.add(day + d);
    }
  }
  // UTC days cover every local day of a zone once shifted by up to ±14 h: try both neighbours.
  for (const day of [...days].sort((x, y) => x - y)) {
    for (const start of listDayInstants(involved, day * DAY_MS)) {
      const responseDue = computeDueMs(response, calendars, start);
      const resolveDue = computeDueMs(resolve, calendars, start);
      if (resolveDue < responseDue) return { start, responseDue, resolveDue };
    }
  }
  return null;
}
