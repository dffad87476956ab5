import {
  createUserRequestSchema,
  loginRequestSchema,
  toFieldErrors,
  type LoginResponse,
  type PublicUser,
  type RoleName,
} from '@dutydesk/shared';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import { HttpError } from '../../http/errors';
import {
  clearFailures,
  countRecentFailures,
  countUsers,
  existingGroupIds,
  findLiveSession,
  findUserByUsername,
  insertSession,
  insertUser,
  recordFailures,
  revokeSession,
  revokeUserSessions,
  toPublicUser,
  type SessionRecord,
  type UserRecord,
} from './auth.repo';
import { dummyHashPromise, hashPassword, verifyPassword } from './passwords';
import { generateToken, hashToken } from './tokens';

export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_USER = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export interface Authenticated {
  session: SessionRecord;
  user: UserRecord;
}

/** Checks credentials with per-user and per-address rate limits, and opens a session. */
export async function login(
  ctx: AppContext,
  body: unknown,
  address: string,
): Promise<LoginResponse> {
  const parsed = loginRequestSchema.safeParse(body);
  if (!parsed.success)
    throw new HttpError(
      'invalid',
      'username and password are required',
      toFieldErrors(parsed.error.issues),
    );
  const { password } = parsed.data;
  const username = parsed.data.username.toLowerCase();
  const db = ctx.database.db;
  const now = ctx.clock.now();
  const userKey = `user:${username}`;
  const addrKey = `ip:${address}`;
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const failures = await countRecentFailures(db, [userKey, addrKey], since);
  if (
    (failures.get(userKey) ?? 0) >= MAX_FAILURES_PER_USER ||
    (failures.get(addrKey) ?? 0) >= MAX_FAILURES_PER_ADDRESS
  ) {
    ctx.metrics.logins.inc({ outcome: 'rate_limited' });
    throw new HttpError(
      'rate_limited',
      'Too many failed logins; try again in 15 minutes',
      undefined,
      {
        'Retry-After': String(LOGIN_WINDOW_MS / 1000),
      },
    );
  }
  const user = await findUserByUsername(db, username);
  const ok = user
    ? await verifyPassword(password, user.passwordHash)
    : await verifyPassword(password, await dummyHashPromise).then(() => false);
  if (!user || !ok || user.disabled) {
    await recordFailures(db, [userKey, addrKey], now);
    ctx.metrics.logins.inc({ outcome: 'failed' });
    throw new HttpError('unauthorized', 'Wrong username or password');
  }
  await clearFailures(db, userKey, new Date(now.getTime() - 24 * 3_600_000));
  const opened = await openSession(ctx, user, 'user', null, ctx.config.sessionTtlMs);
  ctx.metrics.logins.inc({ outcome: 'ok' });
  return {
    token: opened.token,
    expiresAt: opened.expiresAt.toISOString(),
    user: toPublicUser(user),
  };
}

/** Opens a session for a user and returns its token (shown once, stored hashed). */
export async function openSession(
  ctx: AppContext,
  user: UserRecord,
  kind: 'user' | 'device',
  label: string | null,
  ttlMs: number,
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const now = ctx.clock.now();
  const token = generateToken();
  const sessionId = randomUUID();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await insertSession(ctx.database.db, {
    id: sessionId,
    tokenHash: hashToken(token),
    userId: user.id,
    kind,
    label,
    createdAt: now,
    expiresAt,
  });
  return { token, sessionId, expiresAt };
}

/** The live session and user behind a bearer token, or null. */
export async function authenticateToken(
  ctx: AppContext,
  token: string | undefined | null,
): Promise<Authenticated | null> {
  if (!token || token.length > 200) return null;
  return findLiveSession(ctx.database.db, hashToken(token), ctx.clock.now());
}

/** Ends one session and drops its sockets. */
export async function logout(ctx: AppContext, sessionId: string): Promise<void> {
  await revokeSession(ctx.database.db, sessionId, ctx.clock.now());
  ctx.dropSessions([sessionId]);
}

/** Revokes every session of a user (a duty manager's or admin's action) and drops their sockets. */
export async function revokeUser(ctx: AppContext, userId: string): Promise<number> {
  const ids = await revokeUserSessions(ctx.database.db, userId, ctx.clock.now());
  ctx.dropSessions(ids);
  return ids.length;
}

/** Creates a user from an admin's request; 400 on bad input or unknown groups, 409 on a taken username. */
export async function createUser(ctx: AppContext, body: unknown): Promise<PublicUser> {
  const parsed = createUserRequestSchema.safeParse(body);
  if (!parsed.success)
    throw new HttpError('invalid', 'Invalid user', toFieldErrors(parsed.error.issues));
  const req = parsed.data;
  const groupIds = [...new Set(req.groups ?? [])].sort();
  const known = await existingGroupIds(ctx.database.db, groupIds);
  const unknown = groupIds.filter((g) => !known.includes(g));
  if (unknown.length > 0) {
    throw new HttpError('invalid', `Unknown group: ${unknown.join(', ')}`, [
      { path: 'groups', message: `unknown: ${unknown.join(', ')}` },
    ]);
  }
  const id = randomUUID();
  const roles = [...new Set(req.roles)] as RoleName[];
  const ok = await insertUser(ctx.database.db, {
    id,
    username: req.username,
    displayName: req.displayName,
    passwordHash: await hashPassword(req.password),
    roles,
    groupIds,
    locale: req.locale ?? 'zh-CN',
    createdAt: ctx.clock.now(),
  });
  if (!ok)
    throw new HttpError('conflict', `Username "${req.username}" is taken`, [
      { path: 'username', message: 'taken' },
    ]);
  return {
    id,
    username: req.username,
    displayName: req.displayName,
    roles,
    groupIds,
    locale: req.locale ?? 'zh-CN',
    disabled: false,
  };
}

/**
 * On an empty database creates `admin` with the admin role, from
 * DUTYDESK_ADMIN_PASSWORD or a generated password that is returned to be printed once.
 */
export async function ensureAdmin(
  ctx: AppContext,
): Promise<{ created: boolean; generatedPassword?: string }> {
  if ((await countUsers(ctx.database.db)) > 0) return { created: false };
  const given = ctx.config.adminPassword;
  const password = given ?? randomBytes(12).toString('base64url');
  await createUser(ctx, {
    username: 'admin',
    password,
    displayName: 'Administrator',
    roles: ['admin'],
  });
  return given ? { created: true } : { created: true, generatedPassword: password };
}
