import { describe, expect, it } from 'vitest';
import type { HolidayList } from './calendar';
import { holidayCn2023 } from './data/holidayCn2023';
import { holidayCn2024 } from './data/holidayCn2024';
import { holidayCn2025 } from './data/holidayCn2025';
import { holidayCn2026 } from './data/holidayCn2026';
import { holidayCn2026Ics } from './data/holidayCn2026Ics';
import {
  formatHolidayCnJson,
  formatIcsHolidays,
  parseHolidayCnJson,
  parseIcsHolidays,
} from './holidayImport';

describe('holiday-cn JSON and iCalendar', () => {
  it('the 2026 .ics imports to exactly what 2026.json imports to', () => {
    const fromIcs = parseIcsHolidays(holidayCn2026Ics);
    const fromJson = parseHolidayCnJson(holidayCn2026);
    expect(fromIcs).toEqual(fromJson);
    expect(fromIcs.holidays).toHaveLength(33);
    expect(fromIcs.workdays.map((w) => w.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    expect(fromIcs.workdays[1]).toEqual({ date: '2026-02-14', name: '春节' });
  });

  it('reads LF-only files and folded lines too', () => {
    const lf = holidayCn2026Ics
      .replace(/\r\n/g, '\n')
      .replace('SUMMARY:春节假期', 'SUMMARY:春节\n 假期');
    expect(parseIcsHolidays(lf)).toEqual(parseHolidayCnJson(holidayCn2026));
  });

  it.each([
    ['2023', holidayCn2023],
    ['2024', holidayCn2024],
    ['2025', holidayCn2025],
    ['2026', holidayCn2026],
  ])('%s: JSON → ICS → import round-trips, and so does JSON → JSON', (year, data) => {
    const list = parseHolidayCnJson(data);
    expect(parseIcsHolidays(formatIcsHolidays(list, { name: '中国法定节假日' }))).toEqual(list);
    expect(formatHolidayCnJson(list, Number(year)).days).toEqual(
      data.days.filter((d) => d.date.startsWith(year)),
    );
  });

  it('exports in holiday-cn style: merged ranges, exclusive DTEND, CRLF', () => {
    const ics = formatIcsHolidays(parseIcsHolidays(holidayCn2026Ics));
    expect(ics).toContain(
      'SUMMARY:春节假期\r\nDTSTART;VALUE=DATE:20260215\r\nDTEND;VALUE=DATE:20260224\r\n',
    );
    expect(ics).toContain('SUMMARY:上班(补国庆节假期)\r\nDTSTART;VALUE=DATE:20261010\r\n');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(13);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  it('round-trips partial holidays and make-up days with their own windows', () => {
    const list: HolidayList = {
      holidays: [
        { date: '2026-12-24', name: 'Christmas Eve', off: [{ start: '12:00', end: '24:00' }] },
        {
          date: '2026-12-31',
          name: 'New Year; Eve',
          off: [
            { start: '09:00', end: '10:00' },
            { start: '15:00', end: '18:00' },
          ],
        },
        { date: '2027-01-01', name: 'New Year' },
      ],
      workdays: [
        { date: '2027-01-02', name: 'make-up', windows: [{ start: '10:00', end: '16:00' }] },
      ],
    };
    const ics = formatIcsHolidays(list, {
      timeZone: 'Europe/Berlin',
      name: 'A calendar with a rather long name so that the line has to be folded at 75 octets',
    });
    expect(ics).toContain('DTSTART;TZID=Europe/Berlin:20261224T120000');
    expect(
      ics
        .split('\r\n')
        .every((line) => encodeURIComponent(line).replace(/%[0-9A-F]{2}/g, 'x').length <= 75),
    ).toBe(true);
    expect(parseIcsHolidays(ics)).toEqual(list);
  });

  it('rejects malformed holiday-cn JSON', () => {
    expect(() => parseHolidayCnJson({ year: 2026, days: [{ date: '2026-13-01' }] })).toThrow();
  });
});
