import { describe, expect, it } from 'vitest';
import { holidayCn2023 } from './data/holidayCn2023';
import { holidayCn2024 } from './data/holidayCn2024';
import { holidayCn2025 } from './data/holidayCn2025';
import { holidayCn2026 } from './data/holidayCn2026';
import {
  classifyHolidaySummary,
  formatHolidayCnJson,
  formatHolidaySummary,
  parseHolidayCnJson,
} from './holidayImport';

// The iCalendar import and export are the server's (apps/server/src/features/sla/ics.ts, with
// ical.js); shared keeps holiday-cn JSON and the naming of days, which both sides may need.
describe('holiday-cn JSON and day titles', () => {
  it('2026.json: 33 holidays and 6 make-up working days', () => {
    const list = parseHolidayCnJson(holidayCn2026);
    expect(list.holidays).toHaveLength(33);
    expect(list.workdays.map((w) => w.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    expect(list.workdays[1]).toEqual({ date: '2026-02-14', name: '春节' });
  });

  it.each([
    ['2023', holidayCn2023],
    ['2024', holidayCn2024],
    ['2025', holidayCn2025],
    ['2026', holidayCn2026],
  ])('%s: JSON → JSON round-trips', (year, data) => {
    const list = parseHolidayCnJson(data);
    expect(formatHolidayCnJson(list, Number(year)).days).toEqual(
      data.days.filter((d) => d.date.startsWith(year)),
    );
  });

  it('reads and writes holiday-cn titles', () => {
    expect(classifyHolidaySummary('春节假期')).toEqual({ workday: false, name: '春节' });
    expect(classifyHolidaySummary('上班(补春节假期)')).toEqual({ workday: true, name: '春节' });
    expect(classifyHolidaySummary('Workday swap')).toEqual({ workday: true, name: 'Workday swap' });
    expect(classifyHolidaySummary('Christmas')).toEqual({ workday: false, name: 'Christmas' });
    for (const [name, workday] of [
      ['国庆节', true],
      ['国庆节', false],
    ] as const) {
      expect(classifyHolidaySummary(formatHolidaySummary(name, workday))).toEqual({
        workday,
        name,
      });
    }
  });

  it('rejects malformed holiday-cn JSON', () => {
    expect(() => parseHolidayCnJson({ year: 2026, days: [{ date: '2026-13-01' }] })).toThrow();
  });
});
