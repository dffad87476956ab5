import { z } from 'zod';

/** The duties a roster fills, most senior first (the server's `Duty`). */
export const ROSTER_DUTIES = [
  'duty_manager',
  'service_director',
  'desk_agent',
  'engineer_l2',
  'engineer_l3',
] as const;
export type RosterDuty = (typeof ROSTER_DUTIES)[number];

/** Duties every shift must have someone on: without one the shift shows as uncovered. */
export const REQUIRED_DUTIES: readonly string[] = ['duty_manager'];

export const assignmentSchema = z.object({
  id: z.string(),
  shiftId: z.string(),
  userId: z.string(),
  duty: z.string(),
  coverFor: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type RosterAssignment = z.infer<typeof assignmentSchema>;

export const shiftSchema = z.object({
  id: z.string(),
  templateId: z.string().nullable(),
  name: z.string(),
  kind: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  assignments: z.array(assignmentSchema).default([]),
});
export type RosterShift = z.infer<typeof shiftSchema>;

export const templateSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  startTime: z.string(),
  durationMinutes: z.number(),
  timeZone: z.string(),
});
export type ShiftTemplate = z.infer<typeof templateSchema>;

export const shiftsBodySchema = z.object({ shifts: z.array(shiftSchema) });
export const templatesBodySchema = z.object({ templates: z.array(templateSchema) });

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` moved by `days` (calendar arithmetic, no time zone). */
export function addDays(day: string, days: number): string {
  const ms = Date.parse(`${day}T00:00:00Z`) + days * DAY_MS;
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The days a view shows: the week (Monday first) holding `day`, or its month.
 * @example listViewDays('2026-12-04', 'week') // ['2026-11-30', …, '2026-12-06']
 */
export function listViewDays(day: string, view: 'week' | 'month'): string[] {
  if (view === 'week') {
    const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
    const monday = addDays(day, -weekday);
    return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  }
  const first = `${day.slice(0, 8)}01`;
  const out: string[] = [];
  for (let d = first; d.slice(0, 7) === first.slice(0, 7); d = addDays(d, 1)) out.push(d);
  return out;
}

/** The window an assignment holds: its own from/to, else its shift's. */
export function assignmentWindow(a: RosterAssignment, shift: RosterShift): [number, number] {
  return [Date.parse(a.from ?? shift.startsAt), Date.parse(a.to ?? shift.endsAt)];
}

/** What is wrong with a roster: people booked twice at once, shifts without a required duty. */
export interface RosterConflicts {
  /** Assignment ids whose person holds another assignment at an overlapping time. */
  doubleBooked: Set<string>;
  /** `shiftId|duty` of required duties nobody holds on the shift. */
  uncovered: Set<string>;
}

/**
 * The conflicts of a list of shifts. A cover (`coverFor`) is not a double booking of the
 * person covered; the same person on two duties of overlapping shifts is.
 */
export function findConflicts(shifts: readonly RosterShift[]): RosterConflicts {
  const doubleBooked = new Set<string>();
  const uncovered = new Set<string>();
  const all = shifts.flatMap((s) =>
    s.assignments.map((a) => ({ a, window: assignmentWindow(a, s) })),
  );
  const byUser = new Map<string, typeof all>();
  for (const item of all) {
    const list = byUser.get(item.a.userId) ?? [];
    list.push(item);
    byUser.set(item.a.userId, list);
  }
  for (const list of byUser.values()) {
    for (let i = 0; i < list.length; i += 1)
      for (let j = i + 1; j < list.length; j += 1) {
        const x = list[i];
        const y = list[j];
        if (!x || !y) continue;
        if (x.window[0] < y.window[1] && y.window[0] < x.window[1]) {
          doubleBooked.add(x.a.id);
          doubleBooked.add(y.a.id);
        }
      }
  }
  for (const s of shifts)
    for (const duty of REQUIRED_DUTIES)
      if (!s.assignments.some((a) => a.duty === duty && !a.coverFor))
        uncovered.add(`${s.id}|${duty}`);
  return { doubleBooked, uncovered };
}
