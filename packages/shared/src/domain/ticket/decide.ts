import type { RoleName } from '../../contract/auth';
import type { CommandOf, Command, TicketCommand, TicketCommandType } from '../../contract/commands';
import { makeError, type AppError } from '../../contract/errors';
import type { EventOf, EventType, PendingEvent } from '../../contract/events';
import {
  asLogEntryId,
  asMilestoneId,
  isIntakeActor,
  type Actor,
  type ContactId,
  type OrganisationId,
  type TicketId,
  type UserId,
} from '../../contract/ids';
import type { Customer, Ticket, TicketStatus } from '../../contract/ticket';
import { ATTACHMENT_LIMITS } from '../../contract/attachments';
import { DEFAULT_LEVEL, resolvePriority } from './priority';
import { parseTicketNumber } from './number';
import { customerMaySee, isCustomerActor } from './customer';
import {
  CREATE_ROLES,
  isInCommandScope,
  isUnscoped,
  listCommandRoles,
  transitionFor,
  type TransitionRule,
} from './stateMachine';

/** What `decide` needs besides the ticket and the command; all of it supplied by the caller. */
export type DecideContext = {
  actor: Actor;
  /** The command's instant (the server clock). Never read from the real clock in here. */
  now: Date;
  /** Id for a ticket made by `ticket.create`. */
  newTicketId: TicketId;
  /**
   * Number for a ticket made by `ticket.create` (see `formatTicketNumber`), and for one whose
   * kind `ticket.classify` changes (a number of the new kind; any other value keeps the number).
   */
  newTicketNumber: string;
  /** Makes ids for comments, log entries and milestones. */
  newId: () => string;
  /**
   * The customer records a `ticket.create` or `ticket.customer.link` names, resolved by the
   * server (they exist, the contact belongs to the organisation): what the event carries.
   */
  customerLink?: CustomerLink;
};

/**
 * A ticket's link to its customer records as the server resolved it: the ids, the
 * organisation's contract SLA policy, and the free-text fields the records stand for.
 */
export type CustomerLink = {
  organisationId: OrganisationId | null;
  contactId: ContactId | null;
  slaPolicyId: string | null;
  /** The free-text fields from the records (null where a record does not say). */
  customer: Customer;
};

/** What `decide` answers: the events to append (maybe none, for a no-op) or an error value. */
export type DecideResult = { ok: true; events: PendingEvent[] } | { ok: false; error: AppError };

/**
 * How far in the future a `receivedAt` may lie and still be taken (as `now`): client clocks
 * drift. Further out it is `invalid`.
 */
export const RECEIVED_AT_SKEW_MS = 60_000;

/** Caps that keep one ticket document bounded; past them a command is a `conflict`. */
export const TICKET_LIMITS = {
  comments: 2_000,
  executionLog: 2_000,
  supervisionLog: 1_000,
  milestones: 50,
  contacts: 500,
  attachments: ATTACHMENT_LIMITS.perTicket,
} as const;

/**
 * The contact targets of a complaint, in the order recorded contacts meet them (the default
 * policy's `contact-15m`, `contact-2h`, `contact-24h`): each `ticket.contact.record` meets the
 * first one no earlier contact met.
 */
export const COMPLAINT_CONTACT_TARGETS: readonly string[] = [
  'contact-15m',
  'contact-2h',
  'contact-24h',
];

/**
 * The complaint contact target the next recorded contact meets, or null (not a complaint, or
 * every contact target met already).
 * @example findNextContactTarget(complaint) // 'contact-15m'
 */
export function findNextContactTarget(
  ticket: Pick<Ticket, 'kind'> & Partial<Pick<Ticket, 'contacts'>>,
): string | null {
  if (ticket.kind !== 'complaint') return null;
  const met = new Set((ticket.contacts ?? []).map((c) => c.target));
  return COMPLAINT_CONTACT_TARGETS.find((t) => !met.has(t)) ?? null;
}

/**
 * Whether the actor may give the team lead's confirmation of a milestone: an engineer never
 * on work they did (they added the milestone, or the ticket is assigned to them): four eyes.
 * Duty managers and admins stand above the team lead and may (the major-incident desk marks
 * its own announcements reached that way).
 */
export function mayConfirmAsLead(
  actor: Pick<Actor, 'id' | 'roles'>,
  ticket: Pick<Ticket, 'assigneeId'>,
  milestone: Pick<Ticket['milestones'][number], 'addedBy'>,
): boolean {
  if (isUnscoped(actor)) return true;
  return milestone.addedBy !== actor.id && ticket.assigneeId !== actor.id;
}

const VERBS: Record<TicketCommandType, string> = {
  'ticket.classify': 'classify',
  'ticket.assign': 'assign',
  'ticket.accept': 'accept',
  'ticket.comment': 'comment on',
  'ticket.log.execution': 'log execution on',
  'ticket.log.supervision': 'log supervision on',
  'ticket.milestone.add': 'add a milestone to',
  'ticket.milestone.confirm': 'confirm a milestone of',
  'ticket.pend': 'pend',
  'ticket.resume': 'resume',
  'ticket.resolve': 'resolve',
  'ticket.followUp': 'follow up',
  'ticket.close': 'close',
  'ticket.reopen': 'reopen',
  'ticket.contact.record': 'record a customer contact on',
  'ticket.refuse': 'refuse',
  'ticket.customer.link': 'link customer records to',
  'ticket.attachment.add': 'attach a file to',
  'ticket.intake.record': 'record an intake signal on',
};

function describeStatus(ticket: Ticket): string {
  return ticket.status === 'pending' && ticket.pendingReason
    ? `pending (${ticket.pendingReason})`
    : ticket.status;
}

function hintFor(type: TicketCommandType, status: TicketStatus): string {
  if (status === 'closed') return 'it is closed';
  if (type === 'ticket.resolve' && status === 'pending') return 'resume it first';
  if (type === 'ticket.resolve' && (status === 'dispatched' || status === 'reopened')) {
    return 'accept it first';
  }
  if (type === 'ticket.resolve') return 'only a ticket in progress can be resolved';
  if (type === 'ticket.pend') return 'only a ticket in progress can be pended';
  if (type === 'ticket.close') return 'close it after a satisfied follow-up';
  if (type === 'ticket.accept') return 'only a dispatched or reopened ticket can be accepted';
  if (type === 'ticket.followUp') return 'follow up a resolved ticket';
  if (type === 'ticket.reopen') return 'only a resolved or followed-up ticket can be reopened';
  if (type === 'ticket.resume') return 'only a pending ticket can be resumed';
  if (type === 'ticket.classify' || type === 'ticket.assign') return 'it is already resolved';
  if (type === 'ticket.refuse') return 'only an assigned ticket not yet resolved can be refused';
  if (type === 'ticket.milestone.add' || type === 'ticket.milestone.confirm') {
    return 'milestones are fixed once the ticket is resolved';
  }
  return 'not in this status';
}

function variantOf(command: TicketCommand): string | null {
  if (command.type === 'ticket.followUp') return command.outcome;
  if (command.type === 'ticket.milestone.confirm') return command.side;
  return null;
}

function forbid(message: string): DecideResult {
  return { ok: false, error: makeError('forbidden', message) };
}

function conflict(message: string): DecideResult {
  return { ok: false, error: makeError('conflict', message) };
}

function ok(...events: PendingEvent[]): DecideResult {
  return { ok: true, events };
}

function blankToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

function makeEvent<T extends EventType>(
  type: T,
  ticketId: TicketId | null,
  ctx: DecideContext,
  data: EventOf<T>['data'],
): PendingEvent {
  return {
    type,
    ticketId,
    at: ctx.now.toISOString(),
    actorId: ctx.actor.id,
    data,
  } as PendingEvent;
}

function formatRoles(roles: readonly RoleName[]): string {
  return roles.length > 0 ? roles.join(', ') : 'no role';
}

/**
 * Decides what a command means for a ticket: checks existence, role, scope, version, status
 * and the command's own rules, and returns the events to append. Pure: `ctx.now` is the only
 * clock and `ctx.newId` the only source of ids.
 *
 * Order of checks (first failure wins): `not_found` (no ticket) → `forbidden` (no role may do
 * this command at all / out of scope) → `conflict` (stale `expectedVersion`) → `conflict` (the
 * status does not allow the command) → `forbidden` (the role may not do it in this status) →
 * the command's own rules. Commands that would change nothing answer zero events.
 *
 * `ticket.create` always makes a `received` ticket; a `groupId` / `assigneeId` on create only
 * routes it (the queue shows it there), classification and dispatch still follow.
 * @example decide(null, createCommand, { actor, now, newTicketId, newTicketNumber, newId })
 */
export function decide(ticket: Ticket | null, command: Command, ctx: DecideContext): DecideResult {
  if (Number.isNaN(ctx.now.getTime())) {
    return { ok: false, error: makeError('internal', 'decide: invalid now') };
  }
  if (
    command.type === 'alert.ack' ||
    command.type.startsWith('organisation.') ||
    command.type.startsWith('contact.')
  ) {
    return { ok: false, error: makeError('invalid', `${command.type} is handled by the server`) };
  }
  if (command.type === 'ticket.create') return decideCreate(command, ctx);
  if (!isTicketCommand(command)) {
    return { ok: false, error: makeError('invalid', `${command.type} is not a ticket command`) };
  }
  if (!ticket || ticket.id !== command.ticketId) return ticketNotFound(command);
  const variant = variantOf(command);
  const { actor } = ctx;
  if (isCustomerActor(actor)) return decideForCustomer(ticket, command, ctx, variant);
  const anyRoles = listCommandRoles(command.type, variant);
  if (!actor.roles.some((r) => anyRoles.includes(r))) {
    return forbid(`${formatRoles(actor.roles)} may not ${VERBS[command.type]} tickets`);
  }
  if (
    !isInCommandScope(
      actor,
      { groupId: ticket.groupId, assigneeId: ticket.assigneeId, createdBy: ticket.createdBy },
      command.type,
      variant,
    )
  ) {
    return forbid(`ticket ${ticket.number} is outside your groups`);
  }
  const rule = ruleInForce(ticket, command, variant);
  if ('ok' in rule) return rule;
  if (!actor.roles.some((r) => rule.roles.includes(r))) {
    return forbid(
      `${formatRoles(actor.roles)} may not ${VERBS[command.type]} a ticket that is ${ticket.status}`,
    );
  }
  const version = ticket.version + 1;
  switch (command.type) {
    case 'ticket.classify':
      return decideClassify(ticket, command, ctx, rule.to, version);
    case 'ticket.assign':
      return decideAssign(ticket, command, ctx, rule.to, version);
    case 'ticket.accept':
      return decideAccept(ticket, ctx, version);
    case 'ticket.comment':
      if (ticket.comments.length >= TICKET_LIMITS.comments) {
        return conflict(`ticket ${ticket.number} has the most comments it may hold`);
      }
      if (command.fromCustomer && !isIntakeActor(ctx.actor)) {
        return forbid('only the intake (a customer mail) may add a comment as the customer');
      }
      if (command.fromCustomer && command.internal) {
        return {
          ok: false,
          error: makeError('invalid', "a customer's comment is public", [
            { path: 'internal', message: 'must be false with fromCustomer' },
          ]),
        };
      }
      return decideComment(ticket, command, ctx, version);
    case 'ticket.log.execution':
      return decideExecution(ticket, command, ctx, version);
    case 'ticket.log.supervision':
      return decideSupervision(ticket, command, ctx, version);
    case 'ticket.milestone.add':
      if (ticket.milestones.length >= TICKET_LIMITS.milestones) {
        return conflict(`ticket ${ticket.number} has the most milestones it may hold`);
      }
      return ok(
        makeEvent('ticket.milestoneAdded', ticket.id, ctx, {
          version,
          milestoneId: asMilestoneId(ctx.newId()),
          title: command.title,
        }),
      );
    case 'ticket.milestone.confirm':
      return decideConfirm(ticket, command, ctx, version);
    case 'ticket.pend':
      return ok(
        makeEvent('ticket.pended', ticket.id, ctx, {
          version,
          reason: command.reason,
          note: blankToNull(command.note),
          status: 'pending',
        }),
      );
    case 'ticket.resume':
      return ok(
        makeEvent('ticket.resumed', ticket.id, ctx, {
          version,
          note: blankToNull(command.note),
          status: 'in_progress',
        }),
      );
    case 'ticket.resolve':
      return decideResolve(ticket, command, ctx, version);
    case 'ticket.followUp':
      return ok(
        makeEvent('ticket.followedUp', ticket.id, ctx, {
          version,
          outcome: command.outcome,
          note: blankToNull(command.note),
          status: command.outcome === 'satisfied' ? 'follow_up' : 'reopened',
        }),
      );
    case 'ticket.close':
      return ok(makeEvent('ticket.closed', ticket.id, ctx, { version, status: 'closed' }));
    case 'ticket.reopen':
      return decideReopen(ticket, command, ctx, version);
    case 'ticket.refuse':
      return decideRefuse(ticket, command, ctx, version);
    case 'ticket.customer.link':
      return decideLink(ticket, command, ctx, version);
    case 'ticket.contact.record':
      if ((ticket.contacts ?? []).length >= TICKET_LIMITS.contacts) {
        return conflict(`ticket ${ticket.number} has the most contacts it may hold`);
      }
      return ok(
        makeEvent('ticket.contactRecorded', ticket.id, ctx, {
          version,
          contactId: asLogEntryId(ctx.newId()),
          channel: command.channel,
          summary: command.summary,
          target: findNextContactTarget(ticket),
        }),
      );
    case 'ticket.attachment.add':
      return decideAttachment(ticket, command, ctx, version);
    case 'ticket.intake.record':
      return ok(
        makeEvent('ticket.intakeRecorded', ticket.id, ctx, {
          version,
          source: command.source,
          signal: command.signal,
          at: command.at,
          summary: command.summary,
          count: (ticket.intake?.count ?? 1) + (command.signal === 'repeat' ? 1 : 0),
          queuedAt: command.queuedAt ?? null,
          answeredAt: command.answeredAt ?? null,
        }),
      );
  }
}

/** The ids of every entry an attachment may belong to: comments, both logs, contacts. */
function hasLogEntry(ticket: Ticket, id: string): boolean {
  return (
    ticket.comments.some((e) => e.id === id) ||
    ticket.executionLog.some((e) => e.id === id) ||
    ticket.supervisionLog.some((e) => e.id === id) ||
    (ticket.contacts ?? []).some((e) => e.id === id)
  );
}

/**
 * An attachment joins the ticket once: the same `attachmentId` again changes nothing (zero
 * events), so a retried upload command is harmless. A `logEntryId` must name an entry of this
 * ticket.
 */
function decideAttachment(
  ticket: Ticket,
  command: CommandOf<'ticket.attachment.add'>,
  ctx: DecideContext,
  version: number,
): DecideResult {
  const list = ticket.attachments ?? [];
  if (list.some((a) => a.id === command.attachmentId)) return ok();
  if (list.length >= TICKET_LIMITS.attachments) {
    return conflict(`ticket ${ticket.number} has the most attachments it may hold`);
  }
  if (command.logEntryId !== undefined && !hasLogEntry(ticket, command.logEntryId)) {
    return {
      ok: false,
      error: makeError('invalid', `ticket ${ticket.number} has no entry ${command.logEntryId}`, [
        { path: 'logEntryId', message: 'no such comment, log entry or contact on this ticket' },
      ]),
    };
  }
  return ok(
    makeEvent('ticket.attachmentAdded', ticket.id, ctx, {
      version,
      attachmentId: command.attachmentId,
      name: command.name,
      contentType: command.contentType,
      size: command.size,
      sha256: command.sha256,
      logEntryId: command.logEntryId ?? null,
    }),
  );
}

function isTicketCommand(command: Command): command is TicketCommand {
  return 'ticketId' in command && command.type.startsWith('ticket.');
}

/** The free text given wins field by field; the linked records fill what it leaves out. */
function normaliseCustomer(
  input: CommandOf<'ticket.create'>['customer'],
  link?: CustomerLink,
): Customer {
  return {
    org: blankToNull(input?.org) ?? link?.customer.org ?? null,
    contact: blankToNull(input?.contact) ?? link?.customer.contact ?? null,
    phone: blankToNull(input?.phone) ?? link?.customer.phone ?? null,
    email: blankToNull(input?.email) ?? link?.customer.email ?? null,
  };
}

function needsLink(ids: { organisationId?: unknown; contactId?: unknown }): boolean {
  return (
    (ids.organisationId !== undefined && ids.organisationId !== null) ||
    (ids.contactId !== undefined && ids.contactId !== null)
  );
}

const UNRESOLVED_LINK = makeError(
  'internal',
  'decide: the customer records were not resolved by the server',
);

/**
 * Linking keeps the free text the caller gave unless the records say otherwise: the records'
 * names replace it where they have one; unlinking leaves it as it was.
 */
function decideLink(
  ticket: Ticket,
  command: CommandOf<'ticket.customer.link'>,
  ctx: DecideContext,
  version: number,
): DecideResult {
  if (needsLink(command) && !ctx.customerLink) return { ok: false, error: UNRESOLVED_LINK };
  const link = ctx.customerLink ?? {
    organisationId: null,
    contactId: null,
    slaPolicyId: null,
    customer: { org: null, contact: null, phone: null, email: null },
  };
  const previousOrganisationId = ticket.organisationId ?? null;
  const previousContactId = ticket.contactId ?? null;
  if (
    link.organisationId === previousOrganisationId &&
    link.contactId === previousContactId &&
    link.slaPolicyId === (ticket.slaPolicyId ?? null)
  ) {
    return ok();
  }
  const customer: Customer = {
    org: link.customer.org ?? ticket.customer.org,
    contact: link.customer.contact ?? ticket.customer.contact,
    phone: link.customer.phone ?? ticket.customer.phone,
    email: link.customer.email ?? ticket.customer.email,
  };
  return ok(
    makeEvent('ticket.customerLinked', ticket.id, ctx, {
      version,
      organisationId: link.organisationId,
      contactId: link.contactId,
      slaPolicyId: link.slaPolicyId,
      customer,
      previousOrganisationId,
      previousContactId,
      source: 'command',
    }),
  );
}

function decideCreate(command: CommandOf<'ticket.create'>, ctx: DecideContext): DecideResult {
  const { actor } = ctx;
  if (!actor.roles.some((r) => CREATE_ROLES.includes(r)) && !isCustomerActor(actor)) {
    return forbid(`${formatRoles(actor.roles)} may not create tickets`);
  }
  if (command.majorIncident === true && !isUnscoped(actor)) {
    return forbidField(
      'majorIncident',
      'only a duty manager or an admin declares a major incident',
    );
  }
  const nowMs = ctx.now.getTime();
  let receivedAt = ctx.now.toISOString();
  if (command.receivedAt !== undefined) {
    const ms = Date.parse(command.receivedAt);
    if (Number.isNaN(ms) || ms > nowMs + RECEIVED_AT_SKEW_MS) {
      return {
        ok: false,
        error: makeError('invalid', 'receivedAt must not be in the future', [
          { path: 'receivedAt', message: 'must not be in the future' },
        ]),
      };
    }
    // Within the skew allowance the seat's clock is ahead: take the server's now.
    receivedAt = new Date(Math.min(ms, nowMs)).toISOString();
  }
  const impact = command.impact ?? DEFAULT_LEVEL;
  const urgency = command.urgency ?? DEFAULT_LEVEL;
  const linked = needsLink(command);
  if (linked && !ctx.customerLink) return { ok: false, error: UNRESOLVED_LINK };
  const link = linked ? ctx.customerLink : undefined;
  return ok(
    makeEvent('ticket.created', ctx.newTicketId, ctx, {
      version: 1,
      number: ctx.newTicketNumber,
      kind: command.kind ?? 'incident',
      title: command.title,
      description: command.description,
      channel: command.channel,
      impact,
      urgency,
      priority: resolvePriority({ impact, urgency, priority: command.priority }),
      category: blankToNull(command.category),
      module: blankToNull(command.module),
      customer: normaliseCustomer(command.customer, link),
      // Only a linked ticket's event carries the keys, so an unlinked one reads as before.
      ...(link
        ? {
            organisationId: link.organisationId,
            contactId: link.contactId,
            slaPolicyId: link.slaPolicyId,
          }
        : {}),
      groupId: command.groupId ?? null,
      assigneeId: command.assigneeId ?? null,
      majorIncident: command.majorIncident ?? false,
      receivedAt,
      status: 'received',
    }),
  );
}

function forbidField(path: string, message: string): DecideResult {
  return { ok: false, error: makeError('forbidden', message, [{ path, message }]) };
}

/**
 * Classification keeps the priority unless the command names one: impact and urgency are the
 * assessment (recorded; the console shows what the matrix suggests), never a silent change of
 * priority. A changed priority needs a `reason`, carried by the event with the old priority.
 * Setting or clearing the major-incident flag is the duty manager's or an admin's. A changed
 * kind takes the number the server allocated for it (`ctx.newTicketNumber`), the old number
 * kept in `numberAliases`.
 */
function decideClassify(
  ticket: Ticket,
  command: CommandOf<'ticket.classify'>,
  ctx: DecideContext,
  to: TicketStatus,
  version: number,
): DecideResult {
  const impact = command.impact ?? ticket.impact;
  const urgency = command.urgency ?? ticket.urgency;
  const priority = command.priority ?? ticket.priority;
  const reason = blankToNull(command.reason);
  if (priority !== ticket.priority && reason === null) {
    return {
      ok: false,
      error: makeError(
        'invalid',
        `changing the priority of ticket ${ticket.number} from ${ticket.priority} to ${priority} needs a reason`,
        [{ path: 'reason', message: 'required when the priority changes' }],
      ),
    };
  }
  const majorIncident = command.majorIncident ?? ticket.majorIncident;
  if (majorIncident !== ticket.majorIncident && !isUnscoped(ctx.actor)) {
    return forbidField(
      'majorIncident',
      'only a duty manager or an admin declares or clears a major incident',
    );
  }
  const kind = command.kind ?? ticket.kind;
  const renumbered =
    kind !== ticket.kind && parseTicketNumber(ctx.newTicketNumber)?.kind === kind
      ? ctx.newTicketNumber
      : null;
  const data = {
    version,
    kind,
    category: command.category,
    module: command.module === undefined ? ticket.module : blankToNull(command.module),
    impact,
    urgency,
    priority,
    majorIncident,
    status: to,
    ...(priority !== ticket.priority ? { previousPriority: ticket.priority, reason } : {}),
    ...(renumbered ? { number: renumbered, previousNumber: ticket.number } : {}),
  };
  const unchanged =
    to === ticket.status &&
    data.kind === ticket.kind &&
    data.category === ticket.category &&
    data.module === ticket.module &&
    impact === ticket.impact &&
    urgency === ticket.urgency &&
    priority === ticket.priority &&
    data.majorIncident === ticket.majorIncident;
  return unchanged ? ok() : ok(makeEvent('ticket.classified', ticket.id, ctx, data));
}

function decideAssign(
  ticket: Ticket,
  command: CommandOf<'ticket.assign'>,
  ctx: DecideContext,
  to: TicketStatus,
  version: number,
): DecideResult {
  const groupId = command.groupId ?? ticket.groupId;
  const groupChanged = groupId !== ticket.groupId;
  let assigneeId: UserId | null;
  if (command.assigneeId !== undefined) assigneeId = command.assigneeId;
  else assigneeId = groupChanged ? null : ticket.assigneeId;
  if (to === 'dispatched' && groupId === null && assigneeId === null) {
    return conflict(`dispatching ticket ${ticket.number} needs a group or an assignee`);
  }
  if (to === ticket.status && groupId === ticket.groupId && assigneeId === ticket.assigneeId) {
    return ok();
  }
  return ok(
    makeEvent('ticket.assigned', ticket.id, ctx, {
      version,
      groupId,
      assigneeId,
      previousGroupId: ticket.groupId,
      previousAssigneeId: ticket.assigneeId,
      reason: blankToNull(command.reason),
      status: to,
    }),
  );
}

/**
 * Accepting takes the ticket on: an unassigned ticket becomes the actor's; one assigned to
 * someone else may be accepted on their behalf only by a duty manager or an admin.
 */
function decideAccept(ticket: Ticket, ctx: DecideContext, version: number): DecideResult {
  const { actor } = ctx;
  if (ticket.assigneeId !== null && ticket.assigneeId !== actor.id && !isUnscoped(actor)) {
    return forbid(`ticket ${ticket.number} is assigned to someone else`);
  }
  return ok(
    makeEvent('ticket.accepted', ticket.id, ctx, {
      version,
      assigneeId: ticket.assigneeId ?? actor.id,
      status: 'in_progress',
    }),
  );
}

/**
 * Refusing a dispatch: only the current assignee (a duty manager or an admin reassigns instead
 * of refusing for someone). The assignee is cleared and the group kept, so the ticket is
 * `dispatched` to its group again, unassigned (`classified`, the dispatch queue, when it was
 * assigned to a person without a group). The server alerts the duty manager on duty.
 */
function decideRefuse(
  ticket: Ticket,
  command: CommandOf<'ticket.refuse'>,
  ctx: DecideContext,
  version: number,
): DecideResult {
  if (ticket.assigneeId === null || ticket.assigneeId !== ctx.actor.id) {
    return forbid(
      ticket.assigneeId === null
        ? `ticket ${ticket.number} is assigned to nobody: only its assignee may refuse it`
        : `ticket ${ticket.number} is assigned to someone else: only its assignee may refuse it`,
    );
  }
  return ok(
    makeEvent('ticket.refused', ticket.id, ctx, {
      version,
      reason: command.reason,
      previousAssigneeId: ticket.assigneeId,
      groupId: ticket.groupId,
      status: ticket.groupId === null ? 'classified' : 'dispatched',
    }),
  );
}

function missingEntry(path: string, message: string): DecideResult {
  return { ok: false, error: makeError('not_found', message, [{ path, message }]) };
}

function decideExecution(
  ticket: Ticket,
  command: CommandOf<'ticket.log.execution'>,
  ctx: DecideContext,
  version: number,
): DecideResult {
  const corrects = command.correctsEntryId ?? null;
  if (corrects !== null && !ticket.executionLog.some((e) => e.id === corrects)) {
    return missingEntry(
      'correctsEntryId',
      `no execution-log entry ${corrects} on ticket ${ticket.number}`,
    );
  }
  if (ticket.executionLog.length >= TICKET_LIMITS.executionLog) {
    return conflict(`ticket ${ticket.number} has the most execution entries it may hold`);
  }
  return ok(
    makeEvent('ticket.executionLogged', ticket.id, ctx, {
      version,
      entryId: asLogEntryId(ctx.newId()),
      work: command.work,
      problems: blankToNull(command.problems),
      progress: command.progress,
      minutesSpent: command.minutesSpent,
      correctsEntryId: corrects,
    }),
  );
}

function decideSupervision(
  ticket: Ticket,
  command: CommandOf<'ticket.log.supervision'>,
  ctx: DecideContext,
  version: number,
): DecideResult {
  const corrects = command.correctsEntryId ?? null;
  if (corrects !== null && !ticket.supervisionLog.some((e) => e.id === corrects)) {
    return missingEntry(
      'correctsEntryId',
      `no supervision-log entry ${corrects} on ticket ${ticket.number}`,
    );
  }
  if (ticket.supervisionLog.length >= TICKET_LIMITS.supervisionLog) {
    return conflict(`ticket ${ticket.number} has the most supervision entries it may hold`);
  }
  return ok(
    makeEvent('ticket.supervisionLogged', ticket.id, ctx, {
      version,
      entryId: asLogEntryId(ctx.newId()),
      source: command.source,
      attitude: blankToNull(command.attitude),
      professionalism: blankToNull(command.professionalism),
      feedback: blankToNull(command.feedback),
      ratings: { ...command.ratings },
      correctsEntryId: corrects,
    }),
  );
}

/** The answer for a ticket that does not exist, or that the caller may not know of. */
function ticketNotFound(command: TicketCommand): DecideResult {
  return {
    ok: false,
    error: makeError('not_found', `ticket ${command.ticketId} not found`, [
      { path: 'ticketId', message: 'no such ticket' },
    ]),
  };
}

/** The table's rule for the command in the ticket's status, or the conflict (stale version, wrong status). */
function ruleInForce(
  ticket: Ticket,
  command: TicketCommand,
  variant: string | null,
): TransitionRule | DecideResult {
  if (command.expectedVersion !== undefined && command.expectedVersion !== ticket.version) {
    return conflict(
      `ticket ${ticket.number} has changed: version ${ticket.version}, you had ${command.expectedVersion}`,
    );
  }
  const rule = transitionFor(command.type, ticket, variant);
  if (rule) return rule;
  return conflict(
    `cannot ${VERBS[command.type]} ticket ${ticket.number} while it is ${describeStatus(ticket)}: ${hintFor(command.type, ticket.status)}`,
  );
}

function decideComment(
  ticket: Ticket,
  command: CommandOf<'ticket.comment'>,
  ctx: DecideContext,
  version: number,
): DecideResult {
  return ok(
    makeEvent('ticket.commented', ticket.id, ctx, {
      version,
      commentId: asLogEntryId(ctx.newId()),
      body: command.body,
      internal: command.internal ?? false,
      ...(command.fromCustomer ? { fromCustomer: true } : {}),
    }),
  );
}

function decideReopen(
  ticket: Ticket,
  command: CommandOf<'ticket.reopen'>,
  ctx: DecideContext,
  version: number,
): DecideResult {
  return ok(
    makeEvent('ticket.reopened', ticket.id, ctx, {
      version,
      reason: command.reason,
      status: 'reopened',
    }),
  );
}

/**
 * A customer's command on a ticket (decision 52; the bus checked its form with
 * `checkCustomerCommand`): only on a ticket its scope reaches (else `not_found`, as for a
 * ticket that does not exist), in a status the table allows it, as the customer — a comment is
 * the customer's own words, a sign-off is the customer's and not on anyone's behalf.
 */
function decideForCustomer(
  ticket: Ticket,
  command: TicketCommand,
  ctx: DecideContext,
  variant: string | null,
): DecideResult {
  if (!customerMaySee(ctx.actor.customer, ticket)) return ticketNotFound(command);
  const rule = ruleInForce(ticket, command, variant);
  if ('ok' in rule) return rule;
  const version = ticket.version + 1;
  switch (command.type) {
    case 'ticket.comment':
      if (ticket.comments.length >= TICKET_LIMITS.comments) {
        return conflict(`ticket ${ticket.number} has the most comments it may hold`);
      }
      // The customer's own words: public, and recorded as the customer's.
      return decideComment(
        ticket,
        { ...command, internal: false, fromCustomer: true },
        ctx,
        version,
      );
    case 'ticket.log.supervision':
      return decideSupervision(ticket, command, ctx, version);
    case 'ticket.milestone.confirm':
      return decideConfirm(ticket, command, ctx, version);
    case 'ticket.reopen':
      return decideReopen(ticket, command, ctx, version);
    default:
      return forbid(`customers may not ${VERBS[command.type]} tickets`);
  }
}

/** A confirmation already given is a no-op (zero events), so two seats may race safely. */
function decideConfirm(
  ticket: Ticket,
  command: CommandOf<'ticket.milestone.confirm'>,
  ctx: DecideContext,
  version: number,
): DecideResult {
  const milestone = ticket.milestones.find((m) => m.id === command.milestoneId);
  if (!milestone) {
    return missingEntry(
      'milestoneId',
      `no milestone ${command.milestoneId} on ticket ${ticket.number}`,
    );
  }
  const byCustomer = isCustomerActor(ctx.actor);
  if (command.side === 'customer' && command.onBehalf === false && !byCustomer) {
    // Staff confirm for the customer, never as the customer: the record says so.
    return forbidField('onBehalf', "staff confirm on the customer's behalf (onBehalf: true)");
  }
  const done =
    command.side === 'lead' ? milestone.leadConfirmation : milestone.customerConfirmation;
  if (done) return ok();
  if (command.side === 'lead' && !mayConfirmAsLead(ctx.actor, ticket, milestone)) {
    return forbid(
      `you did the work on "${milestone.title}": another team lead confirms it (four eyes)`,
    );
  }
  return ok(
    makeEvent('ticket.milestoneConfirmed', ticket.id, ctx, {
      version,
      milestoneId: milestone.id,
      side: command.side,
      onBehalf: command.side === 'customer' ? !byCustomer && (command.onBehalf ?? true) : false,
    }),
  );
}

/**
 * Lists the milestones that still miss a confirmation, with the sides missing.
 * @example listUnconfirmedMilestones(ticket) // [{ milestone, missing: ['customer'] }]
 */
export function listUnconfirmedMilestones(
  ticket: Pick<Ticket, 'milestones'>,
): Array<{ milestone: Ticket['milestones'][number]; missing: Array<'lead' | 'customer'> }> {
  const out: Array<{
    milestone: Ticket['milestones'][number];
    missing: Array<'lead' | 'customer'>;
  }> = [];
  for (const m of ticket.milestones) {
    const missing: Array<'lead' | 'customer'> = [];
    if (!m.leadConfirmation) missing.push('lead');
    if (!m.customerConfirmation) missing.push('customer');
    if (missing.length > 0) out.push({ milestone: m, missing });
  }
  return out;
}

function decideResolve(
  ticket: Ticket,
  command: CommandOf<'ticket.resolve'>,
  ctx: DecideContext,
  version: number,
): DecideResult {
  const open = listUnconfirmedMilestones(ticket);
  if (open.length > 0) {
    const names = open.map((o) => `"${o.milestone.title}" (${o.missing.join(' and ')})`);
    return conflict(
      `cannot resolve ticket ${ticket.number}: milestones not confirmed: ${names.join(', ')}`,
    );
  }
  return ok(
    makeEvent('ticket.resolved', ticket.id, ctx, {
      version,
      code: command.code,
      summary: command.summary,
      status: 'resolved',
    }),
  );
}
