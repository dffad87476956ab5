import { makeError, type Actor, type AppError } from '@dutydesk/shared';

/**
 * No ticket is received before this instant, whoever enters it: older dates are typing
 * errors (0001-01-01), not a service desk's history.
 */
export const EARLIEST_RECEIVED_AT = '2000-01-01T00:00:00.000Z';

/** Roles that may import history older than the back-dating window. */
export const HISTORY_IMPORT_ROLES: readonly string[] = ['duty_manager', 'admin'];

/**
 * Checks a `ticket.create`'s `receivedAt` against the back-dating window before anything else
 * runs: at most `maxBackdateDays` in the past for every creator (calls logged after the fact),
 * older history only for duty managers and admins (imports), and never before
 * {@link EARLIEST_RECEIVED_AT}. (How far in the future is the shared `decide`'s rule.) Returns
 * the `invalid` error naming the window, or null.
 * @example checkReceivedAt(agent, '1970-01-01T00:00:00Z', now, 90) // { code: 'invalid', … }
 */
export function checkReceivedAt(
  actor: Pick<Actor, 'roles'>,
  receivedAt: string | undefined,
  now: Date,
  maxBackdateDays: number,
): AppError | null {
  if (receivedAt === undefined) return null;
  const ms = Date.parse(receivedAt);
  if (!Number.isFinite(ms)) return null;
  if (ms < Date.parse(EARLIEST_RECEIVED_AT)) {
    const message = `receivedAt must not be before ${EARLIEST_RECEIVED_AT.slice(0, 10)}`;
    return makeError('invalid', message, [{ path: 'receivedAt', message }]);
  }
  const windowStart = now.getTime() - maxBackdateDays * 86_400_000;
  if (ms >= windowStart) return null;
  if (actor.roles.some((r) => HISTORY_IMPORT_ROLES.includes(r))) return null;
  const message =
    `receivedAt may be at most ${maxBackdateDays} days in the past ` +
    `(not before ${new Date(windowStart).toISOString()}); older history is entered by a duty ` +
    'manager or an admin (history import)';
  return makeError('invalid', message, [{ path: 'receivedAt', message }]);
}
