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
/** The first and last instants a `Date` can hold (±100 000 000 days around 1970). */
const MIN_INSTANT = -8.64e15;
const MAX_INSTANT = 8.64e15;
/**
 * Spacing of the offset samples that verify a span: a zone is taken not to change its offset
 * and change it back within this time (tzdata's changes are months apart).
 */
const SPAN_STEP_MS = 7 * 86_400_000;
/** How far one look-up verifies a span on either side of the instant asked about. */
const SPAN_REACH_MS = 400 * 86_400_000;
/**
 * tzdata's first offset change anywhere is in 1844 (Asia/Manila); before 1840 every zone keeps
 * its local mean time, so spans there are checked at their ends only.
 */
const ZONES_CONSTANT_BEFORE = Date.UTC(1840, 0, 1);

/** A stretch of UTC instants `[from, to]` (inclusive) over which a zone keeps one offset. */
export type OffsetSpan = { from: number; to: number; offset: number };

type ZoneMemo = {
  format: Intl.DateTimeFormat;
  /** UTC hour bucket → offset in ms, only for buckets without a transition inside. */
  hourOffsets: Map<number, number>;
  /** Verified spans of one offset, ascending and disjoint; neighbours with one offset merged. */
  spans: OffsetSpan[];
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
        era: 'short',
      }),
      hourOffsets: new Map(),
      spans: [],
    };
    zones.set(timeZone, zone);
  }
  return zone;
}

function readOffset(zone: ZoneMemo, utcMs: number): number {
  const wholeSeconds = Math.min(
    MAX_INSTANT,
    Math.max(MIN_INSTANT, Math.floor(utcMs / 1000) * 1000),
  );
  let bc = false;
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
      case 'era':
        bc = part.value === 'BC' || part.value === 'B';
        break;
      default:
        break;
    }
  }
  // Date.UTC reads years 0–99 as 1900–1999, and Intl numbers years before 1 AD from 1 BC.
  const local = new Date(0);
  local.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
  local.setUTCHours(hour, minute, second, 0);
  return local.getTime() - wholeSeconds;
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

/** The farthest instant from `t` towards `limit` up to which the offset stays `offset`. */
function scanOffset(timeZone: string, t: number, offset: number, limit: number): number {
  const zone = getZone(timeZone);
  const dir = limit >= t ? 1 : -1;
  let good = t;
  while (good !== limit) {
    let probe: number;
    if (dir > 0) {
      probe =
        good < ZONES_CONSTANT_BEFORE
          ? Math.min(ZONES_CONSTANT_BEFORE, limit)
          : Math.min(good + SPAN_STEP_MS, limit);
    } else {
      probe = good <= ZONES_CONSTANT_BEFORE ? limit : Math.max(good - SPAN_STEP_MS, limit);
    }
    // One Intl read per sample (getOffsetMs reads two to memoise an hour); equal by its rule.
    if (readOffset(zone, probe) === offset) {
      good = probe;
      continue;
    }
    let bad = probe;
    while (Math.abs(bad - good) > 1) {
      const mid = good + Math.trunc((bad - good) / 2);
      if (readOffset(zone, mid) === offset) good = mid;
      else bad = mid;
    }
    return good;
  }
  return good;
}

/**
 * Returns a stretch of instants around `t` over which the zone keeps the offset it has at `t`
 * (as {@link getOffsetMs} reads it), verified up to 400 days either side and memoised, so the
 * calendar engine can treat the local days inside as plain shifts of UTC.
 * @example findOffsetSpan('Asia/Shanghai', Date.UTC(2026, 0, 1)).offset // 28_800_000
 */
export function findOffsetSpan(timeZone: string, t: number): OffsetSpan {
  const at = Math.min(MAX_INSTANT, Math.max(MIN_INSTANT, t));
  const spans = getZone(timeZone).spans;
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((spans[mid] as OffsetSpan).from <= at) lo = mid + 1;
    else hi = mid;
  }
  const prev = spans[lo - 1];
  if (prev && at <= prev.to) return prev;
  const next = spans[lo];
  const offset = getOffsetMs(timeZone, at);
  const reachBack = at <= ZONES_CONSTANT_BEFORE + SPAN_REACH_MS ? MIN_INSTANT : at - SPAN_REACH_MS;
  const reachOn = Math.max(at + SPAN_REACH_MS, ZONES_CONSTANT_BEFORE);
  const floor = Math.max(prev ? prev.to + 1 : MIN_INSTANT, reachBack);
  const ceil = Math.min(next ? next.from - 1 : MAX_INSTANT, reachOn);
  let span: OffsetSpan = {
    from: scanOffset(timeZone, at, offset, floor),
    to: scanOffset(timeZone, at, offset, ceil),
    offset,
  };
  let index = lo;
  let remove = 0;
  if (prev && prev.offset === offset && prev.to + 1 === span.from) {
    span = { from: prev.from, to: span.to, offset };
    index -= 1;
    remove += 1;
  }
  if (next && next.offset === offset && span.to + 1 === next.from) {
    span = { from: span.from, to: next.to, offset };
    remove += 1;
  }
  spans.splice(index, remove, span);
  return span;
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
  // Not Date.UTC: it reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.floor(date.getTime() / DAY_MS);
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
