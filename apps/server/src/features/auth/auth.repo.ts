import { localeSchema, type LocaleName, type PublicUser, type RoleName } from '@dutydesk/shared';
import { and, count, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import {
  groups,
  loginDevices,
  loginThrottles,
  sessions,
  userGroups,
  users,
} from '../../db/schema/index';

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
    locale: localeSchema.safeParse(row.locale).data ?? 'zh-CN',
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
  locale: LocaleName;
  /** Off-shift alert mails (decision 38); null: none. */
  email?: string | null;
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
        email: u.email ?? null,
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

/** Stores a new hash; `changedAt` when the password itself changed (not a rehash at login). */
export async function updatePassword(
  db: Db,
  userId: string,
  passwordHash: string,
  changedAt?: Date,
): Promise<void> {
  await db
    .update(users)
    .set(changedAt ? { passwordHash, passwordChangedAt: changedAt } : { passwordHash })
    .where(eq(users.id, userId));
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

/**
 * Revokes every live session of a user (but `exceptSessionId`); returns their ids so their
 * sockets can be dropped.
 */
export async function revokeUserSessions(
  db: Db,
  userId: string,
  now: Date,
  exceptSessionId?: string,
): Promise<string[]> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        exceptSessionId ? sql`${sessions.id} <> ${exceptSessionId}` : undefined,
      ),
    )
    .returning({ id: sessions.id });
  return rows.map((r) => r.id);
}

/** How a throttle key's attempts are spaced (decision 18). */
export interface BackoffRule {
  /** Attempts allowed without delay in a run. */
  free: number;
  /** The delay after the `free`-th attempt; it doubles with each further attempt. */
  baseMs: number;
  capMs: number;
  /** A run of attempts ends after this long without one. */
  resetAfterMs: number;
}

/**
 * Reserves one login attempt for a key in a single statement, before its password is checked:
 * admitted while the run has fewer than `free` attempts or its delay has passed; each admitted
 * attempt pushes `blocked_until` to now + its delay. Concurrent requests serialise on the row,
 * so at most `free` of a burst are admitted. Returns null when admitted, or the instant the
 * next attempt is allowed.
 */
export async function reserveLoginAttempt(
  db: Db,
  key: string,
  rule: BackoffRule,
  now: Date,
): Promise<Date | null> {
  const nowIso = now.toISOString();
  const resetBefore = new Date(now.getTime() - rule.resetAfterMs).toISOString();
  const firstDelay = rule.free <= 1 ? rule.baseMs : 0;
  const next = sql`(CASE WHEN t.last_at <= ${resetBefore}::timestamptz THEN 1 ELSE t.attempts + 1 END)`;
  const rows = await queryRows<{ attempts: number }>(
    db,
    sql`INSERT INTO login_throttles AS t (key, attempts, last_at, blocked_until)
        VALUES (${key}, 1, ${nowIso}::timestamptz,
                ${nowIso}::timestamptz + ${firstDelay}::int * interval '1 millisecond')
        ON CONFLICT (key) DO UPDATE SET
          attempts = ${next},
          last_at = ${nowIso}::timestamptz,
          blocked_until = ${nowIso}::timestamptz + (CASE WHEN ${next} < ${rule.free}::int THEN 0
            ELSE LEAST(${rule.capMs}::float8,
                       ${rule.baseMs}::float8 * power(2::float8, LEAST(${next} - ${rule.free}::int, 40)))
            END) * interval '1 millisecond'
        WHERE t.last_at <= ${resetBefore}::timestamptz
           OR t.attempts < ${rule.free}::int
           OR t.blocked_until <= ${nowIso}::timestamptz
        RETURNING t.attempts`,
  );
  if (rows.length > 0) return null;
  const [row] = await db
    .select({ blockedUntil: loginThrottles.blockedUntil })
    .from(loginThrottles)
    .where(eq(loginThrottles.key, key));
  return row?.blockedUntil ?? now;
}

/**
 * The attempts counted in each key's current run (failed guesses; successes are given back),
 * for keys whose last attempt is after `since`. Keys without a run are absent.
 */
export async function countRecentFailures(
  db: Db,
  keys: string[],
  since: Date,
): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .select({ key: loginThrottles.key, n: loginThrottles.attempts })
    .from(loginThrottles)
    .where(and(inArray(loginThrottles.key, keys), gt(loginThrottles.lastAt, since)));
  return new Map(rows.filter((r) => r.n > 0).map((r) => [r.key, r.n]));
}

/** Gives back a reserved attempt that was not a failed guess (a success, or refused elsewhere). */
export async function refundLoginAttempt(db: Db, key: string): Promise<void> {
  await db
    .update(loginThrottles)
    .set({ attempts: sql`GREATEST(${loginThrottles.attempts} - 1, 0)` })
    .where(eq(loginThrottles.key, key));
}

/** Ends a key's run of attempts (the right password was given); drops runs idle for a day. */
export async function clearLoginAttempts(db: Db, key: string, now: Date): Promise<void> {
  await db.delete(loginThrottles).where(eq(loginThrottles.key, key));
  await db
    .delete(loginThrottles)
    .where(lt(loginThrottles.lastAt, new Date(now.getTime() - 86_400_000)));
}

/** Ends one key's run of attempts (a password reset by an admin starts clean). */
export async function clearLoginAttemptsFor(db: Db, key: string): Promise<void> {
  await db.delete(loginThrottles).where(eq(loginThrottles.key, key));
}

/** The first of these device-cookie hashes bound to the user and not expired, or null. */
export async function findKnownDevice(
  db: Db,
  userId: string,
  tokenHashes: string[],
  now: Date,
): Promise<string | null> {
  if (tokenHashes.length === 0) return null;
  const [row] = await db
    .select({ tokenHash: loginDevices.tokenHash })
    .from(loginDevices)
    .where(
      and(
        inArray(loginDevices.tokenHash, tokenHashes),
        eq(loginDevices.userId, userId),
        gt(loginDevices.expiresAt, now),
      ),
    );
  return row?.tokenHash ?? null;
}

export async function insertKnownDevice(
  db: Db,
  d: { tokenHash: string; userId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.insert(loginDevices).values(d);
}

/** Forgets every known device of a user (disabled, or password reset by an admin). */
export async function deleteKnownDevices(db: Db, userId: string): Promise<void> {
  await db.delete(loginDevices).where(eq(loginDevices.userId, userId));
}

/** Sets a user's disabled flag; returns false for an unknown user. */
export async function setUserDisabled(
  db: Db,
  userId: string,
  disabled: boolean,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ disabled, disabledAt: disabled ? now : null })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  return rows.length > 0;
}

/**
 * Disables a user unless that would leave no enabled admin: one statement, so two admins
 * disabling each other at once cannot both succeed. Returns 'ok', 'last_admin' or 'not_found'.
 */
export async function disableUserKeepingAnAdmin(
  db: Db,
  userId: string,
  now: Date,
): Promise<'ok' | 'last_admin' | 'not_found'> {
  return db.transaction(async (tx) => {
    // Serialise admin-affecting disables: every such statement takes the same advisory lock.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('dutydesk.users.disable'))`);
    const [target] = await tx
      .select({ roles: users.roles, disabled: users.disabled })
      .from(users)
      .where(eq(users.id, userId));
    if (!target) return 'not_found';
    if (!target.disabled && target.roles.includes('admin')) {
      const [row] = await tx
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.disabled, false), sql`'admin' = ANY(${users.roles})`));
      if ((row?.n ?? 0) <= 1) return 'last_admin';
    }
    await tx.update(users).set({ disabled: true, disabledAt: now }).where(eq(users.id, userId));
    return 'ok';
  });
}

/** A live session of a user (not revoked, not expired), for the admin's session list. */
export interface LiveSession {
  id: string;
  kind: 'user' | 'device';
  label: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** The user's live sessions, newest first. */
export async function listLiveSessions(db: Db, userId: string, now: Date): Promise<LiveSession[]> {
  const rows = await db
    .select({
      id: sessions.id,
      kind: sessions.kind,
      label: sessions.label,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .where(
      and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)),
    )
    .orderBy(sql`${sessions.createdAt} DESC`, sessions.id);
  return rows.map((r) => ({ ...r, kind: r.kind === 'device' ? 'device' : 'user' }));
}

/** Revokes one live session of this user; false when the user has no such live session. */
export async function revokeSessionOf(
  db: Db,
  userId: string,
  sessionId: string,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

/** What an admin changes on an account (absent: unchanged). */
export interface UserPatch {
  displayName?: string;
  roles?: RoleName[];
  groupIds?: string[];
  /** null clears it. */
  email?: string | null;
}

/**
 * Updates a user's name, roles and groups unless that takes the admin role from the last
 * enabled admin (under the same advisory lock as {@link disableUserKeepingAnAdmin}, so two
 * admins demoting each other at once cannot both succeed).
 */
export async function updateUserKeepingAnAdmin(
  db: Db,
  userId: string,
  patch: UserPatch,
): Promise<'ok' | 'last_admin' | 'not_found'> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('dutydesk.users.disable'))`);
    const [target] = await tx
      .select({ roles: users.roles, disabled: users.disabled })
      .from(users)
      .where(eq(users.id, userId));
    if (!target) return 'not_found';
    if (
      patch.roles &&
      !patch.roles.includes('admin') &&
      !target.disabled &&
      target.roles.includes('admin')
    ) {
      const [row] = await tx
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.disabled, false), sql`'admin' = ANY(${users.roles})`));
      if ((row?.n ?? 0) <= 1) return 'last_admin';
    }
    const set: Partial<typeof users.$inferInsert> = {};
    if (patch.displayName !== undefined) set.displayName = patch.displayName;
    if (patch.roles !== undefined) set.roles = patch.roles;
    if (patch.email !== undefined) set.email = patch.email;
    if (Object.keys(set).length > 0) await tx.update(users).set(set).where(eq(users.id, userId));
    if (patch.groupIds !== undefined) {
      await tx.delete(userGroups).where(eq(userGroups.userId, userId));
      if (patch.groupIds.length > 0) {
        await tx.insert(userGroups).values(patch.groupIds.map((groupId) => ({ userId, groupId })));
      }
    }
    return 'ok';
  });
}
