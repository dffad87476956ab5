import {
  CUSTOMER_READ_ROLES,
  surveyAnswerRequestSchema,
  surveyFiguresSchema,
  surveyFollowUpSchema,
  surveyInvitationViewSchema,
  surveyKindSchema,
  surveyOpenRequestSchema,
} from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json, named } from '../openapi';
import { linkRequestSchema, portalSurveyStateSchema } from './surveys.routes';

const exampleToken = 'Zm9yLXRoZS1vcGVuYXBpLWV4YW1wbGUtb25seS0xMjM0NQ';
const reportSchema = named(
  surveyFiguresSchema.extend({ from: z.string(), to: z.string() }),
  'SurveyReport',
);

/** Surveys (surveys.routes.ts, decision 53). */
export const surveysApi = defineApi('surveys', [
  {
    method: 'post',
    path: '/api/surveys/open',
    operationId: 'openSurvey',
    tagDescription:
      'Customer surveys: CSAT after close, the quarterly NPS (decision 53). The answer routes are public and take only the token of a survey link.',
    summary: 'What a survey link asks (public: the token only)',
    description:
      'The survey page posts the token from its link\'s fragment (`/survey#<token>`). 401: not a survey link (`fields[0].message` `unknown`); 410: expired (`expired`). A link that was used, or whose ticket or round has its answer, answers `state: "answered"`.',
    auth: 'public',
    body: named(surveyOpenRequestSchema, 'SurveyOpenRequest'),
    responses: { 200: json(named(surveyInvitationViewSchema, 'SurveyInvitation'), 'The survey') },
    errors: [401, 410],
    example: { body: { token: exampleToken } },
  },
  {
    method: 'post',
    path: '/api/surveys/answer',
    operationId: 'answerSurvey',
    summary: 'Answers a survey (public: the token only)',
    description:
      "CSAT: `score` 1–5; NPS: 0–10; `comment` up to 2 000 characters. Runs `survey.answer` on the command bus (audited as `survey.answered`). A CSAT of 2 or less or an NPS of 6 or less raises the duty manager's follow-up alert (ladder step `survey/low-score`) at once. 409: the link was used or the ticket (round) has its answer (`fields[0].message` `used` / `answered`); 401 unknown; 410 expired.",
    auth: 'public',
    body: named(surveyAnswerRequestSchema, 'SurveyAnswerRequest'),
    responses: {
      201: json(
        z.object({ answerId: z.string(), kind: surveyKindSchema, followUp: z.boolean() }),
        'The answer was stored',
      ),
    },
    errors: [401, 409, 410, 429],
    example: { body: { token: exampleToken, score: 4, comment: 'Quick and friendly' } },
  },
  {
    method: 'post',
    path: '/api/surveys/links',
    operationId: 'createSurveyLink',
    summary: "A ticket's CSAT link for its contact",
    description:
      'A new single-use link (expiring after `DUTYDESK_SURVEY_LINK_DAYS`) to hand the customer another way than the resolution mail. 409: the ticket has no contact.',
    auth: 'staff',
    roles: ['agent', 'duty_manager', 'admin'],
    body: named(linkRequestSchema, 'SurveyLinkRequest'),
    responses: {
      201: json(z.object({ url: z.string(), ticketNumber: z.string() }), 'The link'),
    },
    errors: [404, 409],
    example: { body: { ticketId: '0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d' } },
  },
  {
    method: 'get',
    path: '/api/portal/tickets/{id}/survey',
    operationId: 'portalSurveyState',
    summary: "A portal ticket's CSAT: unavailable, open or answered (customer)",
    description:
      'For a ticket the portal token may see (a signed link: its ticket only). `unavailable` until the ticket is resolved or closed; `answered` once its CSAT has an answer (one per ticket). 404: another ticket (as for a missing one).',
    auth: 'portal',
    params: z.object({ id: z.string().min(1).max(100).describe("The ticket's id") }),
    responses: {
      200: json(z.object({ state: portalSurveyStateSchema }), 'The survey state'),
    },
    errors: [404],
    example: { params: { id: '0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d' } },
  },
  {
    method: 'post',
    path: '/api/portal/tickets/{id}/survey',
    operationId: 'portalSurveyLink',
    summary: "A portal ticket's CSAT link (customer)",
    description:
      'Mints a new single-use CSAT link (`/survey#<token>`) for the caller\'s contact through the surveys feature, for a resolved or closed ticket the portal token may see; the portal opens it. 201 with `url`; 200 `state: "answered"` and no `url` when the ticket has its answer; 409: not resolved yet (`fields[0].message` `not resolved`); 404: another ticket.',
    auth: 'portal',
    params: z.object({ id: z.string().min(1).max(100).describe("The ticket's id") }),
    responses: {
      201: json(z.object({ state: z.literal('open'), url: z.string() }), 'A survey link to open'),
      200: json(
        z.object({ state: z.literal('answered'), url: z.null() }),
        'The ticket has its answer',
      ),
    },
    errors: [404, 409],
    example: { params: { id: '0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d' } },
  },
  {
    method: 'get',
    path: '/api/reports/surveys',
    operationId: 'getSurveyReport',
    summary: 'CSAT and NPS of a window',
    description:
      'Answers given in `[from, to)` (default: the 30 days before now; at most 400 days): CSAT responses, average and distribution (scores 1–5), NPS promoters (9–10), passives, detractors (0–6) and score (% promoters − % detractors), and each response rate (surveys first sent in the window that were answered ÷ surveys sent).',
    auth: 'staff',
    roles: ['duty_manager', 'admin'],
    query: z.object({
      from: z.string().optional().describe('ISO-8601 instant (default: 30 days before `to`)'),
      to: z.string().optional().describe('ISO-8601 instant (default: now)'),
    }),
    responses: { 200: json(reportSchema, 'The figures') },
    example: { query: { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' } },
  },
  {
    method: 'get',
    path: '/api/organisations/{id}/survey-follow-ups',
    operationId: 'listSurveyFollowUps',
    summary: "An organisation's unhappy answers and their follow-up alerts",
    auth: 'staff',
    roles: CUSTOMER_READ_ROLES,
    params: z.object({ id: z.string().min(1).max(100).describe("The organisation's id") }),
    responses: {
      200: json(
        z.object({ followUps: z.array(named(surveyFollowUpSchema, 'SurveyFollowUp')) }),
        'Newest first, at most 50',
      ),
    },
    example: { params: { id: '0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d' } },
  },
]);
