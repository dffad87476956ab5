import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { sessions } from '../../db/schema/index';

/** A wallboard device: a session of kind `device`; its token is shown once, at creation. */
export interface DeviceRecord {
  id: string;
  label: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

type SessionRow = typeof sessions.$inferSelect;

function toDevice(r: SessionRow): DeviceRecord {
  return {
    id: r.id,
    label: r.label ?? '',
    userId: r.userId,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    revokedAt: r.revokedAt ? r.revokedAt.toISOString() : null,
  };
}

/** Every device session, newest first (revoked ones included, marked). */
export async function listDevices(db: Db): Promise<DeviceRecord[]> {
  const rows = await db
    .select()
    .from(sessions)
    .where(eq(sessions.kind, 'device'))
    .orderBy(desc(sessions.createdAt));
  return rows.map(toDevice);
}

/** One device session by id, or null (user sessions are not devices). */
export async function findDevice(db: Db, id: string): Promise<DeviceRecord | null> {
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.kind, 'device')));
  return row ? toDevice(row) : null;
}
