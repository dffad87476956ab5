import type { BusinessCalendar, CalendarSet } from './calendar';
import {
  addBusinessMs,
  businessMsBetween,
  findNextWorkingMs,
  isWorkingTime,
  nextWorkingDayAtMs,
} from './calendar';
import type {
  PauseRule,
  SlaColour,
  SlaPolicy,
  SlaPriority,
  SlaTargetDef,
  SlaThreshold,
} from './policy';
import { readSlaTarget } from './reading';
import { dueBudgetMs } from './policy';
import { MINUTE_MS } from './time';

/**
 * What the engine needs to know about a ticket (ISO-8601 instants). A Ticket from the ticket
 * domain satisfies it structurally. `milestones` holds the instants of named milestones that
 * meet custom targets (`contact-2h`, `announce`, `restore`, …).
 */
export type SlaSubject = {
  receivedAt: string;
  priority: SlaPriority;
  kind?: string;
  /** The ticket's category (targets may apply to categories: `pre-maintenance`, `hotline-call`). */
  category?: string | null;
  majorIncident?: boolean;
  statusHistory: ReadonlyArray<{ at: string; status: string; pendingReason?: string | null }>;
  firstResponseAt: string | null;
  lastPublicUpdateAt: string | null;
  resolvedAt: string | null;
  milestones?: Readonly<Record<string, string | null | undefined>> | null;
};

/** Life-cycle of one target's clock. */
export const SlaTargetStatus = {
  running: 'running',
  paused: 'paused',
  met: 'met',
  breached: 'breached',
} as const;
export type SlaTargetStatus = (typeof SlaTargetStatus)[keyof typeof SlaTargetStatus];

/** One threshold of a target resolved to an instant. */
export type SlaThresholdInstant = {
  percent: number;
  afterMinutes: number;
  /** `'90'`, `'100'`, `'100+30m'`: stable key for timers. */
  key: string;
  colour: Exclude<SlaColour, 'grey'>;
  at: string;
};

/**
 * The state of one target at `now`.
 * - `state`: `met` when the stop event came at or before `dueAt`; `breached` once `now ≥ dueAt`
 *   without a stop event, and also when the stop event came late (then `metAt` is set too);
 *   `paused` while a pause rule matches (`dueAt` then assumes the clock resumes at `now`).
 * - `elapsedMs`, `remainingMs` (negative = overdue), `pausedMs` and `budgetMs` are business
 *   milliseconds in the target's calendar, measured up to `now` or the stop event.
 * - `percent` = elapsed / budget × 100.
 */
export type SlaTargetState = {
  name: string;
  calendar: string;
  startedAt: string;
  dueAt: string | null;
  state: SlaTargetStatus;
  elapsedMs: number;
  remainingMs: number;
  pausedMs: number;
  budgetMs: number;
  percent: number;
  colour: SlaColour;
  metAt: string | null;
  breachedAt: string | null;
  thresholds: SlaThresholdInstant[];
};

/** An upcoming threshold instant, one `sla_timers` row. */
export type SlaPlannedThreshold = {
  target: string;
  threshold: number;
  afterMinutes: number;
  key: string;
  dueAt: string;
};

function parseInstant(value: string, what: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`invalid instant for ${what}: ${value}`);
  return ms;
}

function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

function roundPercent(value: number): number {
  return Math.round(value * 100) / 100;
}

function matchesPause(
  rules: ReadonlyArray<PauseRule>,
  status: string,
  reason: string | null | undefined,
): boolean {
  return rules.some(
    (r) => r.status === status && (r.reason === undefined || r.reason === (reason ?? null)),
  );
}

/** Pause intervals clipped to `[from, to]`, sorted and merged; flat `[s0, e0, s1, e1, …]`. */
function collectPauses(
  history: SlaSubject['statusHistory'],
  rules: ReadonlyArray<PauseRule>,
  from: number,
  to: number,
): number[] {
  if (rules.length === 0 || history.length === 0 || to <= from) return [];
  const entries = history
    .map((h, i) => ({ at: parseInstant(h.at, 'statusHistory'), i, h }))
    .sort((a, b) => a.at - b.at || a.i - b.i);
  const out: number[] = [];
  for (let k = 0; k < entries.length; k += 1) {
    const entry = entries[k];
    if (!entry || !matchesPause(rules, entry.h.status, entry.h.pendingReason)) continue;
    const s = Math.max(entry.at, from);
    const e = Math.min(entries[k + 1]?.at ?? Number.POSITIVE_INFINITY, to);
    if (e <= s) continue;
    if (out.length > 0 && (out[out.length - 1] as number) >= s) {
      out[out.length - 1] = Math.max(out[out.length - 1] as number, e);
    } else out.push(s, e);
  }
  return out;
}

/** Tells whether the latest status at or before `t` matches a pause rule. */
function checkPausedAt(
  history: SlaSubject['statusHistory'],
  rules: ReadonlyArray<PauseRule>,
  t: number,
): boolean {
  let latest: { at: number; status: string; reason: string | null | undefined } | null = null;
  for (const h of history) {
    const at = parseInstant(h.at, 'statusHistory');
    if (at <= t && (latest === null || at >= latest.at)) {
      latest = { at, status: h.status, reason: h.pendingReason };
    }
  }
  return latest !== null && matchesPause(rules, latest.status, latest.reason);
}

/** Business time of the pauses inside `[a, b]`. */
function measurePaused(cal: BusinessCalendar, pauses: number[], a: number, b: number): number {
  let total = 0;
  for (let i = 0; i < pauses.length; i += 2) {
    const s = Math.max(pauses[i] as number, a);
    const e = Math.min(pauses[i + 1] as number, b);
    if (e > s) total += businessMsBetween(cal, s, e);
  }
  return total;
}

/** The earliest instant at which `budget` unpaused business time has passed since `from`. */
function walkBudget(cal: BusinessCalendar, from: number, budget: number, pauses: number[]): number {
  let cursor = from;
  let remaining = budget;
  for (let i = 0; i < pauses.length; i += 2) {
    const ps = pauses[i] as number;
    const pe = pauses[i + 1] as number;
    if (pe <= cursor) continue;
    if (ps > cursor) {
      const candidate = addBusinessMs(cal, cursor, remaining);
      if (candidate <= ps) return candidate;
      remaining -= businessMsBetween(cal, cursor, ps);
    }
    cursor = Math.max(cursor, pe);
  }
  return addBusinessMs(cal, cursor, remaining);
}

/** The first working, unpaused instant at or after `t`. */
function findNextActive(cal: BusinessCalendar, t: number, pauses: number[]): number {
  let x = t;
  for (;;) {
    x = findNextWorkingMs(cal, x);
    let moved = false;
    for (let i = 0; i < pauses.length; i += 2) {
      if (x >= (pauses[i] as number) && x < (pauses[i + 1] as number)) {
        x = pauses[i + 1] as number;
        moved = true;
      }
    }
    if (!moved) return x;
  }
}

function selectStop(subject: SlaSubject, def: SlaTargetDef): number | null {
  let best: number | null = null;
  for (const event of def.stopOn) {
    const value =
      event === 'firstResponse'
        ? subject.firstResponseAt
        : event === 'resolved'
          ? subject.resolvedAt
          : (subject.milestones?.[def.milestone ?? def.name] ?? null);
    if (value === null || value === undefined) continue;
    const ms = parseInstant(value, event);
    if (best === null || ms < best) best = ms;
  }
  return best;
}

function checkApplies(subject: SlaSubject, def: SlaTargetDef): boolean {
  const rule = def.appliesTo;
  if (!rule) return true;
  if (rule.kinds && !(subject.kind !== undefined && rule.kinds.includes(subject.kind))) {
    return false;
  }
  if (rule.majorIncident !== undefined && (subject.majorIncident ?? false) !== rule.majorIncident) {
    return false;
  }
  if (
    rule.categories &&
    !(subject.category != null && rule.categories.includes(subject.category))
  ) {
    return false;
  }
  return !rule.priorities || rule.priorities.includes(subject.priority);
}

/**
 * Lists the targets that apply to a subject under a policy, with the pause rules and
 * thresholds each one uses (target overrides priority overrides policy).
 * @example listApplicableTargets(subject, defaultSlaPolicy).map((t) => t.def.name) // ['response', 'update', 'resolve']
 */
export function listApplicableTargets(
  subject: Pick<SlaSubject, 'priority' | 'kind' | 'majorIncident' | 'category'>,
  policy: SlaPolicy,
): Array<{ def: SlaTargetDef; pauseWhen: PauseRule[]; thresholds: SlaThreshold[] }> {
  const rule = policy.priorities[subject.priority];
  const seen = new Set<string>();
  const out: Array<{ def: SlaTargetDef; pauseWhen: PauseRule[]; thresholds: SlaThreshold[] }> = [];
  for (const def of [...rule.targets, ...policy.extraTargets]) {
    if (seen.has(def.name) || !checkApplies(subject as SlaSubject, def)) continue;
    seen.add(def.name);
    out.push({
      def,
      pauseWhen: def.pauseWhen ?? rule.pauseWhen ?? policy.pauseWhen,
      thresholds: [...(def.thresholds ?? rule.thresholds ?? policy.thresholds)].sort(
        (a, b) => a.percent - b.percent || a.afterMinutes - b.afterMinutes,
      ),
    });
  }
  return out;
}

function formatThresholdKey(t: SlaThreshold): string {
  return t.afterMinutes > 0 ? `${t.percent}+${t.afterMinutes}m` : String(t.percent);
}

function evaluateTarget(
  subject: SlaSubject,
  def: SlaTargetDef,
  pauseWhen: PauseRule[],
  thresholds: SlaThreshold[],
  calendars: CalendarSet,
  now: number,
): SlaTargetState {
  const cal = calendars[def.due.calendar];
  if (!cal) throw new Error(`SLA target ${def.name} uses unknown calendar ${def.due.calendar}`);
  const received = parseInstant(subject.receivedAt, 'receivedAt');
  const lastUpdate =
    subject.lastPublicUpdateAt === null
      ? null
      : parseInstant(subject.lastPublicUpdateAt, 'lastPublicUpdateAt');
  const start =
    def.start === 'lastPublicUpdate' && lastUpdate !== null
      ? Math.max(received, lastUpdate)
      : received;
  const rawStop = selectStop(subject, def);
  const stopAt = rawStop === null ? null : Math.max(rawStop, start);
  const stopped = stopAt !== null && stopAt <= now;
  const end = Math.max(start, stopped ? stopAt : now);

  const pauses = collectPauses(subject.statusHistory, pauseWhen, start, end);
  const pausedAtEnd = !stopped && checkPausedAt(subject.statusHistory, pauseWhen, now);

  let budget: number;
  let due: number;
  // `earlierOf` takes the form whose (unpaused) due time is earlier at the clock's start; a
  // duration is the earlier exactly when it fits in the business time before the anchor.
  const anchor = def.due.kind === 'duration' ? null : nextWorkingDayAtMs(cal, start, def.due.time);
  const anchorBudget = anchor === null ? 0 : businessMsBetween(cal, start, anchor);
  if (
    def.due.kind === 'duration' ||
    (def.due.kind === 'earlierOf' && def.due.minutes * MINUTE_MS <= anchorBudget)
  ) {
    budget = dueBudgetMs(def.due);
    due = walkBudget(cal, start, budget, pauses);
  } else if (anchor === null) {
    throw new Error(`SLA target ${def.name} has no due time`);
  } else {
    budget = anchorBudget;
    // Without pauses the due time is the anchor itself; a pause pushes it to the first
    // working, unpaused instant after the budget is used up.
    const early = walkBudget(cal, start, budget, pauses);
    due =
      pauses.length === 0 || (pauses[0] as number) >= anchor
        ? anchor
        : findNextActive(cal, early, pauses);
  }

  const pausedMs = measurePaused(cal, pauses, start, end);
  const elapsedMs = businessMsBetween(cal, start, end) - pausedMs;
  const remainingMs =
    end < due
      ? businessMsBetween(cal, end, due)
      : 0 - (businessMsBetween(cal, due, end) - measurePaused(cal, pauses, due, end));
  const percent = budget > 0 ? roundPercent((elapsedMs / budget) * 100) : end >= due ? 100 : 0;

  const instants: SlaThresholdInstant[] = thresholds.map((t) => {
    const extra = t.afterMinutes * MINUTE_MS;
    const share = Math.round((budget * t.percent) / 100);
    const at =
      t.percent >= 100
        ? walkBudget(cal, due, share - budget + extra, pauses)
        : walkBudget(cal, start, share + extra, pauses);
    return {
      percent: t.percent,
      afterMinutes: t.afterMinutes,
      key: formatThresholdKey(t),
      colour: t.colour,
      at: toIso(at),
    };
  });

  let state: SlaTargetStatus;
  let colour: SlaColour;
  if (stopped) {
    state = stopAt <= due ? 'met' : 'breached';
    colour = state === 'met' ? 'grey' : 'red';
  } else if (now >= due) {
    state = 'breached';
    colour = 'red';
  } else if (pausedAtEnd) {
    state = 'paused';
    colour = 'grey';
  } else {
    state = 'running';
    colour = pickColour(instants, now);
  }

  return {
    name: def.name,
    calendar: def.due.calendar,
    startedAt: toIso(start),
    dueAt: toIso(due),
    state,
    elapsedMs,
    remainingMs,
    pausedMs,
    budgetMs: budget,
    percent,
    colour,
    metAt: stopped ? toIso(stopAt) : null,
    breachedAt: state === 'breached' ? toIso(due) : null,
    thresholds: instants,
  };
}

function pickColour(instants: ReadonlyArray<SlaThresholdInstant>, now: number): SlaColour {
  let colour: SlaColour = 'green';
  let best = Number.NEGATIVE_INFINITY;
  for (const t of instants) {
    const at = Date.parse(t.at);
    if (at <= now && at >= best) {
      best = at;
      colour = t.colour;
    }
  }
  return colour;
}

/**
 * Computes every applicable SLA target of a subject at `now`: response, update, resolve and
 * custom targets. Pauses (status history matching the pause rules) push `dueAt` out by the
 * paused business time. Throws when a target references a calendar missing from `calendars`.
 * @example
 * computeSla(ticket, defaultSlaPolicy, defaultCalendars, new Date('2026-03-02T02:00:00Z'))
 * // [{ name: 'response', dueAt: '2026-03-02T01:15:00.000Z', state: 'breached', … }, …]
 */
export function computeSla(
  subject: SlaSubject,
  policy: SlaPolicy,
  calendars: CalendarSet,
  now: Date,
): SlaTargetState[] {
  const nowMs = now.getTime();
  return listApplicableTargets(subject, policy).map(({ def, pauseWhen, thresholds }) =>
    evaluateTarget(subject, def, pauseWhen, thresholds, calendars, nowMs),
  );
}

/**
 * Lists the upcoming threshold instants (strictly after `now`) of targets whose clock is
 * running (including breached-but-not-stopped ones, for `100+n` thresholds), ordered by time.
 * Paused and stopped targets have none: re-plan when the ticket changes.
 * @example planThresholds(ticket, defaultSlaPolicy, defaultCalendars, receivedAt)
 * // [{ target: 'response', threshold: 50, dueAt: '…' }, …]
 */
export function planThresholds(
  subject: SlaSubject,
  policy: SlaPolicy,
  calendars: CalendarSet,
  now: Date,
): SlaPlannedThreshold[] {
  const nowMs = now.getTime();
  const out: SlaPlannedThreshold[] = [];
  for (const target of computeSla(subject, policy, calendars, now)) {
    if (target.metAt !== null || target.state === 'paused') continue;
    for (const t of target.thresholds) {
      if (Date.parse(t.at) <= nowMs) continue;
      out.push({
        target: target.name,
        threshold: t.percent,
        afterMinutes: t.afterMinutes,
        key: t.key,
        dueAt: t.at,
      });
    }
  }
  return out.sort(
    (a, b) =>
      Date.parse(a.dueAt) - Date.parse(b.dueAt) ||
      a.threshold - b.threshold ||
      a.afterMinutes - b.afterMinutes,
  );
}

/** What a seat shows for one target at `now`. */
export type SlaCountdown = {
  /** Wall-clock ms until `dueAt` (negative = overdue); frozen business ms when paused/stopped. */
  remainingMs: number;
  colour: SlaColour;
  state: SlaTargetStatus;
  overdue: boolean;
};

/**
 * Derives the countdown of a target at `now` from the deadlines it holds, without the
 * calendar: the desktop calls it on every local tick (pass the server-corrected clock).
 * @example computeCountdown(target, new Date(serverNowMs)) // { remainingMs: 754000, colour: 'amber', … }
 */
export function computeCountdown(target: SlaTargetState, now: Date): SlaCountdown {
  const reading = readSlaTarget(target, now.getTime());
  if (!reading.running || reading.remainingMs === null) {
    return {
      remainingMs: target.remainingMs,
      colour: target.colour,
      state: target.state,
      overdue: target.state === 'breached',
    };
  }
  return {
    remainingMs: reading.remainingMs,
    colour: reading.colour,
    state: reading.breached ? 'breached' : 'running',
    overdue: reading.breached,
  };
}

/**
 * Tells whether an instant is working time for a target's calendar (convenience for seats
 * that dim countdowns outside business hours).
 * @example checkTargetWorking(target, defaultCalendars, new Date()) // false at night
 */
export function checkTargetWorking(
  target: Pick<SlaTargetState, 'calendar'>,
  calendars: CalendarSet,
  now: Date,
): boolean {
  const cal = calendars[target.calendar];
  return cal ? isWorkingTime(cal, now) : false;
}
