import {
  classifyHolidaySummary,
  formatHolidaySummary,
  getOffsetMs,
  type ExtraWorkday,
  type Holiday,
  type HolidayList,
  type WorkingWindow,
} from '@dutydesk/shared';
import ICAL from 'ical.js';

/*
 * iCalendar (RFC 5545) holiday import and export, read and written with ical.js. It lives on the
 * server only: the console never parses calendars, and ical.js stays out of its bundle.
 */

type IcalComponent = InstanceType<typeof ICAL.Component>;
type IcalEvent = InstanceType<typeof ICAL.Event>;
type IcalTime = InstanceType<typeof ICAL.Time>;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** A recurring event yields at most this many occurrences (a daily rule without an end…). */
export const MAX_OCCURRENCES = 1_000;
/** Nothing in a calendar file lasts longer than this (a holiday of two years is a typo). */
export const MAX_EVENT_DAYS = 366;
/** Recurrences without an end stop at the end of this year. */
export const DEFAULT_UNTIL_YEAR = 2100;
/** An import yields at most this many days. */
export const MAX_IMPORTED_DAYS = 20_000;

/** A calendar file that cannot be read; the message says why (answered as a 400). */
export class IcsError extends Error {
  override name = 'IcsError';
}

/** Options for {@link parseIcsHolidays}. */
export interface IcsImportOptions {
  /**
   * The calendar's zone. Timed events in UTC (`…Z`) or with another IANA `TZID` are converted
   * to it; floating times, and a `TZID` that is no IANA zone, are read as its local time.
   * Without a zone, UTC events are skipped and every other time is read as written.
   */
  timeZone?: string;
  /** Recurrences without an end stop at the end of this year (default 2100). */
  untilYear?: number;
}

/** A wall-clock instant in the calendar's zone: day serial (days since 1970-01-01) and minutes. */
type Local = { serial: number; minutes: number };

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function toLocal(ms: number): Local {
  const serial = Math.floor(ms / DAY_MS);
  return { serial, minutes: Math.floor((ms - serial * DAY_MS) / MINUTE_MS) };
}

function wallMs(t: IcalTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
}

/** The UTC instant of a wall-clock time in a zone (two passes settle the offset). */
function wallToUtc(zone: string, wall: number): number {
  const first = wall - getOffsetMs(zone, wall);
  return wall - getOffsetMs(zone, first);
}

/**
 * Reads an ICAL time as the calendar's local time, or null when it cannot be placed. `tzid` is
 * the property's TZID parameter (ical.js keeps it on the time only when the file defines it).
 */
function readLocal(
  t: IcalTime,
  tzid: string | undefined,
  timeZone: string | undefined,
): Local | null {
  if (t.zone === ICAL.Timezone.utcTimezone || t.zone?.tzid === 'UTC') {
    if (!timeZone) return null;
    const ms = t.toUnixTime() * 1000;
    return toLocal(ms + getOffsetMs(timeZone, ms));
  }
  if (timeZone && tzid && tzid !== timeZone && isIanaZone(tzid)) {
    const utc = wallToUtc(tzid, wallMs(t));
    return toLocal(utc + getOffsetMs(timeZone, utc));
  }
  return toLocal(wallMs(t));
}

function tzidOf(component: IcalComponent, name: 'dtstart' | 'dtend'): string | undefined {
  const tzid = component.getFirstProperty(name)?.getParameter('tzid');
  return typeof tzid === 'string' ? tzid : undefined;
}

function formatSerial(serial: number): string {
  return new Date(serial * DAY_MS).toISOString().slice(0, 10);
}

function formatClock(minutes: number): string {
  const h = String(Math.floor(minutes / 60)).padStart(2, '0');
  return `${h}:${String(minutes % 60).padStart(2, '0')}`;
}

function mergeWindows(windows: WorkingWindow[]): WorkingWindow[] {
  const sorted = [...windows].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: WorkingWindow[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.start <= last.end) {
      if (w.end > last.end) last.end = w.end;
    } else out.push({ ...w });
  }
  return out;
}

/** Collects days as they are read: a whole day wins over parts of it. */
class DayCollector {
  private readonly holidays = new Map<string, Holiday>();
  private readonly workdays = new Map<string, ExtraWorkday>();
  private count = 0;

  add(date: string, workday: boolean, name: string, window: WorkingWindow | null): void {
    this.count += 1;
    if (this.count > MAX_IMPORTED_DAYS) {
      throw new IcsError(`The file names more than ${MAX_IMPORTED_DAYS} days`);
    }
    if (workday) {
      const existing = this.workdays.get(date);
      if (!window) this.workdays.set(date, { date, name });
      else if (!existing || existing.windows) {
        const windows = mergeWindows([...(existing?.windows ?? []), window]);
        this.workdays.set(date, { date, name, windows });
      }
      return;
    }
    const existing = this.holidays.get(date);
    if (!window) this.holidays.set(date, { date, name });
    else if (!existing || existing.off) {
      this.holidays.set(date, {
        date,
        name,
        off: mergeWindows([...(existing?.off ?? []), window]),
      });
    }
  }

  result(): HolidayList {
    const byDate = <T extends { date: string }>(a: T, b: T) =>
      a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
    return {
      holidays: [...this.holidays.values()].sort(byDate),
      workdays: [...this.workdays.values()].sort(byDate),
    };
  }
}

/** Adds one occurrence: all-day (`DTEND` exclusive) or timed, split at local midnights. */
function addOccurrence(
  days: DayCollector,
  item: IcalEvent,
  start: IcalTime,
  end: IcalTime,
  timeZone: string | undefined,
): void {
  const summary = item.summary ?? '';
  const { workday, name } = classifyHolidaySummary(summary.trim());
  if (start.isDate) {
    const first = Math.floor(wallMs(start) / DAY_MS);
    const stop = Math.max(first + 1, Math.floor(wallMs(end) / DAY_MS));
    if (stop - first > MAX_EVENT_DAYS) {
      throw new IcsError(`An event "${summary}" lasts more than ${MAX_EVENT_DAYS} days`);
    }
    for (let s = first; s < stop; s += 1) days.add(formatSerial(s), workday, name, null);
    return;
  }
  const startTzid = tzidOf(item.component, 'dtstart');
  // A DURATION instead of DTEND ends in the start's zone.
  const endTzid = item.component.hasProperty('dtend') ? tzidOf(item.component, 'dtend') : startTzid;
  const from = readLocal(start, startTzid, timeZone);
  const to = end.isDate ? null : readLocal(end, endTzid, timeZone);
  if (!from || !to) return;
  if (to.serial * 1440 + to.minutes <= from.serial * 1440 + from.minutes) return;
  if (to.serial - from.serial > MAX_EVENT_DAYS) {
    throw new IcsError(`An event "${summary}" lasts more than ${MAX_EVENT_DAYS} days`);
  }
  for (let s = from.serial; s <= to.serial; s += 1) {
    const a = s === from.serial ? from.minutes : 0;
    const b = s === to.serial ? to.minutes : 1440;
    if (b <= a) continue;
    const whole = a === 0 && b === 1440;
    days.add(
      formatSerial(s),
      workday,
      name,
      whole ? null : { start: formatClock(a), end: formatClock(b) },
    );
  }
}

function isCancelled(component: IcalComponent): boolean {
  const status = component.getFirstPropertyValue('status');
  return typeof status === 'string' && status.toUpperCase() === 'CANCELLED';
}

function readCalendars(text: string): IcalComponent[] {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch (err) {
    throw new IcsError(`Not an iCalendar file: ${(err as Error).message}`);
  }
  const list = (Array.isArray(jcal) && typeof jcal[0] === 'string' ? [jcal] : jcal) as unknown[];
  const calendars = list.map((j) => new ICAL.Component(j as [string, unknown[], unknown[]]));
  if (calendars.length === 0 || calendars.some((c) => c.name !== 'vcalendar')) {
    throw new IcsError('Not an iCalendar file: expected BEGIN:VCALENDAR');
  }
  return calendars;
}

function expandEvent(
  days: DayCollector,
  event: IcalEvent,
  timeZone: string | undefined,
  untilYear: number,
): void {
  if (!event.isRecurring()) {
    addOccurrence(days, event, event.startDate, event.endDate, timeZone);
    return;
  }
  const it = event.iterator();
  for (let n = 0; n < MAX_OCCURRENCES; n += 1) {
    const next = it.next();
    if (!next || next.year > untilYear) return;
    const occurrence = event.getOccurrenceDetails(next);
    if (isCancelled(occurrence.item.component)) continue;
    addOccurrence(days, occurrence.item, occurrence.startDate, occurrence.endDate, timeZone);
  }
}

/**
 * Imports holidays and make-up working days from iCalendar text (RFC 5545, read by ical.js).
 * All-day events cover their days (`DTEND` exclusive, or `DURATION`, or one day); timed events
 * become partial days, split at local midnights; recurring events (`RRULE`, `RDATE`, `EXDATE`,
 * and `RECURRENCE-ID` overrides) are expanded; `STATUS:CANCELLED` events and occurrences are
 * left out. The title is the event's own `SUMMARY` (a `VALARM`'s does not count): holiday-cn's
 * `上班(补春节假期)` marks a make-up working day, anything else a holiday (`春节假期` → `春节`).
 * Throws {@link IcsError} on text that is not iCalendar.
 * @example parseIcsHolidays(holidayCn2026Ics, { timeZone: 'Asia/Shanghai' }).holidays.length // 33
 */
export function parseIcsHolidays(text: string, options: IcsImportOptions = {}): HolidayList {
  const days = new DayCollector();
  const untilYear = options.untilYear ?? DEFAULT_UNTIL_YEAR;
  for (const calendar of readCalendars(text)) {
    const vevents = calendar.getAllSubcomponents('vevent');
    const overrides = new Map<string, IcalComponent[]>();
    const masters: IcalComponent[] = [];
    for (const v of vevents) {
      const uid = String(v.getFirstPropertyValue('uid') ?? '');
      if (v.hasProperty('recurrence-id') && uid) {
        overrides.set(uid, [...(overrides.get(uid) ?? []), v]);
      } else masters.push(v);
    }
    const masterUids = new Set(masters.map((m) => String(m.getFirstPropertyValue('uid') ?? '')));
    for (const master of masters) {
      if (isCancelled(master) || !master.hasProperty('dtstart')) continue;
      const uid = String(master.getFirstPropertyValue('uid') ?? '');
      const event = new ICAL.Event(master, {
        exceptions: uid ? (overrides.get(uid) ?? []) : [],
        strictExceptions: true,
      });
      expandEvent(days, event, options.timeZone, untilYear);
    }
    // An override whose series is not in the file stands on its own.
    for (const [uid, list] of overrides) {
      if (masterUids.has(uid)) continue;
      for (const v of list) {
        if (isCancelled(v) || !v.hasProperty('dtstart')) continue;
        const event = new ICAL.Event(v);
        addOccurrence(days, event, event.startDate, event.endDate, options.timeZone);
      }
    }
  }
  return days.result();
}

/** Options for {@link formatIcsHolidays}. */
export interface IcsExportOptions {
  /** When the file is written (`DTSTAMP` of every event). */
  now: Date;
  /** Calendar name (`X-WR-CALNAME`). */
  name?: string;
  /** Zone of partial-day events (`TZID`, with its `VTIMEZONE`). Without it they are floating. */
  timeZone?: string;
  /** UID domain suffix. */
  uidDomain?: string;
}

/** Seconds of a UTC offset in ms, as ical.js writes them (`+0800`). */
function offsetValue(ms: number) {
  return ICAL.UtcOffset.fromSeconds(Math.round(ms / 1000));
}

function floatingTime(ms: number, isDate = false): IcalTime {
  const d = new Date(ms);
  return ICAL.Time.fromData({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: isDate ? 0 : d.getUTCHours(),
    minute: isDate ? 0 : d.getUTCMinutes(),
    second: isDate ? 0 : d.getUTCSeconds(),
    isDate,
  });
}

/** The instants in [from, to) where a zone's offset changes, found day by day then bisected. */
function findTransitions(zone: string, from: number, to: number): number[] {
  const out: number[] = [];
  let prev = getOffsetMs(zone, from);
  for (let t = from + DAY_MS; t <= to; t += DAY_MS) {
    const offset = getOffsetMs(zone, t);
    if (offset === prev) continue;
    let lo = t - DAY_MS;
    let hi = t;
    while (hi - lo > MINUTE_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
      if (getOffsetMs(zone, mid) === prev) lo = mid;
      else hi = mid;
    }
    out.push(hi);
    prev = offset;
  }
  return out;
}

/**
 * A VTIMEZONE for an IANA zone over some years, from the offsets the runtime's Intl data gives:
 * one observance at the start and one per offset change (each with its own DTSTART, which RFC
 * 5545 allows instead of a rule), so readers need no zone database of their own.
 */
export function buildVtimezone(zone: string, fromYear: number, toYear: number): IcalComponent {
  const vtz = new ICAL.Component('vtimezone');
  vtz.addPropertyWithValue('tzid', zone);
  const start = Date.UTC(fromYear - 1, 0, 1);
  const end = Date.UTC(toYear + 2, 0, 1);
  const initial = getOffsetMs(zone, start);
  const observance = (kind: 'standard' | 'daylight', at: number, fromMs: number, toMs: number) => {
    const c = new ICAL.Component(kind);
    c.addPropertyWithValue('dtstart', floatingTime(at + fromMs));
    c.addPropertyWithValue('tzoffsetfrom', offsetValue(fromMs));
    c.addPropertyWithValue('tzoffsetto', offsetValue(toMs));
    vtz.addSubcomponent(c);
  };
  observance('standard', start, initial, initial);
  let prev = initial;
  for (const t of findTransitions(zone, start, end)) {
    const next = getOffsetMs(zone, t);
    observance(next > prev ? 'daylight' : 'standard', t, prev, next);
    prev = next;
  }
  return vtz;
}

type Entry = { date: string; name: string; workday: boolean; windows: WorkingWindow[] | null };

function serialOf(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function clockMinutes(clock: string): number {
  const [h = '0', m = '0'] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

/**
 * Exports holidays and extra working days as iCalendar (RFC 5545, written by ical.js), in
 * holiday-cn's style: consecutive whole days with the same name become one all-day event
 * (`DTEND` exclusive), holidays are titled `<name>假期` and make-up days `上班(补<name>假期)`;
 * partial days become timed events in `timeZone` with its `VTIMEZONE`. Every event has `UID`
 * and `DTSTAMP`; lines end in CRLF and are folded at 75 octets.
 * `parseIcsHolidays(formatIcsHolidays(x, o), o)` equals `x`.
 */
export function formatIcsHolidays(list: HolidayList, options: IcsExportOptions): string {
  const uidDomain = options.uidDomain ?? 'dutydesk';
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('prodid', '-//Dutydesk//SLA calendar//EN');
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  calendar.addPropertyWithValue('method', 'PUBLISH');
  if (options.name) calendar.addPropertyWithValue('x-wr-calname', options.name);
  if (options.timeZone) calendar.addPropertyWithValue('x-wr-timezone', options.timeZone);
  const stamp = ICAL.Time.fromJSDate(options.now, true);
  const entries: Entry[] = [
    ...list.holidays.map((h) => ({
      date: h.date,
      name: h.name ?? '',
      workday: false,
      windows: h.off ?? null,
    })),
    ...list.workdays.map((w) => ({
      date: w.date,
      name: w.name ?? '',
      workday: true,
      windows: w.windows ?? null,
    })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  const events: IcalComponent[] = [];
  const event = (entry: Entry, uid: string): IcalComponent => {
    const v = new ICAL.Component('vevent');
    v.addPropertyWithValue('uid', `${uid}/${uidDomain}`);
    v.addPropertyWithValue('dtstamp', stamp);
    v.addPropertyWithValue('summary', formatHolidaySummary(entry.name, entry.workday));
    v.addPropertyWithValue('transp', 'TRANSPARENT');
    events.push(v);
    return v;
  };
  const timed = (v: IcalComponent, name: 'dtstart' | 'dtend', ms: number) => {
    const prop = new ICAL.Property(name);
    if (options.timeZone) prop.setParameter('tzid', options.timeZone);
    prop.setValue(floatingTime(ms));
    v.addProperty(prop);
  };
  let usesZone = false;
  for (let i = 0; i < entries.length;) {
    const first = entries[i] as Entry;
    const firstSerial = serialOf(first.date);
    if (first.windows) {
      for (const w of first.windows) {
        const v = event(first, `${first.date}T${w.start.replace(':', '')}`);
        timed(v, 'dtstart', firstSerial * DAY_MS + clockMinutes(w.start) * MINUTE_MS);
        timed(v, 'dtend', firstSerial * DAY_MS + clockMinutes(w.end) * MINUTE_MS);
        usesZone = usesZone || options.timeZone !== undefined;
      }
      i += 1;
      continue;
    }
    let j = i + 1;
    while (j < entries.length) {
      const next = entries[j] as Entry;
      if (
        next.windows ||
        next.workday !== first.workday ||
        next.name !== first.name ||
        serialOf(next.date) !== firstSerial + (j - i)
      ) {
        break;
      }
      j += 1;
    }
    const endSerial = firstSerial + (j - i);
    const v = event(first, `${first.date}/${formatSerial(endSerial)}`);
    v.addPropertyWithValue('dtstart', floatingTime(firstSerial * DAY_MS, true));
    v.addPropertyWithValue('dtend', floatingTime(endSerial * DAY_MS, true));
    i = j;
  }
  // RFC 5545 wants at least one component: a calendar with no days still carries its zone.
  if ((usesZone || events.length === 0) && options.timeZone) {
    const years = entries.length
      ? entries.map((e) => Number(e.date.slice(0, 4)))
      : [options.now.getUTCFullYear()];
    calendar.addSubcomponent(
      buildVtimezone(options.timeZone, Math.min(...years), Math.max(...years)),
    );
  }
  for (const v of events) calendar.addSubcomponent(v);
  // ical.js folds at foldLength octets plus the continuation's leading space: 74 keeps every
  // line within RFC 5545's 75.
  const fold = ICAL.foldLength;
  ICAL.foldLength = 74;
  try {
    return `${calendar.toString()}\r\n`;
  } finally {
    ICAL.foldLength = fold;
  }
}
