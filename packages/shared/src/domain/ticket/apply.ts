import type { DomainEvent, EventOf } from '../../contract/events';
import type { PendingReason, SlaTarget, Ticket, TicketStatus } from '../../contract/ticket';
import type { SlaSubject } from '../sla/clock';
import { COMPLAINT_CONTACT_TARGETS } from './decide';

function withStatus(
  ticket: Ticket,
  status: TicketStatus,
  pendingReason: PendingReason | null,
  at: string,
): Ticket {
  if (ticket.status === status && ticket.pendingReason === pendingReason) return ticket;
  return {
    ...ticket,
    status,
    pendingReason,
    statusHistory: [...ticket.statusHistory, { at, status, pendingReason }],
  };
}

function createTicket(event: EventOf<'ticket.created'>): Ticket | null {
  if (event.ticketId === null) return null;
  const d = event.data;
  const base: Ticket = {
    id: event.ticketId,
    number: d.number,
    version: d.version,
    kind: d.kind,
    title: d.title,
    description: d.description,
    channel: d.channel,
    impact: d.impact,
    urgency: d.urgency,
    priority: d.priority,
    category: d.category,
    module: d.module,
    customer: { ...d.customer },
    ...(d.organisationId !== undefined ? { organisationId: d.organisationId } : {}),
    ...(d.contactId !== undefined ? { contactId: d.contactId } : {}),
    ...(d.slaPolicyId !== undefined ? { slaPolicyId: d.slaPolicyId } : {}),
    groupId: d.groupId,
    assigneeId: d.assigneeId,
    createdBy: event.actorId,
    status: 'received',
    pendingReason: null,
    majorIncident: d.majorIncident,
    receivedAt: d.receivedAt,
    createdAt: event.at,
    updatedAt: event.at,
    firstResponseAt: null,
    lastPublicUpdateAt: null,
    resolvedAt: null,
    closedAt: null,
    resolution: null,
    followUp: null,
    statusHistory: [{ at: d.receivedAt, status: 'received', pendingReason: null }],
    comments: [],
    executionLog: [],
    supervisionLog: [],
    milestones: [],
    sla: { targets: [] },
    lastSeq: event.seq,
  };
  return withStatus(base, d.status, null, event.at);
}

function updateTarget(
  ticket: Ticket,
  name: string,
  update: (target: SlaTarget) => SlaTarget,
): Ticket {
  if (!ticket.sla.targets.some((t) => t.name === name)) return ticket;
  return {
    ...ticket,
    sla: { targets: ticket.sla.targets.map((t) => (t.name === name ? update(t) : t)) },
  };
}

function addThreshold(list: readonly number[] | undefined, threshold: number): number[] {
  const out = [...(list ?? [])];
  if (!out.includes(threshold)) out.push(threshold);
  return out.sort((a, b) => a - b);
}

/** Applies a `ticket.*` event (other than `created`) to its ticket; version and seq set by caller. */
function applyTicketChange(t: Ticket, event: DomainEvent): Ticket {
  const at = event.at;
  switch (event.type) {
    case 'ticket.classified': {
      const d = event.data;
      const renumbered = d.number !== undefined && d.number !== t.number;
      return withStatus(
        {
          ...t,
          ...(renumbered
            ? {
                number: d.number as string,
                numberAliases: [...(t.numberAliases ?? []), d.previousNumber ?? t.number],
              }
            : {}),
          ...(d.previousPriority !== undefined && d.previousPriority !== d.priority
            ? {
                priorityChanges: [
                  ...(t.priorityChanges ?? []),
                  {
                    at,
                    actorId: event.actorId,
                    from: d.previousPriority,
                    to: d.priority,
                    reason: d.reason ?? null,
                  },
                ],
              }
            : {}),
          kind: d.kind,
          category: d.category,
          module: d.module,
          impact: d.impact,
          urgency: d.urgency,
          priority: d.priority,
          majorIncident: d.majorIncident,
        },
        d.status,
        d.status === 'pending' ? t.pendingReason : null,
        at,
      );
    }
    case 'ticket.assigned': {
      const d = event.data;
      const assignment = {
        at,
        actorId: event.actorId,
        groupId: d.groupId,
        assigneeId: d.assigneeId,
        previousGroupId: d.previousGroupId,
        previousAssigneeId: d.previousAssigneeId,
        reason: d.reason,
      };
      return withStatus(
        {
          ...t,
          groupId: d.groupId,
          assigneeId: d.assigneeId,
          assignments: [...(t.assignments ?? []), assignment],
        },
        d.status,
        d.status === 'pending' ? t.pendingReason : null,
        at,
      );
    }
    case 'ticket.refused': {
      const d = event.data;
      const refusal = {
        at,
        actorId: event.actorId,
        groupId: d.groupId,
        assigneeId: null,
        previousGroupId: t.groupId,
        previousAssigneeId: d.previousAssigneeId,
        reason: d.reason,
        refused: true,
      };
      return withStatus(
        {
          ...t,
          groupId: d.groupId,
          assigneeId: null,
          assignments: [...(t.assignments ?? []), refusal],
        },
        d.status,
        null,
        at,
      );
    }
    case 'ticket.accepted':
      return withStatus({ ...t, assigneeId: event.data.assigneeId }, 'in_progress', null, at);
    case 'ticket.commented': {
      const d = event.data;
      const comment = {
        id: d.commentId,
        at,
        authorId: event.actorId,
        body: d.body,
        internal: d.internal,
        ...(d.fromCustomer ? { fromCustomer: true } : {}),
      };
      // A public comment by staff is the first response and a public update; the customer's
      // own (a mail reply) is neither.
      const staffPublic = !d.internal && !d.fromCustomer;
      return {
        ...t,
        comments: [...t.comments, comment],
        firstResponseAt: staffPublic ? (t.firstResponseAt ?? at) : t.firstResponseAt,
        lastPublicUpdateAt: staffPublic ? at : t.lastPublicUpdateAt,
      };
    }
    case 'ticket.executionLogged': {
      const d = event.data;
      const entry = {
        id: d.entryId,
        at,
        actorId: event.actorId,
        work: d.work,
        problems: d.problems,
        progress: d.progress,
        minutesSpent: d.minutesSpent,
        correctsEntryId: d.correctsEntryId,
      };
      return { ...t, executionLog: [...t.executionLog, entry] };
    }
    case 'ticket.supervisionLogged': {
      const d = event.data;
      const entry = {
        id: d.entryId,
        at,
        actorId: event.actorId,
        source: d.source,
        attitude: d.attitude,
        professionalism: d.professionalism,
        feedback: d.feedback,
        ratings: { ...d.ratings },
        correctsEntryId: d.correctsEntryId,
      };
      return { ...t, supervisionLog: [...t.supervisionLog, entry] };
    }
    case 'ticket.milestoneAdded': {
      const milestone = {
        id: event.data.milestoneId,
        title: event.data.title,
        addedAt: at,
        addedBy: event.actorId,
        leadConfirmation: null,
        customerConfirmation: null,
      };
      return { ...t, milestones: [...t.milestones, milestone] };
    }
    case 'ticket.milestoneConfirmed': {
      const d = event.data;
      return {
        ...t,
        milestones: t.milestones.map((m) => {
          if (m.id !== d.milestoneId) return m;
          return d.side === 'lead'
            ? { ...m, leadConfirmation: { by: event.actorId, at } }
            : { ...m, customerConfirmation: { by: event.actorId, at, onBehalf: d.onBehalf } };
        }),
      };
    }
    case 'ticket.pended':
      return withStatus(t, 'pending', event.data.reason, at);
    case 'ticket.resumed':
      return withStatus(t, 'in_progress', null, at);
    case 'ticket.resolved':
      return withStatus(
        {
          ...t,
          resolvedAt: at,
          resolution: { code: event.data.code, summary: event.data.summary },
        },
        'resolved',
        null,
        at,
      );
    case 'ticket.followedUp': {
      const d = event.data;
      const followUp = { outcome: d.outcome, note: d.note, at };
      if (d.status === 'reopened') {
        // Not fixed after all: the resolution no longer counts, the clock resumes.
        return withStatus(
          { ...t, followUp, resolvedAt: null, resolution: null },
          'reopened',
          null,
          at,
        );
      }
      return withStatus({ ...t, followUp }, 'follow_up', null, at);
    }
    case 'ticket.closed':
      return withStatus({ ...t, closedAt: at }, 'closed', null, at);
    case 'ticket.reopened':
      return withStatus(
        { ...t, resolvedAt: null, resolution: null, followUp: null, closedAt: null },
        'reopened',
        null,
        at,
      );
    case 'ticket.contactRecorded': {
      const d = event.data;
      const contact = {
        id: d.contactId,
        at,
        actorId: event.actorId,
        channel: d.channel,
        summary: d.summary,
        target: d.target,
      };
      return { ...t, contacts: [...(t.contacts ?? []), contact] };
    }
    case 'ticket.customerLinked': {
      const d = event.data;
      return {
        ...t,
        organisationId: d.organisationId,
        contactId: d.contactId,
        slaPolicyId: d.slaPolicyId,
        customer: { ...d.customer },
      };
    }
    case 'ticket.intakeRecorded': {
      const d = event.data;
      const before = t.intake;
      const intake = {
        source: d.source,
        count: d.count,
        lastSeenAt: d.signal === 'repeat' || !before ? d.at : before.lastSeenAt,
        // A repeat after a recovery is the condition back: the recovery no longer stands.
        recoveredAt:
          d.signal === 'recovered'
            ? d.at
            : d.signal === 'repeat'
              ? null
              : (before?.recoveredAt ?? null),
        queuedAt: d.queuedAt ?? before?.queuedAt ?? null,
        answeredAt: d.answeredAt ?? before?.answeredAt ?? null,
      };
      return { ...t, intake };
    }
    case 'ticket.attachmentAdded': {
      const d = event.data;
      const attachment = {
        id: d.attachmentId,
        name: d.name,
        contentType: d.contentType,
        size: d.size,
        sha256: d.sha256,
        logEntryId: d.logEntryId,
        at,
        actorId: event.actorId,
      };
      return { ...t, attachments: [...(t.attachments ?? []), attachment] };
    }
    default:
      return t;
  }
}

/**
 * The reducer: ticket + event → ticket, used by the server to write and by every seat to
 * update its store. Pure and total: never throws, never mutates its inputs.
 *
 * - Events for another ticket, `alert.*` events, and events with `seq ≤ ticket.lastSeq`
 *   (duplicates, replays) leave the ticket as it is (the same object).
 * - `ticket.created` on `null` builds the ticket; any other event on `null` gives `null`.
 * - `ticket.*` events set `version` from `data.version` (the previous version + 1: one
 *   `ticket.*` event per accepted command) and `updatedAt` from `at`; `sla.*` events change
 *   only `sla` and leave `version` and `updatedAt` alone; so does `attachment.purged` (it
 *   marks the attachment's `purgedAt`).
 * - Every applied event sets `lastSeq` to its `seq`.
 * - A status change appends `{ at, status, pendingReason }` to `statusHistory`.
 * @example const next = applyEvent(ticket, event);
 */
export function applyEvent(ticket: Ticket, event: DomainEvent): Ticket;
export function applyEvent(ticket: Ticket | null, event: DomainEvent): Ticket | null;
export function applyEvent(ticket: Ticket | null, event: DomainEvent): Ticket | null {
  if (event.type === 'ticket.created') {
    return ticket ?? createTicket(event);
  }
  if (!ticket || event.ticketId !== ticket.id || event.seq <= ticket.lastSeq) return ticket;
  switch (event.type) {
    case 'alert.raised':
    case 'alert.acknowledged':
    case 'event.withheld':
    case 'organisation.created':
    case 'organisation.updated':
    case 'organisation.deleted':
    case 'contact.created':
    case 'contact.updated':
    case 'contact.deleted':
    case 'kb.articleDrafted':
    case 'kb.articleReviewed':
    case 'kb.articlePublished':
    case 'kb.articleRetired':
    case 'kb.articleFeedback':
    case 'survey.answered':
    case 'problem.raised':
    case 'problem.updated':
    case 'problem.actionSaved':
    case 'problem.confirmed':
    case 'problem.closed':
    case 'problem.reported':
    case 'problem.escalated':
    case 'change.requested':
    case 'change.approved':
    case 'change.rejected':
    case 'change.done':
    case 'qa.verdictRecorded':
      return ticket;
    case 'sla.planned':
      return { ...ticket, sla: { targets: event.data.targets }, lastSeq: event.seq };
    case 'attachment.purged': {
      // The bytes are gone; the metadata and hash stay. Like sla.*: no new version.
      const { attachmentId } = event.data;
      return {
        ...ticket,
        attachments: (ticket.attachments ?? []).map((a) =>
          a.id === attachmentId ? { ...a, purgedAt: event.at } : a,
        ),
        lastSeq: event.seq,
      };
    }
    case 'sla.warning': {
      const { target, threshold } = event.data;
      const next = updateTarget(ticket, target, (t) => ({
        ...t,
        warnedThresholds: addThreshold(t.warnedThresholds, threshold),
      }));
      return { ...next, lastSeq: event.seq };
    }
    case 'sla.breached': {
      const { target, threshold } = event.data;
      const next = updateTarget(ticket, target, (t) => ({
        ...t,
        state: 'breached',
        breachedAt: t.breachedAt ?? event.at,
        warnedThresholds: addThreshold(t.warnedThresholds, threshold),
      }));
      return { ...next, lastSeq: event.seq };
    }
    default: {
      const next = applyTicketChange(ticket, event);
      return {
        ...next,
        version: event.data.version,
        updatedAt: event.at,
        lastSeq: event.seq,
      };
    }
  }
}

/**
 * Applies events in order (see {@link applyEvent}).
 * @example const ticket = applyEvents(null, eventsOfOneTicket);
 */
export function applyEvents(ticket: Ticket, events: Iterable<DomainEvent>): Ticket;
export function applyEvents(ticket: Ticket | null, events: Iterable<DomainEvent>): Ticket | null;
export function applyEvents(ticket: Ticket | null, events: Iterable<DomainEvent>): Ticket | null {
  let current = ticket;
  for (const event of events) current = applyEvent(current, event);
  return current;
}

/**
 * The ticket as the SLA engine reads it (`computeSla`, `planThresholds`). A milestone counts as
 * reached when both sides have confirmed it, at the later confirmation; it is keyed by its
 * title and by its id, so a policy target may name either. A recorded customer contact meets
 * the complaint contact target it was recorded against (`contact.target`), at its instant:
 * contact targets are met by contacts, never by a milestone's title.
 * @example computeSla(buildSlaSubject(ticket), policy, calendars, now)
 */
export function buildSlaSubject(ticket: Ticket): SlaSubject {
  const milestones: Record<string, string | null> = {};
  for (const m of ticket.milestones) {
    const lead = m.leadConfirmation?.at;
    const customer = m.customerConfirmation?.at;
    const reachedAt =
      lead && customer ? (Date.parse(lead) >= Date.parse(customer) ? lead : customer) : null;
    if (!COMPLAINT_CONTACT_TARGETS.includes(m.title)) milestones[m.title] = reachedAt;
    milestones[m.id] = reachedAt;
  }
  for (const c of ticket.contacts ?? []) {
    if (c.target !== null && !milestones[c.target]) milestones[c.target] = c.at;
  }
  // A hotline call's answer meets the `answer` target at the instant the CTI reported.
  if (ticket.intake?.answeredAt) milestones.answer ??= ticket.intake.answeredAt;
  return {
    receivedAt: ticket.receivedAt,
    priority: ticket.priority,
    kind: ticket.kind,
    category: ticket.category,
    majorIncident: ticket.majorIncident,
    statusHistory: ticket.statusHistory,
    firstResponseAt: ticket.firstResponseAt,
    lastPublicUpdateAt: ticket.lastPublicUpdateAt,
    resolvedAt: ticket.resolvedAt,
    milestones,
  };
}
