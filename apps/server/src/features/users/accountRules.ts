import type { RoleName } from '@dutydesk/shared';

/** What one user may do to another's account. */
export const AccountAction = {
  revoke: 'revoke',
  disable: 'disable',
  enable: 'enable',
  resetPassword: 'resetPassword',
  /** Name, roles and groups: admins only. */
  edit: 'edit',
} as const;
export type AccountAction = (typeof AccountAction)[keyof typeof AccountAction];

/** Roles a duty manager may act on: a target holding any other role is out of reach. */
const DUTY_MANAGER_REACH: readonly RoleName[] = ['agent', 'engineer'];

interface Account {
  id: string;
  roles: readonly RoleName[];
}

/**
 * Why an actor may not do this to a target's account, or null when they may (decision 18):
 * admins act on anyone (a password reset too); a duty manager (not admin) revokes, disables
 * and enables agents and engineers only (not managers, admins or wallboard accounts), and
 * resets no password; nobody else acts on accounts; nobody disables themselves. The last
 * enabled admin is guarded where the disable is written (in one transaction).
 */
export function refuseAccountAction(
  actor: Account,
  target: Account,
  action: AccountAction,
): string | null {
  if (action === AccountAction.disable && actor.id === target.id)
    return 'You cannot disable your own account';
  if (actor.roles.includes('admin')) return null;
  if (!actor.roles.includes('duty_manager')) return 'Only an admin or a duty manager may do this';
  if (action === AccountAction.resetPassword) return 'Only an admin may reset a password';
  if (action === AccountAction.edit) return 'Only an admin may change roles and groups';
  if (!target.roles.every((r) => DUTY_MANAGER_REACH.includes(r)))
    return 'A duty manager may act on agents and engineers only';
  return null;
}
