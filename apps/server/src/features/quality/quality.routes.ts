import {
  holdsQaReviewRole,
  qaVerdictBodySchema,
  QA_REVIEW_ROLES,
  SCORECARD_ROLES,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { parseBody, singleQuery } from '../../http/body';
import { HttpError } from '../../http/errors';
import { executeCommand } from '../../commands';
import { actorFromUser } from '../tickets';
import {
  listItems,
  listMemberships,
  listSamples,
  readItem,
  readSample,
  readScoreInput,
} from './quality.repo';
import { drawAndStore, newSeed, QA_TIME_ZONE } from './quality.service';
import { monthPeriod } from './sampling';
import { computeScorecards, computeTeamScorecards } from './scorecards';

export const qaDrawBodySchema = z
  .object({
    period: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM')
      .describe('The month to sample, in the desk’s time zone'),
    seed: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - or _, at most 64')
      .optional()
      .describe('The seed (default: a random one); the same seed and tickets draw the same sample'),
  })
  .strict();

export const scorecardQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).describe('Start of the period (inclusive)'),
    to: z.iso.datetime({ offset: true }).describe('End of the period (exclusive)'),
  })
  .strict()
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['to'],
  })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    message: 'at most 366 days',
    path: ['to'],
  });

const listQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(120).default(24) })
  .strict();

/**
 * QA samples over REST (issue 22): list, draw one by hand (an extra sample of any month begun,
 * the tickets closed in it so far; the monthly job's own sample is drawn once per month),
 * read one with its items, record a reviewer's verdict. Duty managers and admins only.
 */
export function createQualityRouter(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.database.db;
  r.use('/qa', requireAuth(ctx), requireRole(...QA_REVIEW_ROLES));

  r.get('/qa/samples', async (req, res) => {
    const q = parseBody(listQuerySchema, singleQuery(req), 'query');
    res.json({ samples: await listSamples(db, q.limit) });
  });
  r.post('/qa/samples', async (req, res) => {
    const body = parseBody(qaDrawBodySchema, req.body, 'sample');
    const period = monthPeriod(body.period, QA_TIME_ZONE);
    if (period.from.getTime() > ctx.clock.now().getTime())
      throw new HttpError('invalid', `${body.period} has not begun`, [
        { path: 'period', message: 'not begun' },
      ]);
    const made = await drawAndStore(ctx, period, body.seed ?? newSeed(), authOf(res).user.id);
    if (!made) throw new HttpError('internal', 'The sample was not stored');
    res.status(201).json({
      sample: await readSample(db, made.id),
      items: await listItems(db, made.id),
    });
  });
  r.get('/qa/samples/:id', async (req, res) => {
    const id = String(req.params.id);
    const sample = await readSample(db, id);
    if (!sample) throw new HttpError('not_found', `No QA sample ${id}`);
    res.json({ sample, items: await listItems(db, id) });
  });
  // The verdict is the bus's `qa.verdict.record` (decision 61): the same command a seat sends.
  r.put('/qa/items/:id/verdict', async (req, res) => {
    const body = parseBody(qaVerdictBodySchema, req.body, 'verdict');
    const id = String(req.params.id);
    const ack = await executeCommand(ctx, actorFromUser(authOf(res).user), {
      ...body,
      type: 'qa.verdict.record',
      commandId: randomUUID(),
      itemId: id,
    });
    if (!ack.ok) throw new HttpError(ack.error.code, ack.error.message, ack.error.fields);
    const saved = await readItem(db, id);
    if (!saved) throw new HttpError('not_found', `No QA item ${id}`);
    res.json(saved);
  });
  r.get(
    '/reports/scorecards',
    requireAuth(ctx),
    requireRole(...SCORECARD_ROLES),
    async (req, res) => {
      const q = parseBody(scorecardQuerySchema, singleQuery(req), 'query');
      const from = new Date(q.from);
      const to = new Date(q.to);
      const input = await readScoreInput(db, from, to);
      const user = authOf(res).user;
      const all = holdsQaReviewRole(user.roles);
      const cards = computeScorecards({ from, to, ...input }).filter(
        (c) => all || c.agentId === user.id,
      );
      const teams = all
        ? computeTeamScorecards({ from, to, ...input }, await listMemberships(db))
        : [];
      res.json({ from: from.toISOString(), to: to.toISOString(), scorecards: cards, teams });
    },
  );
  return r;
}
