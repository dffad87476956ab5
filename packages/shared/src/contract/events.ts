import { z } from 'zod';
import { roleSchema } from './auth';
import {
  contactSavedDataSchema,
  customerDeletedDataSchema,
  organisationSavedDataSchema,
} from './customers';
import {
  alertIdSchema,
  contactIdSchema,
  groupIdSchema,
  organisationIdSchema,
  logEntryIdSchema,
  milestoneIdSchema,
  ticketIdSchema,
  userIdSchema,
} from './ids';
import { attachmentIdSchema, sha256Schema } from './attachments';
import { kbArticleEventDataSchema } from './kb';
import { changeEventDataSchema, problemEventDataSchema } from './problems';
import { surveyAnsweredDataSchema } from './surveys';
import { qaVerdictRecordedDataSchema } from './quality';
import {
  channelSchema,
  contactChannelSchema,
  customerSchema,
  followUpOutcomeSchema,
  instantSchema,
  intakeSignalSchema,
  intakeSourceSchema,
  levelSchema,
  milestoneSideSchema,
  pendingReasonSchema,
  prioritySchema,
  ratingsSchema,
  slaTargetSchema,
  supervisionSourceSchema,
  ticketKindSchema,
  ticketStatusSchema,
} from './ticket';

/** Every event type: facts, in the past tense. */
export const EventType = [
  'ticket.created',
  'ticket.classified',
  'ticket.assigned',
  'ticket.accepted',
  'ticket.commented',
  'ticket.executionLogged',
  'ticket.supervisionLogged',
  'ticket.milestoneAdded',
  'ticket.milestoneConfirmed',
  'ticket.pended',
  'ticket.resumed',
  'ticket.resolved',
  'ticket.followedUp',
  'ticket.closed',
  'ticket.reopened',
  'ticket.contactRecorded',
  'ticket.refused',
  'ticket.customerLinked',
  'ticket.attachmentAdded',
  'ticket.intakeRecorded',
  'attachment.purged',
  'sla.planned',
  'sla.warning',
  'sla.breached',
  'alert.raised',
  'alert.acknowledged',
  'event.withheld',
  'organisation.created',
  'organisation.updated',
  'organisation.deleted',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'kb.articleDrafted',
  'kb.articleReviewed',
  'kb.articlePublished',
  'kb.articleRetired',
  'kb.articleFeedback',
  'survey.answered',
  'problem.raised',
  'problem.updated',
  'problem.actionSaved',
  'problem.confirmed',
  'problem.closed',
  'problem.reported',
  'problem.escalated',
  'change.requested',
  'change.approved',
  'change.rejected',
  'change.done',
  'qa.verdictRecorded',
] as const;
export type EventType = (typeof EventType)[number];

/**
 * `version`: the ticket's version after this event. Every `ticket.*` event carries it, so the
 * server and every seat agree exactly; one command makes at most one `ticket.*` event, so it
 * is the previous version + 1 (1 for `ticket.created`). `sla.*` and `alert.*` events leave
 * the version alone.
 */
const versioned = { version: z.number().int().min(1) };

/** Data of `ticket.created`: the whole initial ticket. */
export const ticketCreatedDataSchema = z.object({
  ...versioned,
  number: z.string().min(1).max(32),
  kind: ticketKindSchema,
  title: z.string(),
  description: z.string(),
  channel: channelSchema,
  impact: levelSchema,
  urgency: levelSchema,
  priority: prioritySchema,
  category: z.string().nullable(),
  module: z.string().nullable(),
  customer: customerSchema,
  /** The linked organisation and contact records; absent on events older than them (none). */
  organisationId: organisationIdSchema.nullable().optional(),
  contactId: contactIdSchema.nullable().optional(),
  /** The organisation's contract SLA policy when the ticket was linked (decision 31). */
  slaPolicyId: z.string().nullable().optional(),
  groupId: groupIdSchema.nullable(),
  assigneeId: userIdSchema.nullable(),
  majorIncident: z.boolean(),
  receivedAt: instantSchema,
  status: ticketStatusSchema,
  /** The historical import that brought the ticket (issue 21, decision 50); absent: made here. */
  importJobId: z.string().optional(),
});

/**
 * Data of `ticket.classified` (a reclassification keeps the status). When the priority
 * changed: `previousPriority` and the `reason` given. When the kind changed the number:
 * `number` (the new one) and `previousNumber` (kept as an alias). Absent on older events.
 */
export const ticketClassifiedDataSchema = z.object({
  ...versioned,
  kind: ticketKindSchema,
  category: z.string(),
  module: z.string().nullable(),
  impact: levelSchema,
  urgency: levelSchema,
  priority: prioritySchema,
  majorIncident: z.boolean(),
  status: ticketStatusSchema,
  previousPriority: prioritySchema.optional(),
  reason: z.string().nullable().optional(),
  number: z.string().min(1).max(32).optional(),
  previousNumber: z.string().min(1).max(32).optional(),
});

/** Data of `ticket.assigned` (dispatch or reassignment). */
export const ticketAssignedDataSchema = z.object({
  ...versioned,
  groupId: groupIdSchema.nullable(),
  assigneeId: userIdSchema.nullable(),
  previousGroupId: groupIdSchema.nullable(),
  previousAssigneeId: userIdSchema.nullable(),
  reason: z.string().nullable(),
  status: ticketStatusSchema,
});

/** Data of `ticket.accepted`. */
export const ticketAcceptedDataSchema = z.object({
  ...versioned,
  assigneeId: userIdSchema,
  status: z.literal('in_progress'),
});

/** Data of `ticket.commented`. A public comment sets `firstResponseAt` (once) and `lastPublicUpdateAt`. */
export const ticketCommentedDataSchema = z.object({
  ...versioned,
  commentId: logEntryIdSchema,
  body: z.string(),
  internal: z.boolean(),
  /** The customer's words (a mail reply): no first response, no public update. Absent: staff. */
  fromCustomer: z.boolean().optional(),
});

/** Data of `ticket.executionLogged`; the entry's `at` and `actorId` come from the envelope. */
export const ticketExecutionLoggedDataSchema = z.object({
  ...versioned,
  entryId: logEntryIdSchema,
  work: z.string(),
  problems: z.string().nullable(),
  progress: z.number().int().min(0).max(100),
  minutesSpent: z.number().int().min(0),
  correctsEntryId: logEntryIdSchema.nullable(),
});

/** Data of `ticket.supervisionLogged`; the entry's `at` and `actorId` come from the envelope. */
export const ticketSupervisionLoggedDataSchema = z.object({
  ...versioned,
  entryId: logEntryIdSchema,
  source: supervisionSourceSchema,
  attitude: z.string().nullable(),
  professionalism: z.string().nullable(),
  feedback: z.string().nullable(),
  ratings: ratingsSchema,
  correctsEntryId: logEntryIdSchema.nullable(),
});

/** Data of `ticket.milestoneAdded`. */
export const ticketMilestoneAddedDataSchema = z.object({
  ...versioned,
  milestoneId: milestoneIdSchema,
  title: z.string(),
});

/** Data of `ticket.milestoneConfirmed`; `by` and `at` come from the envelope. */
export const ticketMilestoneConfirmedDataSchema = z.object({
  ...versioned,
  milestoneId: milestoneIdSchema,
  side: milestoneSideSchema,
  onBehalf: z.boolean(),
});

/** Data of `ticket.pended`. */
export const ticketPendedDataSchema = z.object({
  ...versioned,
  reason: pendingReasonSchema,
  note: z.string().nullable(),
  status: z.literal('pending'),
});

/** Data of `ticket.resumed`. */
export const ticketResumedDataSchema = z.object({
  ...versioned,
  note: z.string().nullable(),
  status: z.literal('in_progress'),
});

/** Data of `ticket.resolved`. */
export const ticketResolvedDataSchema = z.object({
  ...versioned,
  code: z.string(),
  summary: z.string(),
  status: z.literal('resolved'),
});

/** Data of `ticket.followedUp`: `satisfied` → `follow_up`, `not_resolved` → `reopened`. */
export const ticketFollowedUpDataSchema = z.object({
  ...versioned,
  outcome: followUpOutcomeSchema,
  note: z.string().nullable(),
  status: z.enum(['follow_up', 'reopened']),
});

/** Data of `ticket.closed`. */
export const ticketClosedDataSchema = z.object({ ...versioned, status: z.literal('closed') });

/** Data of `ticket.reopened`. */
export const ticketReopenedDataSchema = z.object({
  ...versioned,
  reason: z.string(),
  status: z.literal('reopened'),
});

/** Data of `ticket.contactRecorded`; the contact's `at` and `actorId` come from the envelope. */
export const ticketContactRecordedDataSchema = z.object({
  ...versioned,
  contactId: logEntryIdSchema,
  channel: contactChannelSchema,
  summary: z.string(),
  /** The complaint contact target this contact met, or null. */
  target: z.string().nullable(),
});

/**
 * Data of `ticket.refused`: the assignee (`previousAssigneeId`, also the envelope's actor)
 * refused the dispatch with a `reason`; the assignee is cleared, the group kept, and the ticket
 * waits for dispatch again (`dispatched` to its group, or `classified` without one).
 */
export const ticketRefusedDataSchema = z.object({
  ...versioned,
  reason: z.string(),
  previousAssigneeId: userIdSchema,
  groupId: groupIdSchema.nullable(),
  status: z.enum(['dispatched', 'classified']),
});

/**
 * Data of `ticket.customerLinked`: the ticket's organisation and contact records (null:
 * none), the contract SLA policy that comes with the organisation, and the free-text customer
 * fields as they read after the link (the records' names, or kept as they were). `source`
 * `migration`: made by the one-off move of free-text customers to records (decision 31).
 */
export const ticketCustomerLinkedDataSchema = z.object({
  ...versioned,
  organisationId: organisationIdSchema.nullable(),
  contactId: contactIdSchema.nullable(),
  slaPolicyId: z.string().nullable(),
  customer: customerSchema,
  previousOrganisationId: organisationIdSchema.nullable(),
  previousContactId: contactIdSchema.nullable(),
  source: z.enum(['command', 'migration']),
});

/**
 * Data of `ticket.attachmentAdded`: the file's metadata and its SHA-256 (the blob's address),
 * so the hash chain covers what was attached; who and when come from the envelope.
 */
export const ticketAttachmentAddedDataSchema = z.object({
  ...versioned,
  attachmentId: attachmentIdSchema,
  name: z.string(),
  contentType: z.string(),
  size: z.number().int().min(0),
  sha256: sha256Schema,
  logEntryId: logEntryIdSchema.nullable(),
});

/**
 * Data of `ticket.intakeRecorded` (`ticket.intake.record`): `at` is when the source saw it,
 * `count` the ticket's report counter after it; `queuedAt` / `answeredAt` for an answered call.
 */
export const ticketIntakeRecordedDataSchema = z.object({
  ...versioned,
  source: intakeSourceSchema,
  signal: intakeSignalSchema,
  at: instantSchema,
  summary: z.string(),
  count: z.number().int().min(1),
  queuedAt: instantSchema.nullable(),
  answeredAt: instantSchema.nullable(),
});

/**
 * Data of `attachment.purged`: the retention job deleted an attachment's bytes (`reason`
 * `retention`: the ticket closed more than the retention period ago). The metadata and hash
 * stay in the log and on the ticket; like `sla.*` it leaves the ticket's version alone.
 */
export const attachmentPurgedDataSchema = z.object({
  attachmentId: attachmentIdSchema,
  sha256: sha256Schema,
  reason: z.literal('retention'),
  retainUntil: instantSchema,
});

/** Data of `sla.planned`: the targets the server computed; replaces the ticket's list. */
export const slaPlannedDataSchema = z.object({ targets: z.array(slaTargetSchema) });

/** Data of `sla.warning` and `sla.breached`: the target and the threshold crossed (percent). */
export const slaThresholdDataSchema = z.object({
  target: z.string().min(1).max(64),
  threshold: z.number(),
  /** Minutes past the threshold the timer waited (`100+30m`); the scheduler writes it. */
  afterMinutes: z.number().optional(),
  /** The target's due time when the timer fired; the scheduler writes it. */
  dueAt: z.string().optional(),
});

/**
 * Socket message `notification` (kind `handoff`): a ticket landed in a group (sent to the
 * group's queue room) or was assigned to a person (sent to that user's room), by someone else.
 * Seats show it as a toast and a native notification; the event stream carries the change
 * itself (`ticket.assigned`), this only tells the people it concerns.
 */
export const handoffNotificationSchema = z.object({
  kind: z.literal('handoff'),
  /** Seq of the `ticket.assigned` event: one notification per event and recipient. */
  seq: z.number().int().min(1),
  at: instantSchema,
  ticketId: ticketIdSchema,
  number: z.string(),
  title: z.string(),
  priority: prioritySchema,
  groupId: groupIdSchema.nullable(),
  assigneeId: userIdSchema.nullable(),
  /** Why: `group` (landed in the recipient's group) or `assignee` (assigned to the recipient). */
  to: z.enum(['group', 'assignee']),
  actorId: userIdSchema.nullable(),
  reason: z.string().nullable(),
});
export type HandoffNotification = z.infer<typeof handoffNotificationSchema>;

/** Severity of a duty-manager alert. */
export const AlertSeverity = { info: 'info', warning: 'warning', critical: 'critical' } as const;
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];

/**
 * Data of `alert.raised`. The escalation feature may add keys (`loose`); these are the ones
 * every seat can rely on.
 */
export const alertRaisedDataSchema = z
  .object({
    alertId: alertIdSchema,
    kind: z.string().min(1).max(64),
    severity: z.enum([AlertSeverity.info, AlertSeverity.warning, AlertSeverity.critical]),
    message: z.string().max(2_000),
    recipientIds: z.array(userIdSchema).optional(),
    roles: z.array(roleSchema).optional(),
  })
  .loose();

/**
 * Data of `alert.acknowledged`; who acknowledged is the envelope's `actorId` (null, with
 * `outcome: 'resolved'`, when the ticket's resolution closed the alert). The server also writes
 * the alert's audience (`realtime/visibility.ts` reads it) and, for an acknowledgement, its
 * level and folded count; events written before these were listed may lack them.
 */
export const alertAcknowledgedDataSchema = z.object({
  alertId: alertIdSchema,
  outcome: z.string().max(64).optional(),
  level: z.number().int().positive().optional(),
  count: z.number().int().nonnegative().optional(),
  recipientIds: z.array(userIdSchema).optional(),
  roles: z.array(roleSchema).optional(),
});

/**
 * Data of `event.withheld`: nothing. It stands in for an event this seat may not read (an
 * alert for others, a ticket's text on a wallboard), so every seat's stream stays gap-free.
 */
export const eventWithheldDataSchema = z.object({});

const eventData = {
  'ticket.created': ticketCreatedDataSchema,
  'ticket.classified': ticketClassifiedDataSchema,
  'ticket.assigned': ticketAssignedDataSchema,
  'ticket.accepted': ticketAcceptedDataSchema,
  'ticket.commented': ticketCommentedDataSchema,
  'ticket.executionLogged': ticketExecutionLoggedDataSchema,
  'ticket.supervisionLogged': ticketSupervisionLoggedDataSchema,
  'ticket.milestoneAdded': ticketMilestoneAddedDataSchema,
  'ticket.milestoneConfirmed': ticketMilestoneConfirmedDataSchema,
  'ticket.pended': ticketPendedDataSchema,
  'ticket.resumed': ticketResumedDataSchema,
  'ticket.resolved': ticketResolvedDataSchema,
  'ticket.followedUp': ticketFollowedUpDataSchema,
  'ticket.closed': ticketClosedDataSchema,
  'ticket.reopened': ticketReopenedDataSchema,
  'ticket.contactRecorded': ticketContactRecordedDataSchema,
  'ticket.refused': ticketRefusedDataSchema,
  'ticket.customerLinked': ticketCustomerLinkedDataSchema,
  'ticket.attachmentAdded': ticketAttachmentAddedDataSchema,
  'ticket.intakeRecorded': ticketIntakeRecordedDataSchema,
  'attachment.purged': attachmentPurgedDataSchema,
  'sla.planned': slaPlannedDataSchema,
  'sla.warning': slaThresholdDataSchema,
  'sla.breached': slaThresholdDataSchema,
  'alert.raised': alertRaisedDataSchema,
  'alert.acknowledged': alertAcknowledgedDataSchema,
  'event.withheld': eventWithheldDataSchema,
  'organisation.created': organisationSavedDataSchema,
  'organisation.updated': organisationSavedDataSchema,
  'organisation.deleted': customerDeletedDataSchema,
  'contact.created': contactSavedDataSchema,
  'contact.updated': contactSavedDataSchema,
  'contact.deleted': customerDeletedDataSchema,
  'kb.articleDrafted': kbArticleEventDataSchema,
  'kb.articleReviewed': kbArticleEventDataSchema,
  'kb.articlePublished': kbArticleEventDataSchema,
  'kb.articleRetired': kbArticleEventDataSchema,
  'kb.articleFeedback': kbArticleEventDataSchema,
  'survey.answered': surveyAnsweredDataSchema,
  'problem.raised': problemEventDataSchema,
  'problem.updated': problemEventDataSchema,
  'problem.actionSaved': problemEventDataSchema,
  'problem.confirmed': problemEventDataSchema,
  'problem.closed': problemEventDataSchema,
  'problem.reported': problemEventDataSchema,
  'problem.escalated': problemEventDataSchema,
  'change.requested': changeEventDataSchema,
  'change.approved': changeEventDataSchema,
  'change.rejected': changeEventDataSchema,
  'change.done': changeEventDataSchema,
  'qa.verdictRecorded': qaVerdictRecordedDataSchema,
} as const satisfies Record<EventType, z.ZodType>;

/** The data schema of each event type. */
export const eventDataSchemas: { readonly [K in EventType]: (typeof eventData)[K] } = eventData;

const envelope = {
  seq: z.number().int().min(1),
  id: z.string().min(1).max(64),
  ticketId: ticketIdSchema.nullable(),
  at: instantSchema,
  actorId: userIdSchema.nullable(),
};

function defineEvent<T extends EventType>(type: T) {
  return z.object({ ...envelope, type: z.literal(type), data: eventData[type] });
}

/** A stored event: global `seq` (gap-free, commit order), `id`, and typed `data`. */
export const eventSchema = z.discriminatedUnion('type', [
  defineEvent('ticket.created'),
  defineEvent('ticket.classified'),
  defineEvent('ticket.assigned'),
  defineEvent('ticket.accepted'),
  defineEvent('ticket.commented'),
  defineEvent('ticket.executionLogged'),
  defineEvent('ticket.supervisionLogged'),
  defineEvent('ticket.milestoneAdded'),
  defineEvent('ticket.milestoneConfirmed'),
  defineEvent('ticket.pended'),
  defineEvent('ticket.resumed'),
  defineEvent('ticket.resolved'),
  defineEvent('ticket.followedUp'),
  defineEvent('ticket.closed'),
  defineEvent('ticket.reopened'),
  defineEvent('ticket.contactRecorded'),
  defineEvent('ticket.refused'),
  defineEvent('ticket.customerLinked'),
  defineEvent('ticket.attachmentAdded'),
  defineEvent('ticket.intakeRecorded'),
  defineEvent('attachment.purged'),
  defineEvent('sla.planned'),
  defineEvent('sla.warning'),
  defineEvent('sla.breached'),
  defineEvent('alert.raised'),
  defineEvent('alert.acknowledged'),
  defineEvent('event.withheld'),
  defineEvent('organisation.created'),
  defineEvent('organisation.updated'),
  defineEvent('organisation.deleted'),
  defineEvent('contact.created'),
  defineEvent('contact.updated'),
  defineEvent('contact.deleted'),
  defineEvent('kb.articleDrafted'),
  defineEvent('kb.articleReviewed'),
  defineEvent('kb.articlePublished'),
  defineEvent('kb.articleRetired'),
  defineEvent('kb.articleFeedback'),
  defineEvent('survey.answered'),
  defineEvent('problem.raised'),
  defineEvent('problem.updated'),
  defineEvent('problem.actionSaved'),
  defineEvent('problem.confirmed'),
  defineEvent('problem.closed'),
  defineEvent('problem.reported'),
  defineEvent('problem.escalated'),
  defineEvent('change.requested'),
  defineEvent('change.approved'),
  defineEvent('change.rejected'),
  defineEvent('change.done'),
  defineEvent('qa.verdictRecorded'),
]);

/** A stored event. */
export type DomainEvent = z.infer<typeof eventSchema>;
/** The stored event of one type. */
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before it is stored: what `decide` returns; the server adds `seq` and `id`. */
export type PendingEvent = DistributiveOmit<DomainEvent, 'seq' | 'id'>;

const pendingOptions = eventSchema.options.map((o) => o.omit({ seq: true, id: true }));

/** Runtime check of a {@link PendingEvent} (the envelope without `seq` and `id`). */
export const pendingEventSchema: z.ZodType<PendingEvent> = z.discriminatedUnion(
  'type',
  pendingOptions as [(typeof pendingOptions)[number], ...(typeof pendingOptions)[number][]],
);

/** Event types of the customer records (organisations and contacts). */
export type CustomerEventType = Extract<EventType, `organisation.${string}` | `contact.${string}`>;

/**
 * Whether an event is about a customer record (`organisation.*`, `contact.*`).
 * @example isCustomerEvent(e) && e.data.id
 */
export function isCustomerEvent<E extends { type: EventType }>(
  event: E,
): event is Extract<E, { type: CustomerEventType }> {
  return event.type.startsWith('organisation.') || event.type.startsWith('contact.');
}

/** Event types of the knowledge base (issue 21). */
export type KbEventType = Extract<EventType, `kb.${string}`>;

/**
 * Whether an event is about a knowledge-base article (`kb.*`).
 * @example isKbEvent(e) && e.data.articleId
 */
export function isKbEvent<E extends { type: EventType }>(
  event: E,
): event is Extract<E, { type: KbEventType }> {
  return event.type.startsWith('kb.');
}

/** Event types of problem records and change requests (issue 22, decision 58). */
export type ProblemEventType = Extract<EventType, `problem.${string}` | `change.${string}`>;

/**
 * Whether an event is about a problem record or a change request (`problem.*`, `change.*`):
 * its data carries the whole record after the change.
 * @example isProblemEvent(e) && ('problem' in e.data ? e.data.problem.id : e.data.change.id)
 */
export function isProblemEvent<E extends { type: EventType }>(
  event: E,
): event is Extract<E, { type: ProblemEventType }> {
  return event.type.startsWith('problem.') || event.type.startsWith('change.');
}

/** Event types of QA reviews (issue 22, decision 61). */
export type QaEventType = Extract<EventType, `qa.${string}`>;

/**
 * Whether an event is about a QA review (`qa.*`).
 * @example isQaEvent(e) && e.data.itemId
 */
export function isQaEvent<E extends { type: EventType }>(
  event: E,
): event is Extract<E, { type: QaEventType }> {
  return event.type.startsWith('qa.');
}

/** `ticket.*` event types: the ones that carry `data.version`. */
export type TicketEventType = Extract<EventType, `ticket.${string}`>;

/**
 * Whether an event is a `ticket.*` event (and so carries `data.version`).
 * @example isTicketEvent(e) && e.data.version
 */
export function isTicketEvent<E extends { type: EventType }>(
  event: E,
): event is Extract<E, { type: TicketEventType }> {
  return event.type.startsWith('ticket.');
}

/**
 * Stamps a pending event with its global `seq` and its `id`, as the server does when it appends.
 * @example const stored = stampEvent(pending, nextSeq, crypto.randomUUID());
 */
export function stampEvent(pending: PendingEvent, seq: number, id: string): DomainEvent {
  return { ...pending, seq, id } as DomainEvent;
}
