import { and, eq, isNull, notInArray } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { slaTimers } from '../../db/schema/index';

export interface PlannedTimer {
  target: string;
  threshold: number;
  afterMinutes: number;
  key: string;
  dueAt: Date;
}

/**
 * Replaces the unfired timers of a ticket with a new plan. Rows already fired stay (their key
 * is kept, so the same threshold is never planned and fired twice).
 */
export async function replaceTimers(tx: Tx, ticketId: string, plan: PlannedTimer[]): Promise<void> {
  const keys = plan.map((p) => p.key);
  await tx
    .delete(slaTimers)
    .where(
      and(
        eq(slaTimers.ticketId, ticketId),
        isNull(slaTimers.firedAt),
        keys.length > 0 ? notInArray(slaTimers.key, keys) : undefined,
      ),
    );
  if (plan.length === 0) return;
  await tx
    .insert(slaTimers)
    .values(plan.map((p) => ({ ticketId, ...p })))
    .onConflictDoNothing({ target: [slaTimers.ticketId, slaTimers.key] });
}
