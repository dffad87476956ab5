/**
 * Quality (issue 22, decisions 48 and 61): the QA sample's REST answers, the reviewer's
 * checklist verdict (a command, `qa.verdict.record`, and its event, `qa.verdictRecorded`, in the
 * audit chain) and the scorecards' answer. The server's routes and the console read these.
 */
import { z } from 'zod';
import type { RoleName } from './auth';
import { anyText, storableString } from './text';

/** Who reviews QA samples: duty managers (the desk's reviewers) and admins. */
export const QA_REVIEW_ROLES = ['duty_manager', 'admin'] as const satisfies readonly RoleName[];
/** Who reads scorecards: the scored see their own, the reviewers' roles everyone's. */
export const SCORECARD_ROLES = [
  'agent',
  'engineer',
  'duty_manager',
  'admin',
] as const satisfies readonly RoleName[];

/** Whether these roles review QA samples (and read every scorecard). */
export function holdsQaReviewRole(roles: readonly string[]): boolean {
  return roles.some((r) => (QA_REVIEW_ROLES as readonly string[]).includes(r));
}

/** The reviewer's checklist, one answer per item, in this order. */
export const QA_CHECKLIST = [
  'timely',
  'fields_complete',
  'logs_kept',
  'customer_informed',
  'resolution_sound',
] as const;
export type QaChecklistItem = (typeof QA_CHECKLIST)[number];

/** The key fields QA checks (issue 22), in the order a finding lists them. */
export const QA_KEY_FIELDS = [
  'category',
  'module',
  'customer_contact',
  'resolution_note',
  'execution_log',
  'supervision_log',
  'signed_milestones',
] as const;
export type QaKeyField = (typeof QA_KEY_FIELDS)[number];

export const qaAnswerSchema = z.enum(['pass', 'fail', 'na']);
export type QaAnswer = z.infer<typeof qaAnswerSchema>;
export const qaOutcomeSchema = z.enum(['pass', 'fail', 'responsibility_review']);
export type QaOutcome = z.infer<typeof qaOutcomeSchema>;

export const qaChecklistSchema = z
  .object(
    Object.fromEntries(QA_CHECKLIST.map((k) => [k, qaAnswerSchema])) as Record<
      QaChecklistItem,
      typeof qaAnswerSchema
    >,
  )
  .strict();
export type QaChecklist = z.infer<typeof qaChecklistSchema>;

export const QA_LIMITS = { note: 2000, id: 64 } as const;

/** What a reviewer sends: every checklist item answered, an outcome, an optional note. */
export const qaVerdictFields = {
  checklist: qaChecklistSchema,
  outcome: qaOutcomeSchema,
  note: anyText(QA_LIMITS.note).optional(),
};
export const qaVerdictBodySchema = z.object(qaVerdictFields).strict();
export type QaVerdictBody = z.input<typeof qaVerdictBodySchema>;

/** The command's own fields (beside `type` and `commandId`): the item and the verdict. */
export const qaVerdictCommandFields = {
  itemId: storableString().min(1).max(QA_LIMITS.id),
  ...qaVerdictFields,
};

/**
 * Passed ÷ (passed + failed) as 0–100 (one decimal), null when every item is n/a.
 * @example checklistScore({ timely: 'fail', fields_complete: 'pass', logs_kept: 'pass', customer_informed: 'pass', resolution_sound: 'na' }) // 75
 */
export function checklistScore(checklist: Readonly<Record<string, QaAnswer>>): number | null {
  const answers = Object.values(checklist);
  const pass = answers.filter((a) => a === 'pass').length;
  const fail = answers.filter((a) => a === 'fail').length;
  return pass + fail === 0 ? null : Math.round((pass / (pass + fail)) * 1000) / 10;
}

export const qaVerdictSchema = z.object({
  checklist: z.record(z.string(), qaAnswerSchema),
  outcome: qaOutcomeSchema,
  /** Passed items ÷ (passed + failed), 0–100; null when every item is n/a. */
  score: z.number().nullable(),
  note: z.string().nullable(),
});
export type QaVerdict = z.infer<typeof qaVerdictSchema>;

/** Data of `qa.verdictRecorded`: a reviewer's verdict on a sampled ticket (the actor reviewed). */
export const qaVerdictRecordedDataSchema = z.object({
  itemId: z.string(),
  sampleId: z.string(),
  /** The sample's month, `YYYY-MM`. */
  period: z.string(),
  ticketId: z.string(),
  ticketNumber: z.string(),
  /** The agent the ticket was closed by (whose scorecard the verdict counts in). */
  agentId: z.string().nullable(),
  verdict: qaVerdictSchema,
  /** The verdict this one replaces (a reviewer changed it), null for the first. */
  previous: z.object({ outcome: qaOutcomeSchema, score: z.number().nullable() }).nullable(),
});
export type QaVerdictRecordedData = z.infer<typeof qaVerdictRecordedDataSchema>;

const instant = z.iso.datetime({ offset: true });

export const qaFindingSchema = z.discriminatedUnion('code', [
  z.object({
    code: z.literal('late_closure'),
    dueAt: instant,
    stoppedAt: instant,
    overrunPercent: z.number().describe('Overrun as a percent of the resolve target’s window'),
  }),
  z.object({ code: z.literal('missing_fields'), missing: z.array(z.enum(QA_KEY_FIELDS)) }),
]);
export type QaFinding = z.infer<typeof qaFindingSchema>;

export const qaStratumSchema = z.object({
  key: z.string(),
  agentId: z.string().nullable(),
  priority: z.string(),
  population: z.int(),
  quota: z.int(),
});
export type QaStratum = z.infer<typeof qaStratumSchema>;

export const qaSampleSchema = z.object({
  id: z.string(),
  period: z.string().describe('The month, YYYY-MM in the desk’s time zone'),
  seed: z.string(),
  from: instant,
  to: instant,
  population: z.int().describe('Tickets closed in the month'),
  size: z.int().describe('⌈10 % of the population⌉'),
  strata: z.array(qaStratumSchema),
  drawnAt: instant,
  drawnBy: z.string().nullable().describe('Who drew it by hand; null: the monthly job'),
  reviewed: z.int(),
  flagged: z.int(),
});
export type QaSampleView = z.infer<typeof qaSampleSchema>;

export const qaItemSchema = z.object({
  id: z.string(),
  sampleId: z.string(),
  ticketId: z.string(),
  ticketNumber: z.string(),
  agentId: z.string().nullable(),
  priority: z.string(),
  stratum: z.string(),
  position: z.int(),
  closedAt: instant,
  findings: z.array(qaFindingSchema),
  verdict: qaVerdictSchema.nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: instant.nullable(),
});
export type QaItemView = z.infer<typeof qaItemSchema>;

export const qaSamplesAnswerSchema = z.object({ samples: z.array(qaSampleSchema) });
export const qaSampleAnswerSchema = z.object({
  sample: qaSampleSchema,
  items: z.array(qaItemSchema),
});
export type QaSampleAnswer = z.infer<typeof qaSampleAnswerSchema>;

const rateOf = (what: string) => z.number().min(0).max(1).nullable().describe(what);

/** One agent's (or one team's) scorecard for a period (docs/metrics.md "Scorecards"). */
export const scorecardSchema = z.object({
  agentId: z.string(),
  resolved: z.int().describe('Tickets resolved in the period'),
  onTime: z.int(),
  overruns: z.int().describe('Resolved with the resolve target overrun'),
  complaints: z.int().describe('Complaints attributed, received in the period'),
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
});
export type Scorecard = z.infer<typeof scorecardSchema>;

/** A group's scorecard: its members' work together, the same figures and cards. */
export const teamScorecardSchema = scorecardSchema
  .omit({ agentId: true })
  .extend({ groupId: z.string(), members: z.int().describe('Members with a card in the period') });
export type TeamScorecard = z.infer<typeof teamScorecardSchema>;

export const scorecardsAnswerSchema = z.object({
  from: instant,
  to: instant,
  scorecards: z.array(scorecardSchema),
  /**
   * One card per group over its members' work (an agent in two groups counts in both); only
   * for the reviewers' roles, empty for everyone else.
   */
  teams: z.array(teamScorecardSchema),
});
export type ScorecardsAnswer = z.infer<typeof scorecardsAnswerSchema>;
