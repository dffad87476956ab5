import { z } from 'zod';
import type { ExtraWorkday, Holiday, HolidayList } from './calendar';
import { localDateSchema } from './calendar';

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

function stripSuffix(name: string): string {
  return name.endsWith(HOLIDAY_SUFFIX) ? name.slice(0, -HOLIDAY_SUFFIX.length) : name;
}

/**
 * Reads a calendar entry's title the way holiday-cn writes them: `上班(补春节假期)` (or a title
 * starting with `上班`, `补班`, `workday`, `working day`, `make-up`) is an extra working day,
 * anything else a holiday; the `假期` suffix is dropped from the name. Used by the iCalendar
 * import on the server.
 * @example classifyHolidaySummary('上班(补春节假期)') // { workday: true, name: '春节' }
 */
export function classifyHolidaySummary(summary: string): { workday: boolean; name: string } {
  const makeUp = WORKDAY_PATTERN.exec(summary);
  if (makeUp) return { workday: true, name: stripSuffix(makeUp[1] ?? '') };
  if (WORKDAY_WORDS.test(summary)) return { workday: true, name: summary };
  return { workday: false, name: stripSuffix(summary) };
}

/**
 * The title holiday-cn gives a day: the inverse of {@link classifyHolidaySummary}.
 * @example formatHolidaySummary('国庆节', true) // '上班(补国庆节假期)'
 */
export function formatHolidaySummary(name: string, workday: boolean): string {
  return workday ? `上班(补${name}${HOLIDAY_SUFFIX})` : `${name}${HOLIDAY_SUFFIX}`;
}
