import {
  qaItemSchema,
  QA_REVIEW_ROLES,
  qaSampleSchema,
  qaVerdictBodySchema,
  SCORECARD_ROLES,
  scorecardSchema,
  teamScorecardSchema,
} from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json, named } from '../openapi';
import { qaDrawBodySchema } from './quality.routes';

const instant = z.iso.datetime({ offset: true });
const sample = named(qaSampleSchema, 'QaSample');
const item = named(qaItemSchema, 'QaItem');
const scorecard = named(scorecardSchema, 'Scorecard');
const teamScorecard = named(teamScorecardSchema, 'TeamScorecard');
const withItems = z.object({ sample, items: z.array(item) });
const idParam = (what: string) => z.object({ id: z.string().min(1).max(64).describe(what) });
const roles = [...QA_REVIEW_ROLES];

/** QA sampling (quality.routes.ts, issue 22, decision 48). */
export const qualityApi = defineApi('quality', [
  {
    method: 'get',
    path: '/api/qa/samples',
    operationId: 'listQaSamples',
    tagDescription:
      'Quality: the monthly QA sample of closed tickets (10 %, stratified by agent and priority, seeded), automatic findings and the reviewers’ checklist verdicts (decision 48).',
    summary: 'List the QA samples, newest month first',
    auth: 'staff',
    roles,
    query: z.object({
      limit: z.string().regex(/^\d+$/).optional().describe('At most this many, 1–120'),
    }),
    responses: { 200: json(z.object({ samples: z.array(sample) }), 'The samples') },
    example: { query: { limit: '12' } },
  },
  {
    method: 'post',
    path: '/api/qa/samples',
    operationId: 'drawQaSample',
    summary: 'Draw an extra sample of a month by hand (the monthly job draws each month’s own)',
    description:
      'Draws ⌈10 %⌉ of the tickets closed in the month (so far, for the current month), allotted to agent × priority strata by largest remainder, shuffled inside each stratum by a PRNG seeded from the seed. 400 when the month has not begun.',
    auth: 'staff',
    roles,
    body: qaDrawBodySchema,
    responses: { 201: json(withItems, 'The sample and its items') },
    example: { body: { period: '2026-02', seed: 'a1b2c3d4' } },
  },
  {
    method: 'get',
    path: '/api/qa/samples/{id}',
    operationId: 'getQaSample',
    summary: 'A sample with its items (findings and verdicts)',
    auth: 'staff',
    roles,
    params: idParam('The sample’s id'),
    responses: { 200: json(withItems, 'The sample and its items') },
    errors: [404],
    example: { params: { id: '5d0c6a1e-7b2f-4c3d-9e8f-0a1b2c3d4e5f' } },
  },
  {
    method: 'put',
    path: '/api/qa/items/{id}/verdict',
    operationId: 'recordQaVerdict',
    summary: 'Record (or change) a reviewer’s checklist verdict on a sampled ticket',
    description:
      'Every checklist item answered pass, fail or na; the score is passed ÷ (passed + failed). The reviewer and the time are kept. The same as the bus command `qa.verdict.record` (decision 61): `qa.verdictRecorded` is appended to the audit chain and pushed to duty managers, admins and the ticket’s agent.',
    auth: 'staff',
    roles,
    params: idParam('The item’s id'),
    body: qaVerdictBodySchema,
    responses: { 200: json(item, 'The item with its verdict') },
    errors: [404],
    example: {
      params: { id: '5d0c6a1e-7b2f-4c3d-9e8f-0a1b2c3d4e5f' },
      body: {
        checklist: {
          timely: 'fail',
          fields_complete: 'pass',
          logs_kept: 'pass',
          customer_informed: 'pass',
          resolution_sound: 'na',
        },
        outcome: 'responsibility_review',
        note: 'Closed a day late without a pending reason',
      },
    },
  },
  {
    method: 'get',
    path: '/api/reports/scorecards',
    operationId: 'getScorecards',
    tagDescription: 'Reports: figures over a period from the ticket rows (issue 22).',
    summary: 'Agents’ scorecards for a period (agents and engineers see only their own)',
    description:
      'Timeliness 40 %, quality 30 % (QA verdicts), satisfaction 30 % (CSAT: the supervision log’s overall ratings), the yellow card at 2 overruns and the blue card at 3 complaints, the re-dispatch and first-time-fix rates.',
    auth: 'staff',
    roles: [...SCORECARD_ROLES],
    query: z.object({
      from: z.string().describe('ISO instant, inclusive'),
      to: z.string().describe('ISO instant, exclusive; at most 366 days after from'),
    }),
    responses: {
      200: json(
        z.object({
          from: instant,
          to: instant,
          scorecards: z.array(scorecard),
          teams: z.array(teamScorecard).describe('Per group; empty unless a duty manager or admin'),
        }),
        'The scorecards',
      ),
    },
    example: { query: { from: '2026-03-31T16:00:00.000Z', to: '2026-04-30T16:00:00.000Z' } },
  },
]);
