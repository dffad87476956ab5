import {
  changePasswordRequestSchema,
  createUserRequestSchema,
  loginRequestSchema,
  resetPasswordRequestSchema,
  toFieldErrors,
  type LoginResponse,
  type PublicUser,
  type RoleName,
} from '@dutydesk/shared';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import { HttpError } from '../../http/errors';
import {
  clearLoginAttempts,
  clearLoginAttemptsFor,
  countUsers,
  deleteKnownDevices,
  existingGroupIds,
  findKnownDevice,
  findLiveSession,
  findUserByUsername,
  insertKnownDevice,
  insertSession,
  insertUser,
  refundLoginAttempt,
  reserveLoginAttempt,
  revokeSession,
  revokeUserSessions,
  toPublicUser,
  updatePassword,
  type BackoffRule,
  type SessionRecord,
  type UserRecord,
} from './auth.repo';
import { checkPasswordPolicy } from './passwordPolicy';
import { dummyHashPromise, hashPassword, needsRehash, verifyPassword } from './passwords';
import { generateToken, hashToken } from './tokens';

/**
 * Per user (and per known device): 5 attempts free, then 1 s, 2 s, 4 s … up to 15 minutes
 * between attempts; a run ends at the right password or after a day without attempts.
 */
export const USER_BACKOFF: BackoffRule = {
  free: 5,
  baseMs: 1_000,
  capMs: 15 * 60_000,
  resetAfterMs: 24 * 3_600_000,
};
/** Per address (an office behind one NAT): 100 failures free, then at most 30 s between attempts. */
export const ADDRESS_BACKOFF: BackoffRule = {
  free: 100,
  baseMs: 1_000,
  capMs: 30_000,
  resetAfterMs: 3_600_000,
};
/** The name of the known-device cookie, and how long a device stays known. */
export const DEVICE_COOKIE = 'dutydesk_device';
export const DEVICE_TTL_MS = 90 * 86_400_000;
/** Known devices kept in one browser's cookie (a shared desk PC, several people). */
const MAX_DEVICE_TOKENS = 5;

export interface Authenticated {
  session: SessionRecord;
  user: UserRecord;
}

export interface LoginOutcome {
  response: LoginResponse;
  /** The device cookie's new value when it changed (a device signed in for the first time). */
  deviceCookie?: string;
}

/** Device tokens in a `Cookie` header (at most a few, each 43 base64url characters). */
export function readDeviceTokens(cookieHeader: string | undefined): string[] {
  if (!cookieHeader) return [];
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== DEVICE_COOKIE) continue;
    return rest
      .join('=')
      .split('.')
      .filter((t) => /^[A-Za-z0-9_-]{43}$/.test(t))
      .slice(0, MAX_DEVICE_TOKENS);
  }
  return [];
}

/** The 429 of a login refused by its backoff, with `Retry-After`. */
export function rateLimited(until: Date, now: Date): HttpError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new HttpError(
    'rate_limited',
    `Too many failed logins; try again in ${seconds} s (or from a device you signed in on before)`,
    undefined,
    { 'Retry-After': String(seconds) },
  );
}

/**
 * Checks credentials and opens a session. Each attempt is first reserved (decision 18): on a
 * known device (its cookie) against that device's backoff only; otherwise against the
 * address's and then the user's. Nothing locks an account: attempts are spaced, not refused
 * for good, and the right password from a known device always gets through.
 */
export async function login(
  ctx: AppContext,
  body: unknown,
  from: { address: string; cookie?: string },
): Promise<LoginOutcome> {
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
  const user = await findUserByUsername(db, username);
  const presented = readDeviceTokens(from.cookie);
  const knownDevice = user
    ? await findKnownDevice(db, user.id, presented.map(hashToken), now)
    : null;
  const keys = knownDevice
    ? [{ key: `device:${knownDevice}`, rule: USER_BACKOFF }]
    : [
        { key: `ip:${from.address}`, rule: ADDRESS_BACKOFF },
        { key: `user:${username}`, rule: USER_BACKOFF },
      ];
  const reserved: string[] = [];
  for (const { key, rule } of keys) {
    const blockedUntil = await reserveLoginAttempt(db, key, rule, now);
    if (blockedUntil) {
      for (const k of reserved) await refundLoginAttempt(db, k);
      ctx.metrics.logins.inc({ outcome: 'rate_limited' });
      throw rateLimited(blockedUntil, now);
    }
    reserved.push(key);
  }
  const ok = user
    ? await verifyPassword(password, user.passwordHash)
    : await verifyPassword(password, await dummyHashPromise).then(() => false);
  if (!user || !ok || user.disabled) {
    ctx.metrics.logins.inc({ outcome: 'failed' });
    ctx.log.info(
      { username, known: user !== null, disabled: user?.disabled === true },
      'login failed',
    );
    throw new HttpError('unauthorized', 'Wrong username or password');
  }
  if (knownDevice) await clearLoginAttempts(db, `device:${knownDevice}`, now);
  else {
    await refundLoginAttempt(db, `ip:${from.address}`);
    await clearLoginAttempts(db, `user:${username}`, now);
  }
  if (needsRehash(user.passwordHash)) {
    await updatePassword(db, user.id, await hashPassword(password));
  }
  let deviceCookie: string | undefined;
  if (!knownDevice) {
    const token = generateToken();
    await insertKnownDevice(db, {
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + DEVICE_TTL_MS),
    });
    deviceCookie = [token, ...presented].slice(0, MAX_DEVICE_TOKENS).join('.');
  }
  const opened = await openSession(ctx, user, 'user', null, ctx.config.sessionTtlMs);
  ctx.metrics.logins.inc({ outcome: 'ok' });
  return {
    response: {
      token: opened.token,
      expiresAt: opened.expiresAt.toISOString(),
      user: toPublicUser(user),
    },
    ...(deviceCookie ? { deviceCookie } : {}),
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

/**
 * Revokes every session of a user (but `exceptSessionId`) and drops their sockets. Who may do
 * this to whom is checked by the caller (`users/accounts.ts`).
 */
export async function revokeUser(
  ctx: AppContext,
  userId: string,
  exceptSessionId?: string,
): Promise<number> {
  const ids = await revokeUserSessions(ctx.database.db, userId, ctx.clock.now(), exceptSessionId);
  ctx.dropSessions(ids);
  return ids.length;
}

/** 400 with the field path when a new password breaks the policy (decision 18). */
export function assertPasswordAcceptable(password: string, username: string, path: string): void {
  const problem = checkPasswordPolicy(password, username);
  if (problem) throw new HttpError('invalid', `Password ${problem}`, [{ path, message: problem }]);
}

/**
 * An admin sets a new password for a user: every session and known device of the user ends
 * and their backoff starts clean.
 */
export async function resetPassword(
  ctx: AppContext,
  user: UserRecord,
  body: unknown,
): Promise<{ revoked: number }> {
  const parsed = resetPasswordRequestSchema.safeParse(body);
  if (!parsed.success)
    throw new HttpError('invalid', 'Invalid password', toFieldErrors(parsed.error.issues));
  assertPasswordAcceptable(parsed.data.password, user.username, 'password');
  const db = ctx.database.db;
  await updatePassword(db, user.id, await hashPassword(parsed.data.password), ctx.clock.now());
  await deleteKnownDevices(db, user.id);
  await clearLoginAttemptsFor(db, `user:${user.username}`);
  return { revoked: await revokeUser(ctx, user.id) };
}

/**
 * A signed-in user changes their own password: the current one is required (and reserved like
 * a login attempt, so a stolen session cannot guess it quickly); every other session ends.
 */
export async function changeOwnPassword(
  ctx: AppContext,
  auth: Authenticated,
  body: unknown,
): Promise<{ revoked: number }> {
  if (auth.session.kind !== 'user')
    throw new HttpError('forbidden', 'A device token cannot change a password');
  const parsed = changePasswordRequestSchema.safeParse(body);
  if (!parsed.success)
    throw new HttpError('invalid', 'Invalid password change', toFieldErrors(parsed.error.issues));
  const { currentPassword, newPassword } = parsed.data;
  const db = ctx.database.db;
  const now = ctx.clock.now();
  const key = `user:${auth.user.username}`;
  const blockedUntil = await reserveLoginAttempt(db, key, USER_BACKOFF, now);
  if (blockedUntil) throw rateLimited(blockedUntil, now);
  if (!(await verifyPassword(currentPassword, auth.user.passwordHash))) {
    throw new HttpError('invalid', 'The current password is wrong', [
      { path: 'currentPassword', message: 'wrong' },
    ]);
  }
  await clearLoginAttempts(db, key, now);
  assertPasswordAcceptable(newPassword, auth.user.username, 'newPassword');
  if (newPassword === currentPassword)
    throw new HttpError('invalid', 'The new password is the current one', [
      { path: 'newPassword', message: 'same as the current password' },
    ]);
  await updatePassword(db, auth.user.id, await hashPassword(newPassword), now);
  return { revoked: await revokeUser(ctx, auth.user.id, auth.session.id) };
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
  assertPasswordAcceptable(req.password, req.username, 'password');
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
    email: req.email || null,
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
