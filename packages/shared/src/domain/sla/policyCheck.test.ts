import { describe, expect, it } from 'vitest';
import { defaultCalendars, defaultSlaPolicy } from './defaults';
import { slaPolicySchema, type SlaDue, type SlaPolicy } from './policy';
import { computeDueMs, findSlaOrderProblems } from './policyCheck';

const FROM = new Date('2026-03-02T00:00:00Z');

function withP3(response: SlaDue, resolveMinutes = 480): SlaPolicy {
  const input = structuredClone(defaultSlaPolicy);
  input.priorities.P3.targets = input.priorities.P3.targets.map((t) =>
    t.name === 'response'
      ? { ...t, due: response }
      : t.name === 'resolve'
        ? { ...t, due: { kind: 'duration', calendar: 'cn-0900-1800', minutes: resolveMinutes } }
        : t,
  );
  return slaPolicySchema.parse(input);
}

describe('no policy makes a resolution due before its response (issue 13)', () => {
  it('every shipped default passes, at every half hour and window edge tried', () => {
    expect(findSlaOrderProblems(defaultSlaPolicy, defaultCalendars, FROM)).toEqual([]);
    // Also for the years shipped: start the search in each.
    for (const year of [2023, 2024, 2025, 2026]) {
      expect(
        findSlaOrderProblems(
          defaultSlaPolicy,
          defaultCalendars,
          new Date(`${year}-01-01T00:00:00Z`),
        ),
      ).toEqual([]);
    }
  });

  it('finds the old P3 default: 09:00 next day against 8 business hours', () => {
    const old = withP3({ kind: 'nextWorkingDayAt', calendar: 'cn-0900-1800', time: '09:00' });
    const [problem, ...rest] = findSlaOrderProblems(old, defaultCalendars, FROM);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ priority: 'P3', path: 'priorities.P3.targets' });
    const received = Date.parse(problem?.receivedAt ?? '');
    const [response, resolve] = old.priorities.P3.targets;
    expect(computeDueMs(resolve!.due, defaultCalendars, received)).toBeLessThan(
      computeDueMs(response!.due, defaultCalendars, received),
    );
  });

  it('compares two durations in one calendar by their minutes', () => {
    const bad = withP3({ kind: 'duration', calendar: 'cn-0900-1800', minutes: 600 });
    expect(findSlaOrderProblems(bad, defaultCalendars, FROM)).toEqual([
      expect.objectContaining({ priority: 'P3', receivedAt: null }),
    ]);
    const ok = withP3({ kind: 'duration', calendar: 'cn-0900-1800', minutes: 480 });
    expect(findSlaOrderProblems(ok, defaultCalendars, FROM)).toEqual([]);
  });

  it('an earlierOf response with a duration past the resolution is tried at instants', () => {
    // Response: 10 business hours or 09:00 next day; resolve: 9 business hours. Received at
    // 08:00, the resolution is due 18:00 that day, the response 09:00 the next.
    const policy = withP3(
      { kind: 'earlierOf', calendar: 'cn-0900-1800', minutes: 600, time: '09:00' },
      540,
    );
    const problems = findSlaOrderProblems(policy, defaultCalendars, FROM);
    expect(problems.map((p) => p.priority)).toEqual(['P3']);
  });

  it('the earlierOf due is the minimum of its two forms', () => {
    const due: SlaDue = {
      kind: 'earlierOf',
      calendar: 'cn-0900-1800',
      minutes: 240,
      time: '09:00',
    };
    // Monday 10:00 and 16:00 in Shanghai.
    expect(
      new Date(
        computeDueMs(due, defaultCalendars, Date.parse('2026-03-02T02:00:00Z')),
      ).toISOString(),
    ).toBe('2026-03-02T06:00:00.000Z');
    expect(
      new Date(
        computeDueMs(due, defaultCalendars, Date.parse('2026-03-02T08:00:00Z')),
      ).toISOString(),
    ).toBe('2026-03-03T01:00:00.000Z');
  });
});
