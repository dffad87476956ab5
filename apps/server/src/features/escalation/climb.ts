/**
 * Climbing the ladder: unacknowledged alerts past their `climbAt` go to their step's next
 * level's targets (or stop climbing at the last level).
 */
import type { AppContext } from '../../context';
import {
  claimClimbingAlerts,
  readTicketsByIds,
  saveAlerts,
  type AlertRecord,
} from './escalation.repo';
import { commitRaises, type PushAlerts } from './emit';
import { addMinutes, makeResolver } from './levels';
import { findStep, type EscalationPolicy } from './policy';

/** Climbs every alert due at `now`, 500 per transaction (written in one statement); adds them to `out`. */
export async function climb(
  ctx: AppContext,
  policies: EscalationPolicy[],
  push: PushAlerts,
  now: Date,
  out: { climbed: AlertRecord[] },
): Promise<void> {
  for (;;) {
    const list: AlertRecord[] = [];
    const stopped: AlertRecord[] = [];
    const events = await ctx.database.db.transaction(async (tx) => {
      const due = await claimClimbingAlerts(tx, now, 500);
      if (due.length === 0) return null;
      const resolve = makeResolver(tx, now);
      const tickets = await readTicketsByIds(
        tx,
        due.map((a) => a.ticketId).filter((x): x is string => !!x),
      );
      for (const a of due) {
        const next = findStep(policies, a.stepKey)?.levels[a.level];
        if (!next) {
          a.climbAt = null;
          stopped.push(a);
          continue;
        }
        a.level += 1;
        a.targets = await resolve(next, a.ticketId ? (tickets.get(a.ticketId) ?? null) : null);
        a.climbAt = addMinutes(now, next.ackMinutes);
        a.lastRaisedAt = now.toISOString();
        a.data = { ...a.data, escalatedAt: now.toISOString(), notify: next.notify };
        list.push(a);
      }
      await saveAlerts(tx, [...stopped, ...list]);
      return commitRaises(tx, list, [], now);
    });
    if (!events) return;
    out.climbed.push(...list);
    push(list, events);
  }
}
