import { z } from 'zod';
import {
  businessCalendarSchema,
  defaultCalendars,
  findNextWorkingMs,
  isWorkingTime,
} from '@dutydesk/shared';
import type { BusinessCalendar, CalendarSet } from '@dutydesk/shared';

/**
 * The business calendars a seat reads countdown hints from: the shipped ones (a fresh desk's
 * `cn-0900-2100`, `cn-0900-1800`, `24x7`) until the server's are loaded (`setDeskCalendars`;
 * the console loads them where the user may read them).
 */
let calendars: CalendarSet = defaultCalendars;

export function setDeskCalendars(next: CalendarSet): void {
  calendars = next;
}

/** The calendars the seat has now (the shipped ones until the server's are loaded). */
export function readDeskCalendars(): CalendarSet {
  return calendars;
}

/**
 * When a business-hours clock starts counting again, if it is outside its working hours at
 * `nowMs`: the next working instant. Null when it is counting now, or its calendar is unknown.
 * @example readClockStart('cn-0900-1800', Date.parse('2026-03-02T12:00:00Z')) // Tue 01:00Z (09:00 desk time)
 */
export function readClockStart(calendarId: string | undefined, nowMs: number): number | null {
  if (!calendarId) return null;
  const calendar = calendars[calendarId];
  if (!calendar) return null;
  try {
    if (isWorkingTime(calendar, nowMs)) return null;
    return findNextWorkingMs(calendar, nowMs);
  } catch {
    return null;
  }
}

const calendarsBodySchema = z.object({ calendars: z.array(z.unknown()) });

/**
 * Loads the server's calendars where the user may read them (admins: `GET /api/sla/calendars`),
 * so countdown hints follow a desk's own working hours; others keep the shipped ones (asking
 * would only log a 403). Failures keep what is there.
 */
export async function loadDeskCalendars(
  token: string,
  roles: readonly string[],
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  if (!roles.includes('admin')) return;
  try {
    const response = await fetchImpl('/api/sla/calendars', {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) return;
    const body = calendarsBodySchema.safeParse(await response.json());
    if (!body.success) return;
    const next: Record<string, BusinessCalendar> = { ...defaultCalendars };
    for (const item of body.data.calendars) {
      const parsed = businessCalendarSchema.safeParse(item);
      if (parsed.success) next[parsed.data.id] = parsed.data;
    }
    setDeskCalendars(next);
  } catch {
    // Offline or an older server: the shipped calendars stay.
  }
}
