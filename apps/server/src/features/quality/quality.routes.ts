import type { RoleName } from '@dutydesk/shared';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { parseBody, singleQuery } from '../../http/body';
import { HttpError } from '../../http/errors';
import {
  listItems,
  listSamples,
  readItem,
  readSample,
  readScoreInput,
  saveVerdict,
  type QaVerdict,
} from './quality.repo';
import { drawAndStore, newSeed, QA_TIME_ZONE } from './quality.service';
import { monthPeriod } from './sampling';
import { computeScorecards } from './scorecards';

/** Who reviews QA samples: duty managers (the desk's reviewers) and admins. */
export const QA_REVIEW_ROLES: readonly RoleName[] = ['duty_manager', 'admin'];

/** The reviewer's checklist, one answer per item. */
export const QA_CHECKLIST = [
  'timely',
  'fields_complete',
  'logs_kept',
  'customer_informed',
  'resolution_sound',
] as const;

const answer = z.enum(['pass', 'fail', 'na']);
export const qaVerdictBodySchema = z
  .object({
    checklist: z
      .object(
        Object.fromEntries(QA_CHECKLIST.map((k) => [k, answer])) as Record<
          (typeof QA_CHECKLIST)[number],
          typeof answer
        >,
      )
      .strict(),
    outcome: z.enum(['pass', 'fail', 'responsibility_review']),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

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

/** Who reads scorecards: staff who are scored see their own, duty managers and admins all. */
export const SCORECARD_ROLES: readonly RoleName[] = ['agent', 'engineer', 'duty_manager', 'admin'];

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

/** Passed ÷ (passed + failed) as 0–100 (one decimal), null when all are n/a. */
export function checklistScore(checklist: Record<string, 'pass' | 'fail' | 'na'>): number | null {
  const answers = Object.values(checklist);
  const pass = answers.filter((a) => a === 'pass').length;
  const fail = answers.filter((a) => a === 'fail').length;
  return pass + fail === 0 ? null : Math.round((pass / (pass + fail)) * 1000) / 10;
}

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
  r.put('/qa/items/:id/verdict', async (req, res) => {
    const body = parseBody(qaVerdictBodySchema, req.body, 'verdict');
    const id = String(req.params.id);
    if (!(await readItem(db, id))) throw new HttpError('not_found', `No QA item ${id}`);
    const verdict: QaVerdict = {
      checklist: body.checklist,
      outcome: body.outcome,
      score: checklistScore(body.checklist),
      note: body.note ? body.note : null,
    };
    const saved = await saveVerdict(db, id, verdict, authOf(res).user.id, ctx.clock.now());
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
      const all = user.roles.some((role) => QA_REVIEW_ROLES.includes(role));
      const cards = computeScorecards({ from, to, ...input }).filter(
        (c) => all || c.agentId === user.id,
      );
      res.json({ from: from.toISOString(), to: to.toISOString(), scorecards: cards });
    },
  );
  return r;
}
