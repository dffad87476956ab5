/**
 * What an admin's SLA request bodies must be: a policy list, a calendar, and imported holidays
 * merged into a calendar. Each throws a 400 HttpError with field paths; sla.routes.ts uses them.
 */
import {
  businessCalendarSchema,
  DEFAULT_SLA_POLICY_ID,
  findMissingCalendars,
  findSlaOrderProblems,
  slaPolicySchema,
  toFieldErrors,
  type BusinessCalendar,
  type FieldError,
  type HolidayList,
  type SlaPolicy,
} from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { HttpError } from '../../http/errors';

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
