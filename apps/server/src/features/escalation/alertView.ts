/**
 * What an alert looks like to a reader (`toAlertView`, pushed and listed) and who may see and
 * acknowledge it (`checkAlertVisible`). Used by the engine, REST, sockets and read paths.
 */
import type { AlertView } from '@dutydesk/shared';
import type { AlertRecord } from './escalation.repo';

/** An alert as pushed in `alert` messages, listed on connect and over REST (the protocol's alert view). */
export function toAlertView(a: AlertRecord): AlertView {
  const { targets, ...rest } = a;
  // The ids come from the database rows the shared contract's ids were written into.
  return { ...rest, recipientIds: targets.recipientIds, roles: targets.roles } as AlertView;
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
