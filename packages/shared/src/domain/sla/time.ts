/**
 * Time-zone arithmetic for the SLA engine, built on `Intl.DateTimeFormat` only.
 *
 * Local calendar days are numbered as "day serials": days since 1970-01-01 in the
 * proleptic Gregorian calendar, independent of any zone. Results are memoised per zone;
 * the memo is an optimisation and never changes a result.
 */

/** Milliseconds in a minute. */
export const MINUTE_MS = 60_000;
/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in a 24-hour day (a civil day may be 23 or 25 hours long around DST). */
export const DAY_MS = 86_400_000;

const MEMO_LIMIT = 50_000;

type ZoneMemo = {
  format: Intl.DateTimeFormat;
  /** UTC hour bucket → offset in ms, only for buckets without a transition inside. */
  hourOffsets: Map<number, number>;
};

const zones = new Map<string, ZoneMemo>();

function getZone(timeZone: string): ZoneMemo {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = {
      format: new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }),
      hourOffsets: new Map(),
    };
    zones.set(timeZone, zone);
  }
  return zone;
}

function readOffset(zone: ZoneMemo, utcMs: number): number {
  const wholeSeconds = Math.floor(utcMs / 1000) * 1000;
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of zone.format.formatToParts(wholeSeconds)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      default:
        break;
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) - wholeSeconds;
}

/**
 * Returns the zone's UTC offset in milliseconds at an instant (local = utc + offset).
 * @example getOffsetMs('Asia/Shanghai', Date.UTC(2026, 0, 1)) // 28_800_000
 */
export function getOffsetMs(timeZone: string, utcMs: number): number {
  const zone = getZone(timeZone);
  const bucket = Math.floor(utcMs / HOUR_MS);
  const cached = zone.hourOffsets.get(bucket);
  if (cached !== undefined) return cached;
  const atStart = readOffset(zone, bucket * HOUR_MS);
  const atEnd = readOffset(zone, bucket * HOUR_MS + HOUR_MS - 1000);
  // Zones change offset at most once an hour, so equal ends mean a constant bucket.
  if (atStart === atEnd) {
    if (zone.hourOffsets.size > MEMO_LIMIT) zone.hourOffsets.clear();
    zone.hourOffsets.set(bucket, atStart);
    return atStart;
  }
  return readOffset(zone, utcMs);
}

/**
 * Converts a local wall-clock time to a UTC instant. A time inside a spring-forward gap maps
 * to the instant the clocks jump (the first existing instant after it); a time in a repeated
 * autumn hour maps to its first occurrence. The mapping is monotonic in `minutes`.
 * @example convertLocalToUtc('Asia/Shanghai', computeDaySerial(2026, 1, 1), 9 * 60) // 2026-01-01T01:00Z
 */
export function convertLocalToUtc(timeZone: string, daySerial: number, minutes: number): number {
  const local = daySerial * DAY_MS + minutes * MINUTE_MS;
  const offsetBefore = getOffsetMs(timeZone, local - 12 * HOUR_MS);
  const offsetAfter = getOffsetMs(timeZone, local + 12 * HOUR_MS);
  const early = local - Math.max(offsetBefore, offsetAfter);
  const late = local - Math.min(offsetBefore, offsetAfter);
  if (early + getOffsetMs(timeZone, early) === local) return early;
  if (late + getOffsetMs(timeZone, late) === local) return late;
  // In a gap: binary-search the transition between the two candidates.
  let lo = Math.min(early, late);
  let hi = Math.max(early, late);
  const offsetLo = getOffsetMs(timeZone, lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (getOffsetMs(timeZone, mid) === offsetLo) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Returns the day serial (days since 1970-01-01) of a Gregorian date.
 * @example computeDaySerial(1970, 1, 2) // 1
 */
export function computeDaySerial(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/**
 * Parses `YYYY-MM-DD` into a day serial, or returns null when malformed.
 * @example parseDateSerial('1970-01-02') // 1
 */
export function parseDateSerial(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const serial = computeDaySerial(year, month, day);
  return formatDateSerial(serial) === date ? serial : null;
}

/**
 * Formats a day serial as `YYYY-MM-DD`.
 * @example formatDateSerial(1) // '1970-01-02'
 */
export function formatDateSerial(serial: number): string {
  return new Date(serial * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Returns the weekday of a day serial, 0 = Sunday … 6 = Saturday.
 * @example getWeekday(0) // 4 (1970-01-01 was a Thursday)
 */
export function getWeekday(serial: number): number {
  return (((serial + 4) % 7) + 7) % 7;
}

/**
 * Parses `HH:MM` (00:00–24:00) into minutes after midnight, or returns null.
 * @example parseClock('13:30') // 810
 */
export function parseClock(clock: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(clock);
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  return hours * 60 + minutes;
}

/**
 * Formats minutes after midnight as `HH:MM`.
 * @example formatClock(810) // '13:30'
 */
export function formatClock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/**
 * Tells whether a string names an IANA time zone this runtime knows.
 * @example checkTimeZone('Europe/Berlin') // true
 */
export function checkTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
