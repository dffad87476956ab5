import { describe, expect, it } from 'vitest';
import { startClockAt } from './clock';
import { ConfigError, readConfig } from './config';

describe('readConfig', () => {
  it('uses the system clock unless DUTYDESK_CLOCK_START is set', () => {
    expect(readConfig({}).clockStart).toBeUndefined();
    expect(readConfig({ DUTYDESK_CLOCK_START: '2026-03-02T02:00:00Z' }).clockStart).toEqual(
      new Date('2026-03-02T02:00:00.000Z'),
    );
  });

  it('refuses a clock start that is not an ISO-8601 instant, naming the variable', () => {
    for (const bad of ['yesterday', '1700000000000', '2026-13-45T99:00:00Z']) {
      expect(() => readConfig({ DUTYDESK_CLOCK_START: bad })).toThrow(ConfigError);
      expect(() => readConfig({ DUTYDESK_CLOCK_START: bad })).toThrow(/DUTYDESK_CLOCK_START/);
    }
  });

  it('refuses bad ports and rates', () => {
    expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => readConfig({ DUTYDESK_COMMAND_RATE: '-1' })).toThrow(/DUTYDESK_COMMAND_RATE/);
    expect(() => readConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});

describe('DUTYDESK_LOG_FORMAT', () => {
  it('is json, pretty, or unset (auto: pretty on a terminal)', () => {
    expect(readConfig({}).logFormat).toBeUndefined();
    expect(readConfig({ DUTYDESK_LOG_FORMAT: 'auto' }).logFormat).toBeUndefined();
    expect(readConfig({ DUTYDESK_LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(readConfig({ DUTYDESK_LOG_FORMAT: ' Pretty ' }).logFormat).toBe('pretty');
    expect(() => readConfig({ DUTYDESK_LOG_FORMAT: 'xml' })).toThrow(/DUTYDESK_LOG_FORMAT/);
  });
});

describe('startClockAt', () => {
  it('starts at the given instant and then runs with the real clock', () => {
    let real = 1_000_000;
    const clock = startClockAt(new Date('2026-03-02T02:00:00Z'), () => real);
    expect(clock.now().toISOString()).toBe('2026-03-02T02:00:00.000Z');
    real += 90_000;
    expect(clock.now().toISOString()).toBe('2026-03-02T02:01:30.000Z');
  });
});
