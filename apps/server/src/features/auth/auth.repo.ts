import type { PublicUser, RoleName } from '@dutydesk/shared';
import { and, count, eq, gt, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { groups, loginFailures, sessions, userGroups, users } from '../../db/schema/index';

export interface UserRecord extends PublicUser {
  passwordHash: string;
}

export interface SessionRecord {
  id: string;
  userId: string;
  kind: 'user' | 'device';
  expiresAt: Date;
  revokedAt: Date | null;
}

type UserRow = typeof users.$inferSelect;

function toUser(row: UserRow, groupIds: string[]): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    roles: row.roles as RoleName[],
    groupIds,
    locale: row.locale === 'en' ? 'en' : 'zh-CN',
    disabled: row.disabled,
    passwordHash: row.passwordHash,
  };
}

/** Drops the password hash: what leaves the server. */
export function toPublicUser(u: UserRecord): PublicUser {
  const { passwordHash: _hash, ...rest } = u;
  return rest;
}

async function groupIdsOf(db: Db, userIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (userIds.length === 0) return out;
  const rows = await db.select().from(userGroups).where(inArray(userGroups.userId, userIds));
  for (const r of rows) {
    const list = out.get(r.userId) ?? [];
    list.push(r.groupId);
    out.set(r.userId, list);
  }
  for (const list of out.values()) list.sort();
  return out;
}

export async function findUserByUsername(db: Db, username: string): Promise<UserRecord | null> {
  const [row] = await db.select().from(users).where(eq(users.username, username.toLowerCase()));
  if (!row) return null;
  return toUser(row, (await groupIdsOf(db, [row.id])).get(row.id) ?? []);
}

export async function findUserById(db: Db, id: string): Promise<UserRecord | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  if (!row) return null;
  return toUser(row, (await groupIdsOf(db, [row.id])).get(row.id) ?? []);
}

export async function listUsers(db: Db): Promise<UserRecord[]> {
  const rows = await db.select().from(users).orderBy(users.username);
  const g = await groupIdsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toUser(r, g.get(r.id) ?? []));
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export interface NewUser {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  roles: RoleName[];
  groupIds: string[];
  locale: 'zh-CN' | 'en';
  createdAt: Date;
}

/** Inserts a user; returns false when the username is taken. */
export async function insertUser(db: Db, u: NewUser): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(users)
      .values({
        id: u.id,
        username: u.username,
        displayName: u.displayName,
        passwordHash: u.passwordHash,
        roles: u.roles,
        locale: u.locale,
        createdAt: u.createdAt,
      })
      .onConflictDoNothing({ target: users.username })
      .returning({ id: users.id });
    if (inserted.length === 0) return false;
    if (u.groupIds.length > 0) {
      await tx.insert(userGroups).values(u.groupIds.map((groupId) => ({ userId: u.id, groupId })));
    }
    return true;
  });
}

export async function updatePassword(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

export async function existingGroupIds(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.select({ id: groups.id }).from(groups).where(inArray(groups.id, ids));
  return rows.map((r) => r.id);
}

export async function insertSession(
  db: Db,
  s: {
    id: string;
    tokenHash: string;
    userId: string;
    kind: 'user' | 'device';
    label: string | null;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db.insert(sessions).values(s);
}

/** The live session behind a token hash, with its user; null when unknown, expired, revoked or disabled. */
export async function findLiveSession(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<{ session: SessionRecord; user: UserRecord } | null> {
  const [row] = await db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.tokenHash, tokenHash),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
      ),
    );
  if (!row) return null;
  const user = await findUserById(db, row.userId);
  if (!user || user.disabled) return null;
  return {
    session: {
      id: row.id,
      userId: row.userId,
      kind: row.kind === 'device' ? 'device' : 'user',
      expiresAt: row.expiresAt,
      revokedAt: row.revokedAt,
    },
    user,
  };
}

export async function revokeSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Revokes every live session of a user; returns their ids so their sockets can be dropped. */
export async function revokeUserSessions(db: Db, userId: string, now: Date): Promise<string[]> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.map((r) => r.id);
}

export async function countRecentFailures(
  db: Db,
  keys: string[],
  since: Date,
): Promise<Map<string, number>> {
  const rows = await db
    .select({ key: loginFailures.key, n: count() })
    .from(loginFailures)
    .where(and(inArray(loginFailures.key, keys), gt(loginFailures.at, since)))
    .groupBy(loginFailures.key);
  return new Map(rows.map((r) => [r.key, r.n]));
}

export async function recordFailures(db: Db, keys: string[], at: Date): Promise<void> {
  await db.insert(loginFailures).values(keys.map((key) => ({ key, at })));
}

export async function clearFailures(db: Db, key: string, olderThan: Date): Promise<void> {
  await db
    .delete(loginFailures)
    .where(or(eq(loginFailures.key, key), lt(loginFailures.at, olderThan)));
}
