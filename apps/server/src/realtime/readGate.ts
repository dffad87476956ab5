import { makeError, type AppError } from '@dutydesk/shared';

/** How long a refused reader is asked to wait before it tries again. */
export const READ_RETRY_AFTER_MS = 1_000;

/**
 * Bounds the heavy reads (`sync`, `GET /api/events`, the timeline) in flight: at most
 * `perKey` per session token, {@link READS_PER_USER_FACTOR} times that per user (not for
 * devices: every wallboard token belongs to one account), and `total` on the node. A read over either bound is refused at
 * once (never queued): a flood from one token costs the server a refusal each, and the desk's
 * other requests keep their event loop and memory.
 */
export interface ReadGate {
  /**
   * A slot for session `key` (and user `user`, when given), or null when a bound is reached;
   * call the returned release once.
   */
  tryEnter(key: string, user?: string): (() => void) | null;
  /** Reads in flight now (for tests and figures). */
  readonly inFlight: number;
  /** The most reads ever in flight for one key at once (for tests). */
  readonly peakPerKey: number;
}

/** How many sessions' worth of reads one user may have in flight (several windows, devices). */
export const READS_PER_USER_FACTOR = 4;

export function createReadGate(perKey: number, total: number): ReadGate {
  const byKey = new Map<string, number>();
  const perUser = perKey * READS_PER_USER_FACTOR;
  let inFlight = 0;
  let peakPerKey = 0;
  const take = (k: string): void => {
    byKey.set(k, (byKey.get(k) ?? 0) + 1);
  };
  const give = (k: string): void => {
    const left = (byKey.get(k) ?? 1) - 1;
    if (left <= 0) byKey.delete(k);
    else byKey.set(k, left);
  };
  return {
    tryEnter(key, user) {
      const sessionKey = `s:${key}`;
      const userKey = user === undefined ? null : `u:${user}`;
      const mine = byKey.get(sessionKey) ?? 0;
      if (mine >= perKey || inFlight >= total) return null;
      if (userKey && (byKey.get(userKey) ?? 0) >= perUser) return null;
      take(sessionKey);
      if (userKey) take(userKey);
      inFlight += 1;
      peakPerKey = Math.max(peakPerKey, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight -= 1;
        give(sessionKey);
        if (userKey) give(userKey);
      };
    },
    get inFlight() {
      return inFlight;
    },
    get peakPerKey() {
      return peakPerKey;
    },
  };
}

/** The gate's keys for a session: its id, and its user unless it is a wallboard device. */
export function readKeysOf(auth: {
  session: { id: string };
  user: { id: string; roles: readonly string[] };
}): [string, string | undefined] {
  const device = auth.user.roles.length > 0 && auth.user.roles.every((r) => r === 'wallboard');
  return [auth.session.id, device ? undefined : auth.user.id];
}

/** The error a refused read answers with (HTTP 429 with `Retry-After`, or a socket ack). */
export function readRefused(): AppError & { retryAfterMs: number } {
  return {
    ...makeError(
      'rate_limited',
      'Too many reads in flight for this session; retry after the delay given',
    ),
    retryAfterMs: READ_RETRY_AFTER_MS,
  };
}
