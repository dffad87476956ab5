/**
 * The device-health state machine of one device metric (issue 19): pure, no IO, `now` passed
 * in. Samples in time order; the state keeps the runs of samples over and under the threshold.
 *
 * - 3 consecutive samples over the threshold (`overRun`) → `orange` (pre-maintenance);
 * - one sample more than 50 % over (`redRatio` 1.5 × threshold) → `red` (field service) at once,
 *   also from orange;
 * - `recoverRun` consecutive samples at or under the threshold → back to `normal` (recovery).
 *
 * A sample not later than the last one taken (`at` ≤ `lastAt`) is a duplicate or out of order:
 * ignored, the state unchanged. Effects are what the intake service turns into commands; while
 * the level stays raised no further effect comes, so a stream of samples over the threshold
 * makes one warning, and flapping around the threshold makes at most one warning per recovery.
 */

export type HealthLevel = 'normal' | 'orange' | 'red';

export interface HealthRules {
  /** Consecutive samples over the threshold that raise orange (3). */
  overRun: number;
  /** A sample over `redRatio` × threshold raises red (1.5: more than 50 % over). */
  redRatio: number;
  /** Consecutive samples at or under the threshold that note a recovery. */
  recoverRun: number;
}

export const DEFAULT_HEALTH_RULES: HealthRules = { overRun: 3, redRatio: 1.5, recoverRun: 3 };

export interface HealthState {
  level: HealthLevel;
  /** Consecutive samples over the threshold, up to the last one. */
  over: number;
  /** Consecutive samples at or under the threshold, up to the last one. */
  under: number;
  /** The last sample's instant (ms), or null before the first. */
  lastAt: number | null;
  /** The ticket the device metric's warnings went to (the service sets it), or null. */
  ticketId: string | null;
}

export const INITIAL_HEALTH: HealthState = {
  level: 'normal',
  over: 0,
  under: 0,
  lastAt: null,
  ticketId: null,
};

export interface HealthSample {
  value: number;
  threshold: number;
  /** The sample's instant (ms). */
  at: number;
}

/** What a sample did: nothing, a warning raised, a recovery, or a duplicate ignored. */
export type HealthEffect = 'none' | 'orange' | 'red' | 'recovered' | 'duplicate';

export interface HealthStep {
  state: HealthState;
  effect: HealthEffect;
}

/**
 * One sample through the machine. `now` bounds `at`: a sample from the future counts at `now`.
 * @example stepHealth(INITIAL_HEALTH, { value: 200, threshold: 100, at: 0 }, DEFAULT_HEALTH_RULES, 0).effect // 'red'
 */
export function stepHealth(
  state: HealthState,
  sample: HealthSample,
  rules: HealthRules,
  now: number,
): HealthStep {
  const at = Math.min(sample.at, now);
  if (state.lastAt !== null && at <= state.lastAt) return { state, effect: 'duplicate' };
  const isOver = sample.value > sample.threshold;
  const isRed = sample.value > sample.threshold * rules.redRatio;
  const over = isOver ? state.over + 1 : 0;
  const under = isOver ? 0 : state.under + 1;
  let level = state.level;
  let effect: HealthEffect = 'none';
  if (isRed && level !== 'red') {
    level = 'red';
    effect = 'red';
  } else if (isOver && level === 'normal' && over >= rules.overRun) {
    level = 'orange';
    effect = 'orange';
  } else if (!isOver && level !== 'normal' && under >= rules.recoverRun) {
    level = 'normal';
    effect = 'recovered';
  }
  return { state: { ...state, level, over, under, lastAt: at }, effect };
}

/** Runs samples (in order) through the machine: the end state and every effect but `none`. */
export function runHealth(
  state: HealthState,
  samples: readonly HealthSample[],
  rules: HealthRules,
  now: number,
): { state: HealthState; effects: HealthEffect[] } {
  let s = state;
  const effects: HealthEffect[] = [];
  for (const sample of samples) {
    const step = stepHealth(s, sample, rules, now);
    s = step.state;
    if (step.effect !== 'none') effects.push(step.effect);
  }
  return { state: s, effects };
}
