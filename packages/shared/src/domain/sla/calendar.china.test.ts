import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  businessCalendarSchema,
  businessTimeBetween,
  isWorkingDay,
  isWorkingTime,
  nextWorkingDayAt,
} from './calendar';
import type { SlaSubject } from './clock';
import { computeSla } from './clock';
import { defaultCalendars, defaultSlaPolicy } from './defaults';

/** Shanghai local time → Date (the fixtures read like the wall clock in Beijing). */
function cst(local: string): Date {
  return new Date(`${local}:00+08:00`);
}
function toCst(d: Date | string | null): string {
  if (d === null) return 'null';
  const ms = (typeof d === 'string' ? Date.parse(d) : d.getTime()) + 8 * 3_600_000;
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
function subject(priority: SlaSubject['priority'], receivedAt: string): SlaSubject {
  return {
    receivedAt: cst(receivedAt).toISOString(),
    priority,
    statusHistory: [],
    firstResponseAt: null,
    lastPublicUpdateAt: null,
    resolvedAt: null,
  };
}
function dueTimes(s: SlaSubject, now = s.receivedAt): Record<string, string> {
  return Object.fromEntries(
    computeSla(s, defaultSlaPolicy, defaultCalendars, new Date(now)).map((t) => [
      t.name,
      toCst(t.dueAt),
    ]),
  );
}

const cn2100 = defaultCalendars['cn-0900-2100'];
const cn1800 = defaultCalendars['cn-0900-1800'];

describe('P2 (45 min / 2 h of 09:00–21:00 China working days)', () => {
  it.each([
    [
      'Friday 20:50 before a weekend with a make-up Sunday (2026)',
      '2026-09-18T20:50',
      '2026-09-20 09:35',
      '2026-09-20 10:50',
    ],
    [
      'Friday 20:50 before the 2025 National Day week',
      '2025-09-26T20:50',
      '2025-09-28 09:35',
      '2025-09-28 10:50',
    ],
    [
      'Friday 20:50 before the 2026 Spring Festival (make-up Saturday)',
      '2026-02-13T20:50',
      '2026-02-14 09:35',
      '2026-02-14 10:50',
    ],
    [
      'Wednesday 20:50 on the eve of National Day 2026',
      '2026-09-30T20:50',
      '2026-10-08 09:35',
      '2026-10-08 10:50',
    ],
    [
      'Thursday 20:50 before Labour Day 2026',
      '2026-04-30T20:50',
      '2026-05-06 09:35',
      '2026-05-06 10:50',
    ],
    [
      'Friday 20:50 before the 2024 Mid-Autumn make-up Saturday',
      '2024-09-13T20:50',
      '2024-09-14 09:35',
      '2024-09-14 10:50',
    ],
    [
      '08:00 on the make-up Sunday 2026-09-20',
      '2026-09-20T08:00',
      '2026-09-20 09:45',
      '2026-09-20 11:00',
    ],
    [
      '08:00 on the make-up Sunday 2026-01-04',
      '2026-01-04T08:00',
      '2026-01-04 09:45',
      '2026-01-04 11:00',
    ],
    ['a plain Monday 10:00', '2026-03-02T10:00', '2026-03-02 10:45', '2026-03-02 12:00'],
    [
      '20:30 on New Year’s Eve 2025 (Jan 1–3 2026 off, Jan 4 make-up)',
      '2025-12-31T20:30',
      '2026-01-04 09:15',
      '2026-01-04 10:30',
    ],
  ])('%s', (_label, received, response, resolve) => {
    expect(dueTimes(subject('P2', received))).toEqual({ response, resolve });
  });
});

describe('P3 response: the earlier of 4 business hours and 09:00 the next working day after the day of receipt', () => {
  it.each([
    ['eve of National Day 2026', '2026-09-30T15:00', '2026-10-08 09:00'],
    ['make-up Saturday on the eve of Spring Festival 2026', '2026-02-14T15:00', '2026-02-24 09:00'],
    ['Friday before the make-up Saturday 2026-02-14', '2026-02-13T15:00', '2026-02-14 09:00'],
    ['last day of the National Day break 2026', '2026-10-07T23:00', '2026-10-08 09:00'],
    ['Friday before the make-up Saturday 2026-10-10', '2026-10-09T12:00', '2026-10-09 16:00'],
    [
      'Friday afternoon before the make-up Saturday 2026-10-10',
      '2026-10-09T15:00',
      '2026-10-10 09:00',
    ],
    ['eve of Spring Festival 2025, morning: within 4 h', '2025-01-27T11:00', '2025-01-27 15:00'],
    ['eve of Spring Festival 2025, afternoon', '2025-01-27T15:00', '2025-02-05 09:00'],
    [
      'a working day at 10:00 (the issue 13 case): within 4 h',
      '2026-03-02T10:00',
      '2026-03-02 14:00',
    ],
    ['a working day at 16:00: before 09:00 the next day', '2026-03-02T16:00', '2026-03-03 09:00'],
    ['Saturday before the make-up Sunday 2025-01-26', '2025-01-25T11:00', '2025-01-26 09:00'],
    [
      'eve of National Day 2023 (make-up Saturday 10-07 after)',
      '2023-09-28T17:59',
      '2023-10-07 09:00',
    ],
    ['Friday evening after hours', '2026-03-06T18:30', '2026-03-09 09:00'],
    [
      'early morning on a working day: 4 business hours from 09:00',
      '2026-03-03T07:00',
      '2026-03-03 13:00',
    ],
  ])('%s', (_label, received, response) => {
    expect(dueTimes(subject('P3', received)).response).toBe(response);
  });

  it('resolution is never due before the response (the contradiction of issue 13)', () => {
    const r = dueTimes(subject('P3', '2026-03-02T10:00'));
    expect(r).toEqual({ response: '2026-03-02 14:00', resolve: '2026-03-02 18:00' });
  });

  it('resolve 8 h spans the holiday week', () => {
    expect(dueTimes(subject('P3', '2026-09-30T15:00')).resolve).toBe('2026-10-08 14:00');
  });
});

describe('P1 on 7×24', () => {
  it('runs across midnight on a holiday', () => {
    expect(dueTimes(subject('P1', '2026-10-01T23:50'))).toEqual({
      response: '2026-10-02 00:05',
      update: '2026-10-02 00:50',
      resolve: '2026-10-02 03:50',
    });
  });
});

describe('working days from the shipped data', () => {
  it.each([
    ['2026-02-14', true],
    ['2026-02-15', false],
    ['2026-02-21', false],
    ['2026-02-24', true],
    ['2026-02-28', true],
    ['2026-03-01', false],
    ['2026-10-10', true],
    ['2023-10-08', true],
    ['2022-12-31', false],
    ['2024-06-10', false],
    ['2025-05-31', false],
  ])('%s working = %s', (date, working) => {
    expect(isWorkingDay(cn1800, date)).toBe(working);
  });

  it('windows are 09:00–18:00 and 09:00–21:00', () => {
    expect(isWorkingTime(cn1800, cst('2026-03-02T17:59'))).toBe(true);
    expect(isWorkingTime(cn1800, cst('2026-03-02T18:00'))).toBe(false);
    expect(isWorkingTime(cn2100, cst('2026-03-02T20:59'))).toBe(true);
    expect(isWorkingTime(cn2100, cst('2026-02-14T09:00'))).toBe(true);
    expect(isWorkingTime(cn2100, cst('2026-02-16T12:00'))).toBe(false);
    expect(businessTimeBetween(cn1800, cst('2026-09-28T00:00'), cst('2026-10-12T00:00'))).toBe(
      // Mon–Wed 28–30 Sep, Thu–Sat 8–10 Oct (10 Oct make-up): 6 days × 9 h
      6 * 9 * 3_600_000,
    );
  });
});

describe('partial holidays', () => {
  const halfDay = businessCalendarSchema.parse({
    ...cn1800,
    id: 'cn-half-day',
    holidays: [
      ...cn1800.holidays,
      { date: '2026-09-29', name: 'half day', off: [{ start: '13:00', end: '18:00' }] },
    ],
  });

  it('keeps the morning and takes the afternoon off', () => {
    expect(isWorkingDay(halfDay, '2026-09-29')).toBe(true);
    expect(isWorkingTime(halfDay, cst('2026-09-29T10:00'))).toBe(true);
    expect(isWorkingTime(halfDay, cst('2026-09-29T14:00'))).toBe(false);
  });

  it('a 2 h target from 12:30 skips the afternoon', () => {
    expect(toCst(addBusinessTime(halfDay, cst('2026-09-29T12:30'), 2 * 3_600_000))).toBe(
      '2026-09-30 10:30',
    );
  });

  it('the next working day may be a partial holiday', () => {
    expect(toCst(nextWorkingDayAt(halfDay, cst('2026-09-28T16:00'), '09:00'))).toBe(
      '2026-09-29 09:00',
    );
  });

  it('a make-up day may have its own windows', () => {
    const shortMakeUp = businessCalendarSchema.parse({
      ...cn1800,
      id: 'cn-short-make-up',
      workdays: cn1800.workdays.map((w) =>
        w.date === '2026-10-10' ? { ...w, windows: [{ start: '10:00', end: '12:00' }] } : w,
      ),
    });
    expect(toCst(addBusinessTime(shortMakeUp, cst('2026-10-09T17:00'), 2 * 3_600_000))).toBe(
      '2026-10-10 11:00',
    );
  });
});
