import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runningTarget, T0 } from '../test/fixtures';
import {
  computeCountdown,
  createCountdownReader,
  formatDuration,
  timeLeftSortKey,
} from './countdown';

const MIN = 60_000;

describe('computeCountdown', () => {
  it('picks the next running target', () => {
    const view = computeCountdown(
      [runningTarget('resolve', T0 + 240 * MIN), runningTarget('response', T0 + 15 * MIN)],
      T0,
    );
    expect(view).toMatchObject({ kind: 'running', target: 'response', remainingMs: 15 * MIN });
  });

  it('colours by share of the budget when the start is known: 75 % amber, 90 % red', () => {
    const target = runningTarget('resolve', T0 + 100 * MIN, T0);
    expect(computeCountdown([target], T0 + 74 * MIN)).toMatchObject({ level: 'ok' });
    expect(computeCountdown([target], T0 + 75 * MIN)).toMatchObject({ level: 'warning' });
    expect(computeCountdown([target], T0 + 90 * MIN)).toMatchObject({ level: 'critical' });
    expect(computeCountdown([target], T0 + 100 * MIN)).toMatchObject({ level: 'overdue' });
  });

  it('follows the colours of the server-resolved threshold instants', () => {
    const iso = (m: number) => new Date(T0 + m * MIN).toISOString();
    const target = {
      ...runningTarget('resolve', T0 + 100 * MIN, T0),
      thresholds: [
        { percent: 50, colour: 'green' as const, at: iso(50) },
        { percent: 75, colour: 'amber' as const, at: iso(75) },
        { percent: 90, colour: 'red' as const, at: iso(90) },
      ],
    };
    expect(computeCountdown([target], T0 + 74 * MIN)).toMatchObject({ level: 'ok' });
    expect(computeCountdown([target], T0 + 76 * MIN)).toMatchObject({ level: 'warning' });
    expect(computeCountdown([target], T0 + 91 * MIN)).toMatchObject({ level: 'critical' });
  });

  it('falls back to absolute time left without a start: amber < 15 min, red < 5 min', () => {
    const target = runningTarget('response', T0 + 60 * MIN);
    expect(computeCountdown([target], T0 + 44 * MIN)).toMatchObject({ level: 'ok' });
    expect(computeCountdown([target], T0 + 46 * MIN)).toMatchObject({ level: 'warning' });
    expect(computeCountdown([target], T0 + 56 * MIN)).toMatchObject({ level: 'critical' });
  });

  it('shows paused, met and nothing', () => {
    expect(computeCountdown([{ name: 'resolve', dueAt: null, state: 'paused' }], T0)).toEqual({
      kind: 'paused',
      target: 'resolve',
    });
    expect(
      computeCountdown([{ name: 'response', dueAt: new Date(T0).toISOString(), state: 'met' }], T0),
    ).toEqual({ kind: 'met' });
    expect(computeCountdown([], T0)).toEqual({ kind: 'none' });
  });

  it('keeps counting a breached target as overdue', () => {
    const view = computeCountdown(
      [{ name: 'response', dueAt: new Date(T0).toISOString(), state: 'breached' }],
      T0 + 3 * MIN,
    );
    expect(view).toMatchObject({ kind: 'running', level: 'overdue', remainingMs: -3 * MIN });
  });
});

describe('createCountdownReader', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  /** A target of any shape a ticket can carry: instants or none; start or not. */
  const target = fc
    .record({
      name: fc.constantFrom('response', 'resolve', 'update'),
      state: fc.constantFrom('running', 'breached', 'paused', 'met'),
      dueIn: fc.integer({ min: -3 * 3_600_000, max: 30 * 3_600_000 }),
      startedAgo: fc.option(fc.integer({ min: 0, max: 10 * 3_600_000 })),
      instants: fc.option(
        fc.array(
          fc.record({
            percent: fc.constantFrom(50, 75, 90, 100, 110),
            colour: fc.constantFrom('green', 'amber', 'red'),
            offset: fc.integer({ min: -3 * 3_600_000, max: 30 * 3_600_000 }),
          }),
          { maxLength: 4 },
        ),
      ),
    })
    .map((r) => ({
      name: r.name,
      state: r.state,
      dueAt: r.state === 'paused' ? null : iso(T0 + r.dueIn),
      ...(r.startedAgo === null ? {} : { startedAt: iso(T0 - r.startedAgo) }),
      thresholds: r.instants
        ? r.instants.map((m) => ({ percent: m.percent, colour: m.colour, at: iso(T0 + m.offset) }))
        : undefined,
    }));

  it('reads exactly what computeCountdown reads, tick after tick, across every threshold', () => {
    fc.assert(
      fc.property(
        fc.array(target, { maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 20 * 60_000 }), { minLength: 1, maxLength: 120 }),
        (targets, steps) => {
          const read = createCountdownReader(targets);
          let now = T0 - 60 * MIN;
          for (const step of steps) {
            now += step;
            expect(read(now)).toEqual(computeCountdown(targets, now));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('changes level on the very millisecond a threshold is crossed, and on a clock set back', () => {
    const t = runningTarget('resolve', T0 + 100 * MIN, T0);
    const read = createCountdownReader([t]);
    for (const at of [74 * MIN, 75 * MIN - 1, 75 * MIN, 90 * MIN - 1, 90 * MIN, 100 * MIN - 1]) {
      expect(read(T0 + at)).toEqual(computeCountdown([t], T0 + at));
    }
    expect(read(T0 + 100 * MIN)).toMatchObject({ level: 'overdue' });
    expect(read(T0 + 10 * MIN)).toMatchObject({ level: 'ok', remainingMs: 90 * MIN });
  });
});

describe('formatDuration and sort key', () => {
  it.each([
    [0, '0:00:00'],
    [59_999, '0:00:59'],
    [3_723_000, '1:02:03'],
    [-125_000, '0:02:05'],
    [26 * 3_600_000 + 5 * MIN, '1d 02:05'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('orders running deadlines first, then paused, then none', () => {
    const running = timeLeftSortKey([runningTarget('r', T0)]);
    const paused = timeLeftSortKey([{ name: 'r', dueAt: null, state: 'paused' }]);
    const none = timeLeftSortKey([]);
    expect(running).toBeLessThan(paused);
    expect(paused).toBeLessThan(none);
  });
});
