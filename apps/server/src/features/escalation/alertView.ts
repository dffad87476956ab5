/**
 * What an alert looks like to a reader (`toAlertView`, pushed and listed) and who may see and
 * acknowledge it (`checkAlertVisible`). Used by the engine, REST, sockets and read paths.
 */
import type { AlertRecord } from './escalation.repo';

/** An alert as pushed in `alert` messages and listed on connect. */
export function toAlertView(a: AlertRecord): Record<string, unknown> {
  return { ...a, recipientIds: a.targets.recipientIds, roles: a.targets.roles };
}

/** Whether a user may see (and acknowledge) an alert: a target, a duty manager or an admin. */
export function checkAlertVisible(
  user: { id: string; roles: readonly string[] },
  a: Pick<AlertRecord, 'targets'>,
): boolean {
  if (user.roles.includes('duty_manager') || user.roles.includes('admin')) return true;
  return (
    a.targets.recipientIds.includes(user.id) || a.targets.roles.some((r) => user.roles.includes(r))
  );
}
