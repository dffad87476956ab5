import { describe, expect, it } from 'vitest';
import { runningTarget, T0 } from '../test/fixtures';
import { computeCountdown, formatDuration, timeLeftSortKey } from './countdown';

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

  it('uses the policy thresholds when the target carries them', () => {
    const target = { ...runningTarget('resolve', T0 + 100 * MIN, T0), thresholds: [0.5, 0.6, 0.8] };
    expect(computeCountdown([target], T0 + 61 * MIN)).toMatchObject({ level: 'warning' });
    expect(computeCountdown([target], T0 + 80 * MIN)).toMatchObject({ level: 'critical' });
  });

  it('follows the colours of the server-resolved threshold instants', () => {
    const iso = (m: number) => new Date(T0 + m * MIN).toISOString();
    const target = {
      ...runningTarget('resolve', T0 + 100 * MIN, T0),
      thresholds: [
        { percent: 50, colour: 'green', at: iso(50) },
        { percent: 75, colour: 'amber', at: iso(75) },
        { percent: 90, colour: 'red', at: iso(90) },
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
