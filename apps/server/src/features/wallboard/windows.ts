/**
 * The desk's reporting windows: the start of the local calendar day and of the local ISO week
 * (Monday) containing an instant, in a time zone (the metrics' "today" and "this week").
 */
import { getOffsetMs } from '@dutydesk/shared';

function readLocalParts(
  ms: number,
  timeZone: string,
): { y: number; m: number; d: number; wd: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
  }).formatToParts(new Date(ms));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { y: Number(get('year')), m: Number(get('month')), d: Number(get('day')), wd };
}

/** The instant (ms) of local midnight starting day `y-m-d` (month 1–12) in `timeZone`. */
export function convertLocalMidnight(y: number, m: number, d: number, timeZone: string): number {
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - getOffsetMs(timeZone, guess);
  return guess - getOffsetMs(timeZone, first);
}

/**
 * The start of the local day and of the local ISO week (Monday) containing `now`.
 * @example computeWindows(new Date('2026-03-04T02:00:00Z'), 'Asia/Shanghai') // today 2026-03-03T16:00Z, week 2026-03-01T16:00Z
 */
export function computeWindows(now: Date, timeZone: string): { todayStart: Date; weekStart: Date } {
  const p = readLocalParts(now.getTime(), timeZone);
  const todayStart = convertLocalMidnight(p.y, p.m, p.d, timeZone);
  const back = (p.wd + 6) % 7;
  const monday = new Date(Date.UTC(p.y, p.m - 1, p.d - back));
  const weekStart = convertLocalMidnight(
    monday.getUTCFullYear(),
    monday.getUTCMonth() + 1,
    monday.getUTCDate(),
    timeZone,
  );
  return { todayStart: new Date(todayStart), weekStart: new Date(weekStart) };
}

/**
 * The start of the local calendar month containing `now` (an organisation's "this month").
 * @example computeMonthStart(new Date('2026-03-04T02:00:00Z'), 'Asia/Shanghai') // 2026-02-28T16:00Z
 */
export function computeMonthStart(now: Date, timeZone: string): Date {
  const p = readLocalParts(now.getTime(), timeZone);
  return new Date(convertLocalMidnight(p.y, p.m, 1, timeZone));
}
