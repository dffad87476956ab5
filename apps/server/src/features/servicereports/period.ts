/** Desk months and days of the service reports (decision 60): pure, `now` passed in. */
import { DEFAULT_TIME_ZONE, getOffsetMs } from '@dutydesk/shared';

/** The desk's time zone: months and days are its calendar's. */
export const REPORT_TIME_ZONE = DEFAULT_TIME_ZONE;

/** A period of desk days, both included, and the instants it covers (`[start, end)`). */
export interface ReportPeriod {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The instant a desk day `YYYY-MM-DD` starts (`days` moves the day first). */
export function deskDayStart(day: string, days = 0, timeZone = REPORT_TIME_ZONE): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`not a desk day: ${day}`);
  const local = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
  return new Date(local - getOffsetMs(timeZone, local - getOffsetMs(timeZone, local)));
}

/** A period of desk days with its instants. */
export function dayPeriod(from: string, to: string, timeZone = REPORT_TIME_ZONE): ReportPeriod {
  return { from, to, start: deskDayStart(from, 0, timeZone), end: deskDayStart(to, 1, timeZone) };
}

/** The desk month before the one `now` is in: `YYYY-MM` and its days. */
export function previousDeskMonth(
  now: Date,
  timeZone = REPORT_TIME_ZONE,
): ReportPeriod & { month: string } {
  const local = new Date(now.getTime() + getOffsetMs(timeZone, now.getTime()));
  const first = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 0));
  const day = (d: Date): string =>
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const month = `${first.getUTCFullYear()}-${pad(first.getUTCMonth() + 1)}`;
  return { month, ...dayPeriod(day(first), day(last), timeZone) };
}

/** An instant as desk time, `YYYY-MM-DD HH:mm`. */
export function formatDeskInstant(at: Date, timeZone = REPORT_TIME_ZONE): string {
  const local = new Date(at.getTime() + getOffsetMs(timeZone, at.getTime()));
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}
