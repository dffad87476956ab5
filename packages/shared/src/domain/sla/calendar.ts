import { z } from 'zod';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  checkTimeZone,
  convertLocalToUtc,
  findOffsetSpan,
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

type MinuteWindows = ReadonlyArray<readonly [number, number]>;

type CalendarIndex = {
  timeZone: string;
  weekly: ReadonlyArray<MinuteWindows>;
  holidays: Map<number, MinuteWindows | null>;
  workdays: Map<number, MinuteWindows>;
  extraWorkdayWindows: MinuteWindows;
  /** Day serials of the holidays and extra working days, ascending. */
  specials: number[];
  /** Business ms of a week with no special day and one UTC offset throughout. */
  weekMs: number;
  /** In such a week: how many days without working time end at each weekday (0 = Sunday). */
  trailingIdle: number[];
  days: Map<number, ResolvedDay>;
  hasWeeklyTime: boolean;
};

/** Safety stop: the longest run of days without working time the engine walks through. */
const MAX_IDLE_DAYS = 3_700;
const DAY_MEMO_LIMIT = 20_000;
/**
 * A day resolves by plain arithmetic when the zone's offset is one value from this long before
 * its local midnight to this long after its end: `convertLocalToUtc` reads offsets up to 14 h
 * (the widest UTC offset) plus its 12 h probes away from a local time, all inside that reach.
 */
const REGULAR_MARGIN_MS = 15 * HOUR_MS;

const indexes = new WeakMap<BusinessCalendar, CalendarIndex>();

function toMinutes(windows: ReadonlyArray<WorkingWindow>): Array<readonly [number, number]> {
  return windows.map((w) => [parseClock(w.start) ?? 0, parseClock(w.end) ?? 0] as const);
}

function subtractWindows(
  base: MinuteWindows,
  off: MinuteWindows,
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
  const holidays = new Map<number, MinuteWindows | null>();
  for (const h of calendar.holidays ?? []) {
    const serial = parseDateSerial(h.date);
    if (serial !== null) holidays.set(serial, h.off ? toMinutes(h.off) : null);
  }
  const extraWorkdayWindows = toMinutes(calendar.extraWorkdayWindows ?? []);
  const workdays = new Map<number, MinuteWindows>();
  for (const w of calendar.workdays ?? []) {
    const serial = parseDateSerial(w.date);
    if (serial !== null)
      workdays.set(serial, w.windows ? toMinutes(w.windows) : extraWorkdayWindows);
  }
  const weekMinutes = weekly.reduce(
    (sum, day) => sum + day.reduce((s, [from, to]) => s + (to - from), 0),
    0,
  );
  const trailingIdle = weekly.map((_, weekday) => {
    let k = 0;
    while (k < 7 && (weekly[(weekday - k + 7) % 7] ?? []).length === 0) k += 1;
    return k;
  });
  index = {
    timeZone: calendar.timeZone,
    weekly,
    holidays,
    workdays,
    extraWorkdayWindows,
    specials: [...new Set([...holidays.keys(), ...workdays.keys()])].sort((a, b) => a - b),
    weekMs: weekMinutes * MINUTE_MS,
    trailingIdle,
    days: new Map(),
    hasWeeklyTime: weekly.some((w) => w.length > 0) || workdays.size > 0,
  };
  indexes.set(calendar, index);
  return index;
}

function getLocalWindows(index: CalendarIndex, serial: number): MinuteWindows {
  const workday = index.workdays.get(serial);
  if (workday) return workday;
  const base = index.weekly[getWeekday(serial)] ?? [];
  if (!index.holidays.has(serial)) return base;
  const off = index.holidays.get(serial);
  return off ? subtractWindows(base, off) : [];
}

/** The first holiday or extra working day at or after `serial` (Infinity when none). */
function findNextSpecial(index: CalendarIndex, serial: number): number {
  const list = index.specials;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) < serial) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length ? (list[lo] as number) : Number.POSITIVE_INFINITY;
}

/**
 * When the day `serial` lies in one offset span with its margins: that offset and the last day
 * serial of the span that does too; else null (a day near an offset change).
 */
function findRegularRange(
  index: CalendarIndex,
  serial: number,
): { offset: number; last: number } | null {
  const from = serial * DAY_MS - REGULAR_MARGIN_MS;
  const to = (serial + 1) * DAY_MS + REGULAR_MARGIN_MS;
  let span = findOffsetSpan(index.timeZone, from);
  if (span.to < to) {
    // The span may only be verified so far: extending it merges an equal neighbour.
    const after = findOffsetSpan(index.timeZone, to);
    if (after.offset !== span.offset) return null;
    span = findOffsetSpan(index.timeZone, from);
    if (span.to < to) return null;
  }
  return { offset: span.offset, last: Math.floor((span.to - REGULAR_MARGIN_MS) / DAY_MS) - 1 };
}

function resolveDay(index: CalendarIndex, serial: number): ResolvedDay {
  const cached = index.days.get(serial);
  if (cached) return cached;
  const tz = index.timeZone;
  const intervals: number[] = [];
  const regular = findRegularRange(index, serial);
  let start: number;
  if (regular) {
    // One offset all day: local → UTC is a shift, exactly what convertLocalToUtc returns.
    start = serial * DAY_MS - regular.offset;
    for (const [s, e] of getLocalWindows(index, serial)) {
      intervals.push(start + s * MINUTE_MS, start + e * MINUTE_MS);
    }
  } else {
    for (const [s, e] of getLocalWindows(index, serial)) {
      const from = convertLocalToUtc(tz, serial, s);
      const to =
        e >= 1440 ? convertLocalToUtc(tz, serial + 1, 0) : convertLocalToUtc(tz, serial, e);
      // A window swallowed by a DST gap is empty.
      if (to > from) intervals.push(from, to);
    }
    start = convertLocalToUtc(tz, serial, 0);
  }
  const day = { start, intervals };
  if (index.days.size > DAY_MEMO_LIMIT) index.days.clear();
  index.days.set(serial, day);
  return day;
}

/**
 * How many whole days from `serial` on (at most `maxDays`) are regular: one offset, no holiday
 * or extra working day. A run of regular weeks has `weekMs` of business time each, so the
 * engine steps over it in one go instead of day by day.
 */
function countRegularDays(index: CalendarIndex, serial: number, maxDays: number): number {
  if (maxDays <= 0) return 0;
  const regular = findRegularRange(index, serial);
  if (!regular) return 0;
  return Math.max(
    0,
    Math.min(maxDays, regular.last + 1 - serial, findNextSpecial(index, serial) - serial),
  );
}

/** Days from `serial` on without working time in a calendar with no weekly windows. */
function countEmptyDays(index: CalendarIndex, serial: number): number {
  return index.weekMs > 0 ? 0 : findNextSpecial(index, serial) - serial;
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
 * Runs of whole weeks without holidays or offset changes are added in one step, so the cost
 * grows with the holidays and offset changes in range, not with the days.
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
  const first = findDaySerial(index, start);
  let serial = first;
  let idle = 0;
  for (;;) {
    if (serial > first) {
      // Whole days after the start: step over regular weeks (or empty days) at once, leaving
      // at least the last week's work to the day walk (the result may end a window).
      if (index.weekMs > 0) {
        const weeks = Math.min(
          Math.floor(countRegularDays(index, serial, Number.POSITIVE_INFINITY) / 7),
          Math.ceil(remaining / index.weekMs) - 1,
        );
        if (weeks > 0) {
          remaining -= weeks * index.weekMs;
          serial += weeks * 7;
          idle = index.trailingIdle[getWeekday(serial - 1)] ?? 0;
          continue;
        }
      } else {
        const gap = countEmptyDays(index, serial);
        if (gap > 0) {
          idle += gap;
          if (idle > MAX_IDLE_DAYS) failIdle(calendar);
          serial += gap;
          continue;
        }
      }
    }
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
 * so that `between(a, b) + between(b, c) === between(a, c)` for any order. Like
 * {@link addBusinessMs}, it steps over regular weeks at once.
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
  const first = findDaySerial(index, a);
  const last = findDaySerial(index, b);
  let serial = first;
  while (serial <= last) {
    if (serial > first && serial < last) {
      // Days strictly between the ends lie wholly inside [a, b].
      if (index.weekMs > 0) {
        const weeks = Math.floor(countRegularDays(index, serial, last - serial) / 7);
        if (weeks > 0) {
          total += weeks * index.weekMs;
          serial += weeks * 7;
          continue;
        }
      } else {
        const gap = Math.min(countEmptyDays(index, serial), last - serial);
        if (gap > 0) {
          serial += gap;
          continue;
        }
      }
    }
    const { intervals } = resolveDay(index, serial);
    for (let i = 0; i < intervals.length; i += 2) {
      const from = Math.max(intervals[i] as number, a);
      const to = Math.min(intervals[i + 1] as number, b);
      if (to > from) total += to - from;
    }
    serial += 1;
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
  const first = findDaySerial(index, t);
  for (let serial = first; serial - first <= MAX_IDLE_DAYS; serial += 1) {
    const gap = serial > first ? countEmptyDays(index, serial) : 0;
    if (gap > 0) {
      serial += gap - 1;
      continue;
    }
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
  const first = findDaySerial(index, t) + 1;
  let serial = first;
  while (!checkWorkingSerial(calendar, serial)) {
    if (serial - first > MAX_IDLE_DAYS) failIdle(calendar);
    serial += Math.max(1, Math.min(countEmptyDays(index, serial), MAX_IDLE_DAYS + 2));
  }
  // As if walked day by day: a working day found past the safety stop still fails.
  if (serial - first > MAX_IDLE_DAYS + 1) failIdle(calendar);
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
