import {
  CHANGE_STATUSES,
  PROBLEM_STATUSES,
  PROBLEM_WRITE_ROLES,
  changeCreateFieldsSchema,
  changeDecideFieldsSchema,
  changeDoneFieldsSchema,
  customerMaySeeProblem,
  problemActionFieldsSchema,
  problemConfirmFieldsSchema,
  problemCreateFieldsSchema,
  problemReportFieldsSchema,
  problemUpdateFieldsSchema,
  toPublicProblem,
  type Actor,
  type ChangeRequest,
  type CommandAck,
  type Problem,
  type ProblemDetail,
} from '@dutydesk/shared';
import { Router, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { executeCommand } from '../../commands';
import type { AppContext } from '../../context';
import { authOf, denyDevices, requireAuth, requireRole } from '../../http/auth';
import { parseBody, singleQuery } from '../../http/body';
import { HttpError } from '../../http/errors';
import { portalCallerOf, requirePortal } from '../portal';
import { actorFromUser } from '../tickets';
import { listChanges, listProblems, readChange, readProblem } from './problems.repo';

const commandId = z.string().min(8).max(100).optional();

export const problemCreateBodySchema = problemCreateFieldsSchema.extend({ commandId }).strict();
export const problemUpdateBodySchema = problemUpdateFieldsSchema.extend({ commandId }).strict();
export const problemActionBodySchema = problemActionFieldsSchema
  .omit({ actionId: true })
  .extend({ commandId })
  .strict();
export const problemConfirmBodySchema = problemConfirmFieldsSchema.extend({ commandId }).strict();
export const portalConfirmBodySchema = problemConfirmFieldsSchema
  .omit({ contactId: true })
  .extend({ commandId })
  .strict();
export const problemCloseBodySchema = z
  .object({ commandId, expectedVersion: z.number().int().min(1).optional() })
  .strict();
export const problemReportBodySchema = problemReportFieldsSchema.extend({ commandId }).strict();
export const changeCreateBodySchema = changeCreateFieldsSchema.extend({ commandId }).strict();
export const changeDecideBodySchema = changeDecideFieldsSchema.extend({ commandId }).strict();
export const changeDoneBodySchema = changeDoneFieldsSchema.extend({ commandId }).strict();

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)).max(values.length));
const limit = z.coerce.number().int().min(1).max(500).default(100);
const problemListQuery = z
  .object({
    status: csv(PROBLEM_STATUSES).optional(),
    organisationId: z.string().min(1).max(64).optional(),
    limit,
  })
  .strict();
const changeListQuery = z
  .object({
    status: csv(CHANGE_STATUSES).optional(),
    problemId: z.string().min(1).max(64).optional(),
    ticketId: z.string().min(1).max(64).optional(),
    limit,
  })
  .strict();

async function run(ctx: AppContext, actor: Actor, body: Record<string, unknown>) {
  const ack = await executeCommand(ctx, actor, { commandId: randomUUID(), ...body });
  if (!ack.ok) throw new HttpError(ack.error.code, ack.error.message, ack.error.fields);
  return ack;
}

/** The record the command's own event carries (the last one: `change.done` resumes tickets first). */
function recordOf<K extends 'problem' | 'change'>(
  ack: CommandAck & { ok: true },
  key: K,
): K extends 'problem' ? Problem : ChangeRequest {
  const last = ack.events[ack.events.length - 1]?.data as Record<string, unknown> | undefined;
  const record = last?.[key];
  if (!record) throw new HttpError('internal', `The command made no ${key} event`);
  return record as K extends 'problem' ? Problem : ChangeRequest;
}

/**
 * Problem records and change requests over REST (decision 58). Staff read them all; every
 * write is a `problem.*` / `change.*` command on the bus (its precheck says who may close,
 * approve, mark done). The portal's `/portal/problems*` shows a customer the problems of its
 * contact (or its organisation, for an organisation-wide account) and takes its confirmation.
 */
export function createProblemsRouter(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.database.db;
  const staff = [requireAuth(ctx), denyDevices, requireRole(...PROBLEM_WRITE_ROLES)];
  const actorOf = (res: Response) => actorFromUser(authOf(res).user);

  async function detail(id: string): Promise<ProblemDetail> {
    const p = await readProblem(db, id);
    if (!p) throw new HttpError('not_found', `No problem ${id}`);
    return { ...p, changes: await listChanges(db, { problemId: id, limit: 500 }) };
  }

  r.get('/problems', ...staff, async (req, res) => {
    const q = parseBody(problemListQuery, singleQuery(req), 'query');
    const problems = await listProblems(db, {
      statuses: q.status,
      organisationId: q.organisationId,
      limit: q.limit,
    });
    res.json({ problems });
  });

  r.post('/problems', ...staff, async (req, res) => {
    const body = parseBody(problemCreateBodySchema, req.body, 'problem');
    const ack = await run(ctx, actorOf(res), { ...body, type: 'problem.create' });
    res.status(201).json(await detail(recordOf(ack, 'problem').id));
  });

  r.get('/problems/:id', ...staff, async (req, res) => {
    res.json(await detail(String(req.params.id)));
  });

  r.patch('/problems/:id', ...staff, async (req, res) => {
    const body = parseBody(problemUpdateBodySchema, req.body, 'problem change');
    const id = String(req.params.id);
    await run(ctx, actorOf(res), { ...body, type: 'problem.update', problemId: id });
    res.json(await detail(id));
  });

  r.post('/problems/:id/actions', ...staff, async (req, res) => {
    const body = parseBody(problemActionBodySchema, req.body, 'corrective action');
    const id = String(req.params.id);
    await run(ctx, actorOf(res), { ...body, type: 'problem.action.save', problemId: id });
    res.status(201).json(await detail(id));
  });

  r.put('/problems/:id/actions/:actionId', ...staff, async (req, res) => {
    const body = parseBody(problemActionBodySchema, req.body, 'corrective action');
    const id = String(req.params.id);
    await run(ctx, actorOf(res), {
      ...body,
      type: 'problem.action.save',
      problemId: id,
      actionId: String(req.params.actionId),
    });
    res.json(await detail(id));
  });

  r.post('/problems/:id/confirm', ...staff, async (req, res) => {
    const body = parseBody(problemConfirmBodySchema, req.body, 'confirmation');
    const id = String(req.params.id);
    await run(ctx, actorOf(res), { ...body, type: 'problem.confirm', problemId: id });
    res.json(await detail(id));
  });

  r.post('/problems/:id/close', ...staff, async (req, res) => {
    const body = parseBody(problemCloseBodySchema, req.body, 'close');
    const id = String(req.params.id);
    await run(ctx, actorOf(res), { ...body, type: 'problem.close', problemId: id });
    res.json(await detail(id));
  });

  r.post('/problems/:id/fault-report', ...staff, async (req, res) => {
    const body = parseBody(problemReportBodySchema, req.body, 'fault report');
    const id = String(req.params.id);
    await run(ctx, actorOf(res), { ...body, type: 'problem.report', problemId: id });
    res.json(await detail(id));
  });

  r.get('/changes', ...staff, async (req, res) => {
    const q = parseBody(changeListQuery, singleQuery(req), 'query');
    const changes = await listChanges(db, {
      statuses: q.status,
      problemId: q.problemId,
      ticketId: q.ticketId,
      limit: q.limit,
    });
    res.json({ changes });
  });

  r.post('/changes', ...staff, async (req, res) => {
    const body = parseBody(changeCreateBodySchema, req.body, 'change request');
    const ack = await run(ctx, actorOf(res), { ...body, type: 'change.create' });
    res.status(201).json(recordOf(ack, 'change'));
  });

  r.get('/changes/:id', ...staff, async (req, res) => {
    const c = await readChange(db, String(req.params.id));
    if (!c) throw new HttpError('not_found', `No change request ${String(req.params.id)}`);
    res.json(c);
  });

  r.post('/changes/:id/decision', ...staff, async (req, res) => {
    const body = parseBody(changeDecideBodySchema, req.body, 'decision');
    const ack = await run(ctx, actorOf(res), {
      ...body,
      type: 'change.decide',
      changeId: String(req.params.id),
    });
    res.json(recordOf(ack, 'change'));
  });

  r.post('/changes/:id/done', ...staff, async (req, res) => {
    const body = parseBody(changeDoneBodySchema, req.body, 'completion');
    const ack = await run(ctx, actorOf(res), {
      ...body,
      type: 'change.done',
      changeId: String(req.params.id),
    });
    res.json(recordOf(ack, 'change'));
  });

  // The customer's side (a portal account's token): its problems and its confirmation.
  const portal = requirePortal(ctx);
  async function portalProblem(res: Response, id: string): Promise<Problem> {
    const caller = portalCallerOf(res);
    const p = await readProblem(db, id);
    if (!p || !customerMaySeeProblem(caller.actor.customer, p))
      throw new HttpError('not_found', `No problem ${id}`);
    return p;
  }

  r.get('/portal/problems', portal, async (_req, res) => {
    const scope = portalCallerOf(res).actor.customer;
    const lists =
      scope.ticketId !== null
        ? []
        : await Promise.all([
            listProblems(db, { contactId: scope.contactId, limit: 500 }),
            scope.organisationWide && scope.organisationId
              ? listProblems(db, { organisationId: scope.organisationId, limit: 500 })
              : Promise.resolve([]),
          ]);
    const byId = new Map(lists.flat().map((p) => [p.id, p]));
    const problems = [...byId.values()]
      .filter((p) => customerMaySeeProblem(scope, p))
      .sort((x, y) => y.updatedAt.localeCompare(x.updatedAt))
      .map(toPublicProblem);
    res.set('Cache-Control', 'no-store').json({ problems });
  });

  r.get('/portal/problems/:id', portal, async (req, res) => {
    const p = await portalProblem(res, String(req.params.id));
    res.set('Cache-Control', 'no-store').json(toPublicProblem(p));
  });

  r.post('/portal/problems/:id/confirm', portal, async (req, res) => {
    const body = parseBody(portalConfirmBodySchema, req.body, 'confirmation');
    const id = String(req.params.id);
    await portalProblem(res, id);
    const ack = await run(ctx, portalCallerOf(res).actor, {
      ...body,
      type: 'problem.confirm',
      problemId: id,
    });
    res.set('Cache-Control', 'no-store').json(toPublicProblem(recordOf(ack, 'problem')));
  });

  return r;
}
