import type { Group } from '@dutydesk/shared';
import type { Db } from '../../db/client';
import { groups } from '../../db/schema/index';

export async function listGroups(db: Db): Promise<Group[]> {
  const rows = await db.select().from(groups).orderBy(groups.tier, groups.id);
  return rows.map((r) => ({ id: r.id, name: r.name, nameZh: r.nameZh, tier: r.tier }));
}

/** Inserts a group; false when the id is taken. */
export async function insertGroup(db: Db, g: Group, now: Date): Promise<boolean> {
  const rows = await db
    .insert(groups)
    .values({ ...g, createdAt: now })
    .onConflictDoNothing({ target: groups.id })
    .returning({ id: groups.id });
  return rows.length > 0;
}
