/**
 * What a level of the ladder means right now: whom it notifies (the assignee, whoever holds
 * the duty on the roster, or the nearest role when nobody does) and when it climbs.
 */
import type { Ticket } from '@dutydesk/shared';
import type { Tx } from '../../db/client';
import { queryOnDuty } from '../roster';
import type { AlertTargets } from './escalation.repo';
import type { EscalationLevel } from './policy';

/** When an alert raised or climbed at `now` climbs again (null: a level without a deadline). */
export function addMinutes(now: Date, minutes: number | null): string | null {
  return minutes === null ? null : new Date(now.getTime() + minutes * 60_000).toISOString();
}

/** Resolves a level's targets within one transaction, each duty read once. */
export function makeResolver(tx: Tx, now: Date) {
  const cache = new Map<string, AlertTargets>();
  return async (level: EscalationLevel, ticket: Ticket | null): Promise<AlertTargets> => {
    let notify: string = level.notify;
    if (notify === 'assignee') {
      if (ticket?.assigneeId) return { recipientIds: [ticket.assigneeId], roles: [] };
      notify = 'duty_manager';
    }
    const hit = cache.get(notify);
    if (hit) return hit;
    const on = await queryOnDuty(tx, now, notify);
    // Nobody on the roster for the duty: every holder of the nearest role gets it.
    const targets: AlertTargets =
      on.length > 0
        ? { recipientIds: on.map((u) => u.userId), roles: [] }
        : { recipientIds: [], roles: [notify === 'service_director' ? 'admin' : 'duty_manager'] };
    cache.set(notify, targets);
    return targets;
  };
}
