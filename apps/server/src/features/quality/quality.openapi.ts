import { z } from 'zod';
import { defineApi, json, named } from '../openapi';
import {
  QA_REVIEW_ROLES,
  qaDrawBodySchema,
  qaVerdictBodySchema,
  SCORECARD_ROLES,
} from './quality.routes';
import { QA_KEY_FIELDS } from './sampling';

const instant = z.iso.datetime({ offset: true });
const finding = z.discriminatedUnion('code', [
  z.object({
    code: z.literal('late_closure'),
    dueAt: instant,
    stoppedAt: instant,
    overrunPercent: z.number().describe('Overrun as a percent of the resolve target’s window'),
  }),
  z.object({ code: z.literal('missing_fields'), missing: z.array(z.enum(QA_KEY_FIELDS)) }),
]);
const sample = named(
  z.object({
    id: z.string(),
    period: z.string().describe('The month, YYYY-MM in the desk’s time zone'),
    seed: z.string(),
    from: instant,
    to: instant,
    population: z.int().describe('Tickets closed in the month'),
    size: z.int().describe('⌈10 % of the population⌉'),
    strata: z.array(
      z.object({
        key: z.string(),
        agentId: z.string().nullable(),
        priority: z.string(),
        population: z.int(),
        quota: z.int(),
      }),
    ),
    drawnAt: instant,
    drawnBy: z.string().nullable().describe('Who drew it by hand; null: the monthly job'),
    reviewed: z.int(),
    flagged: z.int(),
  }),
  'QaSample',
);
const item = named(
  z.object({
    id: z.string(),
    sampleId: z.string(),
    ticketId: z.string(),
    ticketNumber: z.string(),
    agentId: z.string().nullable(),
    priority: z.string(),
    stratum: z.string(),
    position: z.int(),
    closedAt: instant,
    findings: z.array(finding),
    verdict: z
      .object({
        checklist: z.record(z.string(), z.enum(['pass', 'fail', 'na'])),
        outcome: z.enum(['pass', 'fail', 'responsibility_review']),
        score: z.number().nullable(),
        note: z.string().nullable(),
      })
      .nullable(),
    reviewedBy: z.string().nullable(),
    reviewedAt: instant.nullable(),
  }),
  'QaItem',
);
const rateOf = (what: string) => z.number().min(0).max(1).nullable().describe(what);
const scorecard = named(
  z.object({
    agentId: z.string(),
    resolved: z.int().describe('Tickets the agent resolved in the period'),
    onTime: z.int(),
    overruns: z.int().describe('Resolved with the resolve target overrun'),
    complaints: z.int().describe('Complaints attributed to the agent, received in the period'),
    timeliness: rateOf('On time ÷ resolved with a resolve target (weight 40 %)'),
    quality: rateOf('Mean QA verdict score ÷ 100 (weight 30 %)'),
    qaReviewed: z.int(),
    satisfaction: rateOf('Satisfied (≥ 4) ÷ CSAT answers (weight 30 %)'),
    csatResponses: z.int(),
    score: z
      .number()
      .nullable()
      .describe('0–100, weighted over the parts present (weights renormalised)'),
    cards: z.object({
      yellow: z.boolean().describe('2 or more overruns'),
      blue: z.boolean().describe('3 or more complaints'),
    }),
    redispatchRate: rateOf('Resolved tickets with two or more assignments ÷ resolved'),
    firstTimeFixRate: rateOf('Resolved, never reopened nor followed up not resolved ÷ resolved'),
  }),
  'Scorecard',
);
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
      'Every checklist item answered pass, fail or na; the score is passed ÷ (passed + failed). The reviewer and the time are kept.',
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
        z.object({ from: instant, to: instant, scorecards: z.array(scorecard) }),
        'The scorecards',
      ),
    },
    example: { query: { from: '2026-03-31T16:00:00.000Z', to: '2026-04-30T16:00:00.000Z' } },
  },
]);
