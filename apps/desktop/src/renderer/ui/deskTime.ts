import { DEFAULT_TIME_ZONE, getOffsetMs } from '@dutydesk/shared';

/**
 * The desk's time zone. Every time the console and the wallboard show is desk time, with the
 * zone beside it (decision 22): a seat in another zone reads the same 14:05 as the hall, the
 * roster and the SLA calendars (whose working hours are the desk's).
 */
export const DESK_TIME_ZONE: string = DEFAULT_TIME_ZONE;

const zoneLabels = new Map<string, string>();

/**
 * A zone's offset as a short label, "UTC+8" (DST zones change it; read per instant).
 * @example formatZoneLabel(Date.parse('2026-03-04T06:05:00Z'), 'Asia/Shanghai') // 'UTC+8'
 */
export function formatZoneLabel(ms: number, timeZone: string = DESK_TIME_ZONE): string {
  const hourKey = `${timeZone}|${Math.floor(ms / 3_600_000)}`;
  const cached = zoneLabels.get(hourKey);
  if (cached) return cached;
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(ms)
    .find((p) => p.type === 'timeZoneName')?.value;
  const label = !part || part === 'GMT' ? 'UTC' : part.replace(/^GMT/, 'UTC');
  if (zoneLabels.size > 256) zoneLabels.clear();
  zoneLabels.set(hourKey, label);
  return label;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withDate ? 'd' : 't'}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone,
      ...(withDate ? { month: '2-digit', day: '2-digit' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  return f;
}

/**
 * Desk time of an instant, "14:05 UTC+8"; with `withDate`, "03/04 14:05 UTC+8".
 * @example formatDeskTime(Date.parse('2026-03-04T06:05:00Z'), 'en') // '14:05 UTC+8'
 */
export function formatDeskTime(
  ms: number,
  locale: string,
  options: { withDate?: boolean; timeZone?: string } = {},
): string {
  const timeZone = options.timeZone ?? DESK_TIME_ZONE;
  return `${formatter(locale, timeZone, options.withDate ?? false).format(ms)} ${formatZoneLabel(ms, timeZone)}`;
}

/** The desk's calendar day of an instant, `YYYY-MM-DD`. */
export function readDeskDay(ms: number, timeZone: string = DESK_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(ms);
}

/**
 * The instant a desk day (`YYYY-MM-DD`) starts, in ms, or null for anything else; `days` moves
 * the day first (1: the next day's start, an exclusive end).
 * @example readDeskDayStart('2026-03-04') // Date.parse('2026-03-03T16:00:00Z') at UTC+8
 */
export function readDeskDayStart(
  day: string,
  days = 0,
  timeZone: string = DESK_TIME_ZONE,
): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const local = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
  if (!Number.isFinite(local)) return null;
  return local - getOffsetMs(timeZone, local - getOffsetMs(timeZone, local));
}
