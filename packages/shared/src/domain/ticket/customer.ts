import type { Command, CommandType } from '../../contract/commands';
import { makeError, type AppError } from '../../contract/errors';
import type { Actor, CustomerScope } from '../../contract/ids';
import type { PublicTicket } from '../../contract/portal';
import type { Ticket } from '../../contract/ticket';

/**
 * The customer's side of the desk (decision 52): the commands a customer actor may send and
 * what it sees of a ticket. Everything else is refused to role `customer`, by the command bus
 * for every command and by the portal's reads, with these functions.
 */

/**
 * The only commands a customer may send: a supervision-log entry, the customer's sign-off of a
 * milestone, a public comment, a new request or complaint (`ticket.create`), a reopen, and the
 * confirmation that a problem of theirs is solved (`problem.confirm`, decision 58).
 */
export const CUSTOMER_COMMANDS = [
  'ticket.log.supervision',
  'ticket.milestone.confirm',
  'ticket.comment',
  'ticket.create',
  'ticket.reopen',
  'problem.confirm',
] as const satisfies readonly CommandType[];
export type CustomerAllowedCommand = (typeof CUSTOMER_COMMANDS)[number];

/** The actor id prefix of customers (`customer:<contactId>`); never a user's id (uuids). */
export const CUSTOMER_ACTOR_PREFIX = 'customer:';

/** Whether an actor is a customer (role `customer`): it is held to the customer's rules. */
export function isCustomerActor(actor: Pick<Actor, 'roles'>): boolean {
  return actor.roles.includes('customer');
}

/** Whether a customer's scope reaches a ticket (its contact's, its organisation's, its link's). */
export function customerMaySee(
  scope: CustomerScope | undefined,
  ticket: Pick<Ticket, 'id' | 'contactId' | 'organisationId'>,
): boolean {
  if (!scope) return false;
  if (scope.ticketId !== null) return ticket.id === scope.ticketId;
  if (ticket.contactId != null && ticket.contactId === scope.contactId) return true;
  return (
    scope.organisationWide &&
    scope.organisationId !== null &&
    ticket.organisationId != null &&
    ticket.organisationId === scope.organisationId
  );
}

function refuse(message: string, path?: string): AppError {
  return makeError('forbidden', message, path ? [{ path, message }] : undefined);
}

/**
 * What the bus checks of a customer's command before anything else: one of
 * {@link CUSTOMER_COMMANDS}, in the customer's own form (a public comment, a supervision entry
 * as the customer, the customer's side of a milestone signed by the customer, a request or
 * complaint from the portal for its own contact). The ticket's scope is `decide`'s check.
 * Null when it may go on.
 */
export function checkCustomerCommand(actor: Actor, command: Command): AppError | null {
  if (!isCustomerActor(actor)) return null;
  const scope = actor.customer;
  if (!scope || actor.roles.length !== 1) return refuse('A customer actor needs its scope');
  if (!(CUSTOMER_COMMANDS as readonly string[]).includes(command.type)) {
    return refuse(`Customers may not send ${command.type}`);
  }
  switch (command.type) {
    case 'ticket.comment':
      if (command.internal) return refuse('A customer writes public comments only', 'internal');
      return null;
    case 'ticket.log.supervision':
      if (command.source !== 'customer') {
        return refuse('A customer writes the supervision log as the customer', 'source');
      }
      if (command.correctsEntryId) {
        return refuse('Ask the desk to correct an entry', 'correctsEntryId');
      }
      return null;
    case 'ticket.milestone.confirm':
      if (command.side !== 'customer')
        return refuse("A customer signs the customer's side", 'side');
      if (command.onBehalf === true) return refuse('A customer signs as the customer', 'onBehalf');
      return null;
    case 'ticket.create': {
      if (command.channel !== 'portal')
        return refuse('Customers raise tickets on the portal', 'channel');
      if (command.contactId !== scope.contactId) {
        return refuse('A customer raises tickets for its own contact', 'contactId');
      }
      if (command.organisationId != null && command.organisationId !== scope.organisationId) {
        return refuse('A customer raises tickets for its own organisation', 'organisationId');
      }
      const staffOnly = [
        'priority',
        'impact',
        'urgency',
        'receivedAt',
        'category',
        'module',
        'customer',
        'groupId',
        'assigneeId',
        'majorIncident',
      ] as const;
      for (const key of staffOnly) {
        if (command[key] !== undefined && command[key] !== null) {
          return refuse(`${key} is set by the desk`, key);
        }
      }
      return null;
    }
    case 'problem.confirm':
      // A customer confirms as itself; the problem's organisation is the handler's check.
      if (command.contactId != null && command.contactId !== scope.contactId)
        return refuse('A customer confirms as its own contact', 'contactId');
      if (scope.ticketId !== null) return refuse('Sign in to the portal to confirm a problem');
      return null;
    default:
      return null;
  }
}

/** Whether an attachment is public: on the ticket itself, a public comment or the supervision log. */
function publicEntryIds(ticket: Ticket): Set<string> {
  const ids = new Set<string>();
  for (const c of ticket.comments) if (!c.internal) ids.add(c.id);
  for (const e of ticket.supervisionLog) ids.add(e.id);
  return ids;
}

/** Whether an attachment of the ticket may be shown and downloaded on the portal. */
export function isPublicAttachment(ticket: Ticket, attachmentId: string): boolean {
  const a = (ticket.attachments ?? []).find((x) => x.id === attachmentId);
  if (!a || a.purgedAt) return false;
  return a.logEntryId === null || publicEntryIds(ticket).has(a.logEntryId);
}

/**
 * What a customer sees of a ticket: status, public timeline, supervision log, milestones and
 * public attachments; no internal note, execution log, contact record, group, assignee or any
 * staff id or name. The SLA promise is the ticket's targets with a due time.
 */
export function toPublicTicket(ticket: Ticket): PublicTicket {
  const entries = publicEntryIds(ticket);
  return {
    id: ticket.id,
    number: ticket.number,
    kind: ticket.kind,
    title: ticket.title,
    description: ticket.description,
    status: ticket.status,
    pendingReason: ticket.pendingReason,
    priority: ticket.priority,
    receivedAt: ticket.receivedAt,
    updatedAt: ticket.updatedAt,
    resolvedAt: ticket.resolvedAt,
    closedAt: ticket.closedAt,
    resolution: ticket.resolution?.summary ?? null,
    statusHistory: ticket.statusHistory.map((s) => ({ at: s.at, status: s.status })),
    comments: ticket.comments
      .filter((c) => !c.internal)
      .map((c) => ({
        id: c.id,
        at: c.at,
        body: c.body,
        by:
          c.fromCustomer || (c.authorId ?? '').startsWith(CUSTOMER_ACTOR_PREFIX)
            ? ('customer' as const)
            : ('desk' as const),
      })),
    supervisionLog: ticket.supervisionLog.map((e) => ({
      id: e.id,
      at: e.at,
      source: e.source,
      attitude: e.attitude,
      professionalism: e.professionalism,
      feedback: e.feedback,
      ratings: e.ratings,
      correctsEntryId: e.correctsEntryId,
    })),
    milestones: ticket.milestones.map((m) => ({
      id: m.id,
      title: m.title,
      addedAt: m.addedAt,
      leadConfirmedAt: m.leadConfirmation?.at ?? null,
      customerConfirmation: m.customerConfirmation
        ? { at: m.customerConfirmation.at, onBehalf: m.customerConfirmation.onBehalf }
        : null,
    })),
    attachments: (ticket.attachments ?? [])
      .filter((a) => !a.purgedAt && (a.logEntryId === null || entries.has(a.logEntryId)))
      .map((a) => ({
        id: a.id,
        name: a.name,
        contentType: a.contentType,
        size: a.size,
        at: a.at,
      })),
    promise: ticket.sla.targets.flatMap((t) =>
      t.dueAt ? [{ target: t.name, dueAt: t.dueAt, metAt: t.metAt ?? null, state: t.state }] : [],
    ),
  };
}
