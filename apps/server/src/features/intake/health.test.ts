import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HEALTH_RULES,
  INITIAL_HEALTH,
  runHealth,
  stepHealth,
  type HealthSample,
} from './health';

const rules = DEFAULT_HEALTH_RULES;
const NOW = Date.parse('2026-12-04T10:00:00Z');
const at = (i: number): number => NOW - 1_000_000 + i * 1000;
const samples = (values: number[], from = 0): HealthSample[] =>
  values.map((value, i) => ({ value, threshold: 100, at: at(from + i) }));

describe('device health state machine', () => {
  it('two samples over: nothing; the third consecutive: orange, once', () => {
    const two = runHealth(INITIAL_HEALTH, samples([120, 130]), rules, NOW);
    expect(two.effects).toEqual([]);
    expect(two.state.level).toBe('normal');
    const more = runHealth(two.state, samples([110, 140, 120, 130], 2), rules, NOW);
    expect(more.effects).toEqual(['orange']);
    expect(more.state.level).toBe('orange');
  });

  it('an interrupted run starts again', () => {
    const r = runHealth(INITIAL_HEALTH, samples([120, 130, 90, 120, 130]), rules, NOW);
    expect(r.effects).toEqual([]);
    expect(r.state.over).toBe(2);
  });

  it('a sample more than 50 % over is red at once, also from orange; exactly 150 % is not', () => {
    expect(
      stepHealth(INITIAL_HEALTH, { value: 150, threshold: 100, at: at(0) }, rules, NOW).effect,
    ).toBe('none');
    expect(
      stepHealth(INITIAL_HEALTH, { value: 160, threshold: 100, at: at(0) }, rules, NOW).effect,
    ).toBe('red');
    const r = runHealth(INITIAL_HEALTH, samples([120, 120, 120, 160, 170]), rules, NOW);
    expect(r.effects).toEqual(['orange', 'red']);
  });

  it('recovers after the configured run under the threshold; flapping gives one warning per recovery', () => {
    const r = runHealth(INITIAL_HEALTH, samples([120, 120, 120, 90, 120, 90, 90, 90]), rules, NOW);
    expect(r.effects).toEqual(['orange', 'recovered']);
    const flap = runHealth(
      INITIAL_HEALTH,
      samples(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 120 : 90))),
      rules,
      NOW,
    );
    expect(flap.effects).toEqual([]);
    const longFlap = runHealth(
      INITIAL_HEALTH,
      samples(Array.from({ length: 60 }, (_, i) => (i % 6 < 3 ? 120 : 90))),
      rules,
      NOW,
    );
    expect(longFlap.effects.filter((e) => e === 'orange').length).toBe(10);
    expect(
      runHealth(
        INITIAL_HEALTH,
        samples([120, 120, 120, 90, 90, 90]),
        { ...rules, recoverRun: 5 },
        NOW,
      ).effects,
    ).toEqual(['orange']);
  });

  it('a sample again (or older) is a duplicate and changes nothing; a future one counts at now', () => {
    const first = stepHealth(INITIAL_HEALTH, { value: 160, threshold: 100, at: at(1) }, rules, NOW);
    const again = stepHealth(first.state, { value: 160, threshold: 100, at: at(1) }, rules, NOW);
    expect(again).toEqual({ state: first.state, effect: 'duplicate' });
    expect(
      stepHealth(first.state, { value: 10, threshold: 100, at: at(0) }, rules, NOW).effect,
    ).toBe('duplicate');
    const future = stepHealth(
      INITIAL_HEALTH,
      { value: 1, threshold: 100, at: NOW + 60_000 },
      rules,
      NOW,
    );
    expect(future.state.lastAt).toBe(NOW);
  });
});
