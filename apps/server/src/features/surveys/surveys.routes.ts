/**
 * The surveys' routes (decision 53). Public, the token only (the page posts the token it read
 * from its URL's fragment): `POST /api/surveys/open` (what to ask; 401 unknown, 410 expired) and
 * `POST /api/surveys/answer` (the answer through `survey.answer` on the bus; 409 used or
 * answered). Staff: `POST /api/surveys/links` (a ticket's CSAT link for its contact, to hand
 * over another way), `GET /api/reports/surveys` (duty managers, admins) and an organisation's
 * follow-ups. Customer (a portal token, decision 55): `GET|POST /api/portal/tickets/:id/survey`,
 * the CSAT of a resolved or closed ticket the caller may see (its state; POST mints a link).
 */
import {
  customerMaySee,
  CUSTOMER_READ_ROLES,
  surveyAnswerRequestSchema,
  surveyOpenRequestSchema,
  type SurveyInvitationView,
} from '@dutydesk/shared';
import { Router, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { requireAuth, requireRole } from '../../http/auth';
import { parseBody } from '../../http/body';
import { HttpError, statusForError } from '../../http/errors';
import { readInstantParam } from '../../http/params';
import { portalCallerOf, requirePortal } from '../portal';
import { readTicket } from '../tickets';
import { computeSurveyFigures } from './figures';
import type { FollowUps } from './followUps';
import type { createSurveyLinks } from './links';
import { SURVEY_ACTOR } from './surveys.commands';
import {
  isAnswered,
  listFollowUps,
  readFigureInput,
  readInvitation,
  readTicketContactId,
  readTicketFacts,
} from './surveys.repo';
import { surveyTokenId } from './tokens';

/** The longest window a report reads. */
const MAX_REPORT_DAYS = 400;
const FOLLOW_UPS_MAX = 50;

function tokenError(reason: 'unknown' | 'expired'): HttpError {
  return reason === 'unknown'
    ? new HttpError('unauthorized', 'This survey link is not valid', [
        { path: 'token', message: 'unknown' },
      ])
    : new HttpError(
        'forbidden',
        'This survey link has expired',
        [{ path: 'token', message: 'expired' }],
        undefined,
        410,
      );
}

/** The ticket statuses whose CSAT the portal offers. */
const SURVEYED_STATUSES: readonly string[] = ['resolved', 'closed'];

/** What the portal shows of a ticket's CSAT: not yet (`unavailable`), `open`, or `answered`. */
export const portalSurveyStateSchema = z.enum(['unavailable', 'open', 'answered']);
export type PortalSurveyState = z.infer<typeof portalSurveyStateSchema>;

export const linkRequestSchema = z.object({ ticketId: z.string().min(1).max(100) }).strict();

export function createSurveysRouter(
  ctx: AppContext,
  deps: { followUps: FollowUps; links: ReturnType<typeof createSurveyLinks> },
): Router {
  const r = Router();

  r.post('/surveys/open', async (req, res) => {
    const { token } = parseBody(surveyOpenRequestSchema, req.body, 'survey');
    const inv = await readInvitation(ctx.database.db, surveyTokenId(token));
    if (!inv) throw tokenError('unknown');
    if (inv.expiresAt.getTime() <= ctx.clock.now().getTime()) throw tokenError('expired');
    const ticket = inv.ticketId ? await readTicketFacts(ctx.database.db, inv.ticketId) : null;
    const answered = inv.usedAt !== null || (await isAnswered(ctx.database.db, inv));
    const body: SurveyInvitationView = {
      kind: inv.kind,
      state: answered ? 'answered' : 'open',
      ticketNumber: ticket?.number ?? null,
      ticketTitle: ticket?.title ?? null,
      locale: inv.locale,
      expiresAt: inv.expiresAt.toISOString(),
    };
    res.set('Cache-Control', 'no-store').json(body);
  });

  r.post('/surveys/answer', async (req, res) => {
    const body = parseBody(surveyAnswerRequestSchema, req.body, 'survey answer');
    const ack = await ctx.commands.execute(SURVEY_ACTOR, {
      type: 'survey.answer',
      commandId: `survey-${randomUUID()}`,
      invitationId: surveyTokenId(body.token),
      score: body.score,
      ...(body.comment ? { comment: body.comment } : {}),
    });
    if (!ack.ok) {
      const reason = ack.error.fields?.[0]?.message;
      const status = reason === 'expired' ? 410 : statusForError(ack.error);
      res.status(status).json({ error: ack.error });
      return;
    }
    const event = ack.events[0];
    const data = event?.type === 'survey.answered' ? event.data : null;
    // The duty manager's alert at once (the engine's job would raise it within a second too).
    if (data?.followUp) await deps.followUps.raiseDue();
    res.status(201).json({
      answerId: data?.answerId ?? '',
      kind: data?.kind ?? 'csat',
      followUp: data?.followUp ?? false,
    });
  });

  const portal = requirePortal(ctx);

  /** The portal caller's ticket (404 for one they may not see, as for a missing one) and its CSAT state. */
  async function portalSurvey(res: Response, id: string) {
    const caller = portalCallerOf(res);
    if (id.length > 100) throw new HttpError('not_found', 'No such ticket');
    const ticket = await readTicket(ctx.database.db, id);
    if (!ticket || !customerMaySee(caller.actor.customer, ticket))
      throw new HttpError('not_found', `No ticket ${id}`);
    const state: PortalSurveyState = !SURVEYED_STATUSES.includes(ticket.status)
      ? 'unavailable'
      : (await isAnswered(ctx.database.db, {
            id: '',
            kind: 'csat',
            ticketId: ticket.id,
            contactId: caller.actor.customer.contactId,
            round: null,
            locale: '',
            expiresAt: new Date(0),
            usedAt: null,
          }))
        ? 'answered'
        : 'open';
    return { caller, ticket, state };
  }

  r.get('/portal/tickets/:id/survey', portal, async (req, res) => {
    const { state } = await portalSurvey(res, String(req.params.id));
    res.set('Cache-Control', 'no-store').json({ state });
  });

  r.post('/portal/tickets/:id/survey', portal, async (req, res) => {
    const { caller, ticket, state } = await portalSurvey(res, String(req.params.id));
    if (state === 'unavailable')
      throw new HttpError('conflict', 'The survey opens once the ticket is resolved', [
        { path: 'status', message: 'not resolved' },
      ]);
    if (state === 'answered') {
      res.set('Cache-Control', 'no-store').json({ state, url: null });
      return;
    }
    // A new single-use link for the caller (tokens are stored hashed, so none is reused);
    // `survey.answer` still takes one answer per ticket.
    const url = await deps.links.surveyLink(ticket.id, caller.actor.customer.contactId);
    res.status(201).set('Cache-Control', 'no-store').json({ state, url });
  });

  r.post(
    '/surveys/links',
    requireAuth(ctx),
    requireRole('agent', 'duty_manager', 'admin'),
    async (req, res) => {
      const { ticketId } = parseBody(linkRequestSchema, req.body, 'survey link request');
      const ticket = await readTicketFacts(ctx.database.db, ticketId);
      if (!ticket) throw new HttpError('not_found', `No ticket ${ticketId}`);
      const contactId = await readTicketContactId(ctx.database.db, ticketId);
      if (!contactId)
        throw new HttpError('conflict', 'The ticket has no customer contact to survey', [
          { path: 'ticketId', message: 'no contact' },
        ]);
      const url = await deps.links.surveyLink(ticketId, contactId);
      res.status(201).json({ url, ticketNumber: ticket.number });
    },
  );

  r.get(
    '/reports/surveys',
    requireAuth(ctx),
    requireRole('duty_manager', 'admin'),
    async (req, res) => {
      const now = ctx.clock.now();
      const to = readInstantParam(req, 'to', now);
      const from = readInstantParam(req, 'from', new Date(to.getTime() - 30 * 86_400_000));
      if (from.getTime() >= to.getTime())
        throw new HttpError('invalid', 'from must be before to', [
          { path: 'from', message: 'not before to' },
        ]);
      if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000)
        throw new HttpError('invalid', `A report covers at most ${MAX_REPORT_DAYS} days`, [
          { path: 'from', message: `at most ${MAX_REPORT_DAYS} days before to` },
        ]);
      const figures = computeSurveyFigures(await readFigureInput(ctx.database.db, from, to));
      res.json({ from: from.toISOString(), to: to.toISOString(), ...figures });
    },
  );

  r.get(
    '/organisations/:id/survey-follow-ups',
    requireAuth(ctx),
    requireRole(...CUSTOMER_READ_ROLES),
    async (req, res) => {
      const id = String(req.params.id);
      if (id.length > 100) throw new HttpError('invalid', 'id is too long');
      const followUps = await listFollowUps(ctx.database.db, id, FOLLOW_UPS_MAX);
      res.json({ followUps });
    },
  );

  return r;
}
