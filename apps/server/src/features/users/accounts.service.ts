import type { PublicUser } from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { HttpError } from '../../http/errors';
import {
  deleteKnownDevices,
  disableUserKeepingAnAdmin,
  findUserById,
  setUserDisabled,
  toPublicUser,
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
