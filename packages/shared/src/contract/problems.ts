import { z } from 'zod';
import { anyText, requiredText, storableString } from './text';
import type { CustomerScope } from './ids';
import { instantSchema } from './ticket';

/**
 * Problem management (issue 22, decision 58): a problem record is raised from a major
 * incident, a red device alert, a complaint, a QA finding or by hand; it links tickets, holds a
 * 5-Why chain, the root cause (due 48 h after raising, escalated on the ladder's
 * `major/root-cause-overdue` step when missed) and corrective actions, and is closed only once
 * the customer confirmed (on the portal, or staff on their behalf). Change requests link to
 * problems and tickets; a done change resumes the tickets pending on it. Every change is a
 * `problem.*` / `change.*` command on the bus whose event carries the whole record.
 */

/** Length limits (characters, items). */
export const PROBLEM_LIMITS = {
  title: 200,
  text: 20_000,
  why: 2_000,
  whys: 10,
  actions: 50,
  tickets: 200,
  note: 2_000,
} as const;

/** The root cause is due this long after a problem is raised (the "root cause within 48 h" target). */
export const ROOT_CAUSE_TARGET_MS = 48 * 3_600_000;
/** A P1's fault-analysis report is due this long after the ticket's resolution. */
export const FAULT_REPORT_TARGET_MS = 24 * 3_600_000;

/** Where a problem came from; `ref` names the ticket (the QA item for `qa_finding`). */
export const PROBLEM_SOURCE_KINDS = [
  'major_incident',
  'device_alert',
  'complaint',
  'qa_finding',
  'manual',
] as const;
export const problemSourceKindSchema = z.enum(PROBLEM_SOURCE_KINDS);
export type ProblemSourceKind = z.infer<typeof problemSourceKindSchema>;

/** `open`: being analysed; `known_error`: root cause recorded; `closed`: confirmed and closed. */
export const PROBLEM_STATUSES = ['open', 'known_error', 'closed'] as const;
export const problemStatusSchema = z.enum(PROBLEM_STATUSES);
export type ProblemStatus = z.infer<typeof problemStatusSchema>;

export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export const actionStatusSchema = z.enum(ACTION_STATUSES);
export type ActionStatus = z.infer<typeof actionStatusSchema>;

const id = storableString().min(1).max(64);
const ticketIds = z.array(id).max(PROBLEM_LIMITS.tickets);

export const problemSourceSchema = z
  .object({ kind: problemSourceKindSchema, ref: id.nullable().default(null) })
  .strict();
export type ProblemSource = z.infer<typeof problemSourceSchema>;

/** A corrective action: who does what by when. */
export const problemActionSchema = z.object({
  id: z.string(),
  title: z.string(),
  ownerId: z.string(),
  dueAt: instantSchema,
  status: actionStatusSchema,
  doneAt: instantSchema.nullable(),
  updatedAt: instantSchema,
  updatedBy: z.string(),
});
export type ProblemAction = z.infer<typeof problemActionSchema>;

/** The customer's confirmation that the problem is solved: who, when, on whose behalf. */
export const problemConfirmationSchema = z.object({
  at: instantSchema,
  /** The actor who confirmed: `customer:<contactId>` on the portal, a staff user's id otherwise. */
  by: z.string(),
  contactId: z.string().nullable(),
  /** Staff recorded it for the customer (a call, a mail): true; the customer on the portal: false. */
  onBehalf: z.boolean(),
  note: z.string(),
});
export type ProblemConfirmation = z.infer<typeof problemConfirmationSchema>;

/** The fault-analysis report (cause, process, prevention) sent to the customer's technical contact. */
export const faultReportSchema = z.object({
  cause: z.string(),
  process: z.string(),
  prevention: z.string(),
  writtenAt: instantSchema,
  writtenBy: z.string(),
  /** The P1 ticket it answers for and when its report was due (24 h after its resolution). */
  ticketId: z.string().nullable(),
  dueAt: instantSchema.nullable(),
  /** The address the mail was queued to (null: no technical contact with an address). */
  sentTo: z.string().nullable(),
});
export type FaultReport = z.infer<typeof faultReportSchema>;

/** A problem record as staff read it (and as every `problem.*` event carries it). */
export const problemSchema = z.object({
  id: z.string(),
  number: z.string(),
  version: z.number().int().min(1),
  title: z.string(),
  description: z.string(),
  status: problemStatusSchema,
  source: z.object({ kind: problemSourceKindSchema, ref: z.string().nullable() }),
  organisationId: z.string().nullable(),
  /** The customer's technical contact (the fault report's addressee). */
  contactId: z.string().nullable(),
  ticketIds: z.array(z.string()),
  whys: z.array(z.string()),
  rootCause: z.string().nullable(),
  rootCauseAt: instantSchema.nullable(),
  rootCauseBy: z.string().nullable(),
  rootCauseDueAt: instantSchema,
  /** When the missed 48 h target was escalated (once). */
  escalatedAt: instantSchema.nullable(),
  actions: z.array(problemActionSchema),
  knownErrorArticleId: z.string().nullable(),
  confirmation: problemConfirmationSchema.nullable(),
  faultReport: faultReportSchema.nullable(),
  createdAt: instantSchema,
  createdBy: z.string(),
  updatedAt: instantSchema,
  closedAt: instantSchema.nullable(),
  closedBy: z.string().nullable(),
});
export type Problem = z.infer<typeof problemSchema>;

export const CHANGE_RISKS = ['low', 'medium', 'high'] as const;
export const changeRiskSchema = z.enum(CHANGE_RISKS);
export type ChangeRisk = z.infer<typeof changeRiskSchema>;

/** `requested` → `approved` (a duty manager) or `rejected`; `approved` → `done`. */
export const CHANGE_STATUSES = ['requested', 'approved', 'rejected', 'done'] as const;
export const changeStatusSchema = z.enum(CHANGE_STATUSES);
export type ChangeStatus = z.infer<typeof changeStatusSchema>;

export const changeRequestSchema = z.object({
  id: z.string(),
  number: z.string(),
  version: z.number().int().min(1),
  summary: z.string(),
  description: z.string(),
  risk: changeRiskSchema,
  plannedStart: instantSchema,
  plannedEnd: instantSchema,
  status: changeStatusSchema,
  problemId: z.string().nullable(),
  ticketIds: z.array(z.string()),
  decidedAt: instantSchema.nullable(),
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
  doneAt: instantSchema.nullable(),
  doneBy: z.string().nullable(),
  /** The tickets pending on this change that its completion resumed. */
  resumedTicketIds: z.array(z.string()),
  createdAt: instantSchema,
  createdBy: z.string(),
  updatedAt: instantSchema,
});
export type ChangeRequest = z.infer<typeof changeRequestSchema>;

const expectedVersion = z.number().int().min(1).optional();

/** The fields of `problem.create` (and of `POST /api/problems`). */
export const problemCreateFieldsSchema = z.object({
  title: requiredText(PROBLEM_LIMITS.title),
  description: anyText(PROBLEM_LIMITS.text).default(''),
  source: problemSourceSchema.default({ kind: 'manual', ref: null }),
  organisationId: id.nullable().default(null),
  contactId: id.nullable().default(null),
  ticketIds: ticketIds.default([]),
});

/** The fields `problem.update` may change (absent: unchanged). A non-empty root cause makes it a known error. */
export const problemUpdateFieldsSchema = z.object({
  expectedVersion,
  title: requiredText(PROBLEM_LIMITS.title).optional(),
  description: anyText(PROBLEM_LIMITS.text).optional(),
  whys: z.array(anyText(PROBLEM_LIMITS.why)).max(PROBLEM_LIMITS.whys).optional(),
  rootCause: anyText(PROBLEM_LIMITS.text).optional(),
  ticketIds: ticketIds.optional(),
  organisationId: id.nullable().optional(),
  contactId: id.nullable().optional(),
  knownErrorArticleId: id.nullable().optional(),
});

/** The fields of `problem.action.save`: without `actionId` a new action. */
export const problemActionFieldsSchema = z.object({
  expectedVersion,
  actionId: id.optional(),
  title: requiredText(PROBLEM_LIMITS.title),
  ownerId: id,
  dueAt: instantSchema,
  status: actionStatusSchema.default('open'),
});

export const problemConfirmFieldsSchema = z.object({
  note: anyText(PROBLEM_LIMITS.note).default(''),
  /** Staff on behalf: the contact who confirmed (default: the problem's contact). */
  contactId: id.nullable().optional(),
});

export const problemReportFieldsSchema = z.object({
  expectedVersion,
  cause: requiredText(PROBLEM_LIMITS.text),
  process: requiredText(PROBLEM_LIMITS.text),
  prevention: requiredText(PROBLEM_LIMITS.text),
});

export const changeCreateFieldsSchema = z.object({
  summary: requiredText(PROBLEM_LIMITS.title),
  description: anyText(PROBLEM_LIMITS.text).default(''),
  risk: changeRiskSchema,
  plannedStart: instantSchema,
  plannedEnd: instantSchema,
  problemId: id.nullable().default(null),
  ticketIds: ticketIds.default([]),
});

export const changeDecideFieldsSchema = z.object({
  expectedVersion,
  approved: z.boolean(),
  note: anyText(PROBLEM_LIMITS.note).default(''),
});

export const changeDoneFieldsSchema = z.object({
  expectedVersion,
  note: anyText(PROBLEM_LIMITS.note).default(''),
});

/** Data of every `problem.*` event: the record after the change. */
export const problemEventDataSchema = z.object({ problem: problemSchema });
export type ProblemEventData = z.infer<typeof problemEventDataSchema>;
/** Data of every `change.*` event: the change request after the change. */
export const changeEventDataSchema = z.object({ change: changeRequestSchema });
export type ChangeEventData = z.infer<typeof changeEventDataSchema>;

/** `GET /api/problems/:id`: the record and its change requests. */
export const problemDetailSchema = problemSchema.extend({ changes: z.array(changeRequestSchema) });
export type ProblemDetail = z.infer<typeof problemDetailSchema>;

/** A problem as the customer portal shows it: no staff names, no internal links. */
export const publicProblemSchema = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  status: problemStatusSchema,
  rootCause: z.string().nullable(),
  actions: z.array(
    z.object({ title: z.string(), dueAt: instantSchema, status: actionStatusSchema }),
  ),
  confirmation: z.object({ at: instantSchema, onBehalf: z.boolean() }).nullable(),
  /** Whether the desk waits for the customer's confirmation (root cause found, every action settled). */
  awaitingConfirmation: z.boolean(),
  createdAt: instantSchema,
});
export type PublicProblem = z.infer<typeof publicProblemSchema>;

/** Roles that raise problems, write the analysis, actions and change requests. */
export const PROBLEM_WRITE_ROLES = ['agent', 'engineer', 'duty_manager', 'admin'] as const;
/** Roles that close a problem (after the customer's confirmation). */
export const PROBLEM_CLOSE_ROLES = ['duty_manager', 'admin'] as const;
/** Roles that approve or reject a change request. */
export const CHANGE_APPROVE_ROLES = ['duty_manager', 'admin'] as const;
/** Roles that mark an approved change done. */
export const CHANGE_DONE_ROLES = ['engineer', 'duty_manager', 'admin'] as const;

/** Whether every action is done or cancelled (none open, none in progress). */
export function actionsSettled(p: Pick<Problem, 'actions'>): boolean {
  return p.actions.every((a) => a.status === 'done' || a.status === 'cancelled');
}

/**
 * Why a problem may not be closed yet, or null: it needs its root cause, every action
 * settled and the customer's confirmation.
 */
export function closeRefusal(
  p: Pick<Problem, 'status' | 'rootCause' | 'actions' | 'confirmation'>,
): 'closed' | 'no_root_cause' | 'actions_open' | 'not_confirmed' | null {
  if (p.status === 'closed') return 'closed';
  if (!p.rootCause) return 'no_root_cause';
  if (!actionsSettled(p)) return 'actions_open';
  if (!p.confirmation) return 'not_confirmed';
  return null;
}

/** Whether the root-cause target is missed at `now` (no root cause by its due time). */
export function rootCauseOverdue(
  p: Pick<Problem, 'rootCause' | 'rootCauseDueAt'>,
  now: Date,
): boolean {
  return !p.rootCause && Date.parse(p.rootCauseDueAt) <= now.getTime();
}

/** The customer's view of a problem. */
export function toPublicProblem(p: Problem): PublicProblem {
  return {
    id: p.id,
    number: p.number,
    title: p.title,
    status: p.status,
    rootCause: p.rootCause,
    actions: p.actions
      .filter((a) => a.status !== 'cancelled')
      .map((a) => ({ title: a.title, dueAt: a.dueAt, status: a.status })),
    confirmation: p.confirmation
      ? { at: p.confirmation.at, onBehalf: p.confirmation.onBehalf }
      : null,
    awaitingConfirmation:
      p.status !== 'closed' && !!p.rootCause && actionsSettled(p) && !p.confirmation,
    createdAt: p.createdAt,
  };
}

/**
 * Whether a customer's scope reaches a problem: its technical contact, or an organisation-wide
 * account of its organisation (a signed per-ticket link reaches none).
 */
export function customerMaySeeProblem(
  scope: CustomerScope | undefined,
  p: Pick<Problem, 'contactId' | 'organisationId'>,
): boolean {
  if (!scope || scope.ticketId !== null) return false;
  if (p.contactId !== null && p.contactId === scope.contactId) return true;
  return (
    scope.organisationWide &&
    scope.organisationId !== null &&
    p.organisationId === scope.organisationId
  );
}
