import { makeError, type AppError } from '@dutydesk/shared';
import type { AppContext } from '../context';

/** How long a refused reader is asked to wait before it tries again. */
export const READ_RETRY_AFTER_MS = 1_000;

/**
 * Bounds the heavy reads (`sync`, `GET /api/events`, the timeline) in flight: at most
 * `perKey` per session token and `total` on the node. A read over either bound is refused at
 * once (never queued): a flood from one token costs the server a refusal each, and the desk's
 * other requests keep their event loop and memory.
 */
export interface ReadGate {
  /** A slot for `key`, or null when a bound is reached; call the returned release once. */
  tryEnter(key: string): (() => void) | null;
  /** Reads in flight now (for tests and figures). */
  readonly inFlight: number;
  /** The most reads ever in flight for one key at once (for tests). */
  readonly peakPerKey: number;
}

export function createReadGate(perKey: number, total: number): ReadGate {
  const byKey = new Map<string, number>();
  let inFlight = 0;
  let peakPerKey = 0;
  return {
    tryEnter(key) {
      const mine = byKey.get(key) ?? 0;
      if (mine >= perKey || inFlight >= total) return null;
      byKey.set(key, mine + 1);
      inFlight += 1;
      peakPerKey = Math.max(peakPerKey, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight -= 1;
        const left = (byKey.get(key) ?? 1) - 1;
        if (left <= 0) byKey.delete(key);
        else byKey.set(key, left);
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

const gates = new WeakMap<AppContext, ReadGate>();

/** The node's read gate (one per server context). */
export function readGateOf(ctx: AppContext): ReadGate {
  let g = gates.get(ctx);
  if (!g) {
    g = createReadGate(ctx.config.readConcurrency, ctx.config.readConcurrencyTotal);
    gates.set(ctx, g);
  }
  return g;
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
