import {
  buildSlaSubject,
  businessCalendarSchema,
  checkBreachThreshold,
  computeSla,
  DEFAULT_SLA_POLICY_ID,
  defaultCalendars,
  defaultSlaPolicy,
  findMissingCalendars,
  findSlaOrderProblems,
  OPEN_STATUSES,
  selectPolicy,
  slaPolicySchema,
  toFieldErrors,
  type BusinessCalendar,
  type CalendarSet,
  type FieldError,
  type HolidayList,
  type SlaPolicy,
  type SlaSubject,
  type SlaTarget,
  type Ticket,
} from '@dutydesk/shared';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import { HttpError } from '../../http/errors';
import {
  readSlaSettings,
  readSlaSettingsVersion,
  replaceTimers,
  SlaSettingKind,
  writeSlaSettings,
  type PlannedTimer,
} from './sla.repo';

/** The SLA policies and calendars in force; an admin's edits replace them (see sla.routes). */
export interface SlaSettings {
  /** The policy of a ticket: its customer's contract policy, else the default. */
  policyFor(ticket: Ticket): SlaPolicy;
  calendars(): CalendarSet;
  policies(): readonly SlaPolicy[];
  /** Version of the stored settings these were built from (0 = shipped defaults). */
  readonly version: number;
}

/**
 * Builds settings from policies and calendars. The policy without customers is the default;
 * the shipped default policy stands in when none is given.
 */
export function buildSlaSettings(
  policies: readonly SlaPolicy[],
  calendars: CalendarSet,
  version: number,
): SlaSettings {
  const list = policies.length > 0 ? [...policies] : [defaultSlaPolicy];
  const fallback = selectPolicy(list, null) ?? defaultSlaPolicy;
  return {
    policyFor: (t) => selectPolicy(list, t.customer?.org ?? null) ?? fallback,
    calendars: () => calendars,
    policies: () => list,
    version,
  };
}

/** The settings of a fresh install: ARCHITECTURE.md §5 defaults. */
export const defaultSlaSettings: SlaSettings = buildSlaSettings(
  [defaultSlaPolicy],
  defaultCalendars,
  0,
);

/**
 * Reads the stored policies and calendars into `ctx.sla` (stored calendars override the
 * shipped ones by id; stored policies replace the shipped default policy). A stored value that
 * no longer parses is skipped with an error in the log rather than stopping the server.
 */
export async function loadSlaSettings(ctx: AppContext): Promise<SlaSettings> {
  const { version, rows } = await readSlaSettings(ctx.database.db);
  const policies: SlaPolicy[] = [];
  const calendars: Record<string, BusinessCalendar> = { ...defaultCalendars };
  for (const row of rows) {
    const parsed =
      row.kind === SlaSettingKind.policy
        ? slaPolicySchema.safeParse(row.body)
        : businessCalendarSchema.safeParse(row.body);
    if (!parsed.success) {
      ctx.log.error({ kind: row.kind, id: row.id }, 'stored SLA setting does not parse; skipped');
      continue;
    }
    if (row.kind === SlaSettingKind.policy) policies.push(parsed.data as SlaPolicy);
    else calendars[row.id] = parsed.data as BusinessCalendar;
  }
  ctx.sla = buildSlaSettings(policies, calendars, version);
  return ctx.sla;
}

/** Reloads `ctx.sla` when another node (or this one) stored new settings. True when reloaded. */
export async function syncSlaSettings(ctx: AppContext): Promise<boolean> {
  const version = await readSlaSettingsVersion(ctx.database.db);
  if (version === ctx.sla.version) return false;
  await loadSlaSettings(ctx);
  ctx.log.info({ version }, 'SLA settings reloaded');
  return true;
}

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

/** Whether a ticket status keeps SLA clocks and timers alive. */
export function checkOpenStatus(status: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

/**
 * The timers a ticket should have at `now`: every threshold instant of each target whose
 * clock runs (not met, not paused), keyed `<target>@<clock start>:<threshold>` so a re-plan
 * that only moves an instant (a pause, a policy edit) keeps the row, and a restarted clock
 * (P1 `update` after a public update) gets fresh rows. Instants at or after the ticket entered
 * Dutydesk are kept even when already due (the scheduler fires them, in order, once);
 * warnings before that (a call logged after the fact) only colour the ticket. A target already
 * overdue when the ticket entered (or when a policy change re-plans it) keeps its first breach
 * threshold even though it lies before: the scheduler fires the breach once and the ladder
 * climbs from there, as for any breach.
 */
export function planTimers(ctx: AppContext, t: Ticket, now: Date): PlannedTimer[] {
  if (!checkOpenStatus(t.status)) return [];
  const states = computeSla(toSlaSubject(t), ctx.sla.policyFor(t), ctx.sla.calendars(), now);
  const entered = Date.parse(t.createdAt);
  const out: PlannedTimer[] = [];
  for (const s of states) {
    if (s.metAt !== null || s.state === 'paused') continue;
    const breaches = s.thresholds.filter((th) => checkBreachThreshold(th.percent));
    const firstBreach = breaches[0];
    // Overdue before it entered: no breach threshold falls in the ticket's time in Dutydesk.
    const overdueOnEntry =
      firstBreach !== undefined && breaches.every((th) => Date.parse(th.at) < entered);
    for (const th of s.thresholds) {
      const at = Date.parse(th.at);
      if (at < entered && !(overdueOnEntry && th === firstBreach)) continue;
      out.push({
        target: s.name,
        threshold: th.percent,
        afterMinutes: th.afterMinutes,
        key: `${s.name}@${s.startedAt}:${th.key}`,
        dueAt: new Date(at),
      });
    }
  }
  return out.sort(
    (a, b) =>
      a.dueAt.getTime() - b.dueAt.getTime() ||
      a.threshold - b.threshold ||
      a.afterMinutes - b.afterMinutes,
  );
}

type Waker = (dueAt: Date) => void;
const wakers = new WeakMap<AppContext, Waker>();

/** Lets the scheduler of this node hear of newly planned timers (to wake up early). */
export function registerSlaWaker(ctx: AppContext, waker: Waker | null): void {
  if (waker) wakers.set(ctx, waker);
  else wakers.delete(ctx);
}

/**
 * Tells whether a change moves the ticket's timers: {@link planTimers} of the ticket before and
 * after differ (a key, an instant or a threshold). Most commands (a comment, a log entry) move
 * none, and then the rows need no rewrite. A policy or calendar change is not seen here: its
 * background re-plan rewrites every open ticket's rows, and the scheduler re-checks each row
 * against a fresh plan before it fires.
 */
export function checkTimersMoved(
  ctx: AppContext,
  before: Ticket | null,
  after: Ticket,
  now: Date,
): boolean {
  return planTimersIfMoved(ctx, before, after, now) !== null;
}

/**
 * The timers of `after` when they differ from those of `before` (see {@link checkTimersMoved}),
 * else null: the plan computed for the comparison is handed on to {@link replanTimers}, so a
 * command plans the ticket's timers once.
 */
export function planTimersIfMoved(
  ctx: AppContext,
  before: Ticket | null,
  after: Ticket,
  now: Date,
): PlannedTimer[] | null {
  const a = before ? planTimers(ctx, before, now) : [];
  const b = planTimers(ctx, after, now);
  if (a.length !== b.length) return b;
  const moved = a.some((x, i) => {
    const y = b[i];
    return (
      !y ||
      x.key !== y.key ||
      x.dueAt.getTime() !== y.dueAt.getTime() ||
      x.threshold !== y.threshold ||
      x.afterMinutes !== y.afterMinutes ||
      x.target !== y.target
    );
  });
  return moved ? b : null;
}

/** Rewrites the ticket's `sla_timers` rows to {@link planTimers}' plan. */
export async function replanTimers(
  ctx: AppContext,
  tx: Tx,
  t: Ticket,
  now: Date,
  plan: PlannedTimer[] = planTimers(ctx, t, now),
): Promise<void> {
  await replaceTimers(tx, t.id, plan);
  // A breach due before the ticket entered (overdue on entry) fires at once, not at the
  // scheduler's next poll; otherwise the first future instant.
  const entered = Date.parse(t.createdAt);
  const first =
    plan.find((p) => p.dueAt.getTime() < entered) ??
    plan.find((p) => p.dueAt.getTime() > now.getTime());
  if (first) wakers.get(ctx)?.(first.dueAt);
}

function readPolicyInputs(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  const list = (body as { policies?: unknown } | null)?.policies;
  if (!Array.isArray(list) || list.length === 0) {
    throw new HttpError('invalid', 'Invalid SLA policies', [
      { path: 'policies', message: 'expected a non-empty list of policies' },
    ]);
  }
  return list;
}

/**
 * Validates a whole policy list as an admin sends it (`{ policies }` or a bare array): each
 * policy by the shared schema, a `default` policy without customers, unique ids, each customer
 * in one policy, every calendar defined. Throws a 400 HttpError with field paths
 * (`policies.0.thresholds.1.percent`).
 */
export function parsePolicyList(ctx: AppContext, body: unknown): SlaPolicy[] {
  const policies: SlaPolicy[] = [];
  const issues: FieldError[] = [];
  readPolicyInputs(body).forEach((input, i) => {
    const parsed = slaPolicySchema.safeParse(input);
    if (parsed.success) policies.push(parsed.data);
    else {
      for (const f of toFieldErrors(parsed.error.issues)) {
        issues.push({
          path: f.path ? `policies.${i}.${f.path}` : `policies.${i}`,
          message: f.message,
        });
      }
    }
  });
  if (issues.length > 0) throw new HttpError('invalid', 'Invalid SLA policies', issues);
  const fields: FieldError[] = [];
  const ids = new Set<string>();
  const customers = new Map<string, string>();
  policies.forEach((p, i) => {
    if (ids.has(p.id)) fields.push({ path: `policies.${i}.id`, message: `duplicate id ${p.id}` });
    ids.add(p.id);
    if (p.id === DEFAULT_SLA_POLICY_ID && p.customerIds.length > 0) {
      fields.push({
        path: `policies.${i}.customerIds`,
        message: 'the default policy applies to every customer without a contract policy',
      });
    }
    if (p.id !== DEFAULT_SLA_POLICY_ID && p.customerIds.length === 0) {
      fields.push({
        path: `policies.${i}.customerIds`,
        message: 'a contract policy names its customers',
      });
    }
    p.customerIds.forEach((c, j) => {
      const other = customers.get(c);
      if (other !== undefined && other !== p.id) {
        fields.push({
          path: `policies.${i}.customerIds.${j}`,
          message: `customer ${c} is already in policy ${other}`,
        });
      }
      customers.set(c, p.id);
    });
    for (const cal of findMissingCalendars(p, ctx.sla.calendars())) {
      fields.push({ path: `policies.${i}`, message: `unknown calendar ${cal}` });
    }
    for (const problem of findSlaOrderProblems(p, ctx.sla.calendars(), ctx.clock.now())) {
      fields.push({ path: `policies.${i}.${problem.path}`, message: problem.message });
    }
  });
  if (!ids.has(DEFAULT_SLA_POLICY_ID)) {
    fields.push({
      path: 'policies',
      message: `a policy with id "${DEFAULT_SLA_POLICY_ID}" is required`,
    });
  }
  if (fields.length > 0) throw new HttpError('invalid', 'Invalid SLA policies', fields);
  return policies;
}

/** Stores a validated policy list (replacing the stored one) and applies it on this node. */
export async function savePolicies(
  ctx: AppContext,
  policies: SlaPolicy[],
  by: string | null,
): Promise<number> {
  const version = await writeSlaSettings(
    ctx.database.db,
    policies.map((p) => ({ kind: SlaSettingKind.policy, id: p.id, body: p })),
    { replaceKind: SlaSettingKind.policy, by, at: ctx.clock.now() },
  );
  await loadSlaSettings(ctx);
  return version;
}

/** Validates a calendar for `id` (the body's `id`, if any, must match). Throws a 400 HttpError. */
export function parseCalendar(id: string, body: unknown): BusinessCalendar {
  const input =
    body && typeof body === 'object' && !Array.isArray(body)
      ? { id, ...(body as Record<string, unknown>) }
      : body;
  const parsed = businessCalendarSchema.safeParse(input);
  if (!parsed.success) {
    throw new HttpError('invalid', 'Invalid calendar', toFieldErrors(parsed.error.issues));
  }
  if (parsed.data.id !== id) {
    throw new HttpError('invalid', 'The calendar id does not match the address', [
      { path: 'id', message: `expected ${id}` },
    ]);
  }
  return parsed.data;
}

/**
 * Stores one calendar and applies it on this node. Throws a 400 HttpError when, with it, a
 * policy in force could make a resolution due before its response.
 */
export async function saveCalendar(
  ctx: AppContext,
  calendar: BusinessCalendar,
  by: string | null,
): Promise<number> {
  const calendars = { ...ctx.sla.calendars(), [calendar.id]: calendar };
  const fields: FieldError[] = [];
  for (const policy of ctx.sla.policies()) {
    for (const problem of findSlaOrderProblems(policy, calendars, ctx.clock.now())) {
      fields.push({ path: `calendar`, message: `policy ${policy.id}: ${problem.message}` });
    }
  }
  if (fields.length > 0) {
    throw new HttpError(
      'invalid',
      'With this calendar a resolution would fall due before its response',
      fields,
    );
  }
  const version = await writeSlaSettings(
    ctx.database.db,
    [{ kind: SlaSettingKind.calendar, id: calendar.id, body: calendar }],
    { by, at: ctx.clock.now() },
  );
  await loadSlaSettings(ctx);
  return version;
}

/** The calendar in force with this id, or a 404 HttpError. */
export function findCalendar(ctx: AppContext, id: string): BusinessCalendar {
  const calendar = ctx.sla.calendars()[id];
  if (!calendar || !Object.hasOwn(ctx.sla.calendars(), id)) {
    throw new HttpError('not_found', `No calendar ${id}`);
  }
  return calendar;
}

/**
 * Merges imported holidays and extra working days into a calendar: an imported date replaces
 * whatever the calendar said about that date; other dates stay. Throws a 400 HttpError when
 * the result is not a valid calendar (e.g. workdays without `extraWorkdayWindows`).
 */
export function mergeHolidays(calendar: BusinessCalendar, list: HolidayList): BusinessCalendar {
  const dates = new Set([...list.holidays, ...list.workdays].map((d) => d.date));
  const byDate = <T extends { date: string }>(a: T, b: T) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
  const merged = {
    ...calendar,
    holidays: [...calendar.holidays.filter((h) => !dates.has(h.date)), ...list.holidays].sort(
      byDate,
    ),
    workdays: [...calendar.workdays.filter((w) => !dates.has(w.date)), ...list.workdays].sort(
      byDate,
    ),
  };
  const parsed = businessCalendarSchema.safeParse(merged);
  if (!parsed.success) {
    throw new HttpError(
      'invalid',
      'The imported days do not fit this calendar',
      toFieldErrors(parsed.error.issues),
    );
  }
  return parsed.data;
}
