import type { RoleName } from '../../contract/auth';
import type { TicketCommandType } from '../../contract/commands';
import type { Actor } from '../../contract/ids';
import type { Ticket, TicketStatus } from '../../contract/ticket';

/**
 * Whose tickets a rule reaches for agents and engineers (duty managers and admins reach all):
 * - `group`: tickets of the actor's groups, assigned to the actor, or in no group yet;
 * - `desk`: also every ticket for agents (the desk owns receipt, the follow-up call and
 *   closure whichever group works the ticket) and for the staff member who took the call
 *   (`createdBy`).
 */
export const RuleScope = { group: 'group', desk: 'desk' } as const;
export type RuleScope = (typeof RuleScope)[keyof typeof RuleScope];

/**
 * One row of the state machine: `command` (with `variant`, the follow-up outcome or the
 * milestone side) may be performed on a ticket in status `from` by any of `roles`, leaving it
 * in status `to` (`to === from` when the command does not change the status), on the tickets
 * `scope` reaches.
 */
export type TransitionRule = {
  command: TicketCommandType;
  variant: string | null;
  from: TicketStatus;
  to: TicketStatus;
  roles: readonly RoleName[];
  scope: RuleScope;
};

const AGENT: RoleName = 'agent';
const ENGINEER: RoleName = 'engineer';
const DUTY_MANAGER: RoleName = 'duty_manager';
const ADMIN: RoleName = 'admin';

/** The desk: agents plus those who may do everything. */
const DESK = [AGENT, DUTY_MANAGER, ADMIN] as const;
/** Resolvers: engineers plus those who may do everything. */
const RESOLVERS = [ENGINEER, DUTY_MANAGER, ADMIN] as const;
/** All staff. Wallboards never act. */
const STAFF = [AGENT, ENGINEER, DUTY_MANAGER, ADMIN] as const;

/** Statuses in which work on a ticket is still under way (before resolution). */
const WORKING: readonly TicketStatus[] = [
  'received',
  'classified',
  'dispatched',
  'in_progress',
  'pending',
  'reopened',
];
/** Every status but `closed`. */
const NOT_CLOSED: readonly TicketStatus[] = [...WORKING, 'resolved', 'follow_up'];
/** Every status. */
const ANY: readonly TicketStatus[] = [...NOT_CLOSED, 'closed'];
/** Assigned and not yet resolved: where a reassignment or a reclassification keeps the status. */
const ASSIGNED: readonly TicketStatus[] = ['dispatched', 'in_progress', 'pending', 'reopened'];

function rule(
  command: TicketCommandType,
  from: TicketStatus,
  to: TicketStatus,
  roles: readonly RoleName[],
  variant: string | null = null,
  scope: RuleScope = RuleScope.group,
): TransitionRule {
  return { command, variant, from, to, roles, scope };
}

function stay(
  command: TicketCommandType,
  statuses: readonly TicketStatus[],
  roles: readonly RoleName[],
  variant: string | null = null,
  scope: RuleScope = RuleScope.group,
): TransitionRule[] {
  return statuses.map((s) => rule(command, s, s, roles, variant, scope));
}

const DESK_SCOPE = RuleScope.desk;

/**
 * The state machine, one row per (command, variant, from status). Anything not listed is
 * refused: `conflict` when no row has that status, `forbidden` when the row lacks the role.
 *
 * The flow: received → classified → dispatched → in_progress ⇄ pending(customer|vendor|change);
 * in_progress → resolved → follow_up → closed; resolved | follow_up → reopened → in_progress.
 *
 * The assignee may refuse a dispatch while it is assigned and not resolved (`ticket.refuse`):
 * the assignee is cleared and the ticket is `dispatched` to its group again (`classified` when
 * it has none); the duty manager on duty is alerted (decision 36).
 *
 * Who: agents classify, dispatch, follow up, close and reopen; engineers accept, pend, resume,
 * resolve, keep the execution log and confirm milestones as lead; duty managers and admins may
 * do everything; wallboards nothing. Reassignment and reclassification of an assigned ticket
 * are open to engineers too (hand-off to L3, priority upgrade after diagnosis).
 *
 * Desk-scoped rows (comments, the supervision log, the customer's confirmation, customer
 * contacts, the customer link, attachments, follow-up, close, reopen) reach every ticket for agents: the five-step flow keeps
 * receipt, the follow-up call and closure with the desk after the ticket went to L2/L3.
 */
export const TRANSITIONS: readonly TransitionRule[] = [
  rule('ticket.classify', 'received', 'classified', DESK),
  ...stay('ticket.classify', ['classified', ...ASSIGNED], STAFF),

  // Routing before classification keeps `received`; the first assignment after it dispatches.
  ...stay('ticket.assign', ['received'], DESK),
  rule('ticket.assign', 'classified', 'dispatched', DESK),
  ...stay('ticket.assign', ASSIGNED, STAFF),
  // Only the assignee refuses (`mayPerformCommand`); the ticket waits for dispatch again.
  ...ASSIGNED.map((s) => rule('ticket.refuse', s, 'dispatched', STAFF)),

  rule('ticket.accept', 'dispatched', 'in_progress', RESOLVERS),
  rule('ticket.accept', 'reopened', 'in_progress', RESOLVERS),

  ...stay('ticket.comment', NOT_CLOSED, STAFF, null, DESK_SCOPE),
  ...stay('ticket.log.execution', NOT_CLOSED, RESOLVERS),
  // Satisfaction surveys arrive after closure, so the supervision log stays open.
  ...stay('ticket.log.supervision', ANY, DESK, null, DESK_SCOPE),
  ...stay('ticket.contact.record', NOT_CLOSED, STAFF, null, DESK_SCOPE),
  // The customer records are the desk's (decision 31); a closed ticket may still be put right
  // for the reports and compensation.
  ...stay('ticket.customer.link', ANY, DESK, null, DESK_SCOPE),
  // Signed acceptance forms and survey scans arrive after closure: attachments stay open.
  ...stay('ticket.attachment.add', ANY, STAFF, null, DESK_SCOPE),
  // What a monitoring, hotline or chat door reports on its open ticket (issue 19).
  ...stay('ticket.intake.record', NOT_CLOSED, DESK, null, DESK_SCOPE),

  ...stay('ticket.milestone.add', WORKING, RESOLVERS),
  ...stay('ticket.milestone.confirm', WORKING, RESOLVERS, 'lead'),
  ...stay('ticket.milestone.confirm', WORKING, DESK, 'customer', DESK_SCOPE),

  rule('ticket.pend', 'in_progress', 'pending', RESOLVERS),
  rule('ticket.resume', 'pending', 'in_progress', RESOLVERS),
  rule('ticket.resolve', 'in_progress', 'resolved', RESOLVERS),

  rule('ticket.followUp', 'resolved', 'follow_up', DESK, 'satisfied', DESK_SCOPE),
  rule('ticket.followUp', 'resolved', 'reopened', DESK, 'not_resolved', DESK_SCOPE),
  rule('ticket.close', 'follow_up', 'closed', DESK, null, DESK_SCOPE),
  rule('ticket.reopen', 'resolved', 'reopened', DESK, null, DESK_SCOPE),
  rule('ticket.reopen', 'follow_up', 'reopened', DESK, null, DESK_SCOPE),
];

/** Roles that may create tickets. */
export const CREATE_ROLES: readonly RoleName[] = STAFF;

/** Roles that see and act on every ticket regardless of group. */
export const UNSCOPED_ROLES: readonly RoleName[] = [DUTY_MANAGER, ADMIN];

function hasAnyRole(roles: readonly RoleName[], allowed: readonly RoleName[]): boolean {
  return roles.some((r) => allowed.includes(r));
}

/**
 * Whether any of `roles` may move a ticket from status `from` to a different status `to`.
 * Only status changes count: `canTransition(s, s, roles)` is always false.
 * @example canTransition('in_progress', 'resolved', ['engineer']) // true
 */
export function canTransition(
  from: TicketStatus,
  to: TicketStatus,
  roles: readonly RoleName[],
): boolean {
  return (
    from !== to &&
    TRANSITIONS.some((t) => t.from === from && t.to === to && hasAnyRole(roles, t.roles))
  );
}

/**
 * The rule a command follows on a ticket in its current status, or `null` when the command
 * is not possible in that status. `variant` picks the follow-up outcome or the milestone side.
 * @example transitionFor('ticket.followUp', ticket, 'not_resolved')?.to // 'reopened'
 */
export function transitionFor(
  commandType: TicketCommandType,
  ticket: Pick<Ticket, 'status'>,
  variant: string | null = null,
): TransitionRule | null {
  return (
    TRANSITIONS.find(
      (t) =>
        t.command === commandType &&
        t.from === ticket.status &&
        (t.variant === null || t.variant === variant),
    ) ?? null
  );
}

/**
 * The roles that may perform a command (and variant) in some status; empty for none.
 * @example listCommandRoles('ticket.resolve') // ['engineer', 'duty_manager', 'admin']
 */
export function listCommandRoles(
  commandType: TicketCommandType,
  variant: string | null = null,
): RoleName[] {
  const roles = new Set<RoleName>();
  for (const t of TRANSITIONS) {
    if (t.command === commandType && (t.variant === null || t.variant === variant)) {
      for (const r of t.roles) roles.add(r);
    }
  }
  return [...roles];
}

/**
 * Whether any of `roles` may perform a command (and variant) on a ticket in `status`.
 * @example isCommandAllowed('ticket.close', 'follow_up', ['agent']) // true
 */
export function isCommandAllowed(
  commandType: TicketCommandType,
  status: TicketStatus,
  roles: readonly RoleName[],
  variant: string | null = null,
): boolean {
  const t = transitionFor(commandType, { status }, variant);
  return t !== null && hasAnyRole(roles, t.roles);
}

/**
 * Ticket scope: duty managers and admins act on any ticket; agents and engineers on tickets of
 * their groups, assigned to them, or in no group yet (new tickets at the desk); wallboards on
 * none.
 * @example canActOnTicket(actor, ticket)
 */
export function canActOnTicket(
  actor: Pick<Actor, 'id' | 'roles' | 'groupIds'>,
  ticket: Pick<Ticket, 'groupId' | 'assigneeId'>,
): boolean {
  if (hasAnyRole(actor.roles, UNSCOPED_ROLES)) return true;
  if (!hasAnyRole(actor.roles, [AGENT, ENGINEER])) return false;
  return (
    ticket.groupId === null ||
    ticket.assigneeId === actor.id ||
    actor.groupIds.includes(ticket.groupId)
  );
}

/**
 * Whether a command (and variant) reaches the actor's ticket under the table's scope: the
 * group scope of {@link canActOnTicket}, widened on desk-scoped rows to every ticket for
 * agents and to the tickets the actor took (created). Status and role are not checked here.
 * @example isInCommandScope(agent, ticketInL2, 'ticket.close') // true
 */
export function isInCommandScope(
  actor: Pick<Actor, 'id' | 'roles' | 'groupIds'>,
  ticket: Pick<Ticket, 'groupId' | 'assigneeId'> & Partial<Pick<Ticket, 'createdBy' | 'status'>>,
  commandType: TicketCommandType,
  variant: string | null = null,
): boolean {
  if (canActOnTicket(actor, ticket)) return true;
  const rows = TRANSITIONS.filter(
    (t) =>
      t.command === commandType &&
      t.scope === RuleScope.desk &&
      (t.variant === null || t.variant === variant) &&
      (ticket.status === undefined || t.from === ticket.status),
  );
  return rows.some(
    (t) =>
      (actor.roles.includes(AGENT) && t.roles.includes(AGENT)) ||
      (ticket.createdBy != null &&
        ticket.createdBy === actor.id &&
        hasAnyRole(actor.roles, t.roles)),
  );
}

/**
 * The one permission check of a ticket command, used by the server's `decide` and by the
 * console to enable actions: the status allows the command, one of the actor's roles may do
 * it in that status, and the ticket is in the rule's scope for the actor.
 * @example mayPerformCommand(agent, ticket, 'ticket.followUp', 'satisfied')
 */
export function mayPerformCommand(
  actor: Pick<Actor, 'id' | 'roles' | 'groupIds'>,
  ticket: Pick<Ticket, 'status' | 'groupId' | 'assigneeId'> & Partial<Pick<Ticket, 'createdBy'>>,
  commandType: TicketCommandType,
  variant: string | null = null,
): boolean {
  return (
    isCommandAllowed(commandType, ticket.status, actor.roles, variant) &&
    isInCommandScope(actor, ticket, commandType, variant) &&
    isAssigneeCommandFor(actor, ticket, commandType)
  );
}

/**
 * Commands only the ticket's current assignee may perform, whatever their role: refusing a
 * dispatch (a duty manager reassigns instead).
 */
export const ASSIGNEE_ONLY_COMMANDS: readonly TicketCommandType[] = ['ticket.refuse'];

/**
 * Whether the actor passes the assignee rule of a command: true for commands without one, and
 * for assignee-only commands when the ticket is assigned to the actor.
 * @example isAssigneeCommandFor(engineer, ticketAssignedToThem, 'ticket.refuse') // true
 */
export function isAssigneeCommandFor(
  actor: Pick<Actor, 'id'>,
  ticket: Pick<Ticket, 'assigneeId'>,
  commandType: TicketCommandType,
): boolean {
  return !ASSIGNEE_ONLY_COMMANDS.includes(commandType) || ticket.assigneeId === actor.id;
}

/**
 * Whether the actor may do anything at all on the ticket now (the console's read-only notice).
 * @example mayActOnTicket(engineerOfL3, ticketInL2) // false
 */
export function mayActOnTicket(
  actor: Pick<Actor, 'id' | 'roles' | 'groupIds'>,
  ticket: Pick<Ticket, 'status' | 'groupId' | 'assigneeId'> & Partial<Pick<Ticket, 'createdBy'>>,
): boolean {
  return TRANSITIONS.some(
    (t) =>
      t.from === ticket.status &&
      hasAnyRole(actor.roles, t.roles) &&
      isInCommandScope(actor, ticket, t.command, t.variant) &&
      isAssigneeCommandFor(actor, ticket, t.command),
  );
}

/** Whether the actor holds a role that may do everything (duty manager, admin). */
export function isUnscoped(actor: Pick<Actor, 'roles'>): boolean {
  return hasAnyRole(actor.roles, UNSCOPED_ROLES);
}
