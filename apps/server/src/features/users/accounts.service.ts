import {
  toFieldErrors,
  updateUserRequestSchema,
  type PublicUser,
  type RoleName,
  type SessionView,
} from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { HttpError } from '../../http/errors';
import {
  deleteKnownDevices,
  disableUserKeepingAnAdmin,
  existingGroupIds,
  findUserById,
  listLiveSessions,
  revokeSessionOf,
  setUserDisabled,
  toPublicUser,
  updateUserKeepingAnAdmin,
  type Authenticated,
  type UserRecord,
} from '../auth';
import { resetPassword, revokeUser } from '../auth';
import { AccountAction, refuseAccountAction } from './accountRules';

/** The target user of an account action by id; 404 when unknown, 403 when out of reach. */
export async function loadTarget(
  ctx: AppContext,
  actor: UserRecord | null,
  id: string,
  action: AccountAction,
): Promise<UserRecord> {
  const target = await findUserById(ctx.database.db, id);
  if (!target) throw new HttpError('not_found', 'No such user');
  if (actor) {
    const refusal = refuseAccountAction(actor, target, action);
    if (refusal) throw new HttpError('forbidden', refusal);
  }
  return target;
}

/**
 * Disables a user: they cannot sign in, every session (device tokens of a wallboard account
 * included) ends and their sockets drop, their known devices are forgotten. The last enabled
 * admin cannot be disabled (409). `actor` null: the operator's CLI.
 */
export async function disableUser(
  ctx: AppContext,
  actor: UserRecord | null,
  id: string,
): Promise<{ user: PublicUser; revoked: number }> {
  const target = await loadTarget(ctx, actor, id, AccountAction.disable);
  const outcome = await disableUserKeepingAnAdmin(ctx.database.db, target.id, ctx.clock.now());
  if (outcome === 'not_found') throw new HttpError('not_found', 'No such user');
  if (outcome === 'last_admin')
    throw new HttpError('conflict', 'This is the last enabled admin; enable or create another');
  await deleteKnownDevices(ctx.database.db, target.id);
  const revoked = await revokeUser(ctx, target.id);
  ctx.log.info({ userId: target.id, by: actor?.id ?? 'cli' }, 'user disabled');
  return { user: { ...toPublicUser(target), disabled: true }, revoked };
}

/** Enables a disabled user again (their password is unchanged). */
export async function enableUser(
  ctx: AppContext,
  actor: UserRecord | null,
  id: string,
): Promise<{ user: PublicUser }> {
  const target = await loadTarget(ctx, actor, id, AccountAction.enable);
  await setUserDisabled(ctx.database.db, target.id, false, ctx.clock.now());
  ctx.log.info({ userId: target.id, by: actor?.id ?? 'cli' }, 'user enabled');
  return { user: { ...toPublicUser(target), disabled: false } };
}

/** Ends every session of a user within the actor's reach. */
export async function revokeUserAs(
  ctx: AppContext,
  actor: UserRecord,
  id: string,
): Promise<{ revoked: number }> {
  const target = await loadTarget(ctx, actor, id, AccountAction.revoke);
  return { revoked: await revokeUser(ctx, target.id) };
}

/** An admin's (or the CLI's) password reset. */
export async function resetPasswordAs(
  ctx: AppContext,
  actor: UserRecord | null,
  id: string,
  body: unknown,
): Promise<{ revoked: number }> {
  const target = await loadTarget(ctx, actor, id, AccountAction.resetPassword);
  const out = await resetPassword(ctx, target, body);
  ctx.log.info({ userId: target.id, by: actor?.id ?? 'cli' }, 'password reset');
  return out;
}

/**
 * An admin changes a user's display name, roles or groups (`PATCH /api/users/:id`). 400 with
 * field paths on bad input or unknown groups, 409 when it would leave no enabled admin. The
 * user's sockets drop so they reconnect with the new rights (their sessions stay).
 */
export async function updateUserAs(
  ctx: AppContext,
  actor: UserRecord,
  id: string,
  body: unknown,
): Promise<{ user: PublicUser }> {
  const parsed = updateUserRequestSchema.safeParse(body);
  if (!parsed.success)
    throw new HttpError('invalid', 'Invalid user', toFieldErrors(parsed.error.issues));
  const target = await loadTarget(ctx, actor, id, AccountAction.edit);
  const db = ctx.database.db;
  const groupIds = parsed.data.groups ? [...new Set(parsed.data.groups)].sort() : undefined;
  if (groupIds) {
    const known = await existingGroupIds(db, groupIds);
    const unknown = groupIds.filter((g) => !known.includes(g));
    if (unknown.length > 0) {
      throw new HttpError('invalid', `Unknown group: ${unknown.join(', ')}`, [
        { path: 'groups', message: `unknown: ${unknown.join(', ')}` },
      ]);
    }
  }
  const roles = parsed.data.roles ? ([...new Set(parsed.data.roles)] as RoleName[]) : undefined;
  const outcome = await updateUserKeepingAnAdmin(db, target.id, {
    ...(parsed.data.displayName !== undefined ? { displayName: parsed.data.displayName } : {}),
    ...(roles ? { roles } : {}),
    ...(groupIds ? { groupIds } : {}),
    ...(parsed.data.email !== undefined ? { email: parsed.data.email || null } : {}),
  });
  if (outcome === 'not_found') throw new HttpError('not_found', 'No such user');
  if (outcome === 'last_admin') {
    throw new HttpError('conflict', 'This is the last enabled admin; make another admin first', [
      { path: 'roles', message: 'the last enabled admin keeps the admin role' },
    ]);
  }
  if (roles || groupIds) {
    const live = await listLiveSessions(db, target.id, ctx.clock.now());
    ctx.dropSessions(live.map((s) => s.id));
  }
  ctx.log.info({ userId: target.id, by: actor.id }, 'user updated');
  const updated = await findUserById(db, target.id);
  if (!updated) throw new HttpError('not_found', 'No such user');
  return { user: toPublicUser(updated) };
}

/** A user's live sessions, for an actor who may revoke them (`current`: the actor's own). */
export async function listSessionsAs(
  ctx: AppContext,
  actor: Authenticated,
  id: string,
): Promise<{ sessions: SessionView[] }> {
  const target = await loadTarget(ctx, actor.user, id, AccountAction.revoke);
  const live = await listLiveSessions(ctx.database.db, target.id, ctx.clock.now());
  return {
    sessions: live.map((s) => ({
      id: s.id,
      kind: s.kind,
      label: s.label,
      createdAt: s.createdAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      current: s.id === actor.session.id,
    })),
  };
}

/** Ends one session of a user (its sockets drop); 404 when the user has no such live session. */
export async function revokeSessionAs(
  ctx: AppContext,
  actor: UserRecord,
  id: string,
  sessionId: string,
): Promise<{ revoked: number }> {
  const target = await loadTarget(ctx, actor, id, AccountAction.revoke);
  if (!(await revokeSessionOf(ctx.database.db, target.id, sessionId, ctx.clock.now()))) {
    throw new HttpError('not_found', 'No such live session of this user');
  }
  ctx.dropSessions([sessionId]);
  ctx.log.info({ userId: target.id, by: actor.id }, 'session revoked');
  return { revoked: 1 };
}
