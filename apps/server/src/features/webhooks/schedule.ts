/**
 * When a failed delivery is tried again: exponential backoff with jitter, for 24 hours from
 * the first failure of the event at the head of the subscription; then the subscription is
 * paused. Pure: the caller passes `now` and the random source.
 */

export interface RetryPolicy {
  /** The first retry waits about this long (half fixed, half random). */
  baseMs: number;
  /** No wait is longer than this. */
  maxDelayMs: number;
  /** From the first failure of the head event: after this, no more retries (pause). */
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 5_000,
  maxDelayMs: 3_600_000,
  giveUpAfterMs: 24 * 3_600_000,
};

/**
 * The instant of the next attempt after the `failures`-th failed one (1 for the first) at
 * `now`, or null when the head event has been failing for `giveUpAfterMs` already: give up.
 * The wait doubles with each failure up to `maxDelayMs`; "equal jitter" keeps half of it and
 * draws the other half, so many subscriptions failing together (a receiver that went down)
 * do not retry in step. The last attempt falls on the give-up instant itself.
 * @example planRetry(since, 1, since, () => 0.5) // since + 3.75 s
 */
export function planRetry(
  failingSince: Date,
  failures: number,
  now: Date,
  random: () => number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Date | null {
  const deadline = failingSince.getTime() + policy.giveUpAfterMs;
  if (now.getTime() >= deadline) return null;
  const exponent = Math.min(Math.max(failures, 1) - 1, 40);
  const wait = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** exponent);
  const jitter = Math.min(Math.max(random(), 0), 1);
  const delay = wait / 2 + jitter * (wait / 2);
  return new Date(Math.min(now.getTime() + delay, deadline));
}
