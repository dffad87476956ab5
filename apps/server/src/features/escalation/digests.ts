/**
 * The push pace of digest alerts on one node: a digest is pushed at most once a second, and a
 * count that moved in between is pushed by `flush` at the end of a later run.
 */
import type { AppContext } from '../../context';
import { lockAlert, type AlertRecord } from './escalation.repo';
import { commitRaises, type PushAlerts } from './emit';

/** A digest is pushed at most once per this many (wall-clock) ms; its count is exact in REST. */
const DIGEST_PUSH_MS = 1_000;

/** The digest push throttle of one engine. */
export interface DigestThrottle {
  /** Whether to push a digest now: at most one push per digest per second; later counts wait. */
  throttle(id: string): boolean;
  /** Pushes digests whose count moved since their last (throttled) push. */
  flush(now: Date): Promise<void>;
}

export function createDigestThrottle(ctx: AppContext, push: PushAlerts): DigestThrottle {
  /** Wall-clock time of each digest's last push, and digests whose newer count waits for one. */
  const digestPushedAt = new Map<string, number>();
  const digestsDue = new Set<string>();

  function throttleDigest(id: string): boolean {
    const wall = performance.now();
    const last = digestPushedAt.get(id);
    if (last !== undefined && wall - last < DIGEST_PUSH_MS) {
      digestsDue.add(id);
      return false;
    }
    digestPushedAt.set(id, wall);
    digestsDue.delete(id);
    if (digestPushedAt.size > 1000) digestPushedAt.clear();
    return true;
  }

  async function flushDigests(now: Date): Promise<void> {
    const due = [...digestsDue].filter(
      (id) => performance.now() - (digestPushedAt.get(id) ?? 0) >= DIGEST_PUSH_MS,
    );
    if (due.length === 0) return;
    const list: AlertRecord[] = [];
    const events = await ctx.database.db.transaction(async (tx) => {
      for (const id of due) {
        const a = await lockAlert(tx, id);
        if (a?.status === 'open' && throttleDigest(id)) list.push(a);
        digestsDue.delete(id);
      }
      return commitRaises(tx, list, [], now);
    });
    push(list, events);
  }

  return { throttle: throttleDigest, flush: flushDigests };
}
