/**
 * QA samples (issue 22, decision 48): draw a month's sample (the monthly job, or a duty manager
 * by hand) and store it once per month; the first node to store it wins, like the handover
 * reports.
 */
import { DEFAULT_TIME_ZONE } from '@dutydesk/shared';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import { hasSample, insertSample, listClosedTickets } from './quality.repo';
import { drawQaSample, previousMonth, type QaDraw, type QaPeriod } from './sampling';

/** The desk's time zone: months are its calendar months (as the wallboard's days and weeks). */
export const QA_TIME_ZONE = DEFAULT_TIME_ZONE;

/** A fresh seed for a sample (stored with it, so the draw can be repeated). */
export const newSeed = (): string => randomBytes(8).toString('hex');

/** Draws and stores the sample of `period`; null when it exists already. */
export async function drawAndStore(
  ctx: AppContext,
  period: QaPeriod,
  seed: string,
  drawnBy: string | null,
): Promise<{ id: string; draw: QaDraw } | null> {
  const db = ctx.database.db;
  const population = await listClosedTickets(db, period);
  const draw = drawQaSample(population, seed);
  const id = randomUUID();
  const stored = await db.transaction((tx) =>
    insertSample(tx, { id, period, draw, now: ctx.clock.now(), drawnBy }, () => randomUUID()),
  );
  return stored ? { id, draw } : null;
}

/**
 * The monthly job, run at the end of every escalation run: once the month has turned (desk
 * time), draws the previous month's sample if no node has. A node remembers the month it saw
 * stored, so the check costs one query per month and node.
 */
export function createQaSampleJob(ctx: AppContext): (now: Date) => Promise<void> {
  let done: string | null = null;
  return async (now) => {
    const period = previousMonth(now, QA_TIME_ZONE);
    if (done === period.period) return;
    if (!(await hasSample(ctx.database.db, period.period))) {
      const made = await drawAndStore(ctx, period, newSeed(), null);
      if (made)
        ctx.log.info(
          { period: period.period, population: made.draw.population, size: made.draw.size },
          'QA sample drawn',
        );
    }
    done = period.period;
  };
}
