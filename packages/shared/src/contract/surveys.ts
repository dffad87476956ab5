/**
 * Surveys (issue 18, decision 53): the customer's satisfaction after a ticket (CSAT, 1–5 and a
 * comment, one answer per ticket) and the quarterly Net Promoter Score (NPS, 0–10 and why) of
 * sampled contacts. The answer page is public: it holds only the survey token (in the link's
 * fragment, never sent in a URL) and posts it with the answer.
 */
import { z } from 'zod';
import { anyText } from './text';

export const SURVEY_KINDS = ['csat', 'nps'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];
export const surveyKindSchema = z.enum(SURVEY_KINDS);

/** Length limits of survey fields (characters). */
export const SURVEY_LIMITS = { comment: 2_000, tokenMin: 20, tokenMax: 100 } as const;

/** The score range of each kind. */
export const SURVEY_SCALE: Readonly<Record<SurveyKind, { min: number; max: number }>> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
};

/**
 * Whether an answer needs the duty manager's follow-up: a CSAT of 2 or less, or an NPS
 * detractor (0–6).
 * @example needsFollowUp('csat', 2) // true
 */
export function needsFollowUp(kind: SurveyKind, score: number): boolean {
  return kind === 'csat' ? score <= 2 : score <= 6;
}

/** NPS bands: promoters 9–10, passives 7–8, detractors 0–6. */
export function npsBand(score: number): 'promoter' | 'passive' | 'detractor' {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

/** The token as the page posts it (base64url). */
export const surveyTokenSchema = z
  .string()
  .min(SURVEY_LIMITS.tokenMin)
  .max(SURVEY_LIMITS.tokenMax)
  .regex(/^[A-Za-z0-9_-]+$/, 'not a survey token');

/** `POST /api/surveys/open`: what the page shows for a token. */
export const surveyOpenRequestSchema = z.object({ token: surveyTokenSchema }).strict();

/** `POST /api/surveys/answer`: the answer with its token. */
export const surveyAnswerRequestSchema = z
  .object({
    token: surveyTokenSchema,
    score: z.number().int().min(0).max(10),
    comment: anyText(SURVEY_LIMITS.comment).optional(),
  })
  .strict();
export type SurveyAnswerRequest = z.infer<typeof surveyAnswerRequestSchema>;

/** What `POST /api/surveys/open` answers for a valid token. */
export const surveyInvitationViewSchema = z.object({
  kind: surveyKindSchema,
  /** `open`: may be answered; `answered`: this ticket (or round) has its answer already. */
  state: z.enum(['open', 'answered']),
  ticketNumber: z.string().nullable(),
  ticketTitle: z.string().nullable(),
  /** The contact's language (a template language), for the page's first render. */
  locale: z.string(),
  expiresAt: z.string(),
});
export type SurveyInvitationView = z.infer<typeof surveyInvitationViewSchema>;

/** Data of `survey.answered` (ticketId is in the data: the event is not one of the ticket's). */
export const surveyAnsweredDataSchema = z.object({
  answerId: z.string(),
  kind: surveyKindSchema,
  score: z.number().int().min(0).max(10),
  comment: z.string(),
  ticketId: z.string().nullable(),
  ticketNumber: z.string().nullable(),
  contactId: z.string(),
  organisationId: z.string().nullable(),
  /** The NPS round (`2026-Q4`), null for a CSAT. */
  round: z.string().nullable(),
  followUp: z.boolean(),
});
export type SurveyAnsweredData = z.infer<typeof surveyAnsweredDataSchema>;

/** One window's CSAT and NPS figures (reports and the wallboard). */
export const surveyFiguresSchema = z.object({
  csat: z.object({
    responses: z.number().int().nonnegative(),
    invited: z.number().int().nonnegative(),
    average: z.number().nullable(),
    /** Answers per score 1–5 (index 0 is score 1). */
    distribution: z.array(z.number().int().nonnegative()).length(5),
    /** Answers ÷ tickets invited in the window (null when none was invited). */
    responseRate: z.number().nullable(),
  }),
  nps: z.object({
    responses: z.number().int().nonnegative(),
    invited: z.number().int().nonnegative(),
    promoters: z.number().int().nonnegative(),
    passives: z.number().int().nonnegative(),
    detractors: z.number().int().nonnegative(),
    /** % promoters − % detractors, −100…100 (null without answers). */
    score: z.number().nullable(),
    responseRate: z.number().nullable(),
  }),
});
export type SurveyFigures = z.infer<typeof surveyFiguresSchema>;

/** A follow-up an organisation's page lists: a low answer and its alert. */
export const surveyFollowUpSchema = z.object({
  answerId: z.string(),
  kind: surveyKindSchema,
  score: z.number().int(),
  comment: z.string(),
  ticketId: z.string().nullable(),
  ticketNumber: z.string().nullable(),
  contactId: z.string(),
  contactName: z.string().nullable(),
  answeredAt: z.string(),
  alertId: z.string().nullable(),
  acknowledged: z.boolean(),
});
export type SurveyFollowUp = z.infer<typeof surveyFollowUpSchema>;

/** The survey actor's id: the public answer route runs `survey.answer` as it. */
export const SURVEY_ACTOR_ID = 'intake:survey';

/** `survey.answer`: an answer through its invitation (the token's hash; run by the public route only). */
export const surveyAnswerCommandFields = {
  type: z.literal('survey.answer'),
  invitationId: z.string().regex(/^[0-9a-f]{64}$/),
  score: z.number().int().min(0).max(10),
  comment: anyText(SURVEY_LIMITS.comment).optional(),
};
