import { z } from 'zod';
import type { ExtraWorkday, Holiday, HolidayList, WorkingWindow } from './calendar';
import { localDateSchema } from './calendar';
import { formatDateSerial, parseDateSerial } from './time';

/** One year of China's official calendar in the NateScarlet/holiday-cn `YYYY.json` format. */
export const holidayCnYearSchema = z.object({
  year: z.number().int(),
  papers: z.array(z.string()).default([]),
  days: z.array(z.object({ name: z.string(), date: localDateSchema, isOffDay: z.boolean() })),
});
export type HolidayCnYear = z.infer<typeof holidayCnYearSchema>;

function sortByDate<T extends { date: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * Imports one or more holiday-cn years: `isOffDay: true` → holiday, `false` → make-up
 * working day (with the calendar's `extraWorkdayWindows`). Throws a ZodError on bad input.
 * @example parseHolidayCnJson(holidayCn2026).workdays[0] // { date: '2026-01-04', name: '元旦' }
 */
export function parseHolidayCnJson(...years: unknown[]): HolidayList {
  const holidays: Holiday[] = [];
  const workdays: ExtraWorkday[] = [];
  for (const raw of years) {
    for (const day of holidayCnYearSchema.parse(raw).days) {
      if (day.isOffDay) holidays.push({ date: day.date, name: day.name });
      else workdays.push({ date: day.date, name: day.name });
    }
  }
  return { holidays: sortByDate(holidays), workdays: sortByDate(workdays) };
}

/**
 * Exports the days of one year in holiday-cn JSON format. Partial holidays and custom
 * workday windows cannot be expressed there and are written as whole days.
 * @example formatHolidayCnJson(list, 2026) // { year: 2026, papers: [], days: [...] }
 */
export function formatHolidayCnJson(list: HolidayList, year: number): HolidayCnYear {
  const days = sortByDate([
    ...list.holidays.map((h) => ({ name: h.name ?? '', date: h.date, isOffDay: true })),
    ...list.workdays.map((w) => ({ name: w.name ?? '', date: w.date, isOffDay: false })),
  ]).filter((d) => Number(d.date.slice(0, 4)) === year);
  return { year, papers: [], days };
}

/** Marks holiday-cn uses in summaries: `元旦假期` (off) and `上班(补元旦假期)` (make-up workday). */
const HOLIDAY_SUFFIX = '假期';
const WORKDAY_PATTERN = /^上班\(补(.*)\)$/;
const WORKDAY_WORDS = /^(?:上班|补班|workday|working day|make-up)/i;

function unfoldLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

function escapeText(value: string): string {
  return value.replace(/([\\;,])/g, '\\$1').replace(/\n/g, '\\n');
}

type IcsStamp = { serial: number; minutes: number | null };

function parseStamp(value: string): IcsStamp | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?$/.exec(value);
  if (!m) return null;
  const serial = parseDateSerial(`${m[1]}-${m[2]}-${m[3]}`);
  if (serial === null) return null;
  return { serial, minutes: m[4] === undefined ? null : Number(m[4]) * 60 + Number(m[5]) };
}

function formatStampDate(serial: number): string {
  return formatDateSerial(serial).replace(/-/g, '');
}

function classifySummary(summary: string): { workday: boolean; name: string } {
  const makeUp = WORKDAY_PATTERN.exec(summary);
  if (makeUp) return { workday: true, name: stripSuffix(makeUp[1] ?? '') };
  if (WORKDAY_WORDS.test(summary)) return { workday: true, name: summary };
  return { workday: false, name: stripSuffix(summary) };
}

function stripSuffix(name: string): string {
  return name.endsWith(HOLIDAY_SUFFIX) ? name.slice(0, -HOLIDAY_SUFFIX.length) : name;
}

function toClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Imports holidays and make-up working days from iCalendar text. All-day events
 * (`DTSTART;VALUE=DATE`, `DTEND` exclusive) cover whole days; a summary like holiday-cn's
 * `上班(补春节假期)` (or starting with `上班`, `补班`, `workday`) marks an extra working day,
 * anything else a holiday (`春节假期` → name `春节`). Timed events within one day
 * (floating or with a TZID, read as the calendar's local time) become partial holidays.
 * `Z` (UTC) timed events are not supported and are skipped.
 * @example parseIcsHolidays(holidayCn2026Ics).holidays.length // 33
 */
export function parseIcsHolidays(text: string): HolidayList {
  const holidays = new Map<string, Holiday>();
  const workdays: ExtraWorkday[] = [];
  let event: { summary: string; start: IcsStamp | null; end: IcsStamp | null } | null = null;
  for (const line of unfoldLines(text)) {
    if (line === 'BEGIN:VEVENT') {
      event = { summary: '', start: null, end: null };
      continue;
    }
    if (!event) continue;
    if (line === 'END:VEVENT') {
      addEvent(event, holidays, workdays);
      event = null;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const [nameWithParams = '', ...params] = line.slice(0, colon).split(';');
    const value = line.slice(colon + 1);
    const property = nameWithParams.toUpperCase();
    if (property === 'SUMMARY') event.summary = unescapeText(value);
    else if (property === 'DTSTART' || property === 'DTEND') {
      const stamp = value.endsWith('Z') ? null : parseStamp(value);
      const isDate = params.some((p) => p.toUpperCase() === 'VALUE=DATE');
      const parsed = stamp && isDate ? { serial: stamp.serial, minutes: null } : stamp;
      if (property === 'DTSTART') event.start = parsed;
      else event.end = parsed;
    }
  }
  return {
    holidays: sortByDate([...holidays.values()]),
    workdays: sortByDate(workdays),
  };
}

function addEvent(
  event: { summary: string; start: IcsStamp | null; end: IcsStamp | null },
  holidays: Map<string, Holiday>,
  workdays: ExtraWorkday[],
): void {
  const { start, end } = event;
  if (!start) return;
  const { workday, name } = classifySummary(event.summary);
  if (start.minutes === null) {
    const last = end && end.minutes === null ? end.serial - 1 : start.serial;
    for (let serial = start.serial; serial <= Math.max(last, start.serial); serial += 1) {
      const date = formatDateSerial(serial);
      if (workday) workdays.push({ date, name });
      else holidays.set(date, { date, name });
    }
    return;
  }
  if (!end || end.minutes === null || end.serial < start.serial || end.serial > start.serial + 1) {
    return;
  }
  const endMinutes = end.serial > start.serial ? 1440 : end.minutes;
  if (endMinutes <= start.minutes) return;
  const window: WorkingWindow = {
    start: toClock(start.minutes),
    end: toClock(endMinutes),
  };
  const date = formatDateSerial(start.serial);
  if (workday) {
    workdays.push({ date, name, windows: [window] });
    return;
  }
  const existing = holidays.get(date);
  if (existing && !existing.off) return;
  const off = [...(existing?.off ?? []), window].sort((a, b) => (a.start < b.start ? -1 : 1));
  holidays.set(date, { date, name, off });
}

/** Options for {@link formatIcsHolidays}. */
export type IcsExportOptions = {
  /** Calendar name (`X-WR-CALNAME`). */
  name?: string;
  /** Zone for partial-day events (`TZID`). */
  timeZone?: string;
  /** UID domain suffix. */
  uidDomain?: string;
};

/**
 * Exports holidays and extra working days as iCalendar, in holiday-cn's style: consecutive
 * whole days with the same name become one all-day event, holidays are summarised
 * `<name>假期` and make-up days `上班(补<name>假期)`; partial days become timed events.
 * Lines end in CRLF. `parseIcsHolidays(formatIcsHolidays(x))` equals `x`.
 * @example formatIcsHolidays(parseHolidayCnJson(holidayCn2026), { name: '中国法定节假日' })
 */
export function formatIcsHolidays(list: HolidayList, options: IcsExportOptions = {}): string {
  const uidDomain = options.uidDomain ?? 'dutydesk';
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Dutydesk//SLA calendar//EN'];
  lines.push('METHOD:PUBLISH');
  if (options.name) lines.push(`X-WR-CALNAME:${escapeText(options.name)}`);
  if (options.timeZone) lines.push(`X-WR-TIMEZONE:${options.timeZone}`);
  type Entry = { date: string; name: string; workday: boolean; windows: WorkingWindow[] | null };
  const entries: Entry[] = sortByDate([
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
  ]);
  const summaryOf = (e: Entry) =>
    escapeText(e.workday ? `上班(补${e.name}${HOLIDAY_SUFFIX})` : `${e.name}${HOLIDAY_SUFFIX}`);
  const tzParam = options.timeZone ? `;TZID=${options.timeZone}` : '';
  for (let i = 0; i < entries.length;) {
    const first = entries[i] as Entry;
    const firstSerial = parseDateSerial(first.date) ?? 0;
    if (first.windows) {
      const day = formatStampDate(firstSerial);
      for (const w of first.windows) {
        const [endDay, endClock] =
          w.end === '24:00'
            ? [formatStampDate(firstSerial + 1), '0000']
            : [day, w.end.replace(':', '')];
        lines.push(
          'BEGIN:VEVENT',
          `SUMMARY:${summaryOf(first)}`,
          `DTSTART${tzParam}:${day}T${w.start.replace(':', '')}00`,
          `DTEND${tzParam}:${endDay}T${endClock}00`,
          `UID:${first.date}T${w.start.replace(':', '')}/${uidDomain}`,
          'END:VEVENT',
        );
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
        parseDateSerial(next.date) !== firstSerial + (j - i)
      ) {
        break;
      }
      j += 1;
    }
    const endSerial = firstSerial + (j - i);
    lines.push(
      'BEGIN:VEVENT',
      `SUMMARY:${summaryOf(first)}`,
      `DTSTART;VALUE=DATE:${formatStampDate(firstSerial)}`,
      `DTEND;VALUE=DATE:${formatStampDate(endSerial)}`,
      `UID:${first.date}/${formatDateSerial(endSerial)}/${uidDomain}`,
      'END:VEVENT',
    );
    i = j;
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** Folds a content line at 75 octets as RFC 5545 asks, without splitting a UTF-8 sequence. */
function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of line) {
    const chSize = measureUtf8(ch);
    const limit = parts.length === 0 ? 75 : 74;
    if (size + chSize > limit) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += ch;
    size += chSize;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function measureUtf8(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}
