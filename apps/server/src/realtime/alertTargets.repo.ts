import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { alerts } from '../db/schema/index';
import type { AlertTargets } from './visibility';

/** The current targets of these alerts (ids not found are absent). */
export async function readAlertTargets(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, AlertTargets>> {
  const out = new Map<string, AlertTargets>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ id: alerts.id, targets: alerts.targets })
    .from(alerts)
    .where(inArray(alerts.id, [...new Set(ids)]));
  for (const r of rows) out.set(r.id, r.targets as AlertTargets);
  return out;
}
