import {
  CHANGE_APPROVE_ROLES,
  CHANGE_DONE_ROLES,
  PROBLEM_CLOSE_ROLES,
  PROBLEM_WRITE_ROLES,
  changeRequestSchema,
  problemDetailSchema,
  problemSchema,
  publicProblemSchema,
} from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json, named } from '../openapi';
import {
  changeCreateBodySchema,
  changeDecideBodySchema,
  changeDoneBodySchema,
  portalConfirmBodySchema,
  problemActionBodySchema,
  problemCloseBodySchema,
  problemConfirmBodySchema,
  problemCreateBodySchema,
  problemReportBodySchema,
  problemUpdateBodySchema,
} from './problems.routes';

const problem = named(problemSchema, 'Problem');
const detail = named(problemDetailSchema, 'ProblemDetail');
const change = named(changeRequestSchema, 'ChangeRequest');
const publicProblem = named(publicProblemSchema, 'PublicProblem');
const byId = z.object({ id: z.string().min(1).max(64).describe("The problem's id") });
const changeById = z.object({ id: z.string().min(1).max(64).describe("The change request's id") });
const exampleId = '7f3e2a10-4b5c-4d6e-8f90-a1b2c3d4e5f6';
const exampleChange = '2c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f';
const staff = [...PROBLEM_WRITE_ROLES];
const commandNote =
  'Runs as a command on the bus (idempotent per `commandId`, audited as a `problem.*` event carrying the whole record, pushed to every seat).';
const changeNote = commandNote.replace('`problem.*`', '`change.*`');
const limit = z.string().regex(/^\d+$/).optional().describe('At most this many, 1–500');

/** Problem records and change requests (problems.routes.ts, decision 58). */
export const problemsApi = defineApi('problems', [
  {
    method: 'get',
    path: '/api/problems',
    operationId: 'listProblems',
    tagDescription:
      'Problem management: problem records with a 5-Why chain, root cause due in 48 h, corrective actions and the customer’s confirmation; change requests (decision 58).',
    summary: 'List problem records, most recently changed first',
    auth: 'staff',
    roles: staff,
    query: z.object({
      status: z.string().optional().describe('open, known_error, closed; comma-separated'),
      organisationId: z.string().max(64).optional(),
      limit,
    }),
    responses: { 200: json(z.object({ problems: z.array(problem) }), 'The problems') },
    example: { query: { status: 'open,known_error', limit: '50' } },
  },
  {
    method: 'post',
    path: '/api/problems',
    operationId: 'createProblem',
    summary:
      'Raise a problem (from a major incident, a red device alert, a complaint, a QA finding or by hand)',
    description: `${commandNote} \`source.ref\` names the ticket (major_incident, device_alert, complaint: a complaint ticket) or the QA item (qa_finding, \`/api/qa/items/{id}\`); the source ticket is linked and its organisation and contact become the problem's. The root cause is due 48 h later; missed, it raises the ladder step \`major/root-cause-overdue\`.`,
    auth: 'staff',
    roles: staff,
    body: problemCreateBodySchema,
    responses: { 201: json(detail, 'The new problem') },
    errors: [400],
    example: {
      body: {
        title: '核心交换机反复重启',
        description: 'Three P1 outages in a month on the same switch',
        source: { kind: 'manual', ref: null },
      },
    },
  },
  {
    method: 'get',
    path: '/api/problems/{id}',
    operationId: 'getProblem',
    summary: 'One problem record with its change requests',
    auth: 'staff',
    roles: staff,
    params: byId,
    responses: { 200: json(detail, 'The problem') },
    errors: [404],
    example: { params: { id: exampleId } },
  },
  {
    method: 'patch',
    path: '/api/problems/{id}',
    operationId: 'updateProblem',
    summary:
      'Change the analysis: title, 5-Why chain, root cause, linked tickets, known-error article',
    description: `${commandNote} A non-empty \`rootCause\` makes the problem a known error (meets the 48 h target); an empty one takes it back to open. A closed problem answers 409.`,
    auth: 'staff',
    roles: staff,
    params: byId,
    body: problemUpdateBodySchema,
    responses: { 200: json(detail, 'The problem after the change') },
    errors: [400, 404, 409],
    example: {
      params: { id: exampleId },
      body: { whys: ['The switch rebooted', 'Its power supply failed'], rootCause: 'Aged PSU' },
    },
  },
  {
    method: 'post',
    path: '/api/problems/{id}/actions',
    operationId: 'addProblemAction',
    summary: 'Add a corrective action (owner, due date, status)',
    description: commandNote,
    auth: 'staff',
    roles: staff,
    params: byId,
    body: problemActionBodySchema,
    responses: { 201: json(detail, 'The problem with the action') },
    errors: [400, 404, 409],
    example: {
      params: { id: exampleId },
      body: {
        title: 'Replace the PSU',
        ownerId: '5d0c6a1e-7b2f-4c3d-9e8f-0a1b2c3d4e5f',
        dueAt: '2026-12-10T10:00:00.000Z',
      },
    },
  },
  {
    method: 'put',
    path: '/api/problems/{id}/actions/{actionId}',
    operationId: 'saveProblemAction',
    summary: 'Change a corrective action (done records when)',
    description: commandNote,
    auth: 'staff',
    roles: staff,
    params: byId.extend({ actionId: z.string().min(1).max(64).describe("The action's id") }),
    body: problemActionBodySchema,
    responses: { 200: json(detail, 'The problem with the action changed') },
    errors: [400, 404, 409],
    example: {
      params: { id: exampleId, actionId: exampleChange },
      body: {
        title: 'Replace the PSU',
        ownerId: '5d0c6a1e-7b2f-4c3d-9e8f-0a1b2c3d4e5f',
        dueAt: '2026-12-10T10:00:00.000Z',
        status: 'done',
      },
    },
  },
  {
    method: 'post',
    path: '/api/problems/{id}/confirm',
    operationId: 'confirmProblem',
    summary: "Record the customer's confirmation on their behalf (a call, a mail)",
    description: `${commandNote} Recorded with the staff member who took it (\`onBehalf: true\`) and the contact (default: the problem's). Needs the root cause first; 409 when already confirmed.`,
    auth: 'staff',
    roles: staff,
    params: byId,
    body: problemConfirmBodySchema,
    responses: { 200: json(detail, 'The problem, confirmed') },
    errors: [400, 404, 409],
    example: { params: { id: exampleId }, body: { note: '客户电话确认问题已解决' } },
  },
  {
    method: 'post',
    path: '/api/problems/{id}/close',
    operationId: 'closeProblem',
    summary:
      "Close a problem: refused (409) until the root cause, every action and the customer's confirmation are in",
    description: `${commandNote} \`fields[0].message\` says what is missing.`,
    auth: 'staff',
    roles: [...PROBLEM_CLOSE_ROLES],
    params: byId,
    body: problemCloseBodySchema,
    responses: { 200: json(detail, 'The problem, closed') },
    errors: [400, 404, 409],
    example: { params: { id: exampleId }, body: {} },
  },
  {
    method: 'post',
    path: '/api/problems/{id}/fault-report',
    operationId: 'sendFaultReport',
    summary:
      "Write the fault-analysis report (cause, process, prevention) and mail it to the customer's technical contact",
    description: `${commandNote} The addressee is the problem's contact, else the linked ticket's; the mail (template \`problem.faultReport\`, the contact's language) is queued in the same transaction. For a linked resolved P1 it is due 24 h after the resolution; a missed one raises \`major/root-cause-overdue\`.`,
    auth: 'staff',
    roles: staff,
    params: byId,
    body: problemReportBodySchema,
    responses: { 200: json(detail, 'The problem with its report') },
    errors: [400, 404, 409],
    example: {
      params: { id: exampleId },
      body: {
        cause: 'An aged power supply',
        process: 'Failed over, replaced the PSU',
        prevention: 'PSU age in the asset checks',
      },
    },
  },
  {
    method: 'get',
    path: '/api/changes',
    operationId: 'listChanges',
    summary: 'List change requests (of a problem, naming a ticket)',
    auth: 'staff',
    roles: staff,
    query: z.object({
      status: z
        .string()
        .optional()
        .describe('requested, approved, rejected, done; comma-separated'),
      problemId: z.string().max(64).optional(),
      ticketId: z.string().max(64).optional(),
      limit,
    }),
    responses: { 200: json(z.object({ changes: z.array(change) }), 'The change requests') },
    example: { query: { status: 'requested,approved' } },
  },
  {
    method: 'post',
    path: '/api/changes',
    operationId: 'createChange',
    summary: 'Request a change (summary, risk, planned window), linked to a problem and tickets',
    description: changeNote,
    auth: 'staff',
    roles: staff,
    body: changeCreateBodySchema,
    responses: { 201: json(change, 'The change request') },
    errors: [400],
    example: {
      body: {
        summary: 'Replace the core switch PSU',
        risk: 'medium',
        plannedStart: '2026-12-10T01:00:00.000Z',
        plannedEnd: '2026-12-10T03:00:00.000Z',
      },
    },
  },
  {
    method: 'get',
    path: '/api/changes/{id}',
    operationId: 'getChange',
    summary: 'One change request',
    auth: 'staff',
    roles: staff,
    params: changeById,
    responses: { 200: json(change, 'The change request') },
    errors: [404],
    example: { params: { id: exampleChange } },
  },
  {
    method: 'post',
    path: '/api/changes/{id}/decision',
    operationId: 'decideChange',
    summary: 'Approve or reject a requested change (duty managers)',
    description: changeNote,
    auth: 'staff',
    roles: [...CHANGE_APPROVE_ROLES],
    params: changeById,
    body: changeDecideBodySchema,
    responses: { 200: json(change, 'The change request, decided') },
    errors: [400, 404, 409],
    example: { params: { id: exampleChange }, body: { approved: true, note: 'Window agreed' } },
  },
  {
    method: 'post',
    path: '/api/changes/{id}/done',
    operationId: 'completeChange',
    summary: 'Mark an approved change done: its linked tickets pending on a change resume',
    description: `${changeNote} Each linked ticket pending with reason \`change\` is resumed in the same transaction by \`ticket.resume\` (its SLA clocks resume); \`resumedTicketIds\` lists them.`,
    auth: 'staff',
    roles: [...CHANGE_DONE_ROLES],
    params: changeById,
    body: changeDoneBodySchema,
    responses: { 200: json(change, 'The change request, done') },
    errors: [400, 404, 409],
    example: { params: { id: exampleChange }, body: { note: 'PSU replaced' } },
  },
  {
    method: 'get',
    path: '/api/portal/problems',
    operationId: 'portalProblems',
    summary: "The customer's problem records (customer)",
    description:
      "Problems whose technical contact is the caller, and for an organisation-wide account its organisation's; a signed per-ticket link sees none.",
    auth: 'portal',
    responses: { 200: json(z.object({ problems: z.array(publicProblem) }), 'The problems') },
    example: {},
  },
  {
    method: 'get',
    path: '/api/portal/problems/{id}',
    operationId: 'portalProblem',
    summary: 'One problem record as the customer sees it (customer)',
    auth: 'portal',
    params: byId,
    responses: { 200: json(publicProblem, 'The problem') },
    errors: [404],
    example: { params: { id: exampleId } },
  },
  {
    method: 'post',
    path: '/api/portal/problems/{id}/confirm',
    operationId: 'portalConfirmProblem',
    summary: 'The customer confirms the problem solved (customer)',
    description: `\`problem.confirm\` as the customer (\`onBehalf: false\`). 409 before the root cause or when already confirmed; 404 for another customer's problem.`,
    auth: 'portal',
    params: byId,
    body: portalConfirmBodySchema,
    responses: { 200: json(publicProblem, 'The problem, confirmed') },
    errors: [400, 404, 409],
    example: { params: { id: exampleId }, body: { note: 'Fixed for us' } },
  },
]);
