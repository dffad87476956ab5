import { defaultCalendars, findNextWorkingMs, isWorkingTime } from '@dutydesk/shared';
import type { CalendarSet } from '@dutydesk/shared';

/**
 * The business calendars a seat reads countdown hints from: the shipped ones (a fresh desk's
 * `cn-0900-2100`, `cn-0900-1800`, `24x7`) until the server's are loaded (`setDeskCalendars`;
 * the console loads them where the user may read them).
 */
let calendars: CalendarSet = defaultCalendars;

export function setDeskCalendars(next: CalendarSet): void {
  calendars = next;
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
