import { describe, expect, it } from 'vitest';
import { checkBreachThreshold, readSlaTarget, type SlaReadable } from './reading';

const MIN = 60_000;
const start = Date.parse('2026-03-02T02:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

/** A P1 response clock: 15 min, thresholds 50/75/90/100 and 100+30m. */
function target(overrides: Partial<SlaReadable> = {}): SlaReadable {
  const mark = (percent: number, minutes: number, colour: string, afterMinutes = 0) => ({
    percent,
    afterMinutes,
    key: afterMinutes ? `${percent}+${afterMinutes}m` : String(percent),
    colour,
    at: iso(start + minutes * MIN),
  });
  return {
    name: 'response',
    dueAt: iso(start + 15 * MIN),
    state: 'running',
    startedAt: iso(start),
    metAt: null,
    thresholds: [
      mark(50, 7.5, 'green'),
      mark(75, 11.25, 'amber'),
      mark(90, 13.5, 'red'),
      mark(100, 15, 'red'),
      mark(100, 45, 'red', 30),
    ],
    ...overrides,
  };
}

describe('readSlaTarget', () => {
  it('crosses thresholds at their instant, not a millisecond before', () => {
    const t = target();
    const justBefore = readSlaTarget(t, start + 11.25 * MIN - 1);
    expect(justBefore.crossed.map((c) => c.key)).toEqual(['50']);
    expect(justBefore.colour).toBe('green');
    const at = readSlaTarget(t, start + 11.25 * MIN);
    expect(at.crossed.map((c) => c.key)).toEqual(['50', '75']);
    expect(at.colour).toBe('amber');
    expect(at.remainingMs).toBe(3.75 * MIN);
    expect(at.breached).toBe(false);
  });

  it('decides the breach at the due instant and keeps counting past it', () => {
    const t = target();
    expect(readSlaTarget(t, start + 15 * MIN - 1).breached).toBe(false);
    const due = readSlaTarget(t, start + 15 * MIN);
    expect(due.breached).toBe(true);
    expect(due.colour).toBe('red');
    expect(due.crossed.filter((c) => c.breach).map((c) => c.key)).toEqual(['100']);
    const later = readSlaTarget(t, start + 50 * MIN);
    expect(later.remainingMs).toBe(-35 * MIN);
    expect(later.crossed.filter((c) => c.breach).map((c) => c.timerKey)).toEqual([
      `response@${iso(start)}:100`,
      `response@${iso(start)}:100+30m`,
    ]);
  });

  it('reads nothing crossed on a paused, met or undated clock', () => {
    const paused = readSlaTarget(target({ state: 'paused' }), start + 60 * MIN);
    expect(paused).toEqual({
      running: false,
      remainingMs: null,
      colour: 'grey',
      breached: false,
      crossed: [],
    });
    const met = readSlaTarget(
      target({ state: 'met', metAt: iso(start + 5 * MIN) }),
      start + 60 * MIN,
    );
    expect(met.crossed).toEqual([]);
    expect(met.breached).toBe(false);
    expect(readSlaTarget(target({ dueAt: null }), start + 60 * MIN).running).toBe(false);
  });

  it('builds timer keys without a key field too', () => {
    const t = target({
      thresholds: [{ percent: 100, afterMinutes: 30, colour: 'red', at: iso(start + 45 * MIN) }],
    });
    expect(readSlaTarget(t, start + 45 * MIN).crossed[0]?.timerKey).toBe(
      `response@${iso(start)}:100+30m`,
    );
  });

  it('calls 100 % and beyond the breach, shares below it warnings', () => {
    expect([50, 75, 90, 99.9, 100, 150].map(checkBreachThreshold)).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
  });
});
