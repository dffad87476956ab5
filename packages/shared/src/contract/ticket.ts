import { z } from 'zod';
import {
  contactIdSchema,
  groupIdSchema,
  organisationIdSchema,
  logEntryIdSchema,
  milestoneIdSchema,
  ticketIdSchema,
  userIdSchema,
} from './ids';
import { attachmentSchema } from './attachments';

/** An ISO-8601 instant with an offset or `Z` (what `Date.prototype.toISOString` makes). */
export const instantSchema = z.iso.datetime({ offset: true });

function enumOf<T extends Record<string, string>>(values: T) {
  return z.enum(Object.values(values) as [T[keyof T], ...T[keyof T][]]);
}

/** What a ticket is about. */
export const TicketKind = {
  incident: 'incident',
  service_request: 'service_request',
  complaint: 'complaint',
  consultation: 'consultation',
} as const;
export type TicketKind = (typeof TicketKind)[keyof typeof TicketKind];
export const ticketKindSchema = enumOf(TicketKind);

/** How a ticket reached the desk. */
export const Channel = {
  hotline: 'hotline',
  chat: 'chat',
  portal: 'portal',
  monitoring: 'monitoring',
  walk_in: 'walk_in',
  api: 'api',
  email: 'email',
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];
export const channelSchema = enumOf(Channel);

/** Impact and urgency levels of the priority matrix. */
export const Level = { high: 'high', medium: 'medium', low: 'low' } as const;
export type Level = (typeof Level)[keyof typeof Level];
export const levelSchema = enumOf(Level);

/** Ticket priorities: P1 red, P2 yellow, P3 blue (see `domain/ticket/priority`). */
export const Priority = { P1: 'P1', P2: 'P2', P3: 'P3' } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];
export const prioritySchema = enumOf(Priority);

/** The statuses of the five-step flow (see `domain/ticket/stateMachine`). */
export const TicketStatus = {
  received: 'received',
  classified: 'classified',
  dispatched: 'dispatched',
  in_progress: 'in_progress',
  pending: 'pending',
  resolved: 'resolved',
  follow_up: 'follow_up',
  closed: 'closed',
  reopened: 'reopened',
} as const;
export type TicketStatus = (typeof TicketStatus)[keyof typeof TicketStatus];
export const ticketStatusSchema = enumOf(TicketStatus);

/** Every status but `closed`: what a queue shows by default. */
export const OPEN_STATUSES: readonly TicketStatus[] = [
  TicketStatus.received,
  TicketStatus.classified,
  TicketStatus.dispatched,
  TicketStatus.in_progress,
  TicketStatus.pending,
  TicketStatus.resolved,
  TicketStatus.follow_up,
  TicketStatus.reopened,
];

/** Whom a pending ticket waits for. The SLA policy decides which reasons pause which clock. */
export const PendingReason = { customer: 'customer', vendor: 'vendor', change: 'change' } as const;
export type PendingReason = (typeof PendingReason)[keyof typeof PendingReason];
export const pendingReasonSchema = enumOf(PendingReason);

/** Outcome of the call-back after resolution. */
export const FollowUpOutcome = { satisfied: 'satisfied', not_resolved: 'not_resolved' } as const;
export type FollowUpOutcome = (typeof FollowUpOutcome)[keyof typeof FollowUpOutcome];
export const followUpOutcomeSchema = enumOf(FollowUpOutcome);

/** Who wrote a supervision entry: the customer, or staff on the customer's behalf. */
export const SupervisionSource = { customer: 'customer', on_behalf: 'on_behalf' } as const;
export type SupervisionSource = (typeof SupervisionSource)[keyof typeof SupervisionSource];
export const supervisionSourceSchema = enumOf(SupervisionSource);

/** How a customer contact was made (`ticket.contact.record`). */
export const ContactChannel = {
  phone: 'phone',
  email: 'email',
  chat: 'chat',
  sms: 'sms',
  visit: 'visit',
  video: 'video',
  other: 'other',
} as const;
export type ContactChannel = (typeof ContactChannel)[keyof typeof ContactChannel];
export const contactChannelSchema = enumOf(ContactChannel);

/** The two sign-offs a milestone needs. */
export const MilestoneSide = { lead: 'lead', customer: 'customer' } as const;
export type MilestoneSide = (typeof MilestoneSide)[keyof typeof MilestoneSide];
export const milestoneSideSchema = enumOf(MilestoneSide);

/** States of one SLA target's clock (the engine's `SlaTargetStatus`). */
export const SlaState = {
  running: 'running',
  paused: 'paused',
  met: 'met',
  breached: 'breached',
} as const;
export type SlaState = (typeof SlaState)[keyof typeof SlaState];
export const slaStateSchema = enumOf(SlaState);

/** Customer contact details; every field optional (null) because a caller may give none. */
export const customerSchema = z.object({
  org: z.string().nullable(),
  contact: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});
export type Customer = z.infer<typeof customerSchema>;

/** A 1–5 score. */
export const ratingSchema = z.number().int().min(1).max(5);

/** Ratings a customer gives; every key optional. */
export const ratingsSchema = z.object({
  attitude: ratingSchema.optional(),
  professionalism: ratingSchema.optional(),
  timeliness: ratingSchema.optional(),
  overall: ratingSchema.optional(),
});
export type Ratings = z.infer<typeof ratingsSchema>;

/** One entry of the status history; the first is `received` at `receivedAt`. */
export const statusChangeSchema = z.object({
  at: instantSchema,
  status: ticketStatusSchema,
  pendingReason: pendingReasonSchema.nullable(),
});
export type StatusChange = z.infer<typeof statusChangeSchema>;

/** A comment; `internal` ones are never shown to the customer. */
export const commentSchema = z.object({
  id: logEntryIdSchema,
  at: instantSchema,
  authorId: userIdSchema.nullable(),
  body: z.string(),
  internal: z.boolean(),
  /** Written by the customer (a mail reply the e-mail intake added), not by staff; absent: staff. */
  fromCustomer: z.boolean().optional(),
});
export type TicketComment = z.infer<typeof commentSchema>;

/** An execution-log entry (engineer's side). A correction references the entry it corrects. */
export const executionEntrySchema = z.object({
  id: logEntryIdSchema,
  at: instantSchema,
  actorId: userIdSchema.nullable(),
  work: z.string(),
  problems: z.string().nullable(),
  progress: z.number().int().min(0).max(100),
  minutesSpent: z.number().int().min(0),
  correctsEntryId: logEntryIdSchema.nullable(),
});
export type ExecutionEntry = z.infer<typeof executionEntrySchema>;

/** A supervision-log entry (customer's side). A correction references the entry it corrects. */
export const supervisionEntrySchema = z.object({
  id: logEntryIdSchema,
  at: instantSchema,
  actorId: userIdSchema.nullable(),
  source: supervisionSourceSchema,
  attitude: z.string().nullable(),
  professionalism: z.string().nullable(),
  feedback: z.string().nullable(),
  ratings: ratingsSchema,
  correctsEntryId: logEntryIdSchema.nullable(),
});
export type SupervisionEntry = z.infer<typeof supervisionEntrySchema>;

/** A sign-off on a milestone. */
export const confirmationSchema = z.object({ by: userIdSchema.nullable(), at: instantSchema });
export type Confirmation = z.infer<typeof confirmationSchema>;

/** A key milestone: it needs the lead's and the customer's confirmation before resolve. */
export const milestoneSchema = z.object({
  id: milestoneIdSchema,
  title: z.string(),
  addedAt: instantSchema,
  addedBy: userIdSchema.nullable(),
  leadConfirmation: confirmationSchema.nullable(),
  customerConfirmation: confirmationSchema.extend({ onBehalf: z.boolean() }).nullable(),
});
export type Milestone = z.infer<typeof milestoneSchema>;

/**
 * A customer contact recorded by staff (`ticket.contact.record`). `target` is the complaint
 * contact target it met (`contact-15m`, `contact-2h`, `contact-24h`), or null when none was
 * left to meet (or the ticket is not a complaint).
 */
export const contactSchema = z.object({
  id: logEntryIdSchema,
  at: instantSchema,
  actorId: userIdSchema.nullable(),
  channel: contactChannelSchema,
  summary: z.string(),
  target: z.string().nullable(),
});
export type TicketContact = z.infer<typeof contactSchema>;

/**
 * A dispatch or reassignment as the timeline shows it (from `ticket.assigned`), or a refused
 * dispatch (from `ticket.refused`: `refused` true, the refusing assignee in `previousAssigneeId`).
 */
export const assignmentSchema = z.object({
  at: instantSchema,
  actorId: userIdSchema.nullable(),
  groupId: groupIdSchema.nullable(),
  assigneeId: userIdSchema.nullable(),
  previousGroupId: groupIdSchema.nullable(),
  previousAssigneeId: userIdSchema.nullable(),
  reason: z.string().nullable(),
  refused: z.boolean().optional(),
});
export type TicketAssignment = z.infer<typeof assignmentSchema>;

/** A change of priority at classification, with its reason (from `ticket.classified`). */
export const priorityChangeSchema = z.object({
  at: instantSchema,
  actorId: userIdSchema.nullable(),
  from: z.enum(['P1', 'P2', 'P3']),
  to: z.enum(['P1', 'P2', 'P3']),
  reason: z.string().nullable(),
});
export type PriorityChange = z.infer<typeof priorityChangeSchema>;

/** One threshold of a target resolved to an instant (the SLA engine's `SlaThresholdInstant`). */
export const slaThresholdInstantSchema = z.object({
  percent: z.number(),
  afterMinutes: z.number().optional(),
  /** `'90'`, `'100'`, `'100+30m'`: stable key for timers. */
  key: z.string().max(32).optional(),
  colour: z.enum(['green', 'amber', 'red']),
  at: instantSchema,
});
export type SlaThresholdInstantView = z.infer<typeof slaThresholdInstantSchema>;

/**
 * One SLA target as the ticket carries it: what the engine computed (`sla.planned`), and what
 * the reducer recorded of `sla.warning` (`warnedThresholds`) and `sla.breached`. Every key the
 * engine writes is listed here, so the console reads them without a schema of its own.
 * `name` includes `response` and `resolve`.
 */
export const slaTargetSchema = z.object({
  name: z.string().min(1).max(64),
  dueAt: instantSchema.nullable(),
  state: slaStateSchema,
  /** When the clock started. */
  startedAt: instantSchema.nullable().optional(),
  /** When the stop event met the target. */
  metAt: instantSchema.nullable().optional(),
  /** When the target was breached (from `sla.breached`). */
  breachedAt: instantSchema.nullable().optional(),
  /** Warning thresholds (percent of the budget, 100 = breach) already crossed. */
  warnedThresholds: z.array(z.number()).optional(),
  /** The business time the target allows, in its calendar (ms). */
  budgetMs: z.number().nonnegative().optional(),
  /** Business time spent paused so far (ms). */
  pausedMs: z.number().nonnegative().optional(),
  /** The calendar the target counts in. */
  calendar: z.string().max(64).optional(),
  /** The policy's thresholds resolved to instants, earliest first. */
  thresholds: z.array(slaThresholdInstantSchema).optional(),
});
export type SlaTarget = z.infer<typeof slaTargetSchema>;

/** The SLA state a ticket carries. */
export const ticketSlaSchema = z.object({ targets: z.array(slaTargetSchema) });
export type TicketSla = z.infer<typeof ticketSlaSchema>;

/** How the ticket was resolved. */
export const resolutionSchema = z.object({ code: z.string(), summary: z.string() });
export type Resolution = z.infer<typeof resolutionSchema>;

/** The call-back after resolution. */
export const followUpSchema = z.object({
  outcome: followUpOutcomeSchema,
  note: z.string().nullable(),
  at: instantSchema,
});
export type FollowUp = z.infer<typeof followUpSchema>;

/** Where a ticket's signals come from (the intake doors, issue 19). */
export const IntakeSource = {
  alertmanager: 'alertmanager',
  metrics: 'metrics',
  call: 'call',
  chat: 'chat',
} as const;
export type IntakeSource = (typeof IntakeSource)[keyof typeof IntakeSource];
export const intakeSourceSchema = enumOf(IntakeSource);

/** What an intake door recorded on a ticket (`ticket.intake.record`). */
export const IntakeSignal = {
  /** The same alert (or device condition) again while the ticket is open. */
  repeat: 'repeat',
  /** The source reports the condition gone. */
  recovered: 'recovered',
  /** A hotline call was answered (`queuedAt`, `answeredAt`; meets the `answer` target). */
  answered: 'answered',
  /** A chat transcript or a call's end (recording link). */
  transcript: 'transcript',
} as const;
export type IntakeSignal = (typeof IntakeSignal)[keyof typeof IntakeSignal];
export const intakeSignalSchema = enumOf(IntakeSignal);

/**
 * A ticket's intake record: how often its source reported it (1 = the report that opened it),
 * when last, whether it recovered, and for a call when it queued and was answered.
 */
export const ticketIntakeSchema = z.object({
  source: intakeSourceSchema,
  count: z.number().int().min(1),
  lastSeenAt: instantSchema,
  recoveredAt: instantSchema.nullable(),
  queuedAt: instantSchema.nullable(),
  answeredAt: instantSchema.nullable(),
});
export type TicketIntake = z.infer<typeof ticketIntakeSchema>;

/** The logs a ticket copy may carry only the latest entries of (see `Ticket.omitted`). */
export const TIMELINE_LOGS = ['comments', 'executionLog', 'supervisionLog'] as const;
export type TimelineLog = (typeof TIMELINE_LOGS)[number];

/** How many of the oldest entries of each log a ticket copy leaves out. */
export const timelineOmittedSchema = z.object({
  comments: z.number().int().min(0),
  executionLog: z.number().int().min(0),
  supervisionLog: z.number().int().min(0),
});
export type TimelineOmitted = z.infer<typeof timelineOmittedSchema>;

/**
 * Default bounds of one ticket (the server's `DUTYDESK_TICKET_MAX_ENTRIES` and
 * `DUTYDESK_TICKET_MAX_BYTES`): log entries, milestones and contacts together, and the
 * ticket serialised as JSON. A command that would grow a ticket past them answers
 * `payload_too_large`; commands that add nothing (resolve, close…) still pass.
 */
export const TICKET_SIZE_LIMITS = { maxEntries: 2_000, maxBytes: 2_000_000 } as const;

/**
 * A ticket, JSON-safe (instants as ISO strings). Built only by `applyEvent` from events, so
 * the server and every seat hold the same value for the same `lastSeq`.
 * - `version` is +1 per accepted command that changed the ticket (SLA events do not change it).
 * - `statusHistory` gets one entry per status change, starting with `received` at `receivedAt`;
 *   its last entry always matches `status` and `pendingReason`.
 * - `lastSeq` is the seq of the last event applied.
 */
export const ticketSchema = z.object({
  id: ticketIdSchema,
  number: z.string(),
  version: z.number().int().min(0),
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
  /** The linked organisation record; absent on tickets older than the records (none). */
  organisationId: organisationIdSchema.nullable().optional(),
  /** The linked contact record; absent: none. */
  contactId: contactIdSchema.nullable().optional(),
  /** The contract SLA policy that came with the organisation (decision 31); absent: none. */
  slaPolicyId: z.string().nullable().optional(),
  groupId: groupIdSchema.nullable(),
  assigneeId: userIdSchema.nullable(),
  createdBy: userIdSchema.nullable(),
  status: ticketStatusSchema,
  pendingReason: pendingReasonSchema.nullable(),
  majorIncident: z.boolean(),
  receivedAt: instantSchema,
  createdAt: instantSchema,
  updatedAt: instantSchema,
  firstResponseAt: instantSchema.nullable(),
  lastPublicUpdateAt: instantSchema.nullable(),
  resolvedAt: instantSchema.nullable(),
  closedAt: instantSchema.nullable(),
  resolution: resolutionSchema.nullable(),
  followUp: followUpSchema.nullable(),
  statusHistory: z.array(statusChangeSchema),
  comments: z.array(commentSchema),
  executionLog: z.array(executionEntrySchema),
  supervisionLog: z.array(supervisionEntrySchema),
  milestones: z.array(milestoneSchema),
  /** Customer contacts (complaints meet their contact targets with them); absent on old rows. */
  contacts: z.array(contactSchema).optional(),
  /** Earlier numbers of the ticket (a kind changed at classify renumbers it); absent: none. */
  numberAliases: z.array(z.string()).optional(),
  /** Dispatches and reassignments with their reasons; absent on rows older than them. */
  assignments: z.array(assignmentSchema).optional(),
  /** Priority changes with their reasons; absent: none. */
  priorityChanges: z.array(priorityChangeSchema).optional(),
  /** Attached files (metadata and hash; the bytes at `GET /api/attachments/:id`); absent: none. */
  attachments: z.array(attachmentSchema).optional(),
  /** What the intake doors recorded (repeats, recovery, a call's answer); absent: none. */
  intake: ticketIntakeSchema.optional(),
  sla: ticketSlaSchema,
  lastSeq: z.number().int().min(0),
  /**
   * Only on copies cut to the latest entries of each log (snapshots, lists, acks; never a
   * stored ticket or `GET /api/tickets/:id`): how many of the oldest entries of each log the
   * copy leaves out. Page them with `GET /api/tickets/:id/timeline?log=&before=`.
   */
  omitted: timelineOmittedSchema.optional(),
});
export type Ticket = z.infer<typeof ticketSchema>;
