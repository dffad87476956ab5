import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, planRetry } from './schedule';

const since = new Date('2026-03-02T02:00:00Z');
const at = (ms: number): Date => new Date(since.getTime() + ms);

describe('planRetry', () => {
  it('doubles the wait with each failure, half of it drawn at random', () => {
    const low = () => 0;
    const high = () => 0.999_999;
    // 5 s, 10 s, 20 s … : from half the wait (random 0) to the whole of it (random → 1).
    expect(planRetry(since, 1, since, low)?.getTime()).toBe(at(2_500).getTime());
    expect(planRetry(since, 1, since, high)!.getTime()).toBeCloseTo(at(5_000).getTime(), -1);
    expect(planRetry(since, 2, since, low)?.getTime()).toBe(at(5_000).getTime());
    expect(planRetry(since, 4, since, low)?.getTime()).toBe(at(20_000).getTime());
  });

  it('never waits longer than the cap', () => {
    const now = at(3_600_000);
    const next = planRetry(since, 30, now, () => 0.999_999);
    expect(next!.getTime() - now.getTime()).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs);
    expect(next!.getTime() - now.getTime()).toBeGreaterThan(DEFAULT_RETRY_POLICY.maxDelayMs / 2);
  });

  it('spreads retries of subscriptions that failed together', () => {
    const draws = [0.1, 0.4, 0.7, 0.95];
    const times = draws.map((d) => planRetry(since, 3, since, () => d)!.getTime());
    expect(new Set(times).size).toBe(draws.length);
  });

  it('tries last on the give-up instant and then gives up (24 h after the first failure)', () => {
    const day = DEFAULT_RETRY_POLICY.giveUpAfterMs;
    expect(day).toBe(24 * 3_600_000);
    const late = at(day - 60_000);
    expect(planRetry(since, 25, late, () => 0.5)?.getTime()).toBe(at(day).getTime());
    expect(planRetry(since, 26, at(day), () => 0.5)).toBeNull();
    expect(planRetry(since, 26, at(day + 1), () => 0.5)).toBeNull();
  });

  it('walks a whole day of failures on a fake clock: about 30 attempts, then a pause', () => {
    let now = since;
    let failures = 0;
    let next: Date | null = since;
    const seeded = (() => {
      let x = 42;
      return () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    })();
    while (next) {
      failures += 1;
      next = planRetry(since, failures, now, seeded);
      if (next) {
        expect(next.getTime()).toBeGreaterThan(now.getTime());
        now = next;
      }
    }
    expect(now.getTime()).toBe(at(DEFAULT_RETRY_POLICY.giveUpAfterMs).getTime());
    expect(failures).toBeGreaterThan(20);
    expect(failures).toBeLessThan(60);
  });
});
