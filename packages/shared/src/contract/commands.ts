import { z } from 'zod';
import { makeError, toInvalidError, type AppError } from './errors';
import { contactFieldsSchema, organisationFieldsSchema } from './customers';
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
import {
  channelSchema,
  contactChannelSchema,
  followUpOutcomeSchema,
  instantSchema,
  intakeSignalSchema,
  intakeSourceSchema,
  levelSchema,
  milestoneSideSchema,
  pendingReasonSchema,
  prioritySchema,
  ratingsSchema,
  supervisionSourceSchema,
  ticketKindSchema,
} from './ticket';
import { anyText, requiredText, storableString } from './text';
import { KB_LIMITS, kbArticleFieldsSchema, kbLanguageSchema, kbVisibilitySchema } from './kb';
import { surveyAnswerCommandFields } from './surveys';
import { qaVerdictCommandFields } from './quality';
import {
  changeCreateFieldsSchema,
  changeDecideFieldsSchema,
  changeDoneFieldsSchema,
  problemActionFieldsSchema,
  problemConfirmFieldsSchema,
  problemCreateFieldsSchema,
  problemReportFieldsSchema,
  problemUpdateFieldsSchema,
} from './problems';
import {
  attachmentIdSchema,
  attachmentNameSchema,
  contentTypeSchema,
  sha256Schema,
} from './attachments';

/** Length limits of command fields (characters). */
export const COMMAND_LIMITS = {
  commandIdMin: 8,
  commandIdMax: 100,
  title: 200,
  body: 20_000,
  short: 100,
  reason: 2_000,
  contact: 200,
  phone: 50,
  email: 254,
  resolutionCode: 64,
  /** A week of work in one execution entry. */
  minutesSpent: 10_080,
} as const;

/** Every command type. Commands are imperative; their events are in the past tense. */
export const CommandType = [
  'ticket.create',
  'ticket.classify',
  'ticket.assign',
  'ticket.accept',
  'ticket.comment',
  'ticket.log.execution',
  'ticket.log.supervision',
  'ticket.milestone.add',
  'ticket.milestone.confirm',
  'ticket.pend',
  'ticket.resume',
  'ticket.resolve',
  'ticket.followUp',
  'ticket.close',
  'ticket.reopen',
  'ticket.contact.record',
  'ticket.refuse',
  'ticket.customer.link',
  'ticket.attachment.add',
  'ticket.intake.record',
  'alert.ack',
  'organisation.create',
  'organisation.update',
  'organisation.delete',
  'contact.create',
  'contact.update',
  'contact.delete',
  'kb.article.create',
  'kb.article.edit',
  'kb.article.review',
  'kb.article.publish',
  'kb.article.retire',
  'kb.article.feedback',
  'survey.answer',
  'problem.create',
  'problem.update',
  'problem.action.save',
  'problem.confirm',
  'problem.close',
  'problem.report',
  'change.create',
  'change.decide',
  'change.done',
  'qa.verdict.record',
] as const;
export type CommandType = (typeof CommandType)[number];

/** Commands on customer records (organisations and contacts), handled by the server. */
export const CUSTOMER_COMMAND_TYPES = [
  'organisation.create',
  'organisation.update',
  'organisation.delete',
  'contact.create',
  'contact.update',
  'contact.delete',
] as const satisfies readonly CommandType[];
export type CustomerCommandType = (typeof CUSTOMER_COMMAND_TYPES)[number];

/** Commands on knowledge-base articles (issue 21, decision 51), handled by the server. */
export const KB_COMMAND_TYPES = [
  'kb.article.create',
  'kb.article.edit',
  'kb.article.review',
  'kb.article.publish',
  'kb.article.retire',
  'kb.article.feedback',
] as const satisfies readonly CommandType[];
export type KbCommandType = (typeof KB_COMMAND_TYPES)[number];

/** Commands on problem records and change requests (issue 22, decision 58), handled by the server. */
export const PROBLEM_COMMAND_TYPES = [
  'problem.create',
  'problem.update',
  'problem.action.save',
  'problem.confirm',
  'problem.close',
  'problem.report',
  'change.create',
  'change.decide',
  'change.done',
] as const satisfies readonly CommandType[];
export type ProblemCommandType = (typeof PROBLEM_COMMAND_TYPES)[number];

/** Commands on QA samples (issue 22, decision 61), handled by the server's quality feature. */
export const QA_COMMAND_TYPES = ['qa.verdict.record'] as const satisfies readonly CommandType[];
export type QaCommandType = (typeof QA_COMMAND_TYPES)[number];

/** Commands that act on an existing ticket (all but `ticket.create`, `alert.ack`, the customer records', the knowledge base's, `survey.answer`, problems' and QA's). */
export type TicketCommandType = Exclude<
  CommandType,
  | 'ticket.create'
  | 'alert.ack'
  | 'survey.answer'
  | CustomerCommandType
  | KbCommandType
  | ProblemCommandType
  | QaCommandType
>;

// Every free-text field refuses what the database cannot store (contract/text.ts).
const text = requiredText;
const optionalText = (max: number) => anyText(max).optional();

const base = {
  commandId: storableString().min(COMMAND_LIMITS.commandIdMin).max(COMMAND_LIMITS.commandIdMax),
};
const onTicket = {
  ...base,
  ticketId: ticketIdSchema,
  expectedVersion: z.number().int().min(0).optional(),
};

/** Customer details on create; empty strings count as absent. */
export const customerInputSchema = z
  .object({
    org: optionalText(COMMAND_LIMITS.contact).nullable(),
    contact: optionalText(COMMAND_LIMITS.contact).nullable(),
    phone: optionalText(COMMAND_LIMITS.phone).nullable(),
    email: z
      .union([z.email().max(COMMAND_LIMITS.email), z.literal('')])
      .nullable()
      .optional(),
  })
  .strict();

/** `ticket.create`: a new ticket, `received`. `receivedAt` may be any past instant. */
export const createTicketCommandSchema = z
  .object({
    ...base,
    type: z.literal('ticket.create'),
    title: text(COMMAND_LIMITS.title),
    description: anyText(COMMAND_LIMITS.body),
    channel: channelSchema,
    priority: prioritySchema.optional(),
    impact: levelSchema.optional(),
    urgency: levelSchema.optional(),
    receivedAt: instantSchema.optional(),
    kind: ticketKindSchema.optional(),
    category: optionalText(COMMAND_LIMITS.short).nullable(),
    module: optionalText(COMMAND_LIMITS.short).nullable(),
    customer: customerInputSchema.optional(),
    /** The caller's organisation record; with a `contactId` alone, the contact's. */
    organisationId: organisationIdSchema.nullable().optional(),
    /** The caller's contact record. */
    contactId: contactIdSchema.nullable().optional(),
    groupId: groupIdSchema.nullable().optional(),
    assigneeId: userIdSchema.nullable().optional(),
    majorIncident: z.boolean().optional(),
  })
  .strict();

/**
 * `ticket.classify`: kind, category, module, impact/urgency or an explicit priority. The
 * priority stays as it is unless `priority` (or impact/urgency) changes it; a change of
 * priority needs a `reason` (refused without one), which the event and the timeline show.
 * A changed `kind` renumbers the ticket (the old number stays reachable as an alias).
 */
export const classifyTicketCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.classify'),
    kind: ticketKindSchema.optional(),
    category: text(COMMAND_LIMITS.short),
    module: optionalText(COMMAND_LIMITS.short).nullable(),
    impact: levelSchema.optional(),
    urgency: levelSchema.optional(),
    priority: prioritySchema.optional(),
    /** Why the priority changes; required when it does. */
    reason: optionalText(COMMAND_LIMITS.reason),
    majorIncident: z.boolean().optional(),
  })
  .strict();

/**
 * `ticket.assign`: dispatch or reassign. At least one of `groupId` / `assigneeId`;
 * `assigneeId: null` unassigns; a new group without an assignee clears the assignee.
 */
export const assignTicketCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.assign'),
    groupId: groupIdSchema.optional(),
    assigneeId: userIdSchema.nullable().optional(),
    reason: optionalText(COMMAND_LIMITS.reason),
  })
  .strict()
  .refine((c) => c.groupId !== undefined || c.assigneeId !== undefined, {
    message: 'give groupId or assigneeId',
    path: ['groupId'],
  });

/** `ticket.accept`: the assignee (or an engineer of the group) takes the ticket on. */
export const acceptTicketCommandSchema = z
  .object({ ...onTicket, type: z.literal('ticket.accept') })
  .strict();

/** `ticket.comment`: a public comment by staff is the first response and a public update. */
export const commentTicketCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.comment'),
    body: text(COMMAND_LIMITS.body),
    internal: z.boolean().optional(),
    /**
     * The customer's own words (a mail reply): public, and neither a first response nor a
     * public update. Only an intake actor (`isIntakeActor`) may send it.
     */
    fromCustomer: z.boolean().optional(),
  })
  .strict();

/** `ticket.log.execution`: an execution-log entry, or a correction of one. */
export const logExecutionCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.log.execution'),
    work: text(COMMAND_LIMITS.body),
    problems: optionalText(COMMAND_LIMITS.body).nullable(),
    progress: z.number().int().min(0).max(100),
    minutesSpent: z.number().int().min(0).max(COMMAND_LIMITS.minutesSpent),
    correctsEntryId: logEntryIdSchema.optional(),
  })
  .strict();

/** `ticket.log.supervision`: a supervision-log entry, or a correction of one. */
export const logSupervisionCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.log.supervision'),
    source: supervisionSourceSchema,
    attitude: optionalText(COMMAND_LIMITS.reason).nullable(),
    professionalism: optionalText(COMMAND_LIMITS.reason).nullable(),
    feedback: optionalText(COMMAND_LIMITS.body).nullable(),
    ratings: ratingsSchema.strict().optional(),
    correctsEntryId: logEntryIdSchema.optional(),
  })
  .strict()
  .refine(
    (c) =>
      Boolean(c.attitude || c.professionalism || c.feedback) ||
      Object.keys(c.ratings ?? {}).length > 0,
    { message: 'give attitude, professionalism, feedback or ratings', path: ['feedback'] },
  );

/** `ticket.milestone.add`: a key milestone that will need two confirmations. */
export const addMilestoneCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.milestone.add'),
    title: text(COMMAND_LIMITS.title),
  })
  .strict();

/** `ticket.milestone.confirm`: the lead's or the customer's confirmation. */
export const confirmMilestoneCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.milestone.confirm'),
    milestoneId: milestoneIdSchema,
    side: milestoneSideSchema,
    /** Customer side only: staff confirm on the customer's behalf (default true). */
    onBehalf: z.boolean().optional(),
  })
  .strict();

/** `ticket.pend`: wait for the customer, a vendor or a change. */
export const pendTicketCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.pend'),
    reason: pendingReasonSchema,
    note: optionalText(COMMAND_LIMITS.body),
  })
  .strict();

/** `ticket.resume`: back to work after pending. */
export const resumeTicketCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.resume'),
    note: optionalText(COMMAND_LIMITS.body),
  })
  .strict();

/** `ticket.resolve`: resolution code and summary. */
export const resolveTicketCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.resolve'),
    code: text(COMMAND_LIMITS.resolutionCode),
    summary: text(COMMAND_LIMITS.body),
  })
  .strict();

/** `ticket.followUp`: the call-back; `satisfied` → follow_up, `not_resolved` → reopened. */
export const followUpTicketCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.followUp'),
    outcome: followUpOutcomeSchema,
    note: optionalText(COMMAND_LIMITS.body),
  })
  .strict();

/** `ticket.close`: after a satisfied follow-up. */
export const closeTicketCommandSchema = z
  .object({ ...onTicket, type: z.literal('ticket.close') })
  .strict();

/** `ticket.reopen`: a resolved or followed-up ticket is not fixed after all. */
export const reopenTicketCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.reopen'),
    reason: text(COMMAND_LIMITS.reason),
  })
  .strict();

/**
 * `ticket.contact.record`: staff contacted the customer (a call back, an e-mail, a visit …).
 * On a complaint it meets the next contact target not yet met (`contact-15m`, then
 * `contact-2h`, then `contact-24h`). Append-only: send it without `expectedVersion`.
 */
export const recordContactCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.contact.record'),
    channel: contactChannelSchema,
    summary: text(COMMAND_LIMITS.body),
  })
  .strict();

/**
 * `ticket.refuse`: the assignee refuses the dispatch, with a reason. Only the current assignee,
 * while the ticket is assigned and not yet resolved; the assignee is cleared (the group kept)
 * and the duty manager on duty is alerted to coordinate it (decision 36).
 */
export const refuseTicketCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.refuse'),
    reason: text(COMMAND_LIMITS.reason),
  })
  .strict();

/**
 * `ticket.customer.link`: links the ticket to an organisation and a contact (or unlinks with
 * null). A contact alone links its organisation too. The ticket's SLA policy follows the
 * organisation's contract from then on (re-planned at once).
 */
export const linkCustomerCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.customer.link'),
    organisationId: organisationIdSchema.nullable(),
    contactId: contactIdSchema.nullable(),
  })
  .strict();

const customerVersion = { expectedVersion: z.number().int().min(1).optional() };

/** `organisation.create`: a new organisation record. */
export const createOrganisationCommandSchema = organisationFieldsSchema
  .extend({ ...base, type: z.literal('organisation.create') })
  .strict();

/** `organisation.update`: changes the fields given. */
export const updateOrganisationCommandSchema = organisationFieldsSchema
  .partial()
  .extend({
    ...base,
    ...customerVersion,
    type: z.literal('organisation.update'),
    organisationId: organisationIdSchema,
  })
  .strict();

/** `organisation.delete`: only an organisation no ticket or contact refers to (else set it inactive). */
export const deleteOrganisationCommandSchema = z
  .object({
    ...base,
    ...customerVersion,
    type: z.literal('organisation.delete'),
    organisationId: organisationIdSchema,
  })
  .strict();

/** `contact.create`: a new contact record. */
export const createContactCommandSchema = contactFieldsSchema
  .extend({ ...base, type: z.literal('contact.create') })
  .strict();

/** `contact.update`: changes the fields given. */
export const updateContactCommandSchema = contactFieldsSchema
  .partial()
  .extend({
    ...base,
    ...customerVersion,
    type: z.literal('contact.update'),
    contactId: contactIdSchema,
  })
  .strict();

/** `contact.delete`: only a contact no ticket refers to. */
export const deleteContactCommandSchema = z
  .object({
    ...base,
    ...customerVersion,
    type: z.literal('contact.delete'),
    contactId: contactIdSchema,
  })
  .strict();

/**
 * `ticket.attachment.add`: an uploaded file joins the ticket (or one of its comments, log
 * entries or contacts, `logEntryId`). Sent by the server's upload route
 * (`POST /api/tickets/:id/attachments`) once the bytes are in the blob store; the server
 * refuses one that names an upload not made by the sender for this ticket, or whose metadata
 * differs from what was stored. Append-only: send it without `expectedVersion`.
 */
export const addAttachmentCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.attachment.add'),
    attachmentId: attachmentIdSchema,
    name: attachmentNameSchema,
    contentType: contentTypeSchema,
    size: z.number().int().min(0),
    sha256: sha256Schema,
    logEntryId: logEntryIdSchema.optional(),
  })
  .strict();

/**
 * Commands that only append to a ticket (comments, log entries, contacts): the console sends
 * them without `expectedVersion`, so two seats writing at once never conflict. A client that
 * sends one still gets the check.
 */
export const APPEND_ONLY_COMMANDS: readonly CommandType[] = [
  'ticket.comment',
  'ticket.log.execution',
  'ticket.log.supervision',
  'ticket.contact.record',
  'ticket.attachment.add',
  'ticket.intake.record',
];

/**
 * `ticket.intake.record`: an intake door (monitoring, hotline, chat; issue 19) records what
 * its source reported on an open ticket: a repeat (counter and last seen), a recovery, a
 * call's answer (`queuedAt`, `answeredAt`: the `answer` SLA target is met at `answeredAt`) or
 * a transcript. `at` is when the source saw it. Append-only.
 */
export const recordIntakeCommandSchema = z
  .object({
    ...onTicket,
    type: z.literal('ticket.intake.record'),
    source: intakeSourceSchema,
    signal: intakeSignalSchema,
    at: instantSchema,
    summary: anyText(COMMAND_LIMITS.body),
    queuedAt: instantSchema.optional(),
    answeredAt: instantSchema.optional(),
  })
  .strict();

/** `alert.ack`: acknowledge a duty-manager alert (handled by the server, not `decide`). */
export const ackAlertCommandSchema = z
  .object({ ...base, type: z.literal('alert.ack'), alertId: alertIdSchema })
  .strict();

const onArticle = {
  ...base,
  articleId: storableString().min(1).max(64),
  expectedVersion: z.number().int().min(1).optional(),
};

/** `kb.article.create`: a new article whose revision 1 is a draft by the sender. */
export const createKbArticleCommandSchema = kbArticleFieldsSchema
  .extend({
    ...base,
    type: z.literal('kb.article.create'),
    /** The resolved ticket this case was made from ("make a case from this ticket"). */
    sourceTicketId: storableString().min(1).max(64).optional(),
  })
  .strict();

/**
 * `kb.article.edit`: changes the fields given. A draft is changed in place (the sender becomes
 * its author); a reviewed draft goes back to draft; a published or retired latest revision
 * gets a new draft revision (the published one stays what readers see).
 */
export const editKbArticleCommandSchema = z
  .object({
    ...onArticle,
    type: z.literal('kb.article.edit'),
    title: requiredText(KB_LIMITS.title).optional(),
    body: anyText(KB_LIMITS.body).optional(),
    language: kbLanguageSchema.optional(),
    visibility: kbVisibilitySchema.optional(),
    category: anyText(KB_LIMITS.path).nullable().optional(),
    module: anyText(KB_LIMITS.path).nullable().optional(),
    subFunction: anyText(KB_LIMITS.path).nullable().optional(),
    tags: z.array(requiredText(KB_LIMITS.tag)).max(KB_LIMITS.tags).optional(),
    ticketIds: z.array(storableString().min(1).max(64)).max(KB_LIMITS.links).optional(),
    attachmentIds: z.array(storableString().min(1).max(64)).max(KB_LIMITS.links).optional(),
  })
  .strict();

/** `kb.article.review`: the latest draft is reviewed (four eyes: not by its author). */
export const reviewKbArticleCommandSchema = z
  .object({ ...onArticle, type: z.literal('kb.article.review') })
  .strict();

/** `kb.article.publish`: the latest reviewed revision becomes the published one. */
export const publishKbArticleCommandSchema = z
  .object({ ...onArticle, type: z.literal('kb.article.publish') })
  .strict();

/** `kb.article.retire`: the published revision is withdrawn (readers no longer see the article). */
export const retireKbArticleCommandSchema = z
  .object({ ...onArticle, type: z.literal('kb.article.retire') })
  .strict();

/** `kb.article.feedback`: "this helped" (or did not), optionally on a ticket. */
export const feedbackKbArticleCommandSchema = z
  .object({
    ...base,
    type: z.literal('kb.article.feedback'),
    articleId: storableString().min(1).max(64),
    helped: z.boolean(),
    ticketId: ticketIdSchema.optional(),
  })
  .strict();

/**
 * `survey.answer`: a customer's CSAT or NPS answer (decision 53), run only by the server's
 * survey actor for a valid token (`POST /api/surveys/answer`); every staff seat is refused.
 */
export const answerSurveyCommandSchema = z
  .object({ ...base, ...surveyAnswerCommandFields })
  .strict();

const onProblem = { ...base, problemId: storableString().min(1).max(64) };
const onChange = { ...base, changeId: storableString().min(1).max(64) };

/** `problem.create`: a new problem record (raised from a major incident, an alert, a complaint, a QA finding or by hand). */
export const createProblemCommandSchema = problemCreateFieldsSchema
  .extend({ ...base, type: z.literal('problem.create') })
  .strict();
/** `problem.update`: the fields given (title, 5-Why chain, root cause, links); a root cause makes it a known error. */
export const updateProblemCommandSchema = problemUpdateFieldsSchema
  .extend({ ...onProblem, type: z.literal('problem.update') })
  .strict();
/** `problem.action.save`: adds a corrective action, or changes one (`actionId`). */
export const saveProblemActionCommandSchema = problemActionFieldsSchema
  .extend({ ...onProblem, type: z.literal('problem.action.save') })
  .strict();
/** `problem.confirm`: the customer confirms the problem solved (on the portal, or staff on their behalf). */
export const confirmProblemCommandSchema = problemConfirmFieldsSchema
  .extend({ ...onProblem, type: z.literal('problem.confirm') })
  .strict();
/** `problem.close`: refused until the root cause is recorded, every action settled and the customer confirmed. */
export const closeProblemCommandSchema = z
  .object({
    ...onProblem,
    type: z.literal('problem.close'),
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict();
/** `problem.report`: the fault-analysis report (cause, process, prevention), mailed to the technical contact. */
export const reportProblemCommandSchema = problemReportFieldsSchema
  .extend({ ...onProblem, type: z.literal('problem.report') })
  .strict();
/** `change.create`: a change request linked to a problem and tickets. */
export const createChangeCommandSchema = changeCreateFieldsSchema
  .extend({ ...base, type: z.literal('change.create') })
  .strict();
/** `change.decide`: a duty manager approves or rejects a requested change. */
export const decideChangeCommandSchema = changeDecideFieldsSchema
  .extend({ ...onChange, type: z.literal('change.decide') })
  .strict();
/** `change.done`: an approved change is done; its tickets pending on a change resume. */
export const doneChangeCommandSchema = changeDoneFieldsSchema
  .extend({ ...onChange, type: z.literal('change.done') })
  .strict();

/**
 * `qa.verdict.record`: a reviewer's checklist verdict on a sampled ticket (decision 61); a
 * second one replaces the first (both stay in the audit chain).
 */
export const recordQaVerdictCommandSchema = z
  .object({ ...base, type: z.literal('qa.verdict.record'), ...qaVerdictCommandFields })
  .strict();

/** Every command, discriminated on `type`. Unknown keys are `invalid`. */
export const commandSchema = z.discriminatedUnion('type', [
  createTicketCommandSchema,
  classifyTicketCommandSchema,
  assignTicketCommandSchema,
  acceptTicketCommandSchema,
  commentTicketCommandSchema,
  logExecutionCommandSchema,
  logSupervisionCommandSchema,
  addMilestoneCommandSchema,
  confirmMilestoneCommandSchema,
  pendTicketCommandSchema,
  resumeTicketCommandSchema,
  resolveTicketCommandSchema,
  followUpTicketCommandSchema,
  closeTicketCommandSchema,
  reopenTicketCommandSchema,
  recordContactCommandSchema,
  refuseTicketCommandSchema,
  linkCustomerCommandSchema,
  addAttachmentCommandSchema,
  recordIntakeCommandSchema,
  ackAlertCommandSchema,
  createOrganisationCommandSchema,
  updateOrganisationCommandSchema,
  deleteOrganisationCommandSchema,
  createContactCommandSchema,
  updateContactCommandSchema,
  deleteContactCommandSchema,
  createKbArticleCommandSchema,
  editKbArticleCommandSchema,
  reviewKbArticleCommandSchema,
  publishKbArticleCommandSchema,
  retireKbArticleCommandSchema,
  feedbackKbArticleCommandSchema,
  answerSurveyCommandSchema,
  createProblemCommandSchema,
  updateProblemCommandSchema,
  saveProblemActionCommandSchema,
  confirmProblemCommandSchema,
  closeProblemCommandSchema,
  reportProblemCommandSchema,
  createChangeCommandSchema,
  decideChangeCommandSchema,
  doneChangeCommandSchema,
  recordQaVerdictCommandSchema,
]);

/** A parsed command (strings trimmed, ids branded). */
export type Command = z.infer<typeof commandSchema>;
/** A command as a client writes it, before parsing. */
export type CommandInput = z.input<typeof commandSchema>;
/** The parsed command of one type. */
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
/** A parsed command that acts on an existing ticket. */
export type TicketCommand = CommandOf<TicketCommandType>;
/** A parsed command on a customer record. */
export type CustomerCommand = CommandOf<CustomerCommandType>;
/** A parsed command on a knowledge-base article. */
export type KbCommand = CommandOf<KbCommandType>;
/** A parsed command on a problem record or a change request. */
export type ProblemCommand = CommandOf<ProblemCommandType>;
/** A parsed command on a QA sample. */
export type QaCommand = CommandOf<QaCommandType>;

/**
 * Parses anything into a command. Never throws: junk, unknown keys, oversized strings and
 * hostile objects (throwing getters) all come back as `invalid` with field paths.
 * @example parseCommand({ type: 'ticket.accept', commandId: 'c-12345678', ticketId: 't1' })
 */
export function parseCommand(
  input: unknown,
): { ok: true; command: Command } | { ok: false; error: AppError } {
  try {
    const result = commandSchema.safeParse(input);
    if (result.success) return { ok: true, command: result.data };
    return { ok: false, error: toInvalidError('command', result.error.issues) };
  } catch (_error) {
    return { ok: false, error: makeError('invalid', 'invalid command: unreadable payload') };
  }
}
