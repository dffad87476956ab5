import { z } from 'zod';
import {
  DAY_MS,
  checkTimeZone,
  convertLocalToUtc,
  getOffsetMs,
  getWeekday,
  parseClock,
  parseDateSerial,
} from './time';

const clockPattern = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const endClockPattern = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** A wall-clock time `HH:MM` (00:00–23:59). */
export const clockSchema = z.string().regex(clockPattern, 'expected HH:MM');

/** A local date `YYYY-MM-DD`. */
export const localDateSchema = z
  .string()
  .refine((d) => parseDateSerial(d) !== null, 'expected a valid YYYY-MM-DD date');

/** An IANA time zone known to the runtime (`Asia/Shanghai`, `Europe/Berlin`). */
export const timeZoneSchema = z.string().refine(checkTimeZone, 'unknown IANA time zone');

/** A working window in local time, `end` exclusive; `end` may be `24:00`. */
export const workingWindowSchema = z
  .object({
    start: clockSchema,
    end: z.string().regex(endClockPattern, 'expected HH:MM or 24:00'),
  })
  .refine((w) => (parseClock(w.start) ?? 0) < (parseClock(w.end) ?? 0), {
    message: 'a window must end after it starts',
    path: ['end'],
  });
export type WorkingWindow = z.infer<typeof workingWindowSchema>;

/** Windows of one day: ordered, not overlapping (touching is fine). */
export const workingWindowsSchema = z
  .array(workingWindowSchema)
  .refine(
    (windows) =>
      windows.every(
        (w, i) =>
          i === 0 || (parseClock(windows[i - 1]?.end ?? '') ?? 0) <= (parseClock(w.start) ?? 0),
      ),
    'windows must be in order and must not overlap',
  );

/** The keys of the weekly schedule, Monday first. */
export const CalendarWeekday = {
  mon: 'mon',
  tue: 'tue',
  wed: 'wed',
  thu: 'thu',
  fri: 'fri',
  sat: 'sat',
  sun: 'sun',
} as const;
export type CalendarWeekday = (typeof CalendarWeekday)[keyof typeof CalendarWeekday];

/** CalendarWeekday keys indexed by `Date#getUTCDay()` order (0 = Sunday). */
const weekdayByIndex: readonly CalendarWeekday[] = [
  'sun',
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
];

/** Working windows per weekday; a missing day has no working time. */
export const weeklyScheduleSchema = z.object({
  mon: workingWindowsSchema.default([]),
  tue: workingWindowsSchema.default([]),
  wed: workingWindowsSchema.default([]),
  thu: workingWindowsSchema.default([]),
  fri: workingWindowsSchema.default([]),
  sat: workingWindowsSchema.default([]),
  sun: workingWindowsSchema.default([]),
});
export type WeeklySchedule = z.infer<typeof weeklyScheduleSchema>;

/**
 * A holiday. Without `off` the whole day is off; with `off` only those local windows are
 * taken out of the day's normal windows (a partial holiday, e.g. a half day).
 */
export const holidaySchema = z.object({
  date: localDateSchema,
  name: z.string().optional(),
  off: workingWindowsSchema.optional(),
});
export type Holiday = z.infer<typeof holidaySchema>;

/**
 * An extra working day (China's make-up workdays fall on weekends). Without `windows` it uses
 * the calendar's `extraWorkdayWindows`.
 */
export const extraWorkdaySchema = z.object({
  date: localDateSchema,
  name: z.string().optional(),
  windows: workingWindowsSchema.optional(),
});
export type ExtraWorkday = z.infer<typeof extraWorkdaySchema>;

/** Holidays and extra working days, as imported from holiday-cn JSON or iCalendar. */
export type HolidayList = { holidays: Holiday[]; workdays: ExtraWorkday[] };

/**
 * A business calendar: a time zone plus either `alwaysOpen` (7×24) or weekly windows
 * adjusted by holidays and extra working days. Admins edit it over REST, so it is data.
 */
export const businessCalendarSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    timeZone: timeZoneSchema,
    alwaysOpen: z.boolean().default(false),
    weekly: weeklyScheduleSchema.default({
      mon: [],
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: [],
      sun: [],
    }),
    extraWorkdayWindows: workingWindowsSchema.default([]),
    holidays: z.array(holidaySchema).default([]),
    workdays: z.array(extraWorkdaySchema).default([]),
  })
  .superRefine((cal, ctx) => {
    if (!cal.alwaysOpen && Object.values(cal.weekly).every((w) => w.length === 0)) {
      ctx.addIssue({
        code: 'custom',
        message: 'a calendar needs weekly working windows or alwaysOpen',
        path: ['weekly'],
      });
    }
    const holidayDates = new Set<string>();
    cal.holidays.forEach((h, i) => {
      if (holidayDates.has(h.date)) {
        ctx.addIssue({ code: 'custom', message: 'duplicate holiday', path: ['holidays', i] });
      }
      holidayDates.add(h.date);
    });
    const workdayDates = new Set<string>();
    cal.workdays.forEach((w, i) => {
      if (holidayDates.has(w.date) || workdayDates.has(w.date)) {
        ctx.addIssue({
          code: 'custom',
          message: 'a date is either a holiday or an extra working day, once',
          path: ['workdays', i],
        });
      }
      workdayDates.add(w.date);
      if (!w.windows && cal.extraWorkdayWindows.length === 0) {
        ctx.addIssue({
          code: 'custom',
          message: 'an extra working day needs windows (or set extraWorkdayWindows)',
          path: ['workdays', i, 'windows'],
        });
      }
    });
  });
/** A parsed business calendar (defaults applied). */
export type BusinessCalendar = z.infer<typeof businessCalendarSchema>;
/** A business calendar as written by an admin (defaults optional). */
export type BusinessCalendarInput = z.input<typeof businessCalendarSchema>;

/** Calendars by id, as policies reference them. */
export type CalendarSet = Readonly<Record<string, BusinessCalendar>>;

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
const DAY_MEMO_LIMIT = 20_000;

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
  if (index.days.size > DAY_MEMO_LIMIT) index.days.clear();
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

function toMs(t: Date | number): number {
  return typeof t === 'number' ? t : t.getTime();
}

/**
 * Adds `ms` of business time to `start`, stepping window by window. The result is the earliest
 * instant at which that much working time has passed: inside a window, or exactly at a
 * window's end (never pushed to the next window's start). `ms <= 0` returns `start`.
 * @example
 * // 45 min of 09:00–21:00 from Friday 20:50 before a weekend → Monday 09:35 (Asia/Shanghai)
 * addBusinessTime(cn0900to2100, new Date('2026-03-06T12:50:00Z'), 45 * 60_000)
 */
export function addBusinessTime(calendar: BusinessCalendar, start: Date, ms: number): Date {
  return new Date(addBusinessMs(calendar, start.getTime(), ms));
}

/** {@link addBusinessTime} on epoch milliseconds. */
export function addBusinessMs(calendar: BusinessCalendar, start: number, ms: number): number {
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

/**
 * Returns the business time in ms between two instants (negative when `b` is before `a`),
 * so that `between(a, b) + between(b, c) === between(a, c)` for any order.
 * @example businessTimeBetween(cal24x7, new Date(0), new Date(60_000)) // 60000
 */
export function businessTimeBetween(calendar: BusinessCalendar, a: Date, b: Date): number {
  return businessMsBetween(calendar, a.getTime(), b.getTime());
}

/** {@link businessTimeBetween} on epoch milliseconds. */
export function businessMsBetween(calendar: BusinessCalendar, a: number, b: number): number {
  if (b < a) return 0 - businessMsBetween(calendar, b, a);
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
 * Tells whether an instant lies inside a working window (window starts inclusive, ends
 * exclusive).
 * @example isWorkingTime(cal24x7, new Date()) // true
 */
export function isWorkingTime(calendar: BusinessCalendar, t: Date | number): boolean {
  if (calendar.alwaysOpen) return true;
  const ms = toMs(t);
  const index = getIndex(calendar);
  const { intervals } = resolveDay(index, findDaySerial(index, ms));
  for (let i = 0; i < intervals.length; i += 2) {
    if (ms >= (intervals[i] as number) && ms < (intervals[i + 1] as number)) return true;
  }
  return false;
}

/**
 * Returns the first working instant at or after `t` (epoch ms): `t` itself when working,
 * else the start of the next window.
 * @example findNextWorkingMs(cn0900to1800, Date.parse('2026-03-07T02:00:00Z')) // Monday 09:00
 */
export function findNextWorkingMs(calendar: BusinessCalendar, t: number): number {
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

/**
 * Tells whether a local date has any working time in the calendar (for 7×24: every day).
 * @example isWorkingDay(cnCalendar, '2026-02-14') // true: a make-up Saturday
 */
export function isWorkingDay(calendar: BusinessCalendar, date: string): boolean {
  const serial = parseDateSerial(date);
  if (serial === null) throw new Error(`invalid date ${date}`);
  return checkWorkingSerial(calendar, serial);
}

function checkWorkingSerial(calendar: BusinessCalendar, serial: number): boolean {
  if (calendar.alwaysOpen) return true;
  return resolveDay(getIndex(calendar), serial).intervals.length > 0;
}

/**
 * Returns `time` (local `HH:MM`) on the first working day after the local day of `t` —
 * "by 09:00 of the next working day after the day of receipt".
 * @example
 * // Received on the eve of the 2026 Spring Festival break (make-up Saturday 14 Feb)
 * nextWorkingDayAt(cn0900to1800, new Date('2026-02-14T10:00:00Z'), '09:00') // 2026-02-24T01:00Z
 */
export function nextWorkingDayAt(calendar: BusinessCalendar, t: Date, time: string): Date {
  return new Date(nextWorkingDayAtMs(calendar, t.getTime(), time));
}

/** {@link nextWorkingDayAt} on epoch milliseconds. */
export function nextWorkingDayAtMs(calendar: BusinessCalendar, t: number, time: string): number {
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

/**
 * Returns the working intervals (UTC instants) of the local day containing `t`.
 * Useful for rendering a calendar; the engine itself walks these.
 * @example listWorkingIntervals(cn0900to1800, new Date('2026-03-02T04:00:00Z'))
 * // [{ start: 2026-03-02T01:00Z, end: 2026-03-02T10:00Z }]
 */
export function listWorkingIntervals(
  calendar: BusinessCalendar,
  t: Date,
): Array<{ start: Date; end: Date }> {
  const index = getIndex(calendar);
  const serial = findDaySerial(index, t.getTime());
  if (calendar.alwaysOpen) {
    return [
      {
        start: new Date(resolveDay(index, serial).start),
        end: new Date(resolveDay(index, serial + 1).start),
      },
    ];
  }
  const { intervals } = resolveDay(index, serial);
  const out: Array<{ start: Date; end: Date }> = [];
  for (let i = 0; i < intervals.length; i += 2) {
    out.push({
      start: new Date(intervals[i] as number),
      end: new Date(intervals[i + 1] as number),
    });
  }
  return out;
}
