/**
 * The calendar engine as it was before it stepped over whole weeks: every day resolved through
 * Intl, one at a time. Slow on long spans, obviously right; the property tests compare the
 * engine with it. Test support only (not exported from the package).
 */
import type { BusinessCalendar, WorkingWindow } from './calendar';
import {
  DAY_MS,
  convertLocalToUtc,
  getOffsetMs,
  getWeekday,
  parseClock,
  parseDateSerial,
} from './time';

const weekdayByIndex = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** A calendar day resolved to UTC intervals; `intervals` is flat `[s0, e0, s1, e1, …]`. */
type ResolvedDay = { start: number; intervals: number[] };

type CalendarIndex = {
  timeZone: string;
  weekly: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  holidays: Map<number, ReadonlyArray<readonly [number, number]> | null>;
  workdays: Map<number, ReadonlyArray<readonly [number, number]>>;
  extraWorkdayWindows: ReadonlyArray<readonly [number, number]>;
  days: Map<number, ResolvedDay>;
  hasWeeklyTime: boolean;
};

/** Safety stop: the longest run of days without working time the engine walks through. */
const MAX_IDLE_DAYS = 3_700;

const indexes = new WeakMap<BusinessCalendar, CalendarIndex>();

function toMinutes(windows: ReadonlyArray<WorkingWindow>): Array<readonly [number, number]> {
  return windows.map((w) => [parseClock(w.start) ?? 0, parseClock(w.end) ?? 0] as const);
}

function subtractWindows(
  base: ReadonlyArray<readonly [number, number]>,
  off: ReadonlyArray<readonly [number, number]>,
): Array<readonly [number, number]> {
  let result: Array<readonly [number, number]> = [...base];
  for (const [os, oe] of off) {
    const next: Array<readonly [number, number]> = [];
    for (const [s, e] of result) {
      if (oe <= s || os >= e) next.push([s, e]);
      else {
        if (os > s) next.push([s, os]);
        if (oe < e) next.push([oe, e]);
      }
    }
    result = next;
  }
  return result;
}

function getIndex(calendar: BusinessCalendar): CalendarIndex {
  let index = indexes.get(calendar);
  if (index) return index;
  const weekly = weekdayByIndex.map((key) => toMinutes(calendar.weekly?.[key] ?? []));
  const holidays = new Map<number, ReadonlyArray<readonly [number, number]> | null>();
  for (const h of calendar.holidays ?? []) {
    const serial = parseDateSerial(h.date);
    if (serial !== null) holidays.set(serial, h.off ? toMinutes(h.off) : null);
  }
  const extraWorkdayWindows = toMinutes(calendar.extraWorkdayWindows ?? []);
  const workdays = new Map<number, ReadonlyArray<readonly [number, number]>>();
  for (const w of calendar.workdays ?? []) {
    const serial = parseDateSerial(w.date);
    if (serial !== null)
      workdays.set(serial, w.windows ? toMinutes(w.windows) : extraWorkdayWindows);
  }
  index = {
    timeZone: calendar.timeZone,
    weekly,
    holidays,
    workdays,
    extraWorkdayWindows,
    days: new Map(),
    hasWeeklyTime: weekly.some((w) => w.length > 0) || workdays.size > 0,
  };
  indexes.set(calendar, index);
  return index;
}

function getLocalWindows(
  index: CalendarIndex,
  serial: number,
): ReadonlyArray<readonly [number, number]> {
  const workday = index.workdays.get(serial);
  if (workday) return workday;
  const base = index.weekly[getWeekday(serial)] ?? [];
  if (!index.holidays.has(serial)) return base;
  const off = index.holidays.get(serial);
  return off ? subtractWindows(base, off) : [];
}

function resolveDay(index: CalendarIndex, serial: number): ResolvedDay {
  const cached = index.days.get(serial);
  if (cached) return cached;
  const tz = index.timeZone;
  const intervals: number[] = [];
  for (const [s, e] of getLocalWindows(index, serial)) {
    const from = convertLocalToUtc(tz, serial, s);
    const to = e >= 1440 ? convertLocalToUtc(tz, serial + 1, 0) : convertLocalToUtc(tz, serial, e);
    // A window swallowed by a DST gap is empty.
    if (to > from) intervals.push(from, to);
  }
  const day = { start: convertLocalToUtc(tz, serial, 0), intervals };
  index.days.set(serial, day);
  return day;
}

function findDaySerial(index: CalendarIndex, t: number): number {
  let serial = Math.floor((t + getOffsetMs(index.timeZone, t)) / DAY_MS);
  while (t < resolveDay(index, serial).start) serial -= 1;
  while (t >= resolveDay(index, serial + 1).start) serial += 1;
  return serial;
}

function failIdle(calendar: BusinessCalendar): never {
  throw new Error(`calendar ${calendar.id} has no working time within ${MAX_IDLE_DAYS} days`);
}

/** Day-by-day addition (the engine before week steps). */
export function referenceAddBusinessMs(
  calendar: BusinessCalendar,
  start: number,
  ms: number,
): number {
  if (ms <= 0) return start;
  if (calendar.alwaysOpen) return start + ms;
  const index = getIndex(calendar);
  if (!index.hasWeeklyTime) failIdle(calendar);
  let remaining = ms;
  let serial = findDaySerial(index, start);
  let idle = 0;
  for (;;) {
    const { intervals } = resolveDay(index, serial);
    let worked = false;
    for (let i = 0; i < intervals.length; i += 2) {
      const e = intervals[i + 1] as number;
      if (e <= start) continue;
      const from = Math.max(intervals[i] as number, start);
      const available = e - from;
      if (remaining <= available) return from + remaining;
      remaining -= available;
      worked = true;
    }
    idle = worked ? 0 : idle + 1;
    if (idle > MAX_IDLE_DAYS) failIdle(calendar);
    serial += 1;
  }
}

/** Day-by-day measure (the engine before week steps). */
export function referenceBusinessMsBetween(
  calendar: BusinessCalendar,
  a: number,
  b: number,
): number {
  if (b < a) return 0 - referenceBusinessMsBetween(calendar, b, a);
  if (b === a) return 0;
  if (calendar.alwaysOpen) return b - a;
  const index = getIndex(calendar);
  let total = 0;
  const last = findDaySerial(index, b);
  for (let serial = findDaySerial(index, a); serial <= last; serial += 1) {
    const { intervals } = resolveDay(index, serial);
    for (let i = 0; i < intervals.length; i += 2) {
      const from = Math.max(intervals[i] as number, a);
      const to = Math.min(intervals[i + 1] as number, b);
      if (to > from) total += to - from;
    }
  }
  return total;
}

/**
 * Returns the first working instant at or after `t` (epoch ms): `t` itself when working,
 * else the start of the next window.
 * @example findNextWorkingMs(cn0900to1800, Date.parse('2026-03-07T02:00:00Z')) // Monday 09:00
 */
export function referenceFindNextWorkingMs(calendar: BusinessCalendar, t: number): number {
  if (calendar.alwaysOpen) return t;
  const index = getIndex(calendar);
  if (!index.hasWeeklyTime) failIdle(calendar);
  let serial = findDaySerial(index, t);
  for (let idle = 0; idle <= MAX_IDLE_DAYS; idle += 1, serial += 1) {
    const { intervals } = resolveDay(index, serial);
    for (let i = 0; i < intervals.length; i += 2) {
      if ((intervals[i + 1] as number) > t) return Math.max(intervals[i] as number, t);
    }
  }
  return failIdle(calendar);
}

function checkWorkingSerial(calendar: BusinessCalendar, serial: number): boolean {
  if (calendar.alwaysOpen) return true;
  return resolveDay(getIndex(calendar), serial).intervals.length > 0;
}

/** Day-by-day next working day. */
export function referenceNextWorkingDayAtMs(
  calendar: BusinessCalendar,
  t: number,
  time: string,
): number {
  const minutes = parseClock(time);
  if (minutes === null || minutes >= 1440) throw new Error(`invalid time of day ${time}`);
  const index = getIndex(calendar);
  let serial = findDaySerial(index, t) + 1;
  for (let idle = 0; !checkWorkingSerial(calendar, serial); idle += 1) {
    if (idle > MAX_IDLE_DAYS) failIdle(calendar);
    serial += 1;
  }
  return convertLocalToUtc(calendar.timeZone, serial, minutes);
}
