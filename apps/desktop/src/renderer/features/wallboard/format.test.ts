import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, formatRate, formatTimeOfDay, splitPages } from './format';
import { computeBackoff } from '../../realtime/socketBridge';
import { takeDeviceToken, WALLBOARD_TOKEN_KEY } from './deviceToken';

describe('wallboard formatting', () => {
  it('rounds rates down so a breach never reads 100 %', () => {
    expect(formatRate(0.996)).toBe('99 %');
    expect(formatRate(1)).toBe('100 %');
    expect(formatRate(0.29)).toBe('29 %');
    expect(formatRate(null)).toBe('—');
  });
  it('formats durations and clocks for the hall', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(3_900_000)).toBe('1 h 05 min');
    expect(formatDuration(null)).toBe('—');
    expect(formatClock(245_000)).toBe('4:05');
    expect(formatClock(-65_000)).toBe('1:05');
    expect(formatClock(3_729_000)).toBe('1:02:09');
    expect(formatTimeOfDay(Date.parse('2026-03-04T06:05:00Z'), 'Asia/Shanghai')).toBe('14:05');
  });
  it('splits pages and backs off exponentially up to 30 s', () => {
    expect(splitPages([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
    expect(splitPages([], 3)).toEqual([[]]);
    expect(computeBackoff(0, () => 0.5)).toBe(1_000);
    expect(computeBackoff(3, () => 0.5)).toBe(8_000);
    expect(computeBackoff(50, () => 0.5)).toBe(30_000);
    expect(computeBackoff(50, () => 1)).toBe(37_500);
  });
});

describe('device token from the address', () => {
  const env = (search: string, stored: string | null = null) => {
    const store = new Map<string, string>(stored ? [[WALLBOARD_TOKEN_KEY, stored]] : []);
    const replaced: string[] = [];
    return {
      store,
      replaced,
      env: {
        location: { pathname: '/wallboard', search, hash: '' },
        history: {
          replaceState: (_d: unknown, _t: string, url?: string | URL | null) =>
            void replaced.push(String(url)),
        },
        storage: {
          getItem: (k: string) => store.get(k) ?? null,
          setItem: (k: string, v: string) => void store.set(k, v),
        },
      },
    };
  };
  it('stores the token and strips it from the URL, keeping other parameters', () => {
    const e = env('?token=abc123&rotate=5');
    expect(takeDeviceToken(e.env)).toBe('abc123');
    expect(e.store.get(WALLBOARD_TOKEN_KEY)).toBe('abc123');
    expect(e.replaced).toEqual(['/wallboard?rotate=5']);
  });
  it('falls back to the stored token, or none', () => {
    expect(takeDeviceToken(env('', 'kept').env)).toBe('kept');
    const none = env('');
    expect(takeDeviceToken(none.env)).toBeNull();
    expect(none.replaced).toEqual([]);
  });
});
