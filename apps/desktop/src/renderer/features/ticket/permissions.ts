import { mayActOnTicket, mayPerformCommand } from '../../realtime/contract';
import type { RoleName, Ticket, TicketCommandType } from '../../realtime/contract';
import type { SessionUser } from '../login/session.slice';
import { classifyTicketCommandSchema } from '@dutydesk/shared';

const ROLE_NAMES: readonly string[] = ['agent', 'engineer', 'duty_manager', 'admin', 'wallboard'];

export function toRoles(user: Pick<SessionUser, 'roles'> | null): RoleName[] {
  return (user?.roles ?? []).filter((r): r is RoleName => ROLE_NAMES.includes(r));
}

type Scoped = Pick<Ticket, 'status' | 'groupId' | 'assigneeId'> &
  Partial<Pick<Ticket, 'createdBy'>>;

function toActor(user: SessionUser): Parameters<typeof mayPerformCommand>[0] {
  return { id: user.id, roles: toRoles(user), groupIds: user.groupIds } as Parameters<
    typeof mayPerformCommand
  >[0];
}

/**
 * Whether this user may perform a command on this ticket now: the shared role × transition
 * table (status, role, variant) and its scope (group, or the desk's rights on every ticket),
 * the same check the server's `decide` makes.
 */
export function mayPerform(
  user: SessionUser | null,
  ticket: Scoped,
  command: TicketCommandType,
  variant: string | null = null,
): boolean {
  if (!user) return false;
  return mayPerformCommand(
    toActor(user),
    ticket as Parameters<typeof mayPerformCommand>[1],
    command,
    variant,
  );
}

/** Whether this user may do anything on the ticket now (else the read-only notice shows). */
export function mayActAtAll(user: SessionUser | null, ticket: Scoped): boolean {
  if (!user) return false;
  return mayActOnTicket(toActor(user), ticket as Parameters<typeof mayActOnTicket>[1]);
}

/** Whether the contract lets `ticket.classify` set the major-incident flag (a capability check). */
export const CAN_DECLARE_MAJOR_INCIDENT = 'majorIncident' in classifyTicketCommandSchema.shape;

/**
 * Declaring a major incident is the duty manager's (or an admin's), on the server's
 * major-incident endpoint, which reclassifies keeping the current classification and sets
 * the flag: so it needs a classified ticket in a status where classify keeps the status.
 */
export function mayDeclareMajorIncident(user: SessionUser | null, ticket: Ticket): boolean {
  return (
    CAN_DECLARE_MAJOR_INCIDENT &&
    (user?.roles.some((r) => r === 'duty_manager' || r === 'admin') ?? false) &&
    !ticket.majorIncident &&
    ticket.category !== null &&
    ticket.status !== 'received' &&
    mayPerform(user, ticket, 'ticket.classify')
  );
}
