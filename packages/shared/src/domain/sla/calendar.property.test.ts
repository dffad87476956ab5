import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusinessCalendar, WorkingWindow } from './calendar';
import {
  addBusinessTime,
  businessCalendarSchema,
  businessTimeBetween,
  isWorkingDay,
  isWorkingTime,
  nextWorkingDayAt,
} from './calendar';
import {
  referenceAddBusinessMs,
  referenceBusinessMsBetween,
  referenceFindNextWorkingMs,
  referenceNextWorkingDayAtMs,
} from './calendar.reference';
import {
  addBusinessMs,
  businessMsBetween,
  findNextWorkingMs,
  nextWorkingDayAtMs,
} from './calendar';
import { computeSla, type SlaSubject } from './clock';
import { slaPolicySchema } from './policy';
import { DAY_MS, HOUR_MS, formatClock, formatDateSerial, parseDateSerial } from './time';

const zones = [
  'Europe/Berlin',
  'Asia/Shanghai',
  'America/New_York',
  'UTC',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
] as const;

/** Sorted, distinct minute marks paired into windows; `24:00` allowed as an end. */
const windowsArb: fc.Arbitrary<WorkingWindow[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 6 })
  .map((marks) => {
    const sorted = [...marks].sort((a, b) => a - b);
    const out: WorkingWindow[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      out.push({
        start: formatClock(sorted[i] as number),
        end: formatClock(sorted[i + 1] as number),
      });
    }
    return out;
  });

/** Windows that straddle Berlin's DST switches (01:00–04:00 local) more often. */
const dstWindowsArb: fc.Arbitrary<WorkingWindow[]> = fc.oneof(
  windowsArb,
  fc
    .tuple(fc.integer({ min: 0, max: 240 }), fc.integer({ min: 1, max: 240 }))
    .map(([s, len]) => [{ start: formatClock(s), end: formatClock(Math.min(1440, s + len)) }]),
);

const BASE_DAY = parseDateSerial('2026-01-01') as number;

const calendarArb: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...zones),
    alwaysOpen: fc.constantFrom(false, false, false, false, true),
    weekly: fc.record({
      mon: dstWindowsArb,
      tue: windowsArb,
      wed: windowsArb,
      thu: windowsArb,
      fri: windowsArb,
      sat: windowsArb,
      sun: dstWindowsArb,
    }),
    special: fc.uniqueArray(
      fc.record({
        day: fc.integer({ min: 0, max: 430 }),
        type: fc.constantFrom('full', 'partial', 'workday'),
        windows: dstWindowsArb,
      }),
      { selector: (s) => s.day, maxLength: 40 },
    ),
  })
  .map(({ timeZone, alwaysOpen, weekly, special }) => {
    const hasTime = Object.values(weekly).some((w) => w.length > 0);
    const week = hasTime ? weekly : { ...weekly, mon: [{ start: '09:00', end: '17:00' }] };
    return businessCalendarSchema.parse({
      id: 'random',
      timeZone,
      alwaysOpen,
      weekly: week,
      extraWorkdayWindows: [{ start: '08:00', end: '12:00' }],
      holidays: special
        .filter((s) => s.type !== 'workday')
        .map((s) => ({
          date: formatDateSerial(BASE_DAY + s.day),
          ...(s.type === 'partial' ? { off: s.windows } : {}),
        })),
      workdays: special
        .filter((s) => s.type === 'workday')
        .map((s) => ({
          date: formatDateSerial(BASE_DAY + s.day),
          ...(s.windows.length > 0 ? { windows: s.windows } : {}),
        })),
    });
  });

const springForward = Date.parse('2026-03-29T01:00:00Z');
const fallBack = Date.parse('2026-10-25T01:00:00Z');
const instantArb: fc.Arbitrary<Date> = fc
  .oneof(
    fc.integer({
      min: Date.parse('2026-01-01T00:00:00Z'),
      max: Date.parse('2027-02-01T00:00:00Z'),
    }),
    fc.integer({ min: springForward - 2 * DAY_MS, max: springForward + 2 * DAY_MS }),
    fc.integer({ min: fallBack - 2 * DAY_MS, max: fallBack + 2 * DAY_MS }),
  )
  .map((ms) => new Date(ms));
const durationArb = fc.oneof(
  fc.integer({ min: 0, max: 12 * HOUR_MS }),
  fc.integer({ min: 0, max: 20 * DAY_MS }),
  fc.integer({ min: 0, max: 400 }).map((m) => m * 60_000),
);

const runs = { numRuns: 300 };

describe('business time on random calendars (fast-check)', () => {
  it('between(t, add(t, d)) === d', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, (cal, t, d) => {
        expect(businessTimeBetween(cal, t, addBusinessTime(cal, t, d))).toBe(d);
      }),
      runs,
    );
  });

  it('add is monotonic in the duration', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, durationArb, (cal, t, d1, d2) => {
        const [lo, hi] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(addBusinessTime(cal, t, lo).getTime()).toBeLessThanOrEqual(
          addBusinessTime(cal, t, hi).getTime(),
        );
      }),
      runs,
    );
  });

  it('add is additive: add(add(t, a), b) === add(t, a + b)', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, durationArb, (cal, t, a, b) => {
        expect(addBusinessTime(cal, addBusinessTime(cal, t, a), b).getTime()).toBe(
          addBusinessTime(cal, t, a + b).getTime(),
        );
      }),
      runs,
    );
  });

  it('between is additive for any three instants', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, instantArb, (cal, a, b, c) => {
        expect(businessTimeBetween(cal, a, b) + businessTimeBetween(cal, b, c)).toBe(
          businessTimeBetween(cal, a, c),
        );
      }),
      runs,
    );
  });

  it('a positive add lands in working time or exactly at the end of a window', () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        durationArb.filter((d) => d > 0),
        (cal, t, d) => {
          const r = addBusinessTime(cal, t, d);
          const inside = isWorkingTime(cal, r);
          const atWindowEnd = !inside && isWorkingTime(cal, r.getTime() - 1);
          expect(inside || atWindowEnd).toBe(true);
        },
      ),
      runs,
    );
  });

  it('between never exceeds wall time and is zero across non-working time', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, durationArb, (cal, t, d) => {
        const later = new Date(t.getTime() + d);
        const b = businessTimeBetween(cal, t, later);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(d);
      }),
      runs,
    );
  });

  it('nextWorkingDayAt lands on a later working day', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 0, max: 1439 }), (cal, t, m) => {
        const r = nextWorkingDayAt(cal, t, formatClock(m));
        expect(r.getTime()).toBeGreaterThan(t.getTime());
        const localDate = new Intl.DateTimeFormat('en-CA', {
          timeZone: cal.timeZone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
        }).format(r);
        expect(isWorkingDay(cal, localDate)).toBe(true);
      }),
      runs,
    );
  });
});

describe('Europe/Berlin across DST', () => {
  const allDay = [{ start: '00:00', end: '24:00' }];
  const berlin = businessCalendarSchema.parse({
    id: 'berlin',
    timeZone: 'Europe/Berlin',
    weekly: {
      mon: allDay,
      tue: allDay,
      wed: allDay,
      thu: allDay,
      fri: allDay,
      sat: allDay,
      sun: allDay,
    },
  });
  const night = businessCalendarSchema.parse({
    id: 'berlin-night',
    timeZone: 'Europe/Berlin',
    weekly: {
      sun: [
        { start: '01:30', end: '02:30' },
        { start: '02:40', end: '03:30' },
      ],
    },
  });

  it('a civil day is 23 h in spring and 25 h in autumn', () => {
    expect(
      businessTimeBetween(
        berlin,
        new Date('2026-03-29T00:00:00+01:00'),
        new Date('2026-03-30T00:00:00+02:00'),
      ),
    ).toBe(23 * HOUR_MS);
    expect(
      businessTimeBetween(
        berlin,
        new Date('2026-10-25T00:00:00+02:00'),
        new Date('2026-10-26T00:00:00+01:00'),
      ),
    ).toBe(25 * HOUR_MS);
  });

  it('windows in the spring-forward gap shrink or vanish', () => {
    // 01:30–02:30 CET → 01:30 CET–03:00 CEST = 30 min; 02:40–03:30 → 03:00–03:30 CEST = 30 min.
    const from = new Date('2026-03-29T00:00:00+01:00');
    const to = new Date('2026-03-29T12:00:00+02:00');
    expect(businessTimeBetween(night, from, to)).toBe(60 * 60_000);
    expect(addBusinessTime(night, from, 45 * 60_000).toISOString()).toBe(
      '2026-03-29T01:15:00.000Z',
    );
  });

  it('windows in the repeated autumn hour start at the first occurrence', () => {
    // 01:30–02:30 → 01:30 CEST–02:30 CEST (first) = 60 min; 02:40 CEST (first)–03:30 CET = 110 min.
    const from = new Date('2026-10-25T00:00:00+02:00');
    const to = new Date('2026-10-25T12:00:00+01:00');
    expect(businessTimeBetween(night, from, to)).toBe(170 * 60_000);
  });
});

describe('pauses on random calendars (fast-check)', () => {
  /** One P2 resolve target of `minutes` business minutes in the random calendar. */
  const policyFor = (minutes: number) =>
    slaPolicySchema.parse({
      id: 'pause-property',
      pauseWhen: [{ status: 'pending', reason: 'customer' }],
      thresholds: [{ percent: 100, colour: 'red' }],
      priorities: Object.fromEntries(
        (['P1', 'P2', 'P3'] as const).map((p) => [
          p,
          {
            compensationPercent: 0,
            targets: [
              {
                name: 'resolve',
                due: { kind: 'duration', calendar: 'random', minutes },
                stopOn: ['resolved'],
              },
            ],
          },
        ]),
      ),
    });

  it('a pause shifts the deadline by exactly the paused business time', () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.integer({ min: 0, max: 10 * DAY_MS }),
        (cal, t, minutes, startShare, pauseLength) => {
          const policy = policyFor(minutes);
          const calendars = { random: cal };
          const subject = (history: SlaSubject['statusHistory']): SlaSubject => ({
            receivedAt: t.toISOString(),
            priority: 'P2',
            statusHistory: [{ at: t.toISOString(), status: 'new' }, ...history],
            firstResponseAt: null,
            lastPublicUpdateAt: null,
            resolvedAt: null,
          });
          const due0 = addBusinessTime(cal, t, minutes * 60_000);
          // The pause starts before the unpaused deadline, so all of it counts.
          const p1 = new Date(
            t.getTime() + Math.floor((due0.getTime() - t.getTime()) * startShare),
          );
          const p2 = new Date(p1.getTime() + pauseLength);
          const now = new Date(Math.max(due0.getTime(), p2.getTime()) + 40 * DAY_MS);
          const [plain] = computeSla(subject([]), policy, calendars, now);
          const [paused] = computeSla(
            subject([
              { at: p1.toISOString(), status: 'pending', pendingReason: 'customer' },
              { at: p2.toISOString(), status: 'in_progress' },
            ]),
            policy,
            calendars,
            now,
          );
          const pausedBusiness = businessTimeBetween(cal, p1, p2);
          expect(plain?.dueAt).toBe(due0.toISOString());
          expect(paused?.pausedMs).toBe(pausedBusiness);
          expect(paused?.dueAt).toBe(addBusinessTime(cal, due0, pausedBusiness).toISOString());
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** Calendars whose special days spread over 2020–2035, so long spans cross many of them. */
const LONG_BASE = parseDateSerial('2020-01-01') as number;
const longCalendarArb: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    calendar: calendarArb,
    special: fc.uniqueArray(
      fc.record({
        day: fc.integer({ min: 0, max: 10 * 366 }),
        type: fc.constantFrom('full', 'partial', 'workday'),
        windows: dstWindowsArb,
      }),
      { selector: (s) => s.day, maxLength: 120 },
    ),
  })
  .map(({ calendar, special }) =>
    businessCalendarSchema.parse({
      ...calendar,
      holidays: special
        .filter((s) => s.type !== 'workday')
        .map((s) => ({
          date: formatDateSerial(LONG_BASE + s.day),
          ...(s.type === 'partial' ? { off: s.windows } : {}),
        })),
      workdays: special
        .filter((s) => s.type === 'workday')
        .map((s) => ({
          date: formatDateSerial(LONG_BASE + s.day),
          ...(s.windows.length > 0 ? { windows: s.windows } : {}),
        })),
    }),
  );
const longInstantArb = fc.integer({
  min: Date.parse('2019-10-01T00:00:00Z'),
  max: Date.parse('2027-06-01T00:00:00Z'),
});
const longDurationArb = fc.oneof(
  durationArb,
  fc.integer({ min: 0, max: 2 * 366 * DAY_MS }),
  fc.integer({ min: 0, max: 400 * HOUR_MS }),
);

describe('week steps give the day-by-day results (fast-check against the reference)', () => {
  const longRuns = { numRuns: 60 };
  /** The reference walks years day by day through Intl: seconds per property. */
  const slow = 120_000;

  /** The same value or the same error from both. */
  const same = (fast: () => number, slow: () => number) => {
    let expected: number | string;
    try {
      expected = slow();
    } catch (err) {
      expected = String(err);
    }
    let actual: number | string;
    try {
      actual = fast();
    } catch (err) {
      actual = String(err);
    }
    expect(actual).toBe(expected);
  };

  it(
    'addBusinessMs',
    () => {
      fc.assert(
        fc.property(longCalendarArb, longInstantArb, longDurationArb, (cal, t, d) => {
          same(
            () => addBusinessMs(cal, t, d),
            () => referenceAddBusinessMs(cal, t, d),
          );
        }),
        longRuns,
      );
    },
    slow,
  );

  it(
    'businessMsBetween',
    () => {
      fc.assert(
        fc.property(longCalendarArb, longInstantArb, longInstantArb, (cal, a, b) => {
          same(
            () => businessMsBetween(cal, a, b),
            () => referenceBusinessMsBetween(cal, a, b),
          );
        }),
        longRuns,
      );
    },
    slow,
  );

  it(
    'findNextWorkingMs and nextWorkingDayAtMs',
    () => {
      fc.assert(
        fc.property(
          longCalendarArb,
          longInstantArb,
          fc.integer({ min: 0, max: 1439 }),
          (cal, t, m) => {
            same(
              () => findNextWorkingMs(cal, t),
              () => referenceFindNextWorkingMs(cal, t),
            );
            same(
              () => nextWorkingDayAtMs(cal, t, formatClock(m)),
              () => referenceNextWorkingDayAtMs(cal, t, formatClock(m)),
            );
          },
        ),
        longRuns,
      );
    },
    slow,
  );

  it('a calendar with only extra working days (no weekly windows) agrees, also when it runs dry', () => {
    // The schema asks for weekly windows; the engine still handles a calendar without them.
    const parsed = businessCalendarSchema.parse({
      id: 'workdays-only',
      timeZone: 'Europe/Berlin',
      weekly: { mon: [{ start: '09:00', end: '10:00' }] },
      extraWorkdayWindows: [{ start: '09:00', end: '17:00' }],
      workdays: [{ date: '2026-03-28' }, { date: '2027-03-27' }, { date: '2031-01-04' }],
    });
    const cal: BusinessCalendar = { ...parsed, weekly: { ...parsed.weekly, mon: [] } };
    const t = Date.parse('2026-01-01T00:00:00Z');
    for (const d of [HOUR_MS, 9 * HOUR_MS, 17 * HOUR_MS, 30 * HOUR_MS]) {
      same(
        () => addBusinessMs(cal, t, d),
        () => referenceAddBusinessMs(cal, t, d),
      );
    }
    same(
      () => businessMsBetween(cal, t, Date.parse('2035-01-01T00:00:00Z')),
      () => referenceBusinessMsBetween(cal, t, Date.parse('2035-01-01T00:00:00Z')),
    );
    same(
      () => nextWorkingDayAtMs(cal, Date.parse('2027-04-01T00:00:00Z'), '09:00'),
      () => referenceNextWorkingDayAtMs(cal, Date.parse('2027-04-01T00:00:00Z'), '09:00'),
    );
  });
});
