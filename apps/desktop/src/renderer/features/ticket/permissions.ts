import { canActOnTicket, isCommandAllowed } from '../../realtime/contract';
import type { RoleName, Ticket, TicketCommandType } from '../../realtime/contract';
import type { SessionUser } from '../../store/slices/session';
import { classifyTicketCommandSchema } from '@dutydesk/shared';

const ROLE_NAMES: readonly string[] = ['agent', 'engineer', 'duty_manager', 'admin', 'wallboard'];

export function toRoles(user: Pick<SessionUser, 'roles'> | null): RoleName[] {
  return (user?.roles ?? []).filter((r): r is RoleName => ROLE_NAMES.includes(r));
}

/**
 * Whether this user may perform a command on this ticket now: the shared state
 * machine (status × role, with the variant) and the ticket scope (group).
 */
export function mayPerform(
  user: SessionUser | null,
  ticket: Pick<Ticket, 'status' | 'groupId' | 'assigneeId'>,
  command: TicketCommandType,
  variant: string | null = null,
): boolean {
  if (!user) return false;
  const roles = toRoles(user);
  const actor = { id: user.id, roles, groupIds: user.groupIds } as Parameters<
    typeof canActOnTicket
  >[0];
  return (
    isCommandAllowed(command, ticket.status, roles, variant) &&
    canActOnTicket(actor, ticket as Parameters<typeof canActOnTicket>[1])
  );
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
