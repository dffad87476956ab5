import { describe, expect, it } from 'vitest';
import { addBusinessMs, businessCalendarSchema, businessMsBetween } from './calendar';
import { computeSla, type SlaSubject } from './clock';
import { defaultCalendars, defaultSlaPolicy } from './defaults';
import { HOUR_MS, formatDateSerial, parseDateSerial } from './time';

/**
 * Issue 14, finding 1: business time was counted one day at a time through Intl, so ten years
 * took seconds and a ticket received in 0001 froze the server for minutes. The engine now
 * steps over regular weeks; these bounds are generous for a loaded machine (the bench,
 * bench/sla.bench.ts, prints the real figures) and still far below the day-by-day cost.
 */

/** 09:00–18:00 Monday–Friday in Asia/Shanghai with a week of holidays 4 times a year, 2026–2037. */
function buildHolidayCalendar(id: string) {
  const holidays: Array<{ date: string }> = [];
  const workdays: Array<{ date: string }> = [];
  for (let year = 2026; year <= 2037; year += 1) {
    for (const [month, day] of [
      [1, 1],
      [2, 16],
      [5, 1],
      [10, 1],
    ] as const) {
      const first = parseDateSerial(
        `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      ) as number;
      for (let k = 0; k < 7; k += 1) holidays.push({ date: formatDateSerial(first + k) });
      workdays.push({ date: formatDateSerial(first + 9) });
    }
  }
  const seen = new Set(holidays.map((h) => h.date));
  const windows = [{ start: '09:00', end: '18:00' }];
  return businessCalendarSchema.parse({
    id,
    timeZone: 'Asia/Shanghai',
    weekly: { mon: windows, tue: windows, wed: windows, thu: windows, fri: windows },
    extraWorkdayWindows: windows,
    holidays,
    workdays: workdays.filter((w) => !seen.has(w.date)),
  });
}

const TEN_YEARS_OF_WORK = 10 * 250 * 9 * HOUR_MS;

/**
 * The CPU time `run` took in this process (user + system), not the wall time: a machine loaded
 * by other processes stretches the wall clock tenfold while the work itself stays the same.
 */
function time(run: () => void): number {
  const started = process.cpuUsage();
  run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

describe('business time costs weeks and holidays, not days', () => {
  it('adds and measures 10 years of business time on a calendar with holidays in < 50 ms', () => {
    const cal = buildHolidayCalendar('speed-holidays');
    const from = Date.parse('2026-03-02T02:00:00Z');
    let due = 0;
    // The first call also verifies the zone's offsets over those years (once per process).
    const firstMs = time(() => {
      due = addBusinessMs(cal, from, TEN_YEARS_OF_WORK);
    });
    expect(firstMs, `the first 10-year addition took ${firstMs.toFixed(1)} ms`).toBeLessThan(1_000);
    const runs: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      runs.push(time(() => addBusinessMs(cal, from + i * 60_000, TEN_YEARS_OF_WORK)));
    }
    const addMs = [...runs].sort((a, b) => a - b)[2] as number;
    let between = 0;
    const betweenMs = time(() => {
      between = businessMsBetween(cal, from, due);
    });
    expect(between, 'the measure undoes the addition').toBe(TEN_YEARS_OF_WORK);
    expect(new Date(due).getUTCFullYear()).toBeGreaterThanOrEqual(2036);
    expect(addMs, `adding 10 years took ${addMs.toFixed(1)} ms (median of 5)`).toBeLessThan(50);
    expect(betweenMs, `measuring 10 years took ${betweenMs.toFixed(1)} ms`).toBeLessThan(50);
  });

  it('a ticket received in 0001 or 1970 is computed in well under a second, with finite results', () => {
    const subject = (receivedAt: string): SlaSubject => ({
      receivedAt,
      priority: 'P3',
      statusHistory: [{ at: receivedAt, status: 'received' }],
      firstResponseAt: null,
      lastPublicUpdateAt: null,
      resolvedAt: null,
    });
    const now = new Date('2026-03-02T02:00:00Z');
    for (const receivedAt of [
      '0001-01-01T00:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      '-271821-04-20T00:00:00.000Z',
    ]) {
      let states: ReturnType<typeof computeSla> = [];
      const ms = time(() => {
        states = computeSla(subject(receivedAt), defaultSlaPolicy, defaultCalendars, now);
      });
      expect(ms, `computeSla for ${receivedAt} took ${ms.toFixed(0)} ms`).toBeLessThan(2_000);
      for (const s of states) {
        expect(s.state).toBe('breached');
        expect(Number.isFinite(Date.parse(s.dueAt ?? ''))).toBe(true);
        expect(s.elapsedMs).toBeGreaterThan(0);
      }
    }
  });

  it('reads the local mean time of years before 100 AD (Date.UTC would read 1901)', () => {
    const cal = defaultCalendars['cn-0900-1800'];
    // Asia/Shanghai's LMT is +08:05:43: 09:00 local on Monday 0001-01-01 is 00:54:17 UTC.
    expect(new Date(addBusinessMs(cal, Date.parse('0001-01-01T00:00:00Z'), 1)).toISOString()).toBe(
      '0001-01-01T00:54:17.001Z',
    );
  });
});
